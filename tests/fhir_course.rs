//! `ketaplan fhir course FILE.ketaplan` (step 14): per session given, a
//! MedicationAdministration of what the flowsheet says was given, and LOINC-coded
//! Observations of every charted vital sign and pain score (UCUM units, the clinic's time
//! with its offset, past midnight on the next day), the follow-up's pain before and after;
//! a charted value that is not a number is refused naming its session, row and column.
//! The course file `tests/courses/fhir-flowsheet.ketaplan` is written by the ignored
//! `write_fixture` below, and `.ci/run` validates its bundle with `fhir.resources`.

mod common;
#[path = "support/course.rs"]
mod support;

use common::fhir_resources;
use ketaplan::domain::case::{Course, FollowUp};
use ketaplan::domain::course::{BedsideRecord, CourseDocument, FlowsheetRow, Given};
use ketaplan::domain::units::Kilograms;
use ketaplan::store::course_store::save_course;
use ketaplan::store::fs::RealFs;
use serde_json::Value;
use std::path::Path;
use support::{course_with, date};

const FIXTURE: &str = "tests/courses/fhir-flowsheet.ketaplan";

fn row(time: &str, rate: &str, vitals: [&str; 5]) -> FlowsheetRow {
    let [bp, hr, rr, spo2, pain] = vitals;
    FlowsheetRow {
        time: time.into(),
        rate_mg_per_h: rate.into(),
        bp: bp.into(),
        hr: hr.into(),
        rr: rr.into(),
        spo2: spo2.into(),
        pain: pain.into(),
        sedation: "0".into(),
        initials: "RN".into(),
        ..FlowsheetRow::default()
    }
}

/// Three sessions: one charted from 09:30 to 13:30 with a bolus and a follow-up, what was
/// given recorded from its flowsheet (as "Record what was given" does); one started late in
/// the evening whose record runs past midnight; one still being charted (nothing recorded
/// as given yet).
fn flowsheet_course() -> CourseDocument {
    let mut doc = course_with(
        &[date("2026-10-01"), date("2026-11-05"), date("2026-12-01")],
        Course::Single,
    );
    let first = &mut doc.sessions[0];
    first.bedside = Some(BedsideRecord {
        rows: vec![
            row("09:30", "40", ["128/82", "76", "14", "98", "7"]),
            row("09:45", "40", ["132/84", "80", "14", "97%", ""]),
            row("10:00", "56", ["", "", "", "", ""]),
            row("13:30", "0", ["124/80", "72", "12", "99", "4"]),
        ],
        bolus_mg: "8".into(),
        bolus_at: "09:30".into(),
        adverse_effects: "mild dizziness".into(),
        ..BedsideRecord::default()
    });
    first.given = first.bedside.as_ref().and_then(|record| {
        let weight = Kilograms(first.ordered.dosing_weight_kg.unwrap_or(0.0));
        ketaplan::domain::flowsheet::given(record, weight).ok()
    });
    first.follow_up = Some(FollowUp {
        pain_before: Some(8.0),
        pain_after: Some(5.0),
        ..FollowUp::default()
    });
    let second = &mut doc.sessions[1];
    second.started_at = date("2026-11-05")
        .and_hms_opt(22, 30, 0)
        .unwrap_or_default();
    second.given = Some(Given {
        total_mg: 150.0,
        infusion_hours: 2.0,
        ..Given::default()
    });
    second.bedside = Some(BedsideRecord {
        rows: vec![
            row("22:30", "75", ["120/78", "70", "12", "98", "6"]),
            row("00:30", "0", ["118/76", "66", "12", "98", "3"]),
        ],
        ..BedsideRecord::default()
    });
    let third = &mut doc.sessions[2];
    third.started_at = date("2026-12-01").and_hms_opt(9, 0, 0).unwrap_or_default();
    third.bedside = Some(BedsideRecord {
        rows: vec![
            row("09:00", "40", ["126/80", "74", "14", "99", "6"]),
            row("09:15", "40", ["122/78", "78", "13", "98", "5"]),
        ],
        ..BedsideRecord::default()
    });
    doc
}

/// Writes the course file (run with `--ignored` after changing it on purpose).
#[test]
#[ignore]
fn write_fixture() {
    if let Err(e) = save_course(&RealFs, Path::new(FIXTURE), &flowsheet_course()) {
        panic!("{FIXTURE}: {e}");
    }
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ketaplan"))
        .args(args)
        .env("TZ", "Europe/Berlin")
        .output()
        .unwrap_or_else(|e| panic!("could not run ketaplan: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn bundle(file: &str) -> Value {
    let (code, out, err) = run(&["fhir", "course", file]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn observations<'a>(bundle: &'a Value, loinc: &str) -> Vec<&'a Value> {
    fhir_resources(bundle, "Observation")
        .into_iter()
        .filter(|o| o["code"]["coding"][0]["code"] == loinc)
        .collect()
}

#[test]
fn the_committed_fixture_is_the_one_the_test_builds() {
    let p = common::protocol();
    let committed = ketaplan::store::course_store::open_course(&RealFs, &p, Path::new(FIXTURE))
        .unwrap_or_else(|e| panic!("{FIXTURE}: {e}"));
    assert_eq!(committed, flowsheet_course(), "run write_fixture --ignored");
}

#[test]
fn each_session_given_is_a_medication_administration_of_what_the_flowsheet_adds_up_to() {
    let b = bundle(FIXTURE);
    assert_eq!(b["type"], "collection");
    assert_eq!(
        fhir_resources(&b, "Patient")[0]["identifier"][0]["value"],
        "000123"
    );
    // The third session is still being charted: no administration (its vitals go).
    let given = fhir_resources(&b, "MedicationAdministration");
    assert_eq!(given.len(), 2);
    // 8 mg bolus + 40 mg/h for 30 min + 56 mg/h for 3.5 h = 8 + 20 + 196.
    let first = given[0];
    assert_eq!(first["status"], "completed");
    assert_eq!(first["dosage"]["dose"]["value"], 224.0);
    assert_eq!(first["dosage"]["dose"]["code"], "mg");
    assert_eq!(
        first["dosage"]["dose"]["system"],
        "http://unitsofmeasure.org"
    );
    assert_eq!(
        first["effectivePeriod"]["start"],
        "2026-10-01T09:30:00+02:00"
    );
    assert_eq!(first["effectivePeriod"]["end"], "2026-10-01T13:30:00+02:00");
    assert!(
        first["note"]
            .to_string()
            .contains("Adverse effect: mild dizziness")
    );
    assert_eq!(
        first["dosage"]["text"],
        "224 mg given over 4 h (as charted on the bedside flowsheet)"
    );
    // The recorded total is what was given; the period runs past midnight.
    let second = given[1];
    assert_eq!(second["dosage"]["dose"]["value"], 150.0);
    assert_eq!(
        second["effectivePeriod"]["start"],
        "2026-11-05T22:30:00+01:00"
    );
    assert_eq!(
        second["effectivePeriod"]["end"],
        "2026-11-06T00:30:00+01:00"
    );
}

#[test]
fn every_charted_vital_sign_is_a_loinc_observation_in_ucum_units() {
    let b = bundle(FIXTURE);
    // Charted values (empty cells give none): 3, 2 and 2 per session; pain 2, 2 and 2
    // on the flowsheet and the follow-up's before and after.
    for (loinc, count, unit) in [
        ("8867-4", 7, "/min"),
        ("9279-1", 7, "/min"),
        ("59408-5", 7, "%"),
        ("72514-3", 6 + 2, "{score}"),
    ] {
        let found = observations(&b, loinc);
        assert_eq!(found.len(), count, "{loinc}");
        for o in &found {
            assert_eq!(o["code"]["coding"][0]["system"], "http://loinc.org");
            assert_eq!(o["valueQuantity"]["code"], unit, "{o}");
            assert_eq!(o["valueQuantity"]["system"], "http://unitsofmeasure.org");
            assert_eq!(o["status"], "final");
        }
    }
    let spo2: Vec<f64> = observations(&b, "59408-5")
        .iter()
        .filter_map(|o| o["valueQuantity"]["value"].as_f64())
        .collect();
    assert_eq!(
        spo2,
        [98.0, 97.0, 99.0, 98.0, 98.0, 99.0, 98.0],
        "\"97%\" is 97 %"
    );
    let bp = observations(&b, "85354-9");
    assert_eq!(bp.len(), 7);
    assert_eq!(bp[0]["component"][0]["code"]["coding"][0]["code"], "8480-6");
    assert_eq!(bp[0]["component"][0]["valueQuantity"]["value"], 128.0);
    assert_eq!(bp[0]["component"][1]["code"]["coding"][0]["code"], "8462-4");
    assert_eq!(bp[0]["component"][1]["valueQuantity"]["code"], "mm[Hg]");
    assert_eq!(bp[4]["effectiveDateTime"], "2026-11-06T00:30:00+01:00");
    assert_eq!(bp[6]["effectiveDateTime"], "2026-12-01T09:15:00+01:00");
    // The follow-up's pain before (at the start) and after (no time of its own).
    let pain = observations(&b, "72514-3");
    let notes: Vec<String> = pain.iter().map(|o| o["note"].to_string()).collect();
    let before = pain
        .iter()
        .zip(&notes)
        .find(|(_, n)| n.contains("Before the session"));
    let after = pain
        .iter()
        .zip(&notes)
        .find(|(_, n)| n.contains("After the session"));
    assert_eq!(
        before.map(|(o, _)| o["valueQuantity"]["value"].clone()),
        Some(8.0.into())
    );
    assert_eq!(
        after.map(|(o, _)| o["valueQuantity"]["value"].clone()),
        Some(5.0.into())
    );
    assert!(after.is_some_and(|(o, _)| o.get("effectiveDateTime").is_none()));
}

#[test]
fn two_rows_charted_at_the_same_minute_are_two_observations() {
    let mut doc = flowsheet_course();
    if let Some(record) = doc.sessions[2].bedside.as_mut() {
        record.rows[1].time = "09:00".into();
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("same-minute.ketaplan");
    if let Err(e) = save_course(&RealFs, &path, &doc) {
        panic!("{e}");
    }
    let b = bundle(&path.to_string_lossy());
    let urls: Vec<&str> = b["entry"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["fullUrl"].as_str()).collect())
        .unwrap_or_default();
    let unique: std::collections::BTreeSet<&str> = urls.iter().copied().collect();
    assert_eq!(unique.len(), urls.len(), "every entry has its own fullUrl");
    let at_nine = observations(&b, "8867-4")
        .into_iter()
        .filter(|o| o["effectiveDateTime"] == "2026-12-01T09:00:00+01:00")
        .count();
    assert_eq!(at_nine, 2);
}

#[test]
fn a_charted_value_that_is_not_a_number_is_refused_naming_the_cell() {
    let mut doc = flowsheet_course();
    if let Some(record) = doc.sessions[0].bedside.as_mut() {
        record.rows[1].hr = "irregular".into();
        record.rows[3].pain = "12".into();
        record.rows[3].bp = "124".into();
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bad.ketaplan");
    if let Err(e) = save_course(&RealFs, &path, &doc) {
        panic!("{e}");
    }
    let out = dir.path().join("bad.fhir.json");
    let (code, stdout, err) = run(&[
        "fhir",
        "course",
        &path.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(stdout.is_empty());
    assert!(!out.exists(), "nothing written");
    for says in [
        "Session 1 (2026-10-01), flowsheet row 09:45: HR \"irregular\" is not a number 0 or more",
        "flowsheet row 13:30: Pain \"12\" is not a number from 0 to 10",
        "flowsheet row 13:30: BP \"124\" is not SYSTOLIC/DIASTOLIC in mmHg",
    ] {
        assert!(err.contains(says), "{says}\n{err}");
    }
}
