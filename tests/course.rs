//! Treatment course: the 365-day window, yearly counts, durability, re-exposure, findings,
//! round trips, saves that survive a failure at every step, and damaged files.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use ketaplan::domain::case::{Course, FollowUp};
use ketaplan::domain::course::{Given, course_to_ron, summarize};
use ketaplan::domain::plan;
use ketaplan::domain::response::Classification;
use ketaplan::store::course_store::{autosave_course, autosave_path, open_course, save_course};
use ketaplan::store::fs::{FileSystem, RealFs};
use std::cell::Cell;
use std::io;
use std::path::Path;

mod common;
#[path = "support/course.rs"]
mod support;

use common::protocol;
use support::{base_case, course_with, date};

fn at(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(9, 30, 0).unwrap_or_default()
}

#[test]
fn the_window_counts_364_days_back_but_not_365() {
    let p = protocol();
    let on = date("2026-11-26");
    let doc = course_with(
        &[on - Duration::days(364), on - Duration::days(365)],
        Course::Single,
    );
    assert_eq!(summarize(&p, &doc, on).treatments_past_12_months, 1);
    let doc = course_with(&[on], Course::Single);
    assert_eq!(summarize(&p, &doc, on).treatments_past_12_months, 1);
    // A session after the planned date is not "before" it.
    let doc = course_with(&[on + Duration::days(1)], Course::Single);
    assert_eq!(summarize(&p, &doc, on).treatments_past_12_months, 0);
}

#[test]
fn the_count_feeds_the_annual_rule_at_6_7_12_13() {
    let p = protocol();
    let on = date("2026-11-26");
    for (earlier, high, exceeded) in [
        (5, false, false),
        (6, true, false),
        (11, true, false),
        (12, false, true),
    ] {
        let dates: Vec<NaiveDate> = (1..=earlier).map(|i| on - Duration::days(i * 20)).collect();
        let doc = course_with(&dates, Course::Single);
        let summary = summarize(&p, &doc, on);
        assert_eq!(summary.treatments_past_12_months, earlier as u32);
        let mut case = base_case();
        case.history.treatments_past_12_months = summary.treatments_past_12_months;
        let planned = plan(&p, &case);
        assert_eq!(
            planned.finding("annual_treatments_high").is_some(),
            high,
            "{earlier}"
        );
        assert_eq!(
            planned.finding("annual_treatments_exceeded").is_some(),
            exceeded,
            "{earlier}"
        );
    }
}

#[test]
fn cumulative_dose_uses_what_was_given_or_else_the_order() {
    let p = protocol();
    let on = date("2026-11-26");
    let mut doc = course_with(
        &[on - Duration::days(10), on - Duration::days(40)],
        Course::Single,
    );
    let ordered_total = doc.sessions[0].ordered.total_mg;
    doc.sessions[1].given = Some(Given {
        total_mg: 150.0,
        infusion_hours: 3.5,
        ..Default::default()
    });
    let s = summarize(&p, &doc, on);
    assert!((s.cumulative_mg_12_months - (ordered_total + 150.0)).abs() < 1e-9);
    assert!((s.infusion_hours_12_months - (4.0 + 3.5)).abs() < 1e-9);
}

#[test]
fn reexposure_at_89_90_91_days_after_a_series() {
    let p = protocol();
    let on = date("2026-11-26");
    // V4-05: less than 90 days after the end (the 4-hour session ends the day it starts).
    for (days, expected) in [(89, true), (90, false), (91, false)] {
        let doc = course_with(&[on - Duration::days(days)], Course::Series);
        let s = summarize(&p, &doc, on);
        assert_eq!(
            s.findings
                .iter()
                .any(|f| f.code == "reexposure_within_90_days"),
            expected,
            "{days} days"
        );
    }
    // A single session is not a re-exposure risk.
    let doc = course_with(&[on - Duration::days(30)], Course::Single);
    assert!(
        summarize(&p, &doc, on)
            .findings
            .iter()
            .all(|f| f.code != "reexposure_within_90_days")
    );
}

#[test]
fn response_and_durability_of_the_last_session() {
    let p = protocol();
    let on = date("2026-11-26");
    let mut doc = course_with(&[on - Duration::days(40)], Course::Single);
    doc.sessions[0].follow_up = Some(FollowUp {
        pain_before: Some(8.0),
        pain_after: Some(4.0),
        satisfied: Some(true),
        weeks_of_relief: Some(5.0),
        ..Default::default()
    });
    let s = summarize(&p, &doc, on);
    let r = s.last_response.clone();
    assert_eq!(
        r.as_ref().map(|r| r.classification),
        Some(Classification::Positive)
    );
    assert_eq!(r.as_ref().and_then(|r| r.durable), Some(true));
    assert!(s.repeat_supported);
    // Exactly 3 weeks after a single outpatient session is not durable.
    if let Some(f) = doc.sessions[0].follow_up.as_mut() {
        f.weeks_of_relief = Some(3.0);
    }
    let s = summarize(&p, &doc, on);
    assert_eq!(s.last_response.and_then(|r| r.durable), Some(false));
    assert!(!s.repeat_supported);
}

#[test]
fn follow_up_missing_once_it_is_due() {
    let p = protocol();
    let on = date("2026-11-26");
    let due = |days: i64| {
        let doc = course_with(&[on - Duration::days(days)], Course::Single);
        summarize(&p, &doc, on)
            .findings
            .iter()
            .any(|f| f.code == "follow_up_missing")
    };
    assert!(!due(20));
    assert!(due(21));
}

#[test]
fn lft_due_after_a_series_at_1_mg_per_kg_per_h() {
    let p = protocol();
    let on = date("2026-11-26");
    let mut doc = course_with(&[on - Duration::days(100)], Course::Series);
    assert!(
        summarize(&p, &doc, on)
            .findings
            .iter()
            .all(|f| f.code != "lft_due")
    );
    doc.sessions[0].case.regimen.max_infusion = Some(ketaplan::domain::case::RateEntry {
        value: 1.0,
        unit: ketaplan::domain::case::RateUnit::MgPerKgPerHour,
    });
    assert!(
        summarize(&p, &doc, on)
            .findings
            .iter()
            .any(|f| f.code == "lft_due")
    );
}

#[test]
fn a_course_round_trips_through_its_file() {
    let p = protocol();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let path = dir.path().join("jane.ketaplan");
    let mut doc = course_with(&[date("2026-10-01"), date("2026-11-01")], Course::Series);
    doc.sessions[0].given = Some(Given {
        total_mg: 120.5,
        infusion_hours: 4.0,
        ..Default::default()
    });
    let fs = RealFs;
    let saved = save_course(&fs, &path, &doc);
    assert!(saved.is_ok(), "{saved:?}");
    let back = open_course(&fs, &p, &path);
    assert_eq!(back.as_ref().ok(), Some(&doc));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .map(|m| m.permissions().mode() & 0o777)
            .ok();
        assert_eq!(mode, Some(0o600));
    }
    // A second save keeps the first as a backup.
    doc.identity.patient_name = "Jane Q. Example".into();
    assert!(save_course(&fs, &path, &doc).is_ok());
    let bak = std::fs::read_to_string(dir.path().join("jane.ketaplan.bak")).unwrap_or_default();
    assert!(bak.contains("\"Jane Example\""));
    assert!(autosave_course(&fs, &path, &doc).is_ok());
    assert!(autosave_path(&path).exists());
}

/// Fails the n-th call of one operation; everything else goes to the real file system.
struct FailingFs {
    op: &'static str,
    fail_on_call: usize,
    calls: Cell<usize>,
}

impl FailingFs {
    fn check(&self, op: &str) -> io::Result<()> {
        if op == self.op {
            let n = self.calls.get() + 1;
            self.calls.set(n);
            if n == self.fail_on_call {
                return Err(io::Error::other(format!("injected {op} failure")));
            }
        }
        Ok(())
    }
}

impl FileSystem for FailingFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.check("read")?;
        RealFs.read(path)
    }
    fn exists(&self, path: &Path) -> bool {
        RealFs.exists(path)
    }
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        self.check("write")?;
        // A failed write may leave a partial file behind, as a full disk would.
        RealFs.write_new(path, &bytes[..bytes.len() / 2])?;
        Ok(())
    }
    fn fsync(&self, path: &Path) -> io::Result<()> {
        self.check("fsync")?;
        RealFs.fsync(path)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.check("rename")?;
        RealFs.rename(from, to)
    }
    fn remove(&self, path: &Path) -> io::Result<()> {
        RealFs.remove(path)
    }
}

#[test]
fn a_failure_at_any_save_step_leaves_the_old_file_intact() {
    let p = protocol();
    for (op, nth) in [
        ("write", 1),
        ("write", 2),
        ("fsync", 1),
        ("fsync", 2),
        ("rename", 1),
        ("rename", 2),
        ("read", 1),
    ] {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let path = dir.path().join("course.ketaplan");
        let old = course_with(&[date("2026-10-01")], Course::Single);
        assert!(save_course(&RealFs, &path, &old).is_ok());
        let before = std::fs::read(&path).unwrap_or_default();
        let mut new = old.clone();
        new.identity.patient_name = "Changed".into();
        let fs = FailingFs {
            op,
            fail_on_call: nth,
            calls: Cell::new(0),
        };
        let result = save_course(&fs, &path, &new);
        let after = std::fs::read(&path).unwrap_or_default();
        if result.is_err() {
            assert_eq!(before, after, "{op} #{nth}: the old file changed");
            assert_eq!(open_course(&RealFs, &p, &path).ok(), Some(old.clone()));
        } else {
            // The injected step was not reached (e.g. a second rename): the save is whole.
            assert_eq!(open_course(&RealFs, &p, &path).ok(), Some(new));
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            leftovers.iter().all(|n| !n.ends_with(".tmp")),
            "{op}: temp left: {leftovers:?}"
        );
    }
}

#[test]
fn damaged_files_are_reported_and_never_changed() {
    let p = protocol();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let good =
        course_to_ron(&course_with(&[date("2026-10-01")], Course::Single)).unwrap_or_default();
    let truncated = good[..good.len() / 2].to_string();
    let newer = good.replace("ketaplan.course/1", "ketaplan.course/2");
    let cases: Vec<(&str, Vec<u8>, bool)> = vec![
        ("empty", Vec::new(), false),
        ("truncated", truncated.into_bytes(), true),
        ("random", vec![0x00, 0xff, 0x13, 0x37, 0x80, 0x7f], false),
        (
            "corrupted",
            good.replacen("sessions", "sess!ons", 1).into_bytes(),
            true,
        ),
        ("newer", newer.into_bytes(), false),
    ];
    for (name, bytes, wants_position) in cases {
        let path = dir.path().join(format!("{name}.ketaplan"));
        if let Err(e) = std::fs::write(&path, &bytes) {
            panic!("write: {e}");
        }
        let result = open_course(&RealFs, &p, &path);
        let Err(e) = result else {
            panic!("{name}: damaged file opened")
        };
        assert!(
            e.to_string().contains(&*path.to_string_lossy()),
            "{name}: {e}"
        );
        if wants_position {
            let has_position = e.message.split(|c: char| !(c.is_ascii_digit() || c == ':')).any(|t| {
                let mut parts = t.split(':');
                matches!((parts.next(), parts.next()), (Some(a), Some(b)) if !a.is_empty() && !b.is_empty())
            });
            assert!(has_position, "{name}: no line:column in {e}");
        }
        if name == "newer" {
            assert!(e.message.contains("ketaplan.course/2"), "{e}");
        }
        assert_eq!(
            std::fs::read(&path).unwrap_or_default(),
            bytes,
            "{name}: file changed"
        );
    }
}

#[test]
fn changing_a_saved_session_appends_to_the_audit_trail() {
    let mut doc = course_with(&[date("2026-10-01")], Course::Single);
    let mut changed = doc.sessions[0].clone();
    changed.given = Some(Given {
        total_mg: 99.0,
        infusion_hours: 3.0,
        ..Default::default()
    });
    let now = at(date("2026-10-02"));
    assert!(doc.update_session(changed, now, Some("nina")));
    assert!(!doc.audit.is_empty());
    assert!(
        doc.audit
            .iter()
            .all(|a| a.at == now && a.session_id == doc.sessions[0].id)
    );
    // Each entry names who changed it, and the file keeps the name.
    assert!(doc.audit.iter().all(|a| a.by.as_deref() == Some("nina")));
    let text = serde_json::to_string(&doc).unwrap_or_default();
    let back: ketaplan::domain::course::CourseDocument =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.audit, doc.audit);
    assert!(
        doc.audit
            .iter()
            .any(|a| a.field == "given" && a.old == "null")
    );
    let mut missing = doc.sessions[0].clone();
    missing.id = 99;
    assert!(!doc.update_session(missing, now, None));
}

#[test]
fn course_summary_command() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let path = dir.path().join("c.ketaplan");
    let doc = course_with(&[date("2026-10-01"), date("2026-11-01")], Course::Series);
    assert!(save_course(&RealFs, &path, &doc).is_ok());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ketaplan"))
            .args(args)
            .output()
    };
    let Ok(out) = run(&[
        "course",
        "summary",
        &path.to_string_lossy(),
        "--on",
        "2026-11-26",
    ]) else {
        panic!("could not run ketaplan")
    };
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(json["schema"], "ketaplan.course-summary/1");
    assert_eq!(json["treatments_past_12_months"], 2);
    assert!(
        json["cumulative_mg_12_months"]
            .as_f64()
            .is_some_and(|m| m > 0.0)
    );
    assert!(
        json["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|x| x["code"] == "reexposure_within_90_days"))
    );
    if let Err(e) = std::fs::write(&path, b"(schema: \"ketaplan.course/1\", identity: (") {
        panic!("write: {e}");
    }
    let Ok(out) = run(&["course", "summary", &path.to_string_lossy()]) else {
        panic!("run")
    };
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(':'));
}

#[test]
fn the_monitoring_chart_prints_the_flowsheet() {
    use ketaplan::domain::course::{BedsideRecord, FlowsheetRow, RescueGiven};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let path = dir.path().join("c.ketaplan");
    let mut doc = course_with(&[date("2026-11-20")], Course::Single);
    let row = |time: &str, rate: &str, spo2: &str| FlowsheetRow {
        time: time.into(),
        rate_mg_per_h: rate.into(),
        bp: "128/76".into(),
        hr: "82".into(),
        rr: "14".into(),
        spo2: spo2.into(),
        sedation: "0".into(),
        pain: "5".into(),
        initials: "RN".into(),
        note: String::new(),
    };
    doc.sessions[0].bedside = Some(BedsideRecord {
        rows: vec![row("09:30", "39.9", "98"), row("09:45", "47.9", "97")],
        rescue: vec![RescueGiven {
            at: "09:50".into(),
            drug: "ondansetron".into(),
            dose: "4 mg IV".into(),
        }],
        adverse_effects: "nausea".into(),
        bolus_mg: "8".into(),
        bolus_at: "09:25".into(),
    });
    assert!(save_course(&RealFs, &path, &doc).is_ok());
    let back = open_course(&RealFs, &protocol(), &path);
    assert_eq!(
        back.ok().and_then(|d| d.sessions[0].bedside.clone()),
        doc.sessions[0].bedside.clone()
    );
    let id = doc.sessions[0].id.to_string();
    let run = |out: &Path, text: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ketaplan"));
        cmd.args(["course", "chart"])
            .arg(&path)
            .args(["--session", &id, "--out"])
            .arg(out);
        if text {
            cmd.arg("--text");
        }
        cmd.output().unwrap_or_else(|e| panic!("{e}"))
    };
    let text_out = dir.path().join("chart.txt");
    let out = run(&text_out, true);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&text_out).unwrap_or_default();
    for want in [
        "Jane Example",
        "000123",
        "09:45",
        "47.9",
        "128/76",
        "ondansetron",
        "nausea",
        "Administering nurse",
    ] {
        assert!(
            text.contains(want),
            "{want} missing from the chart:\n{text}"
        );
    }
    let pdf_out = dir.path().join("chart.pdf");
    let out = run(&pdf_out, false);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read(&pdf_out)
            .unwrap_or_default()
            .starts_with(b"%PDF")
    );
    // For looking at it: KETAPLAN_KEEP_CHART=/tmp/chart.pdf cargo test --test course chart
    if let Some(keep) = std::env::var_os("KETAPLAN_KEEP_CHART") {
        let _ = std::fs::copy(&pdf_out, keep);
    }
    // An unknown session is refused and writes nothing.
    let missing = dir.path().join("none.pdf");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ketaplan"))
        .args(["course", "chart"])
        .arg(&path)
        .args(["--session", "99", "--out"])
        .arg(&missing)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(!missing.exists());
}
