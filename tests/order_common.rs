//! Shared helpers for the order-sheet tests (included with `#[path]`; also compiled on its
//! own as an empty test crate).
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use ketaplan::domain::case::{Case, case_from_value};
use ketaplan::domain::protocol::Protocol;
use ketaplan::domain::{Plan, plan};
use ketaplan::order::{OrderOptions, OrderSheet, Paper, Refusal};
use serde_json::{Value, json};
use std::path::PathBuf;

/// The order date every test uses.
pub const ORDER_DATE: &str = "2026-11-20";

pub fn order_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default()
}

/// A fixed print time, so output is deterministic.
pub fn printed_at() -> NaiveDateTime {
    order_date().and_hms_opt(8, 30, 0).unwrap_or_default()
}

pub fn options(paper: Paper, extra: Option<&str>) -> OrderOptions {
    OrderOptions {
        order_date: order_date(),
        printed_at: printed_at(),
        extra_justification: extra.map(str::to_string),
        paper,
        identity: None,
        signatures: Vec::new(),
    }
}

pub fn protocol() -> Protocol {
    match Protocol::built_in() {
        Ok(p) => p,
        Err(e) => panic!("built-in protocol invalid: {e}"),
    }
}

pub fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

/// The vignette whose file name starts with `prefix` (e.g. "p01-").
pub fn vignette(prefix: &str) -> Value {
    let entries = match std::fs::read_dir(cases_dir()) {
        Ok(e) => e,
        Err(e) => panic!("tests/cases unreadable: {e}"),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) && name.ends_with(".case.json") {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            return match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(e) => panic!("{name}: {e}"),
            };
        }
    }
    panic!("no vignette {prefix}");
}

/// Make a vignette printable: answer every unanswered screening question No, and add an
/// order block (identifiers consistent with the age on the order date, a weight taken 3
/// days before it) with every attestation given.
pub fn complete(doc: &mut Value) {
    let p = protocol();
    let case = to_case(&p, doc);
    let mut no: Vec<Value> = doc["screening_no"].as_array().cloned().unwrap_or_default();
    for d in p.screening_codes() {
        if !case.answered(&d.code) {
            no.push(json!(d.code));
        }
    }
    doc["screening_no"] = json!(no);
    let born = format!("{}-01-15", 2026 - i64::from(case.patient.age_years));
    doc["order"] = json!({
        "patient_name": "Jane Example",
        "mrn": "000123",
        "date_of_birth": born,
        "weighed_on": "2026-11-17",
        "allergies": "no known allergies",
        "prescriber": "Dr A. Example",
        "clinic": "Pain Clinic",
        "clinic_phone": "555 0100",
        "supervising_physician_name": "Dr A. Example",
        "administering_clinician_name": "R. Nurse RN",
        "airway_clinician_name": "Dr B. Airway",
        "attest": {
            "supervising_physician": true,
            "administering_clinician": true,
            "resuscitation_ready": true,
            "airway_clinician_available": true
        }
    });
}

/// The number an order for `doc` gets on ORDER_DATE (derived from its content).
pub fn derived_number(doc: &Value) -> String {
    let p = protocol();
    ketaplan::domain::order_identity::order_number(&p, &to_case(&p, doc), order_date())
}

pub fn to_case(p: &Protocol, doc: &Value) -> Case {
    match case_from_value(p, doc) {
        Ok(c) => c,
        Err(e) => panic!("case rejected: {e:?}"),
    }
}

pub fn build(doc: &Value, opts: &OrderOptions) -> (Plan, Result<OrderSheet, Vec<Refusal>>) {
    let p = protocol();
    let case = to_case(&p, doc);
    let pl = plan(&p, &case);
    let sheet = OrderSheet::build(&p, &case, &pl, opts);
    (pl, sheet)
}

pub fn sheet(doc: &Value, opts: &OrderOptions) -> (Plan, OrderSheet) {
    match build(doc, opts) {
        (pl, Ok(s)) => (pl, s),
        (_, Err(r)) => panic!("refused: {r:?}"),
    }
}

/// The standard vignette: p01 (standard tier, titration to 0.8 mg/kg/h), completed.
pub fn standard() -> Value {
    let mut doc = vignette("p01-");
    complete(&mut doc);
    doc
}

/// Monitored tier with two justifications and a ceiling: p24 (bolus 0.4 mg/kg, a soft
/// alert; concurrent sedatives) with an overactive thyroid (an [avoid] finding) and a 0.8 mg/kg/h ceiling.
pub fn monitored() -> Value {
    let mut doc = vignette("p24-");
    doc["screening"] = json!(["concurrent_sedatives", "hyperthyroidism"]);
    doc["regimen"]["max_infusion"] = json!({"value": 0.8, "unit": "mg/kg/h"});
    doc["justifications"] = json!({
        "bolus_above_guideline": "Two earlier sessions at 0.4 mg/kg were tolerated without sedation.",
        "hyperthyroidism": "Endocrinology reviewed: thyroid function normal on treatment on 2026-11-10."
    });
    complete(&mut doc);
    doc
}

/// Many pages: p34 turned into a 48-hour ICU infusion titrated from 0.2 to 2.5 mg/kg/h
/// (a soft ICU alert, justified with --justification), a 24-row titration table.
pub fn icu_multi_page() -> Value {
    let mut doc = vignette("p34-");
    doc["regimen"]["setting"] = json!("icu");
    doc["regimen"]["course"] = json!("continuous");
    doc["regimen"]["duration_h"] = json!(48);
    doc["regimen"]["concentration_mg_per_ml"] = json!(10);
    doc["regimen"]["bolus"] = json!({"value": 0.25, "unit": "mg/kg"});
    complete(&mut doc);
    doc
}

pub const ICU_JUSTIFICATION: &str =
    "Refractory CRPS in the ICU; ceiling agreed with the ICU consultant.";

/// Run the command line; returns (exit code, stdout, stderr).
/// Run the command line in-process, printing "today" on the (last) `--on` date (else ORDER_DATE)
/// with a fresh, empty order ledger of its own (never the real one).
pub fn cli(args: &[&str]) -> (u8, String, String) {
    let on = args
        .iter()
        .rposition(|a| *a == "--on")
        .and_then(|i| args.get(i + 1))
        .and_then(|d| ketaplan::domain::case::parse_date(d));
    let ledger_dir = tempdir();
    let env = ketaplan::cli::Environment {
        today: Some(on.unwrap_or_else(order_date)),
        ledger: Some(ledger_dir.path().join("orders.ron")),
        ..Default::default()
    };
    cli_in(&env, args)
}

/// Run the command line in-process in `env` (the print date and ledger a test chooses).
pub fn cli_in(env: &ketaplan::cli::Environment, args: &[&str]) -> (u8, String, String) {
    let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = ketaplan::cli::run_with(&args, env, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

pub fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temporary directory: {e}"),
    }
}

/// Write a case document into `dir` and return its path as a string.
pub fn write_case(dir: &std::path::Path, name: &str, doc: &Value) -> String {
    let path = dir.join(name);
    let text = serde_json::to_string_pretty(doc).unwrap_or_default();
    if let Err(e) = std::fs::write(&path, text) {
        panic!("cannot write {}: {e}", path.display());
    }
    path.to_string_lossy().into_owned()
}

/// Collapse runs of whitespace to single spaces.
pub fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The app as the Order page tests use it: the built-in pack, the order date and print time
/// above, and no print service (as under CI; the detection is tested in `order_export`).
pub fn order_app() -> ketaplan::ui::KetaplanApp {
    let mut app = ketaplan::ui::KetaplanApp::with_protocol(Ok(protocol()));
    app.set_today(order_date());
    app.set_print_time(printed_at());
    app.set_print_service(ketaplan::ui::order_export::PrintService::None);
    app
}
