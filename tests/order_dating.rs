//! Order dating and the CLI's order ledger (step 9b item 3): no original for an earlier
//! day, not more than the pack's days ahead, the case's number must be its own, and a second
//! original of an order the ledger knows is refused (a reprint is a COPY).

#[path = "order_common.rs"]
mod common;

use chrono::NaiveDate;
use common::*;
use ketaplan::cli::Environment;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn day(text: &str) -> NaiveDate {
    ketaplan::domain::case::parse_date(text).unwrap_or_default()
}

struct Desk {
    dir: tempfile::TempDir,
    env: Environment,
}

impl Desk {
    /// A workstation printing on `today`, with its own ledger.
    fn new(today: &str) -> Desk {
        let dir = tempdir();
        let env = Environment {
            today: Some(day(today)),
            ledger: Some(dir.path().join("ledger").join("orders.ron")),
            ..Default::default()
        };
        Desk { dir, env }
    }
    fn out(&self) -> PathBuf {
        self.dir.path().join("order.txt")
    }
    /// `order --text` of `doc` valid `on`; (code, stderr, the file written or "").
    fn order(&self, doc: &Value, on: &str, extra: &[&str]) -> (u8, String, String) {
        let case = write_case(self.dir.path(), "case.json", doc);
        let out = self.out();
        let _ = std::fs::remove_file(&out);
        let out_s = out.to_string_lossy().into_owned();
        let mut args = vec![
            "order",
            case.as_str(),
            "--out",
            &out_s,
            "--text",
            "--on",
            on,
        ];
        args.extend_from_slice(extra);
        let (code, _, stderr) = cli_in(&self.env, &args);
        (
            code,
            stderr,
            std::fs::read_to_string(&out).unwrap_or_default(),
        )
    }
    fn ledger(&self) -> Value {
        let path = self.env.ledger.clone().unwrap_or_default();
        let ledger = ketaplan::store::ledger::read_ledger_file(&path).unwrap_or_default();
        serde_json::to_value(ledger).unwrap_or_default()
    }
}

#[test]
fn an_order_for_an_earlier_day_is_refused_and_names_the_copy() {
    let desk = Desk::new("2026-11-21");
    let (code, stderr, text) = desk.order(&standard(), ORDER_DATE, &[]);
    assert_eq!(code, 3, "{stderr}");
    assert!(text.is_empty() && !desk.out().exists());
    assert!(
        stderr.contains("before the print date 2026-11-21"),
        "{stderr}"
    );
    assert!(
        stderr.contains("A reprint of an earlier order is a COPY"),
        "{stderr}"
    );
    // The same day is fine; the day after, that order can be reprinted as a COPY only.
    let desk = Desk::new(ORDER_DATE);
    assert_eq!(desk.order(&standard(), ORDER_DATE, &[]).0, 0);
    let next_day = Desk {
        env: Environment {
            today: Some(day("2026-11-21")),
            ..desk.env.clone()
        },
        dir: tempdir(),
    };
    let (code, stderr, text) = next_day.order(&standard(), ORDER_DATE, &["--copy"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("*** COPY"));
    // …and only of an order the ledger knows.
    let mut other = standard();
    other["regimen"]["duration_h"] = json!(3);
    let (code, stderr, _) = next_day.order(&other, ORDER_DATE, &["--copy"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("is not in the order ledger"), "{stderr}");
}

#[test]
fn an_order_at_most_the_pack_days_ahead() {
    let ahead = protocol().pack.order.valid_for_max_days_ahead.value;
    assert_eq!(ahead, 30.0);
    let mut doc = standard();
    // Weighed on the print date, so that only the date ahead matters.
    doc["order"]["weighed_on"] = json!("2026-11-01");
    let desk = Desk::new("2026-11-01");
    let (code, stderr, _) = desk.order(&doc, "2026-12-01", &[]);
    assert_eq!(code, 0, "30 days ahead: {stderr}");
    let (code, stderr, _) = desk.order(&doc, "2026-12-02", &[]);
    assert_eq!(code, 3);
    assert!(
        stderr.contains("31 days after the print date 2026-11-01 (at most 30 days ahead"),
        "{stderr}"
    );
}

#[test]
fn the_weight_age_is_judged_on_the_order_date_not_the_print_date() {
    // Weighed 3 days before the print date, but 33 days before the date the order is for.
    let desk = Desk::new(ORDER_DATE);
    let (code, stderr, _) = desk.order(&standard(), "2026-12-20", &[]);
    assert_eq!(code, 3);
    assert!(stderr.contains("weigh the patient again"), "{stderr}");
    assert!(
        stderr.contains("before the order date 2026-12-20"),
        "{stderr}"
    );
}

#[test]
fn a_case_order_number_that_is_not_its_own_is_refused() {
    let desk = Desk::new(ORDER_DATE);
    let mut doc = standard();
    doc["order"]["order_number"] = json!("K-2026-0042");
    let (code, stderr, _) = desk.order(&doc, ORDER_DATE, &[]);
    assert_eq!(code, 3, "{stderr}");
    let own = derived_number(&standard());
    assert!(
        stderr.contains("order.order_number K-2026-0042 is not this order's number"),
        "{stderr}"
    );
    assert!(stderr.contains(&own), "{stderr}");
    doc["order"]["order_number"] = json!(own);
    let (code, stderr, text) = desk.order(&doc, ORDER_DATE, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains(&format!("Order number: {own}")));
}

#[test]
fn a_second_original_is_refused_a_copy_is_not_and_a_change_supersedes() {
    let desk = Desk::new(ORDER_DATE);
    let doc = standard();
    let number = derived_number(&doc);
    let (code, stderr, _) = desk.order(&doc, ORDER_DATE, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(desk.ledger()["printed"][0]["order_number"], json!(number));
    // Again without --copy: refused, nothing written.
    let (code, stderr, text) = desk.order(&doc, ORDER_DATE, &[]);
    assert_eq!(code, 3, "{stderr}");
    assert!(text.is_empty());
    assert!(
        stderr.contains(&format!(
            "order {number} was already printed as an original"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("--copy"), "{stderr}");
    // A PDF is an original too.
    let case = write_case(desk.dir.path(), "case.json", &doc);
    let pdf = desk.dir.path().join("order.pdf");
    let pdf_s = pdf.to_string_lossy().into_owned();
    let (code, _, _) = cli_in(
        &desk.env,
        &["order", &case, "--out", &pdf_s, "--on", ORDER_DATE],
    );
    assert_eq!(code, 3);
    assert!(!pdf.exists());
    // The reprint.
    let (code, stderr, text) = desk.order(&doc, ORDER_DATE, &["--copy"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        text.contains(&format!("*** COPY: a reprint of order {number}.")),
        "{text}"
    );
    assert_eq!(desk.ledger()["printed"].as_array().map(Vec::len), Some(1));
    // A changed order for the same patient and day names the one it replaces.
    let mut changed = doc.clone();
    changed["regimen"]["duration_h"] = json!(3);
    let (code, stderr, text) = desk.order(&changed, ORDER_DATE, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        text.contains(&format!("Supersedes order {number}")),
        "{text}"
    );
    assert_eq!(desk.ledger()["printed"][1]["supersedes"], json!(number));
}

#[test]
fn an_unreadable_ledger_refuses_the_order() {
    let desk = Desk::new(ORDER_DATE);
    let ledger = desk.env.ledger.clone().unwrap_or_default();
    if let Some(dir) = ledger.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(&ledger, "this is not a ledger");
    let (code, stderr, _) = desk.order(&standard(), ORDER_DATE, &[]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("the order ledger cannot be read"),
        "{stderr}"
    );
    assert!(!desk.out().exists());
    assert_eq!(
        std::fs::read_to_string(&ledger).ok().as_deref(),
        Some("this is not a ledger")
    );
}

#[test]
fn out_equal_to_the_case_file_is_refused_and_nothing_is_written() {
    let desk = Desk::new(ORDER_DATE);
    let case = write_case(desk.dir.path(), "case.json", &standard());
    let before = std::fs::read(&case).unwrap_or_default();
    let dotted = Path::new(&case)
        .parent()
        .map(|d| d.join(".").join("case.json").to_string_lossy().into_owned())
        .unwrap_or_default();
    for out in [case.as_str(), dotted.as_str()] {
        for flag in ["--out", "--handout"] {
            let other = desk.out().to_string_lossy().into_owned();
            let args: Vec<&str> = if flag == "--out" {
                vec!["order", &case, "--out", out, "--text", "--on", ORDER_DATE]
            } else {
                vec![
                    "order",
                    &case,
                    "--out",
                    &other,
                    "--handout",
                    out,
                    "--text",
                    "--on",
                    ORDER_DATE,
                ]
            };
            let (code, _, stderr) = cli_in(&desk.env, &args);
            assert_eq!(code, 2, "{flag} {out}: {stderr}");
            assert!(stderr.contains("is the case file itself"), "{stderr}");
            assert_eq!(std::fs::read(&case).unwrap_or_default(), before);
            assert!(!desk.out().exists());
        }
    }
    assert_eq!(desk.ledger()["printed"].as_array().map(Vec::len), Some(0));
}

#[test]
fn the_binary_takes_its_print_date_and_ledger_from_the_environment() {
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", &standard());
    let out = dir.path().join("o.txt");
    let ledger = dir.path().join("orders.ron");
    let run = |today: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ketaplan"))
            .args(["order", &case, "--out", &out.to_string_lossy(), "--text"])
            .env("KETAPLAN_TODAY", today)
            .env("KETAPLAN_LEDGER", &ledger)
            .output()
            .map(|o| {
                (
                    o.status.code(),
                    String::from_utf8_lossy(&o.stderr).into_owned(),
                )
            })
            .unwrap_or_else(|e| panic!("{e}"))
    };
    // Without --on the order is valid for the print date.
    let (code, stderr) = run(ORDER_DATE);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(ledger.exists());
    let (code, stderr) = run(ORDER_DATE);
    assert_eq!(code, Some(3), "{stderr}");
    let (code, stderr) = run("20-11-2026");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("KETAPLAN_TODAY"), "{stderr}");
}

#[test]
fn protocol_check_lists_the_new_institution_defaults() {
    let pack = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("protocols/asra-aapm-asa-2018.ron");
    let (code, stdout, stderr) = cli(&["protocol", "check", &pack.to_string_lossy(), "--defaults"]);
    assert_eq!(code, 0, "{stderr}");
    for field in [
        "order.valid_for_max_days_ahead",
        "input_limits.justification_max_chars",
        "input_limits.identifier_max_chars",
        "input_limits.allergies_max_chars",
    ] {
        assert!(
            stdout.contains(&format!("\"field\":\"{field}\"")),
            "{field}: {stdout}"
        );
    }
}
