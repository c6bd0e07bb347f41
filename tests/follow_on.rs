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
    let plan = follow_on(&p, &case(), Kilograms(70.0));
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
    assert!(follow_on(&p, &clean, Kilograms(70.0)).caution.is_none());
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
