//! `ketaplan course summary` on the v4 course files in `tests/courses/` (written by the
//! ignored `write_fixtures` below): re-exposure from the end of a 100-hour infusion, LFT
//! rises and urinary symptoms on record, 12 sessions and 3,000 mg, and an invalid LFT value.

use chrono::Duration;
use ketaplan::domain::case::{Course, Setting};
use ketaplan::domain::course::{BedsideRecord, CourseDocument, Given, LftResult};
use ketaplan::store::course_store::save_course;
use ketaplan::store::fs::RealFs;
use serde_json::Value;
use std::path::Path;

mod common;
#[path = "support/course.rs"]
mod support;

use support::{course_with, date};

const DIR: &str = "tests/courses";

fn prolonged() -> CourseDocument {
    let mut doc = course_with(&[date("2026-08-01")], Course::Single);
    let s = &mut doc.sessions[0];
    s.case.regimen.setting = Setting::Inpatient;
    s.case.regimen.duration_h = 100.0;
    s.given = Some(Given {
        total_mg: 1813.0,
        infusion_hours: 100.0,
        ..Given::default()
    });
    doc
}

fn lft_urinary() -> CourseDocument {
    let mut doc = course_with(&[date("2026-09-01"), date("2026-10-01")], Course::Series);
    doc.sessions[0].lft = vec![LftResult {
        alt: Some(20.0),
        alt_uln: Some(40.0),
        ast: Some(22.0),
        ast_uln: Some(35.0),
        ..LftResult::on(date("2026-08-30"))
    }];
    doc.sessions[1].lft = vec![LftResult {
        alt: Some(64.0),
        alt_uln: Some(40.0),
        ast: Some(30.0),
        ast_uln: Some(35.0),
        ..LftResult::on(date("2026-10-02"))
    }];
    doc.sessions[1].bedside = Some(BedsideRecord {
        adverse_effects: "Dysuria on day 2".into(),
        ..BedsideRecord::default()
    });
    doc
}

fn twelve() -> CourseDocument {
    let on = date("2026-11-26");
    let dates: Vec<_> = (1..=12).map(|i| on - Duration::days(i * 25)).collect();
    let mut doc = course_with(&dates, Course::Single);
    for s in &mut doc.sessions {
        s.given = Some(Given {
            total_mg: 250.0,
            infusion_hours: 4.0,
            ..Given::default()
        });
    }
    doc
}

fn invalid_lft() -> CourseDocument {
    let mut doc = lft_urinary();
    doc.sessions[1].lft[0].alt = Some(-5.0);
    doc
}

/// Writes the course files (run with `--ignored` after changing them on purpose).
#[test]
#[ignore]
fn write_fixtures() {
    if let Err(e) = std::fs::create_dir_all(DIR) {
        panic!("{DIR}: {e}");
    }
    for (name, doc) in [
        ("v4-prolonged-100h.ketaplan", prolonged()),
        ("v4-lft-raised-urinary.ketaplan", lft_urinary()),
        ("v4-twelve-sessions-3000mg.ketaplan", twelve()),
        ("v4-lft-invalid-value.ketaplan", invalid_lft()),
    ] {
        if let Err(e) = save_course(&RealFs, &Path::new(DIR).join(name), &doc) {
            panic!("{name}: {e}");
        }
    }
}

fn summary(file: &str, on: &str) -> Value {
    let path = Path::new(DIR).join(file);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ketaplan"))
        .args(["course", "summary"])
        .arg(&path)
        .args(["--on", on])
        .output()
        .unwrap_or_else(|e| panic!("could not run ketaplan: {e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn codes(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|x| x["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn reexposure_counts_from_the_end_of_a_100_hour_infusion() {
    // 2026-08-01 09:30 + 100 h = 2026-08-05; day 89 is 2026-11-02, day 90 2026-11-03.
    let day89 = summary("v4-prolonged-100h.ketaplan", "2026-11-02");
    let c = codes(&day89);
    assert!(
        c.contains(&"reexposure_within_90_days".to_string()),
        "{c:?}"
    );
    assert!(c.contains(&"lft_due".to_string()), "{c:?}");
    assert!(!c.contains(&"cumulative_dose_high".to_string()), "1,813 mg");
    let day90 = summary("v4-prolonged-100h.ketaplan", "2026-11-03");
    let c = codes(&day90);
    assert!(
        !c.contains(&"reexposure_within_90_days".to_string()),
        "{c:?}"
    );
    assert_eq!(day90["lft_raised_unresolved"], false);
}

#[test]
fn an_lft_rise_and_urinary_symptoms_are_on_record() {
    let json = summary("v4-lft-raised-urinary.ketaplan", "2026-11-26");
    let c = codes(&json);
    for code in ["lft_raised", "urinary_symptoms_on_record"] {
        assert!(c.contains(&code.to_string()), "{code}: {c:?}");
    }
    let f = json["findings"].as_array().cloned().unwrap_or_default();
    let lft = f.iter().find(|x| x["code"] == "lft_raised");
    assert!(lft.is_some_and(|x| x["severity"] == "caution" && x["title"].is_string()));
    assert_eq!(json["lft_raised_unresolved"], true);
    let rise = &json["lft_raised"][0];
    assert_eq!(rise["enzyme"], "alt");
    assert_eq!(rise["compared_with"], "baseline");
    assert_eq!(rise["value_u_per_l"], 64.0);
    assert_eq!(rise["reference_u_per_l"], 20.0);
    assert_eq!(rise["date"], "2026-10-02");
    assert_eq!(rise["session_id"], 2);
}

#[test]
fn twelve_sessions_and_3000_mg() {
    let json = summary("v4-twelve-sessions-3000mg.ketaplan", "2026-11-26");
    let c = codes(&json);
    assert_eq!(json["treatments_past_12_months"], 12);
    assert_eq!(json["cumulative_mg_12_months"], 3000.0);
    assert!(
        c.contains(&"annual_treatments_exceeded".to_string()),
        "{c:?}"
    );
    assert!(
        !c.contains(&"annual_treatments_high".to_string()),
        "never both"
    );
    assert!(c.contains(&"cumulative_dose_high".to_string()), "{c:?}");
    assert_eq!(json["repeat_supported"], false);
    // [avoid] is listed first.
    assert_eq!(json["findings"][0]["code"], "annual_treatments_exceeded");
}

#[test]
fn an_invalid_lft_value_is_refused_naming_the_field() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ketaplan"))
        .args(["course", "summary"])
        .arg(Path::new(DIR).join("v4-lft-invalid-value.ketaplan"))
        .output()
        .unwrap_or_else(|e| panic!("could not run ketaplan: {e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sessions[1].lft[0].alt"), "{err}");
    assert!(err.contains("more than 0"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn lft_values_outside_the_range_are_refused_when_opened() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let p = common::protocol();
    for (value, ok) in [
        (0.0, false),
        (49_999.0, true),
        (50_000.0, false),
        (f64::NAN, false),
    ] {
        let mut doc = lft_urinary();
        doc.sessions[0].lft[0].ast_uln = Some(value);
        let path = dir.path().join("c.ketaplan");
        if let Err(e) = save_course(&RealFs, &path, &doc) {
            panic!("{e}");
        }
        let opened = ketaplan::store::course_store::open_course(&RealFs, &p, &path);
        assert_eq!(opened.is_ok(), ok, "{value}");
        if let Err(e) = opened {
            assert!(e.message.contains("sessions[0].lft[0].ast_uln"), "{e}");
        }
    }
}
