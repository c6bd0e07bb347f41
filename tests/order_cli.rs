//! `ketaplan order`: exit codes 0/2/3/4, every refusal reason on stderr with nothing
//! written, and no partial file on a write failure.

#[path = "order_common.rs"]
mod common;

use common::*;
use serde_json::{Value, json};
use std::path::Path;

/// Run `order` on `doc` in a fresh directory; returns (code, stderr, whether FILE exists).
fn order(doc: &Value, extra_args: &[&str]) -> (u8, String, bool) {
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", doc);
    let out = dir.path().join("order.pdf");
    let out_s = out.to_string_lossy().into_owned();
    let mut args = vec![
        "order",
        case.as_str(),
        "--out",
        out_s.as_str(),
        "--on",
        ORDER_DATE,
    ];
    args.extend_from_slice(extra_args);
    let (code, stdout, stderr) = cli(&args);
    assert!(stdout.is_empty() || code == 2, "stdout: {stdout}");
    // Nothing but the case file (and the output when written) is left in the directory.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for n in &names {
        assert!(n == "case.json" || n == "order.pdf", "left behind: {n}");
    }
    (code, stderr, out.exists())
}

fn refused(doc: &Value, needles: &[&str]) -> String {
    let (code, stderr, written) = order(doc, &[]);
    assert_eq!(code, 3, "stderr: {stderr}");
    assert!(!written, "a refused order must not be written");
    for n in needles {
        assert!(stderr.contains(n), "stderr lacks {n:?}: {stderr}");
    }
    for line in stderr.lines() {
        assert!(line.starts_with("ketaplan: refused: "), "{line}");
    }
    stderr
}

#[test]
fn a_complete_case_is_written_as_pdf_and_as_text() {
    let (code, stderr, written) = order(&standard(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(written);
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", &standard());
    let out = dir.path().join("order.txt");
    let out_s = out.to_string_lossy().into_owned();
    let (code, _, _) = cli(&[
        "order", &case, "--out", &out_s, "--text", "--on", ORDER_DATE, "--paper", "letter",
    ]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(text.contains("KETAMINE INFUSION ORDER"));
    let pdf = dir.path().join("order.pdf");
    let pdf_s = pdf.to_string_lossy().into_owned();
    let (code, _, _) = cli(&["order", &case, "--out", &pdf_s, "--on", ORDER_DATE]);
    assert_eq!(code, 0);
    assert!(
        std::fs::read(&pdf)
            .unwrap_or_default()
            .starts_with(b"%PDF-")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&pdf).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600));
    }
}

#[test]
fn refused_when_proceed_is_no() {
    let mut doc = vignette("p09-"); // 2.1 mg/kg/h outpatient: hard infusion_requires_icu
    complete(&mut doc);
    refused(&doc, &["verdict is \"no\"", "infusion_requires_icu"]);
    let mut doc = vignette("p08-"); // high-risk coronary disease: [stop]
    complete(&mut doc);
    refused(&doc, &["[stop] high_risk_coronary_disease"]);
}

#[test]
fn refused_for_each_avoid_finding_or_soft_alert_without_a_reason() {
    let mut doc = monitored();
    doc["justifications"] = json!({});
    let err = refused(
        &doc,
        &[
            "[avoid] finding hyperthyroidism",
            "soft limit alert bolus_above_guideline",
        ],
    );
    assert_eq!(err.lines().count(), 2);
    // One reason in the case, the other missing: only the missing one is named.
    doc["justifications"] =
        json!({"hyperthyroidism": "Endocrinology reviewed; thyroid controlled."});
    let err = refused(&doc, &["bolus_above_guideline"]);
    assert!(!err.contains("hyperthyroidism"));
    // --justification supplies a reason for every code lacking one.
    let (code, _, written) = order(
        &doc,
        &[
            "--justification",
            "Benefit outweighs the risk after review.",
        ],
    );
    assert_eq!(code, 0);
    assert!(written);
    // ... but only one of the required length.
    let (code, stderr, written) = order(&doc, &["--justification", "ok"]);
    assert_eq!(code, 3);
    assert!(!written);
    assert!(stderr.contains("shorter than 20 characters"), "{stderr}");
}

#[test]
fn refused_when_a_screening_question_is_unanswered() {
    let mut doc = standard();
    let no: Vec<Value> = doc["screening_no"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c != "pregnancy" && c != "seizure_disorder")
        .collect();
    doc["screening_no"] = json!(no);
    refused(
        &doc,
        &[
            "Screening questions not answered",
            "pregnancy",
            "seizure_disorder",
        ],
    );
}

#[test]
fn refused_for_each_missing_order_field() {
    for field in [
        "patient_name",
        "mrn",
        "date_of_birth",
        "weighed_on",
        "allergies",
        "prescriber",
    ] {
        let mut doc = standard();
        if let Some(o) = doc["order"].as_object_mut() {
            o.remove(field);
        }
        let err = refused(&doc, &[&format!("The order block lacks {field}")]);
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // Blank text is missing too; allergies must be written out.
    let mut doc = standard();
    doc["order"]["allergies"] = json!("  ");
    refused(&doc, &["lacks allergies", "no known allergies"]);
    // Without any order block every field and attestation is named.
    let mut doc = standard();
    if let Some(o) = doc.as_object_mut() {
        o.remove("order");
    }
    let err = refused(
        &doc,
        &[
            "patient_name",
            "mrn",
            "date_of_birth",
            "weighed_on",
            "allergies",
            "prescriber",
            "supervising_physician",
        ],
    );
    assert!(err.lines().count() >= 9, "{err}");
}

#[test]
fn refused_for_each_missing_or_false_attestation() {
    for name in [
        "supervising_physician",
        "administering_clinician",
        "resuscitation_ready",
    ] {
        let mut doc = standard();
        doc["order"]["attest"][name] = json!(false);
        refused(&doc, &[&format!("order.attest.{name} is false")]);
        if let Some(a) = doc["order"]["attest"].as_object_mut() {
            a.remove(name);
        }
        refused(&doc, &[&format!("order.attest.{name} is missing")]);
    }
    // The airway clinician is needed at the monitored tier, not at the standard one.
    let mut doc = standard();
    doc["order"]["attest"]["airway_clinician_available"] = json!(false);
    let (code, _, _) = order(&doc, &[]);
    assert_eq!(code, 0);
    let mut doc = monitored();
    doc["order"]["attest"]["airway_clinician_available"] = json!(false);
    refused(&doc, &["order.attest.airway_clinician_available is false"]);
}

#[test]
fn refused_when_the_weight_is_too_old_or_the_date_of_birth_disagrees() {
    // 30 days old is still fine; 31 days is refused (the pack's weight_max_age_days).
    let max_days = protocol().pack.order.weight_max_age_days.value as i64;
    let date = |days_before: i64| {
        (order_date() - chrono::Duration::days(days_before))
            .format("%Y-%m-%d")
            .to_string()
    };
    let mut doc = standard();
    doc["order"]["weighed_on"] = json!(date(max_days));
    assert_eq!(order(&doc, &[]).0, 0);
    doc["order"]["weighed_on"] = json!(date(max_days + 1));
    refused(&doc, &["weight was taken on", "weigh the patient again"]);
    doc["order"]["weighed_on"] = json!(date(-1));
    refused(&doc, &["after the order date"]);
    // The order date comes from --on: the same case is fine on an earlier date.
    let mut doc = standard();
    doc["order"]["weighed_on"] = json!("2026-10-01");
    assert_eq!(order(&doc, &[]).0, 3, "50 days old on {ORDER_DATE}");
    // (order() passes --on ORDER_DATE first; the later --on is the one used.)
    assert_eq!(order(&doc, &["--on", "2026-10-15"]).0, 0, "14 days old");

    // age_years 54 with a birthday one day after the order date gives 53.
    let mut doc = standard();
    let age = doc["patient"]["age_years"].as_i64().unwrap_or(0);
    doc["order"]["date_of_birth"] = json!(format!("{}-11-21", 2026 - age));
    refused(&doc, &["date of birth", "patient.age_years is 54"]);
    doc["order"]["date_of_birth"] = json!(format!("{}-11-20", 2026 - age));
    assert_eq!(order(&doc, &[]).0, 0);
}

#[test]
fn every_reason_is_reported_at_once() {
    let mut doc = monitored();
    doc["justifications"] = json!({});
    doc["screening_no"] = json!([]);
    doc["order"]["mrn"] = json!("");
    doc["order"]["attest"]["resuscitation_ready"] = json!(false);
    doc["order"]["weighed_on"] = json!("2026-01-01");
    let err = refused(
        &doc,
        &[
            "hyperthyroidism",
            "bolus_above_guideline",
            "Screening questions not answered",
            "lacks mrn",
            "resuscitation_ready is false",
            "weight was taken on 2026-01-01",
        ],
    );
    assert!(err.lines().count() >= 6);
}

#[test]
fn a_write_failure_exits_4_and_leaves_no_file() {
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", &standard());
    let (code, _, stderr) = cli(&[
        "order",
        &case,
        "--out",
        "/nonexistent-dir/x.pdf",
        "--on",
        ORDER_DATE,
    ]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("could not write"));
    assert!(!Path::new("/nonexistent-dir/x.pdf").exists());
    // A directory as the target: the write fails and the directory is untouched.
    let target = dir.path().join("out");
    assert!(std::fs::create_dir(&target).is_ok());
    let target_s = target.to_string_lossy().into_owned();
    let (code, _, _) = cli(&[
        "order", &case, "--out", &target_s, "--text", "--on", ORDER_DATE,
    ]);
    assert_eq!(code, 4);
    assert!(target.is_dir());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .map(|d| d.flatten().count())
        .into_iter()
        .collect();
    assert_eq!(left, vec![2], "only the case and the directory remain");
}

#[test]
fn input_errors_exit_2_like_plan() {
    let dir = tempdir();
    let out = dir.path().join("x.pdf");
    let out_s = out.to_string_lossy().into_owned();
    // A case that does not validate: the same rejected JSON as `plan`.
    let mut doc = standard();
    doc["regimen"]["bolous"] = json!(1);
    let case = write_case(dir.path(), "bad.json", &doc);
    let (code, stdout, stderr) = cli(&["order", &case, "--out", &out_s, "--on", ORDER_DATE]);
    let (plan_code, plan_stdout, _) = cli(&["plan", &case]);
    assert_eq!((code, plan_code), (2, 2));
    assert_eq!(stdout, plan_stdout);
    assert!(stdout.contains("\"status\":\"rejected\"") && stderr.contains("regimen.bolous"));
    assert!(!out.exists());
    // A missing file.
    let missing = dir
        .path()
        .join("missing.json")
        .to_string_lossy()
        .into_owned();
    assert_eq!(cli(&["order", &missing, "--out", &out_s]).0, 2);
    // Bad options.
    let case = write_case(dir.path(), "good.json", &standard());
    assert_eq!(cli(&["order", &case]).0, 2, "--out is required");
    assert_eq!(
        cli(&["order", &case, "--out", &out_s, "--on", "20-11-2026"]).0,
        2
    );
    assert_eq!(
        cli(&["order", &case, "--out", &out_s, "--paper", "a5"]).0,
        2
    );
    assert_eq!(
        cli(&["plan", &case, "--out", &out_s]).0,
        2,
        "--out belongs to order"
    );
    assert!(!out.exists());
}
