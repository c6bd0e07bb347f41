//! Course rules of clinical rules v4 at their boundaries: prolonged or high-dose exposure
//! and re-exposure counted from its end (V4-05, V4-06), urinary symptoms on record (V4-08),
//! cumulative dose (V4-16), the yearly count (V4-17) and LFT results (V4-18).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use ketaplan::domain::case::{Course, FollowUp, RateEntry, RateUnit, Setting};
use ketaplan::domain::course::{
    BedsideRecord, CourseDocument, CourseSummary, Given, LftResult, RateChange, exposure_end,
    is_high_dose_or_prolonged, next_visit_case, summarize,
};
use ketaplan::domain::plan;

mod common;
#[path = "support/course.rs"]
mod support;

use common::protocol;
use support::{course_with, date, session};

fn codes(s: &CourseSummary) -> Vec<&str> {
    s.findings.iter().map(|f| f.code.as_str()).collect()
}

fn has(s: &CourseSummary, code: &str) -> bool {
    s.findings.iter().any(|f| f.code == code)
}

fn at(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_hms_opt(h, m, 0).unwrap_or_default()
}

fn given(total_mg: f64, hours: f64) -> Option<Given> {
    Some(Given {
        total_mg,
        infusion_hours: hours,
        ..Given::default()
    })
}

#[test]
fn exactly_24_hours_is_not_prolonged_a_moment_more_is() {
    let p = protocol();
    let start = date("2026-09-01");
    let on = start + Duration::days(30);
    for (hours, expected) in [(24.0, false), (24.0000001, true)] {
        let mut doc = course_with(&[start], Course::Single);
        doc.sessions[0].case.regimen.setting = Setting::Inpatient;
        doc.sessions[0].given = given(200.0, hours);
        assert_eq!(
            is_high_dose_or_prolonged(&p, &doc.sessions[0]),
            expected,
            "{hours} h"
        );
        let s = summarize(&p, &doc, on);
        assert_eq!(has(&s, "reexposure_within_90_days"), expected, "{hours} h");
        // V4-06: lft_due whenever the re-exposure finding fires.
        assert_eq!(has(&s, "lft_due"), expected, "{hours} h");
    }
}

#[test]
fn without_a_record_the_ordered_duration_is_the_exposure() {
    let p = protocol();
    let mut doc = course_with(&[date("2026-09-01")], Course::Single);
    doc.sessions[0].case.regimen.setting = Setting::Inpatient;
    doc.sessions[0].case.regimen.duration_h = 30.0;
    assert!(is_high_dose_or_prolonged(&p, &doc.sessions[0]));
    assert_eq!(
        exposure_end(&doc.sessions[0]),
        at(date("2026-09-02"), 15, 30),
        "09:30 + 30 h"
    );
    // A record of what was given wins over the order.
    doc.sessions[0].given = given(200.0, 6.0);
    assert!(!is_high_dose_or_prolonged(&p, &doc.sessions[0]));
}

#[test]
fn reexposure_is_counted_from_the_end_day_89_fires_day_90_does_not() {
    let p = protocol();
    // 100 hours from 2026-08-01 09:30 ends 2026-08-05 13:30.
    let mut doc = course_with(&[date("2026-08-01")], Course::Continuous);
    doc.sessions[0].case.regimen.setting = Setting::Inpatient;
    doc.sessions[0].given = given(1813.0, 100.0);
    let end = date("2026-08-05");
    assert_eq!(exposure_end(&doc.sessions[0]).date(), end);
    for (days, expected) in [(89, true), (90, false)] {
        let s = summarize(&p, &doc, end + Duration::days(days));
        assert_eq!(has(&s, "reexposure_within_90_days"), expected, "day {days}");
        // The last session was a continuous infusion: LFTs are due either way (TEST-03).
        assert!(has(&s, "lft_due"), "day {days}");
    }
    // 92 days after the start is still within 90 days of the end.
    let s = summarize(&p, &doc, date("2026-08-01") + Duration::days(92));
    assert!(has(&s, "reexposure_within_90_days"));
}

#[test]
fn a_rate_or_ceiling_of_1_mg_per_kg_per_h_is_a_high_dose() {
    let p = protocol();
    let on = date("2026-10-15");
    let mut doc = course_with(&[date("2026-10-01")], Course::Single);
    // p01: 0.5 mg/kg/h up to 0.8 mg/kg/h, 4 hours, single outpatient.
    assert!(!is_high_dose_or_prolonged(&p, &doc.sessions[0]));
    assert!(!has(&summarize(&p, &doc, on), "reexposure_within_90_days"));
    for ceiling in [0.99, 1.0] {
        doc.sessions[0].case.regimen.max_infusion = Some(RateEntry {
            value: ceiling,
            unit: RateUnit::MgPerKgPerHour,
        });
        let s = summarize(&p, &doc, on);
        assert_eq!(
            has(&s, "reexposure_within_90_days"),
            ceiling >= 1.0,
            "{ceiling}"
        );
    }
    // A rate charted as given counts too.
    let mut doc = course_with(&[date("2026-10-01")], Course::Single);
    doc.sessions[0].given = Some(Given {
        total_mg: 300.0,
        infusion_hours: 4.0,
        rate_changes: vec![RateChange {
            at: "11:00".into(),
            mg_per_kg_per_h: 1.0,
            reason: "pain".into(),
        }],
        ..Given::default()
    });
    assert!(has(&summarize(&p, &doc, on), "reexposure_within_90_days"));
}

#[test]
fn urinary_symptoms_on_record_from_screening_or_adverse_effects() {
    let p = protocol();
    let on = date("2026-11-26");
    let fresh = || course_with(&[date("2026-10-01")], Course::Single);
    assert!(!has(
        &summarize(&p, &fresh(), on),
        "urinary_symptoms_on_record"
    ));

    let mut doc = fresh();
    let case = &mut doc.sessions[0].case;
    case.screening_no.retain(|c| c != "urinary_symptoms");
    case.screening.push("urinary_symptoms".into());
    assert!(has(&summarize(&p, &doc, on), "urinary_symptoms_on_record"));

    let mut doc = fresh();
    doc.sessions[0].given = Some(Given {
        total_mg: 150.0,
        infusion_hours: 4.0,
        adverse_effects: vec!["nausea".into(), "Dysuria the next day".into()],
        ..Given::default()
    });
    assert!(has(&summarize(&p, &doc, on), "urinary_symptoms_on_record"));

    for (text, expected) in [
        ("No urinary symptoms; mild nausea", false),
        ("Cystitis suspected, urine sent", true),
    ] {
        let mut doc = fresh();
        doc.sessions[0].bedside = Some(BedsideRecord {
            adverse_effects: text.into(),
            ..BedsideRecord::default()
        });
        let s = summarize(&p, &doc, on);
        assert_eq!(has(&s, "urinary_symptoms_on_record"), expected, "{text}");
        if expected {
            let f = s
                .findings
                .iter()
                .find(|f| f.code == "urinary_symptoms_on_record");
            assert_eq!(f.map(|f| f.severity.as_str()), Some("caution"));
        }
    }
}

#[test]
fn cumulative_dose_prompts_at_3000_mg_not_just_below() {
    let p = protocol();
    let on = date("2026-11-26");
    for (second, expected) in [(1499.999, false), (1500.0, true)] {
        let mut doc = course_with(&[date("2026-06-01"), date("2026-09-01")], Course::Single);
        doc.sessions[0].given = given(1500.0, 4.0);
        doc.sessions[1].given = given(second, 4.0);
        let s = summarize(&p, &doc, on);
        assert_eq!(has(&s, "cumulative_dose_high"), expected, "{second}");
    }
    // A session a year old no longer counts.
    let mut doc = course_with(&[on - Duration::days(365)], Course::Single);
    doc.sessions[0].given = given(3000.0, 4.0);
    assert!(!has(&summarize(&p, &doc, on), "cumulative_dose_high"));
}

#[test]
fn the_yearly_count_at_5_6_11_12_and_repeat_support() {
    let p = protocol();
    let on = date("2026-11-26");
    let positive = FollowUp {
        pain_before: Some(8.0),
        pain_after: Some(4.0),
        satisfied: Some(true),
        weeks_of_relief: Some(8.0),
        ..FollowUp::default()
    };
    for (earlier, high, exceeded, repeat) in [
        (5, false, false, true),
        (6, true, false, true),
        (11, true, false, true),
        (12, false, true, false),
    ] {
        let dates: Vec<NaiveDate> = (1..=earlier).map(|i| on - Duration::days(i * 25)).collect();
        let mut doc = course_with(&dates, Course::Single);
        if let Some(last) = doc.sessions.last_mut() {
            last.follow_up = Some(positive.clone());
        }
        let s = summarize(&p, &doc, on);
        assert_eq!(s.treatments_past_12_months, earlier as u32);
        assert_eq!(
            has(&s, "annual_treatments_high"),
            high,
            "{earlier}: {:?}",
            codes(&s)
        );
        assert_eq!(has(&s, "annual_treatments_exceeded"), exceeded, "{earlier}");
        assert_eq!(s.repeat_supported, repeat, "{earlier}");
    }
}

fn lft(d: &str, alt: Option<f64>, alt_uln: Option<f64>) -> LftResult {
    LftResult {
        alt,
        alt_uln,
        ..LftResult::on(date(d))
    }
}

#[test]
fn lft_raised_at_3_times_the_baseline_not_at_2_99() {
    let p = protocol();
    let on = date("2026-11-26");
    for (value, expected) in [(59.8, false), (60.0, true)] {
        let mut doc = course_with(&[date("2026-09-01"), date("2026-10-01")], Course::Series);
        doc.sessions[0].lft = vec![lft("2026-08-30", Some(20.0), Some(40.0))];
        doc.sessions[1].lft = vec![lft("2026-10-02", Some(value), Some(40.0))];
        let s = summarize(&p, &doc, on);
        assert_eq!(has(&s, "lft_raised"), expected, "{value}");
        assert_eq!(s.lft_raised_unresolved, expected, "{value}");
        if expected {
            let f = s.findings.iter().find(|f| f.code == "lft_raised");
            assert_eq!(f.map(|f| f.severity.as_str()), Some("caution"));
            assert_eq!(s.lft_raised.len(), 1);
            assert_eq!(s.lft_raised[0].session_id, doc.sessions[1].id);
            // The next visit's case carries the unresolved rise.
            let next = next_visit_case(&p, &doc, on).map(|(c, _)| c);
            assert!(next.is_some_and(|c| c.history.lft_raised_unresolved));
        }
    }
}

#[test]
fn without_a_baseline_the_first_value_is_judged_against_its_uln() {
    let p = protocol();
    let on = date("2026-11-26");
    for (value, uln, expected) in [
        (119.6, Some(40.0), false),
        (120.0, Some(40.0), true),
        (500.0, None, false),
    ] {
        let mut doc = course_with(&[date("2026-10-01")], Course::Single);
        doc.sessions[0].lft = vec![lft("2026-10-02", Some(value), uln)];
        let s = summarize(&p, &doc, on);
        assert_eq!(has(&s, "lft_raised"), expected, "{value} {uln:?}");
    }
    // Each enzyme has its own baseline: a first AST judged on its ULN.
    let mut doc = course_with(&[date("2026-10-01")], Course::Single);
    doc.sessions[0].lft = vec![
        lft("2026-09-30", Some(20.0), None),
        LftResult {
            ast: Some(150.0),
            ast_uln: Some(35.0),
            ..LftResult::on(date("2026-10-02"))
        },
    ];
    assert!(has(&summarize(&p, &doc, on), "lft_raised"));
}

#[test]
fn a_later_normal_result_resolves_the_rise_but_the_finding_stays_on_record() {
    let p = protocol();
    let on = date("2026-12-20");
    let mut doc = course_with(&[date("2026-09-01"), date("2026-10-01")], Course::Series);
    doc.sessions[0].lft = vec![lft("2026-08-30", Some(20.0), Some(40.0))];
    doc.sessions[1].lft = vec![
        lft("2026-10-02", Some(90.0), Some(40.0)),
        // Below 3× baseline but above the ULN: not normal yet.
        lft("2026-11-01", Some(50.0), Some(40.0)),
    ];
    let s = summarize(&p, &doc, on);
    assert!(s.lft_raised_unresolved);
    doc.sessions[1]
        .lft
        .push(lft("2026-12-01", Some(30.0), Some(40.0)));
    let s = summarize(&p, &doc, on);
    assert!(!s.lft_raised_unresolved);
    assert!(has(&s, "lft_raised"));
    // Judged on an earlier date, the later results do not exist yet.
    assert!(summarize(&p, &doc, date("2026-10-05")).lft_raised_unresolved);
    let next = next_visit_case(&p, &doc, on).map(|(c, _)| c);
    assert!(next.is_some_and(|c| !c.history.lft_raised_unresolved));
    // The plan still runs on that case.
    let _ = plan(&p, &doc.sessions[0].case);
}

#[test]
fn findings_come_from_the_pack_with_titles() {
    let p = protocol();
    for code in [
        "urinary_symptoms_on_record",
        "cumulative_dose_high",
        "lft_raised",
    ] {
        let f = p.finding(code);
        assert!(
            f.is_some_and(|f| !f.title.is_empty() && f.screening.is_none()),
            "{code}"
        );
        // On the course record (lft_raised is [avoid] in a plan, [caution] here).
        let on_record = f.map(ketaplan::domain::findings::Finding::from_course_def);
        assert_eq!(
            on_record.map(|f| f.severity.as_str()),
            Some("caution"),
            "{code}"
        );
    }
    let defaults: Vec<String> = p
        .institution_defaults()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    for path in [
        "tests.continuous_exposure_above_h",
        "course.cumulative_mg_prompt_from",
        "course.lft_raised_from_factor",
        "course.lft_value_below_u_per_l",
    ] {
        assert!(defaults.iter().any(|d| d == path), "{path}");
    }
}

#[test]
fn an_empty_course_summary_has_no_lft_rise() {
    let p = protocol();
    let doc = CourseDocument::default();
    let s = summarize(&p, &doc, date("2026-11-26"));
    assert!(s.findings.is_empty());
    assert!(!s.lft_raised_unresolved);
    let _ = session(date("2026-11-26"), Course::Single);
}

#[test]
fn the_pack_refuses_a_raised_factor_of_1_and_a_missing_course_finding() {
    use ketaplan::domain::protocol::{BUILT_IN_PACK, Protocol};
    let factor = BUILT_IN_PACK.replacen(
        "lft_raised_from_factor: (value: 3,",
        "lft_raised_from_factor: (value: 1,",
        1,
    );
    assert_ne!(factor, BUILT_IN_PACK);
    let err = Protocol::from_ron_str(&factor).err().map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("course.lft_raised_from_factor")),
        "{err:?}"
    );
    let missing = BUILT_IN_PACK.replacen(
        "code: \"cumulative_dose_high\"",
        "code: \"cumulative_dose_review\"",
        1,
    );
    let err = Protocol::from_ron_str(&missing)
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("course finding cumulative_dose_high is missing")),
        "{err:?}"
    );
}

#[test]
fn a_case_accepts_history_lft_raised_unresolved_as_true_or_false_only() {
    use ketaplan::domain::case::case_from_value;
    let p = protocol();
    let base = serde_json::to_value(support::base_case()).unwrap_or_default();
    let with = |v: serde_json::Value| {
        let mut case = base.clone();
        case["history"]["lft_raised_unresolved"] = v;
        case_from_value(&p, &case)
    };
    assert!(with(serde_json::json!(true)).is_ok_and(|c| c.history.lft_raised_unresolved));
    let errors = with(serde_json::json!("yes")).err().unwrap_or_default();
    assert!(
        errors
            .iter()
            .any(|e| e.field == "history.lft_raised_unresolved"),
        "{errors:?}"
    );
    // Written only when true, so v3 case files are unchanged.
    let text = serde_json::to_string(&support::base_case()).unwrap_or_default();
    assert!(!text.contains("lft_raised_unresolved"));
}
