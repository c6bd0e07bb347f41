//! Course helpers shared by the v4 course tests: p01 sessions, as the engine plans them.
#![allow(dead_code)]

use super::common::{ordered_plan, protocol};
use chrono::NaiveDate;
use ketaplan::domain::case::{CaseFormat, Course, parse_case};
use ketaplan::domain::course::{CourseDocument, CourseIdentity, Session};
use ketaplan::domain::{Case, plan};

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("bad test date {s}: {e}"))
}

pub fn base_case() -> Case {
    let text = include_str!("../cases/p01-crps-contract-example-lb-positive.case.json");
    parse_case(&protocol(), text, CaseFormat::Json)
        .unwrap_or_else(|e| panic!("vignette rejected: {e:?}"))
}

/// A p01 session started at 09:30 on `on` (no follow-up, nothing given yet).
pub fn session(on: NaiveDate, course: Course) -> Session {
    let p = protocol();
    let mut case = base_case();
    case.regimen.course = course;
    case.follow_up = None;
    let planned = plan(&p, &case);
    Session {
        id: 0,
        started_at: on.and_hms_opt(9, 30, 0).unwrap_or_default(),
        case,
        ordered: ordered_plan(&p, &planned),
        given: None,
        justifications: Default::default(),
        follow_up: None,
        bedside: None,
        lft: Vec::new(),
    }
}

pub fn course_with(dates: &[NaiveDate], course: Course) -> CourseDocument {
    let mut doc = CourseDocument::new(CourseIdentity {
        patient_name: "Jane Example".into(),
        mrn: "000123".into(),
        date_of_birth: Some("1971-03-02".into()),
    });
    for d in dates {
        doc.add_session(session(*d, course));
    }
    doc
}
