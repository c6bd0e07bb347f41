//! Follow-on planner, follow-up calls due, and the next visit's pre-filled case.

use chrono::{Duration, NaiveDate};
use ketaplan::domain::Case;
use ketaplan::domain::case::{CaseFormat, Course, FollowUp, parse_case};
use ketaplan::domain::course::{
    CourseDocument, CourseIdentity, OrderedPlan, Session, follow_up_calls_due, matches_search,
    next_visit_case,
};
use ketaplan::domain::follow_on::{follow_on, round_to_measurable};
use ketaplan::domain::protocol::Protocol;
use ketaplan::domain::units::Kilograms;

fn protocol() -> Protocol {
    match Protocol::built_in() {
        Ok(p) => p,
        Err(e) => panic!("built-in protocol invalid: {e}"),
    }
}

fn case() -> Case {
    let text = include_str!("cases/p01-crps-contract-example-lb-positive.case.json");
    match parse_case(&protocol(), text, CaseFormat::Json) {
        Ok(c) => c,
        Err(e) => panic!("{e:?}"),
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

#[test]
fn doses_are_rounded_to_measurable_amounts() {
    assert_eq!(round_to_measurable(34.9, 5.0), 35.0);
    assert_eq!(round_to_measurable(32.5, 5.0), 35.0);
    assert_eq!(round_to_measurable(32.4, 5.0), 30.0);
    assert_eq!(round_to_measurable(1.0, 5.0), 5.0);
}

#[test]
fn the_planner_scales_by_weight_with_daily_maxima() {
    let p = protocol();
    let c = case();
    let response = ketaplan::domain::plan(&p, &c).response;
    let plan = follow_on(&p, &c, Kilograms(70.0), response.as_ref());
    assert!(plan.eligible);
    let oral = plan.options.iter().find(|o| o.name == "Oral ketamine");
    // 0.5 mg/kg × 70 kg = 35 mg every 6 h → at most 140 mg per day.
    assert_eq!(
        oral.map(|o| (o.dose_high_mg, o.daily_max_mg)),
        Some((35.0, Some(140.0)))
    );
    let dxm = plan.options.iter().find(|o| o.name == "Dextromethorphan");
    assert_eq!(
        dxm.map(|o| (o.dose_low_mg, o.dose_high_mg, o.daily_max_mg)),
        Some((35.0, 70.0, Some(210.0)))
    );
    let esketamine = plan
        .options
        .iter()
        .find(|o| o.product.contains("esketamine"));
    assert!(esketamine.is_some_and(|o| !o.racemic && o.note.contains("never interchangeable")));
    assert!(plan.heading.contains("not a prescription"));
    // p01 has a substance-abuse history: the caution shows.
    assert!(plan.caution.is_some());
    let mut clean = case();
    clean.screening.clear();
    assert!(
        follow_on(&p, &clean, Kilograms(70.0), response.as_ref())
            .caution
            .is_none()
    );
}

#[test]
fn only_responders_get_follow_on_doses() {
    let p = protocol();
    let mut c = case();
    c.follow_up = None;
    let plan = follow_on(&p, &c, Kilograms(70.0), None);
    assert!(!plan.eligible && plan.options.is_empty());
    assert!(
        plan.not_eligible
            .is_some_and(|t| t.contains("positive response"))
    );
    let mut negative = case();
    negative.follow_up = Some(FollowUp {
        pain_before: Some(8.0),
        pain_after: Some(7.0),
        ..FollowUp::default()
    });
    let response = ketaplan::domain::plan(&p, &negative).response;
    let plan = follow_on(&p, &negative, Kilograms(70.0), response.as_ref());
    assert!(!plan.eligible && plan.options.is_empty());
}

#[test]
fn caps_driving_and_serotonergic_warnings() {
    let p = protocol();
    let c = case();
    let response = ketaplan::domain::plan(&p, &c).response;
    // 1 mg/kg x 150 kg = 150 mg every 8 h = 450 mg a day, capped at the pack's 240 mg.
    let plan = follow_on(&p, &c, Kilograms(150.0), response.as_ref());
    let dxm = plan.options.iter().find(|o| o.name == "Dextromethorphan");
    assert_eq!(dxm.and_then(|o| o.daily_max_mg), Some(240.0));
    assert!(dxm.is_some_and(|o| {
        o.warning
            .as_deref()
            .is_some_and(|w| w.contains("serotonin"))
    }));
    // Breakthrough intranasal doses have no interval: the daily cap is the maximum.
    let nasal = plan
        .options
        .iter()
        .find(|o| o.name == "Intranasal ketamine for breakthrough pain");
    assert_eq!(nasal.and_then(|o| o.daily_max_mg), Some(100.0));
    assert!(plan.driving_caution.contains("driving"));
    // A high ORT score alone brings the abuse caution.
    let mut scored = case();
    scored.screening.clear();
    scored.risk_scores = Some(ketaplan::domain::case::RiskScores {
        ort: Some(8),
        soapp_r: None,
    });
    let plan = follow_on(&p, &scored, Kilograms(70.0), response.as_ref());
    assert!(plan.caution.is_some());
    scored.risk_scores = Some(ketaplan::domain::case::RiskScores {
        ort: Some(7),
        soapp_r: None,
    });
    let plan = follow_on(&p, &scored, Kilograms(70.0), response.as_ref());
    assert!(plan.caution.is_none());
}

fn course(sessions: &[(NaiveDate, Course, bool)]) -> CourseDocument {
    let mut doc = CourseDocument::new(CourseIdentity {
        patient_name: "Jane Example".into(),
        mrn: "000123".into(),
        date_of_birth: None,
    });
    for (date, course, followed) in sessions {
        let mut c = case();
        c.regimen.course = *course;
        doc.add_session(Session {
            id: 0,
            started_at: date.and_hms_opt(9, 0, 0).unwrap_or_default(),
            case: c,
            ordered: OrderedPlan::default(),
            given: None,
            justifications: Default::default(),
            follow_up: followed.then(FollowUp::default),
            bedside: None,
            lft: Vec::new(),
        });
    }
    doc
}

#[test]
fn calls_are_due_4_weeks_after_a_single_and_7_after_a_series() {
    let p = protocol();
    let today = d("2026-11-26");
    let single = course(&[(today - Duration::days(28), Course::Single, false)]);
    assert_eq!(follow_up_calls_due(&p, &[&single], today).len(), 1);
    let early = course(&[(today - Duration::days(27), Course::Single, false)]);
    assert!(follow_up_calls_due(&p, &[&early], today).is_empty());
    let series = course(&[(today - Duration::days(48), Course::Series, false)]);
    assert!(follow_up_calls_due(&p, &[&series], today).is_empty());
    let series = course(&[(today - Duration::days(49), Course::Series, false)]);
    assert_eq!(follow_up_calls_due(&p, &[&series], today).len(), 1);
    let done = course(&[(today - Duration::days(60), Course::Single, true)]);
    assert!(follow_up_calls_due(&p, &[&done], today).is_empty());
    assert!(matches_search(&done, "0001"));
    assert!(matches_search(&done, "jane"));
    assert!(!matches_search(&done, "smith"));
}

#[test]
fn the_next_visit_asks_day_to_day_questions_again() {
    let p = protocol();
    let mut doc = course(&[(d("2026-10-01"), Course::Single, true)]);
    doc.sessions[0]
        .case
        .screening
        .push("urinary_symptoms".into());
    doc.sessions[0]
        .case
        .screening_no
        .push("full_stomach".into());
    let Some((next, previous)) = next_visit_case(&p, &doc, d("2026-11-26")) else {
        panic!("no next visit")
    };
    for code in &p.pack.course.day_to_day_codes {
        assert!(!next.answered(code), "{code} still answered");
    }
    assert!(previous.contains(&("urinary_symptoms".to_string(), true)));
    assert!(previous.contains(&("full_stomach".to_string(), false)));
    assert!(next.answered_yes("cardiovascular_risk"));
    assert_eq!(next.history.treatments_past_12_months, 1);
    assert!(next.justifications.is_empty());
}
