//! The Course view, driven through its widgets (egui_kittest, no GPU): sessions from the
//! current plan, the yearly count against 6 and 12, course findings, follow-up entry with
//! its audit trail, the follow-up calls due, the next visit, the follow-on planner and the
//! accessibility walk. Files: `ui_course_files.rs`; the bedside: `ui_course_bedside.rs`.

mod common;

use chrono::{Duration, NaiveDate};
use common::course_view::new_app;
use common::course_view::*;
use common::*;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use ketaplan::domain::case::{Course, FollowUp};
use ketaplan::domain::course::{CourseDocument, CourseIdentity};
use ketaplan::domain::follow_on::follow_on;
use ketaplan::domain::plan;
use ketaplan::domain::units::Kilograms;
use ketaplan::order::format;
use ketaplan::store::course_store::save_course;
use ketaplan::store::fs::RealFs;
use ketaplan::ui::actions::{Page, View};
use serde_json::Value;
use std::path::PathBuf;

#[test]
fn a_session_is_added_from_the_current_plan_and_counted() {
    let mut h = course_harness(p01_app());
    let expected = h
        .state()
        .current_plan()
        .unwrap_or_else(|| panic!("p01 plans"));
    assert!(has_label_containing(&h, "No course is open"));
    click(&mut h, "Add session from current plan");
    let doc = h
        .state()
        .course
        .doc
        .clone()
        .unwrap_or_else(|| panic!("no course"));
    assert_eq!(doc.identity.mrn, "000123");
    assert_eq!(doc.identity.patient_name, "Jane Example");
    assert_eq!(doc.sessions.len(), 1);
    let s = &doc.sessions[0];
    assert_eq!(s.started_at, now());
    assert_eq!(s.ordered.total_mg, expected.total_mg);
    assert_eq!(s.ordered.pump_ml_per_h, expected.pump_ml_per_h);
    assert!(
        s.ordered
            .order_number
            .as_deref()
            .is_some_and(|n| n.starts_with("KP-20261125-"))
    );
    assert!(
        s.follow_up.is_none(),
        "the session's own follow-up starts empty"
    );
    assert!(has_label_containing(
        &h,
        "1 treatment in the 365 days up to 2026-11-25"
    ));
    assert!(has_label_containing(
        &h,
        "guideline: no more than 6 to 12 a year"
    ));
    assert!(has_label_containing(&h, "would be number 2 in 12 months"));
    assert!(h.state().course.is_dirty());

    // Another patient's case is refused.
    let mut other = read_case(P01);
    other["order"]["mrn"] = Value::from("999999");
    h.state_mut().open_case_value(&other);
    h.run();
    click(&mut h, "Add session from current plan");
    assert_eq!(
        h.state().course.doc.as_ref().map(|d| d.sessions.len()),
        Some(1)
    );
    assert!(has_label_containing(&h, "This course is for MRN 000123"));
}

#[test]
fn the_yearly_count_is_judged_against_6_and_12() {
    let dir = temp_dir();
    for (n, word, text) in [
        (5usize, "within", "would be number 6 in 12 months"),
        (6, "CAUTION", "More than 6 infusion sessions"),
        (12, "AVOID", "More than 12 infusion sessions"),
    ] {
        let dates: Vec<NaiveDate> = (1..=n as i64)
            .map(|i| order_day() - Duration::days(i * 25))
            .collect();
        let path = write_course(dir.path(), &format!("c{n}.ketaplan"), &course_of(&dates));
        let mut h = course_harness(new_app());
        open_course_typed(&mut h, &path);
        assert!(
            has_label_containing(&h, &format!("{n} treatments in the 365 days")),
            "{n}"
        );
        assert!(has_label_containing(&h, word), "{n}: {word}");
        assert!(has_label_containing(&h, text), "{n}: {text}");
    }
}

#[test]
fn course_findings_and_response_badges_show() {
    let dir = temp_dir();
    // A series 30 days ago without a follow-up: re-exposure and LFTs; the follow-up is late.
    let mut doc = CourseDocument::new(identity());
    doc.add_session(session(
        order_day() - Duration::days(100),
        Course::Single,
        Some(FollowUp {
            pain_before: Some(8.0),
            pain_after: Some(4.0),
            satisfied: Some(true),
            weeks_of_relief: Some(5.0),
            ..FollowUp::default()
        }),
    ));
    doc.add_session(session(
        order_day() - Duration::days(50),
        Course::Series,
        None,
    ));
    let path = write_course(dir.path(), "findings.ketaplan", &doc);
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    assert!(has_label_containing(&h, "Course findings"));
    // Findings in plain words; the code stays in the collapsed details.
    let p = protocol();
    assert!(has_label_containing(
        &h,
        p.title_for("reexposure_within_90_days")
    ));
    assert!(has_label_containing(&h, p.title_for("follow_up_missing")));
    assert!(!has_label_containing(&h, "reexposure_within_90_days"));
    assert!(has_label_containing(&h, "positive, pain −50 %, durable"));
    assert!(has_label_containing(&h, "no follow-up"));
}

#[test]
fn follow_up_entry_updates_the_badge_and_the_audit_trail() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "fu.ketaplan",
        &course_of(&[order_day() - Duration::days(40)]),
    );
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    assert!(!h.state().course.is_dirty());
    assert!(has_label_containing(&h, "Changes to this session (0)"));

    // A value out of range is refused by the engine's validator, beside its entry.
    type_into(&mut h, "Pain (0–10) before", "80");
    click(&mut h, "Record follow-up");
    assert!(
        h.state()
            .course
            .doc
            .as_ref()
            .is_some_and(|d| d.sessions[0].follow_up.is_none())
    );
    assert!(
        !h.state()
            .course
            .follow_up
            .as_ref()
            .is_some_and(|d| d.errors.is_empty())
    );

    type_into(&mut h, "Pain (0–10) before", "8");
    type_into(&mut h, "Pain (0–10) after", "3");
    type_into(&mut h, "Weeks of relief", "5");
    click(&mut h, "Satisfied Yes");
    click(&mut h, "Record follow-up");
    let doc = h
        .state()
        .course
        .doc
        .clone()
        .unwrap_or_else(|| panic!("course"));
    let fu = doc.sessions[0].follow_up.clone().unwrap_or_default();
    assert_eq!((fu.pain_before, fu.pain_after), (Some(8.0), Some(3.0)));
    assert_eq!(fu.satisfied, Some(true));
    assert_eq!(fu.weeks_of_relief, Some(5.0));
    assert!(has_label_containing(
        &h,
        "positive, pain −62.5 %, durable, repeat supported"
    ));
    let audit: Vec<_> = doc.audit.iter().filter(|a| a.session_id == 1).collect();
    assert!(!audit.is_empty());
    assert!(
        audit
            .iter()
            .all(|a| a.at == now() && a.field.starts_with("follow_up"))
    );
    assert!(has_label_containing(
        &h,
        &format!("Changes to this session ({})", audit.len())
    ));

    // A second change is audited field by field.
    type_into(&mut h, "Pain (0–10) after", "6");
    click(&mut h, "Record follow-up");
    let doc = h
        .state()
        .course
        .doc
        .clone()
        .unwrap_or_else(|| panic!("course"));
    let last = doc.audit.last().unwrap_or_else(|| panic!("audit"));
    assert_eq!(last.field, "follow_up.pain_after");
    assert_eq!((last.old.as_str(), last.new.as_str()), ("3.0", "6.0"));
    assert!(has_label_containing(&h, "negative, pain −25 %"));
    assert!(h.state().course.is_dirty());
}

#[test]
fn follow_up_calls_due_come_from_the_recent_courses_and_search_filters() {
    let dir = temp_dir();
    let jane = write_course(
        dir.path(),
        "jane.ketaplan",
        &course_of(&[order_day() - Duration::days(40)]),
    );
    let mut other = course_of(&[order_day() - Duration::days(60)]);
    other.identity = CourseIdentity {
        patient_name: "John Sample".into(),
        mrn: "000777".into(),
        date_of_birth: None,
    };
    let john = write_course(dir.path(), "john.ketaplan", &other);
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &john);
    open_course_typed(&mut h, &jane);
    click(&mut h, "Follow-up calls due");
    let calls = h
        .state()
        .course
        .calls
        .clone()
        .unwrap_or_else(|| panic!("calls read"));
    let mrns: Vec<&str> = calls.calls.iter().map(|(_, c)| c.mrn.as_str()).collect();
    // Most overdue first: John's single 60 days ago (due at 4 weeks), then Jane's.
    assert_eq!(mrns, ["000777", "000123"]);
    assert!(has_label_containing(&h, "John Sample"));
    assert!(has_label_containing(&h, "2026-09-26"));
    type_into(&mut h, "Search by MRN or name", "0001");
    assert!(!has_label_containing(&h, "John Sample"));
    assert!(has_label_containing(&h, "Jane Example"));
    type_into(&mut h, "Search by MRN or name", "john");
    assert!(has_label_containing(&h, "John Sample"));
    click(&mut h, "Open");
    assert_eq!(h.state().course.file.as_deref(), Some(john.as_path()));
}

#[test]
fn the_next_visit_is_prefilled_and_asks_day_to_day_questions_again() {
    let dir = temp_dir();
    // The last session 68 days ago; p01 answered pregnancy No.
    let path = write_course(
        dir.path(),
        "next.ketaplan",
        &course_of(&[
            order_day() - Duration::days(100),
            order_day() - Duration::days(68),
        ]),
    );
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    click(&mut h, "Prepare the next visit");
    assert_eq!(h.state().view(), View::Wizard);
    assert_eq!(h.state().page(), Page::Patient);
    let draft = &h.state().state.draft;
    assert_eq!(draft.patient_name, "Jane Example");
    assert_eq!(draft.answer("pregnancy"), None, "asked again");
    assert_eq!(draft.answer("cardiovascular_risk"), Some(true), "kept");
    assert_eq!(draft.treatments_past_12_months, "2");
    assert_eq!(
        h.state().state.page_state.previous_answers.get("pregnancy"),
        Some(&false)
    );
    assert!(has_label_containing(&h, "weigh the patient again"));
    h.state_mut().state.page = Page::Screening;
    h.run();
    assert!(has_label_containing(&h, "last time: No"));
}

#[test]
fn the_planner_gives_doses_for_the_weight_esketamine_apart_and_the_caution() {
    let p = protocol();
    let mut h = course_harness(p01_app());
    click(&mut h, "Follow-on planner");
    let case = case_of(P01);
    let planned = plan(&p, &case);
    let weight = planned.dosing_weight_kg;
    let expected = follow_on(&p, &case, Kilograms(weight), planned.response.as_ref());
    assert!(expected.eligible, "p01 responded (positive follow-up)");
    assert!(has_label_containing(&h, "information, not a prescription"));
    assert!(has_label_containing(
        &h,
        &format!("dosing weight of {}", format::kg(weight))
    ));
    let oral = expected
        .options
        .iter()
        .find(|o| o.name == "Oral ketamine")
        .unwrap_or_else(|| panic!("oral"));
    assert!(has_label_containing(
        &h,
        &format!("{} every 6 h", format::mg(oral.dose_high_mg))
    ));
    let max = oral.daily_max_mg.unwrap_or_default();
    assert!(has_label_containing(
        &h,
        &format!("At most {} in 24 hours", format::mg(max))
    ));
    // p01 weighs 79.8 kg: 0.5 mg/kg → 40 mg, at most 160 mg a day.
    assert_eq!((oral.dose_high_mg, max), (40.0, 160.0));
    assert!(has_label_containing(
        &h,
        "A different product: (S)-ketamine (esketamine)"
    ));
    assert!(has_label_containing(&h, "not interchangeable mg for mg"));
    assert!(has_label_containing(
        &h,
        "Caution: Oral ketamine has significant abuse potential"
    ));

    assert!(has_label_containing(&h, "no driving"));

    // Without a substance-abuse history there is no abuse caution (p38 with p01's
    // positive follow-up, so the planner shows doses).
    let mut responder = read_case(P38);
    responder["follow_up"] = read_case(P01)["follow_up"].clone();
    let mut h = course_harness(new_app());
    h.state_mut().open_case_value(&responder);
    h.run();
    click(&mut h, "Follow-on planner");
    assert!(h.state().current_plan().is_some());
    assert!(has_label_containing(&h, "Oral ketamine"));
    assert!(!has_label_containing(&h, "Caution: Oral ketamine"));

    // V4-19: no positive response on record, no follow-on doses.
    let mut h = course_harness(new_app());
    h.state_mut().open_case_value(&read_case(P38));
    h.run();
    click(&mut h, "Follow-on planner");
    assert!(has_label_containing(&h, "for patients who responded"));
    assert!(!has_label_containing(&h, "Oral ketamine"));
}

#[test]
fn a_course_on_the_recent_list_opens_in_the_course_view() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "recent.ketaplan",
        &course_of(&[order_day() - Duration::days(3)]),
    );
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    click(&mut h, "Case");
    h.state_mut().course = Default::default();
    h.get_by_label("Open recent").click();
    h.run();
    click(&mut h, &path.display().to_string());
    assert_eq!(h.state().view(), View::Course);
    assert_eq!(h.state().course.file.as_deref(), Some(path.as_path()));
    assert!(!h.state().has_modal(), "never opened as a case");
}

fn interactive(role: egui::accesskit::Role) -> bool {
    use egui::accesskit::Role;
    matches!(
        role,
        Role::Button
            | Role::CheckBox
            | Role::RadioButton
            | Role::ComboBox
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::Slider
            | Role::Tab
    )
}

#[test]
fn every_widget_of_the_course_view_has_an_accessible_name() {
    let dir = temp_dir();
    let path = write_course(dir.path(), "six.ketaplan", &six_session_course());
    let mut h = course_harness(p01_app());
    open_course_typed(&mut h, &path);
    click(&mut h, "Add row");
    click(&mut h, "Add rescue drug");
    for tab in ["Sessions", "Follow-up calls due", "Follow-on planner"] {
        click(&mut h, tab);
        let unnamed: Vec<String> = h
            .root()
            .children_recursive()
            .filter(|n| interactive(n.accesskit_node().role()))
            .filter(|n| {
                n.accesskit_node()
                    .label()
                    .is_none_or(|l| l.trim().is_empty())
            })
            .map(|n| format!("{:?}", n.accesskit_node().role()))
            .collect();
        assert!(unnamed.is_empty(), "{tab}: {unnamed:?}");
    }
}

/// Writes the six-session course used for `docs/screenshots/course.png` when
/// `KETAPLAN_DEMO_COURSE` names a path; always checks that it opens.
#[test]
fn the_six_session_demo_course_opens() {
    let dir = temp_dir();
    let doc = six_session_course();
    let path = match std::env::var_os("KETAPLAN_DEMO_COURSE") {
        Some(p) => {
            let p = PathBuf::from(p);
            save_course(&RealFs, &p, &doc).unwrap_or_else(|e| panic!("{e}"));
            p
        }
        None => write_course(dir.path(), "six.ketaplan", &doc),
    };
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    assert!(has_label_containing(&h, "6 treatments in the 365 days"));
    assert!(has_label_containing(&h, "More than 6 infusion sessions"));
    // The last session's bedside record so far (kept beside the course file).
    click(&mut h, "Show session 6");
    for (i, (rate, bp, hr, rr, spo2, sedation, pain)) in [
        ("40", "132/84", "78", "14", "98", "0", "7"),
        ("40", "138/86", "82", "14", "97", "-1", "5"),
        ("30", "126/80", "76", "12", "97", "-1", "4"),
        ("30", "124/78", "74", "12", "98", "0", "4"),
    ]
    .into_iter()
    .enumerate()
    {
        click(&mut h, "Add row");
        let n = i + 1;
        for (column, text) in [
            ("Rate mg/h", rate),
            ("BP", bp),
            ("HR", hr),
            ("RR", rr),
            ("SpO2 %", spo2),
            ("Sedation", sedation),
            ("Pain", pain),
            ("Initials", "RN"),
        ] {
            type_into(&mut h, &format!("Row {n} {column}"), text);
        }
    }
    type_into(&mut h, "Row 3 Note", "dizzy: rate lowered");
    click(&mut h, "Save course");
    assert!(!h.state().course.is_dirty());
}
