//! The Course view's test setup, shared by the `ui_course*` tests: the app at a fixed time,
//! p01 sessions as the engine plans them, course files written and opened through the
//! typed path, and what the open course records.

use super::*;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use egui_kittest::Harness;
use ketaplan::domain::case::{CaseFormat, Course, FollowUp, parse_case};
use ketaplan::domain::course::{
    CourseDocument, CourseIdentity, FlowsheetRow, Given, Session, parse_course,
};
use ketaplan::domain::{Case, plan};
use ketaplan::order::chart::monitoring_chart;
use ketaplan::order::{Paper, format, text};
use ketaplan::store::course_store::save_course;
use ketaplan::store::fs::RealFs;
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::View;
use std::path::{Path, PathBuf};

pub const P38: &str = "tests/cases/p38-post-sternotomy-other-fully-answered-screening.case.json";

pub fn case_of(path: &str) -> Case {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_case(&protocol(), &text, CaseFormat::Json).unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

pub fn now() -> NaiveDateTime {
    order_day().and_hms_opt(9, 30, 0).unwrap_or_default()
}

pub fn new_app() -> KetaplanApp {
    let mut app = super::new_app();
    app.course.fixed_now = Some(now());
    app
}

pub fn p01_app() -> KetaplanApp {
    let mut app = new_app();
    app.open_case_value(&read_case(P01));
    app
}

pub fn harness(app: KetaplanApp) -> Harness<'static, KetaplanApp> {
    harness_with_height(app, 4000.0)
}

/// A session of p01 on `on`, ordered as the engine plans it.
pub fn session(on: NaiveDate, course: Course, follow_up: Option<FollowUp>) -> Session {
    let p = protocol();
    let mut case = case_of(P01);
    case.regimen.course = course;
    case.follow_up = None;
    if let Some(order) = case.order.as_mut() {
        order.weighed_on = Some(format::date(on));
    }
    let planned = plan(&p, &case);
    Session {
        id: 0,
        started_at: on.and_hms_opt(9, 0, 0).unwrap_or_default(),
        case,
        ordered: ordered_plan(&p, &planned),
        given: None,
        justifications: Default::default(),
        follow_up,
        bedside: None,
        lft: Vec::new(),
    }
}

pub fn identity() -> CourseIdentity {
    CourseIdentity {
        patient_name: "Jane Example".into(),
        mrn: "000123".into(),
        date_of_birth: Some("1971-03-02".into()),
    }
}

pub fn course_of(dates: &[NaiveDate]) -> CourseDocument {
    let mut doc = CourseDocument::new(identity());
    for d in dates {
        doc.add_session(session(*d, Course::Single, None));
    }
    doc
}

/// Six sessions over the last year, with follow-ups (pain, ODI and opioids falling) and
/// what was given; the last has no follow-up yet. Used for the screenshot too.
pub fn six_session_course() -> CourseDocument {
    let mut doc = CourseDocument::new(identity());
    let follow = [
        (8.0, 5.0, 52.0, 40.0, 90.0, 75.0, 5.0),
        (7.0, 4.0, 46.0, 36.0, 80.0, 60.0, 6.0),
        (7.0, 3.0, 42.0, 30.0, 60.0, 45.0, 7.0),
        (6.0, 3.0, 38.0, 28.0, 45.0, 30.0, 8.0),
        (6.0, 4.0, 34.0, 28.0, 30.0, 30.0, 2.0),
    ];
    for i in 0..6 {
        let on = order_day() - Duration::days(330 - i * 60);
        let f = follow
            .get(i as usize)
            .map(|&(pb, pa, ob, oa, mb, ma, w)| FollowUp {
                pain_before: Some(pb),
                pain_after: Some(pa),
                satisfied: Some(true),
                odi_before: Some(ob),
                odi_after: Some(oa),
                opioid_mme_before: Some(mb),
                opioid_mme_after: Some(ma),
                weeks_of_relief: Some(w),
                ..FollowUp::default()
            });
        let mut s = session(on, Course::Single, f);
        if i < 5 {
            s.given = Some(Given {
                total_mg: s.ordered.total_mg - 10.0 * i as f64,
                infusion_hours: 4.0,
                ..Given::default()
            });
        }
        doc.add_session(s);
    }
    doc
}

pub fn write_course(dir: &Path, name: &str, doc: &CourseDocument) -> PathBuf {
    let path = dir.join(name);
    save_course(&RealFs, &path, doc).unwrap_or_else(|e| panic!("{e}"));
    path
}

pub fn open_course_typed(h: &mut Harness<'_, KetaplanApp>, path: &Path) {
    click(h, "Open course…");
    type_into(
        h,
        "Path of the course file to open",
        &path.display().to_string(),
    );
    click(h, "Open this course");
}

pub fn course_harness(app: KetaplanApp) -> Harness<'static, KetaplanApp> {
    let mut h = harness(app);
    click(&mut h, "Course");
    assert_eq!(h.state().view(), View::Course);
    h
}

/// The bedside rows recorded on session `id` of the open course.
pub fn bedside_rows(app: &KetaplanApp, id: u32) -> Vec<FlowsheetRow> {
    app.course
        .session(id)
        .and_then(|s| s.bedside.clone())
        .map(|b| b.rows)
        .unwrap_or_default()
}

pub fn bedside_audits(app: &KetaplanApp) -> usize {
    app.course.doc.as_ref().map_or(0, |d| {
        d.audit
            .iter()
            .filter(|a| a.field.starts_with("bedside"))
            .count()
    })
}

pub fn read_course_file(path: &Path) -> CourseDocument {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_course(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The engine's monitoring chart of session `id` as the open course records it.
pub fn recorded_chart(app: &KetaplanApp, id: u32, paper: Paper) -> Vec<String> {
    let doc = app.course.doc.clone().unwrap_or_else(|| panic!("course"));
    let session = app
        .course
        .session(id)
        .cloned()
        .unwrap_or_else(|| panic!("session {id}"));
    text::lines(&monitoring_chart(&protocol(), &doc, &session, now(), paper))
}
