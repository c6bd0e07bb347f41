//! The Course view, driven through its widgets (egui_kittest, no GPU): sessions from the
//! current plan, the yearly count against 6 and 12, course findings, follow-up entry with
//! its audit trail, save/open through the typed path, a damaged course file, the bedside
//! flowsheet, the follow-up calls due, the next visit and the follow-on planner.

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use ketaplan::domain::case::{CaseFormat, Course, FollowUp, parse_case};
use ketaplan::domain::course::{
    CourseDocument, CourseIdentity, FlowsheetRow, Given, Session, parse_course,
};
use ketaplan::domain::follow_on::follow_on;
use ketaplan::domain::units::Kilograms;
use ketaplan::domain::{Case, plan};
use ketaplan::order::chart::monitoring_chart;
use ketaplan::order::{Paper, format, text};
use ketaplan::store::course_store::{autosave_path, save_course};
use ketaplan::store::fs::RealFs;
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::{Page, View};
use ketaplan::ui::course_state::flowsheet_path;
use ketaplan::ui::widgets::flowsheet::{FlowRow, Flowsheet};
use serde_json::Value;
use std::path::{Path, PathBuf};

const P38: &str = "tests/cases/p38-post-sternotomy-other-fully-answered-screening.case.json";

fn case_of(path: &str) -> Case {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_case(&protocol(), &text, CaseFormat::Json).unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

fn now() -> NaiveDateTime {
    order_day().and_hms_opt(9, 30, 0).unwrap_or_default()
}

fn new_app() -> KetaplanApp {
    let mut app = common::new_app();
    app.course.fixed_now = Some(now());
    app
}

fn p01_app() -> KetaplanApp {
    let mut app = new_app();
    app.open_case_value(&read_case(P01));
    app
}

fn harness(app: KetaplanApp) -> Harness<'static, KetaplanApp> {
    harness_with_height(app, 4000.0)
}

/// A session of p01 on `on`, ordered as the engine plans it.
fn session(on: NaiveDate, course: Course, follow_up: Option<FollowUp>) -> Session {
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

fn identity() -> CourseIdentity {
    CourseIdentity {
        patient_name: "Jane Example".into(),
        mrn: "000123".into(),
        date_of_birth: Some("1971-03-02".into()),
    }
}

fn course_of(dates: &[NaiveDate]) -> CourseDocument {
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

fn write_course(dir: &Path, name: &str, doc: &CourseDocument) -> PathBuf {
    let path = dir.join(name);
    save_course(&RealFs, &path, doc).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn open_course_typed(h: &mut Harness<'_, KetaplanApp>, path: &Path) {
    click(h, "Open course…");
    type_into(
        h,
        "Path of the course file to open",
        &path.display().to_string(),
    );
    click(h, "Open this course");
}

fn course_harness(app: KetaplanApp) -> Harness<'static, KetaplanApp> {
    let mut h = harness(app);
    click(&mut h, "Course");
    assert_eq!(h.state().view(), View::Course);
    h
}

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
fn save_and_open_round_trip_through_the_typed_path_and_autosave() {
    let dir = temp_dir();
    let mut h = course_harness(p01_app());
    click(&mut h, "Add session from current plan");
    click(&mut h, "Save course as…");
    type_into(
        &mut h,
        "Path to save the course to",
        &dir.path().join("jane").display().to_string(),
    );
    click(&mut h, "Save the course to this path");
    let saved = dir.path().join("jane.ketaplan");
    assert!(saved.is_file(), "nothing at {}", saved.display());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&saved).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600), "a course file is owner-only");
    }
    assert!(!h.state().course.is_dirty());
    assert!(
        h.state()
            .recent_files()
            .paths
            .contains(&saved.display().to_string())
    );
    let doc = h.state().course.doc.clone();

    // The CLI reads what the app wrote.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ketaplan"))
        .args(["course", "summary"])
        .arg(&saved)
        .args(["--on", "2026-11-25"])
        .output()
        .unwrap_or_else(|e| panic!("ketaplan: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut h2 = course_harness(new_app());
    open_course_typed(&mut h2, &saved);
    assert_eq!(h2.state().course.doc, doc);
    assert_eq!(h2.state().course.file.as_deref(), Some(saved.as_path()));

    // An unsaved change is autosaved on a page change, and a clean save removes it.
    type_into(&mut h2, "Pain (0–10) before", "7");
    type_into(&mut h2, "Pain (0–10) after", "3");
    click(&mut h2, "Record follow-up");
    assert!(h2.state().course.is_dirty());
    let auto = autosave_path(&saved);
    assert!(!auto.exists());
    click(&mut h2, "Case");
    assert_eq!(h2.state().view(), View::Wizard);
    assert!(auto.is_file(), "autosave on the page change");
    // Opening the file again offers the autosave.
    let mut h3 = course_harness(new_app());
    open_course_typed(&mut h3, &saved);
    assert!(has_label_containing(
        &h3,
        "An autosave with changes that were never saved"
    ));
    click(&mut h3, "Recover the autosave");
    assert!(h3.state().course.is_dirty());
    assert!(
        h3.state()
            .course
            .doc
            .as_ref()
            .is_some_and(|d| d.sessions[0].follow_up.is_some())
    );

    click(&mut h2, "Course");
    click(&mut h2, "Save course");
    assert!(!auto.exists(), "a clean save clears the autosave");
    assert!(!h2.state().course.is_dirty());
    assert!(saved.with_file_name("jane.ketaplan.bak").is_file());
}

#[test]
fn a_damaged_course_file_shows_its_error_and_is_never_overwritten() {
    let dir = temp_dir();
    let good = write_course(
        dir.path(),
        "good.ketaplan",
        &course_of(&[order_day() - Duration::days(10)]),
    );
    let bad = dir.path().join("bad.ketaplan");
    let damaged = "#![enable(implicit_some)]\n(\n    schema: \"ketaplan.course/1\",\n    identity: (patient_name: \"X\", mrn: 12),\n)\n";
    std::fs::write(&bad, damaged).unwrap_or_else(|e| panic!("{e}"));

    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &good);
    let before = h.state().course.doc.clone();
    open_course_typed(&mut h, &bad);
    let error = h.state().course.open_error.clone().unwrap_or_default();
    assert!(error.contains(&bad.display().to_string()), "{error}");
    assert!(error.contains("4:"), "line:column in {error}");
    assert!(has_label_containing(&h, "could not be opened"));
    assert!(has_label_containing(&h, &bad.display().to_string()));
    // Nothing changed: the good course is still open, and saving goes to it.
    assert_eq!(h.state().course.doc, before);
    assert_eq!(h.state().course.file.as_deref(), Some(good.as_path()));
    click(&mut h, "Save course");
    click(&mut h, "Case");
    let text = std::fs::read_to_string(&bad).unwrap_or_default();
    assert_eq!(text, damaged, "the damaged file is never written");
    assert!(!autosave_path(&bad).exists());
}

#[test]
fn the_flowsheet_fills_what_was_given_and_prints() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "flow.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    for _ in 0..4 {
        click(&mut h, "Add row");
    }
    {
        let rows = &h.state().course.flowsheets[&1].rows;
        let times: Vec<&str> = rows.iter().map(|r| r.time.as_str()).collect();
        assert_eq!(times, ["09:00", "09:15", "09:30", "09:45"]);
    }
    type_into(&mut h, "Row 1 Rate mg/h", "40");
    type_into(&mut h, "Row 1 BP", "128/80");
    type_into(&mut h, "Row 1 Initials", "RN");
    type_into(&mut h, "Row 2 Rate mg/h", "40");
    type_into(&mut h, "Row 3 Rate mg/h", "20");
    type_into(&mut h, "Row 3 Note", "dizziness");
    type_into(&mut h, "Row 4 Time", "10:30");
    type_into(&mut h, "Row 4 Rate mg/h", "0");
    click(&mut h, "Add rescue drug");
    type_into(&mut h, "Rescue 1 time", "09:40");
    type_into(&mut h, "Rescue 1 drug", "ondansetron");
    type_into(&mut h, "Rescue 1 dose", "4 mg IV");
    type_into(&mut h, "Adverse effects (one a line)", "nausea");
    click(&mut h, "Fill what was given from this record");
    let doc = h
        .state()
        .course
        .doc
        .clone()
        .unwrap_or_else(|| panic!("course"));
    let given = doc.sessions[0]
        .given
        .clone()
        .unwrap_or_else(|| panic!("given"));
    // 40 mg/h × 0.5 h + 20 mg/h × 1 h = 40 mg; running 1.5 h.
    assert_eq!(given.total_mg, 40.0);
    assert_eq!(given.infusion_hours, 1.5);
    let changes: Vec<(&str, &str)> = given
        .rate_changes
        .iter()
        .map(|c| (c.at.as_str(), c.reason.as_str()))
        .collect();
    assert_eq!(changes, [("09:30", "dizziness"), ("10:30", "")]);
    let weight = plan(&protocol(), &doc.sessions[0].case).dosing_weight_kg;
    assert!((given.rate_changes[0].mg_per_kg_per_h - 20.0 / weight).abs() < 1e-9);
    assert_eq!(given.rescue_given.len(), 1);
    assert_eq!(given.rescue_given[0].drug, "ondansetron");
    assert_eq!(given.adverse_effects, ["nausea"]);
    assert!(doc.audit.iter().any(|a| a.field == "given"));
    assert!(has_label_containing(&h, "40 mg over 1.5 h"));

    click(&mut h, "Show the printable monitoring chart");
    assert!(has_label_containing(&h, "BEDSIDE MONITORING CHART"));
    assert!(has_label_containing(
        &h,
        "Patient: Jane Example | MRN: 000123"
    ));
    assert!(has_label_containing(&h, "128/80"));
    assert!(has_label_containing(&h, "What was given: 40 mg over 1.5 h"));

    // The rows are kept in the course file itself.
    click(&mut h, "Save course");
    assert!(!flowsheet_path(&path).exists(), "no sidecar");
    let mut h2 = course_harness(new_app());
    open_course_typed(&mut h2, &path);
    assert_eq!(bedside_rows(h2.state(), 1).len(), 4);
    assert_eq!(
        h2.state().course.flowsheets.get(&1).map(|f| f.rows.len()),
        Some(4)
    );
}

/// The bedside rows recorded on session `id` of the open course.
fn bedside_rows(app: &KetaplanApp, id: u32) -> Vec<FlowsheetRow> {
    app.course
        .session(id)
        .and_then(|s| s.bedside.clone())
        .map(|b| b.rows)
        .unwrap_or_default()
}

fn bedside_audits(app: &KetaplanApp) -> usize {
    app.course.doc.as_ref().map_or(0, |d| {
        d.audit
            .iter()
            .filter(|a| a.field.starts_with("bedside"))
            .count()
    })
}

fn read_course_file(path: &Path) -> CourseDocument {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_course(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn flowsheet_rows_are_recorded_once_a_row_is_left_and_survive_save_and_reopen() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "rows.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    click(&mut h, "Add row");
    click(&mut h, "Add row");
    assert_eq!(
        bedside_rows(h.state(), 1).len(),
        2,
        "adding a row records it"
    );
    let audits = bedside_audits(h.state());

    // Typing in row 1, cell after cell: no audit entry per keystroke or per cell…
    type_into(&mut h, "Row 1 Rate mg/h", "40");
    type_into(&mut h, "Row 1 BP", "128/80");
    type_into(&mut h, "Row 1 HR", "72");
    assert_eq!(bedside_audits(h.state()), audits);
    assert!(
        h.state().course.is_dirty(),
        "typed entries count as unsaved"
    );
    // …one when the row is left.
    type_into(&mut h, "Row 2 Rate mg/h", "0");
    assert_eq!(bedside_audits(h.state()), audits + 1);
    let rows = bedside_rows(h.state(), 1);
    assert_eq!(
        (
            rows[0].rate_mg_per_h.as_str(),
            rows[0].bp.as_str(),
            rows[0].hr.as_str()
        ),
        ("40", "128/80", "72")
    );
    // "Record" records the row being edited now.
    click(&mut h, "Record the bedside entries");
    assert_eq!(bedside_rows(h.state(), 1)[1].rate_mg_per_h, "0");

    click(&mut h, "Save course");
    assert!(!h.state().course.is_dirty());
    assert!(!flowsheet_path(&path).exists(), "no sidecar is written");
    let on_disk = read_course_file(&path);
    let saved_rows = on_disk.sessions[0]
        .bedside
        .clone()
        .map(|b| b.rows)
        .unwrap_or_default();
    assert_eq!(saved_rows, bedside_rows(h.state(), 1));

    let mut h2 = course_harness(new_app());
    open_course_typed(&mut h2, &path);
    assert_eq!(bedside_rows(h2.state(), 1), saved_rows);
    assert_eq!(
        h2.get_by_label("Row 1 BP").value().unwrap_or_default(),
        "128/80"
    );
    assert!(!h2.state().course.is_dirty());
}

#[test]
fn the_autosave_holds_the_flowsheet_even_mid_row() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "auto.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    click(&mut h, "Add row");
    type_into(&mut h, "Row 1 SpO2 %", "97");
    // Still in the row: the page change autosaves it all the same.
    let auto = autosave_path(&path);
    assert!(!auto.exists());
    click(&mut h, "Case");
    assert!(auto.is_file(), "autosave on the page change");
    let autosaved = read_course_file(&auto);
    let rows = autosaved.sessions[0]
        .bedside
        .clone()
        .map(|b| b.rows)
        .unwrap_or_default();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].spo2, "97");
}

#[derive(serde::Serialize)]
struct OldSidecar {
    schema: String,
    sessions: std::collections::BTreeMap<u32, Flowsheet>,
}

#[test]
fn a_legacy_sidecar_is_moved_into_the_course_and_removed_only_after_the_save() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "old.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut sheet = Flowsheet::default();
    for (time, rate, bp) in [("09:00", "40", "120/80"), ("09:15", "40", "124/82")] {
        sheet.rows.push(FlowRow {
            time: time.into(),
            rate_mg_per_h: rate.into(),
            bp: bp.into(),
            initials: "RN".into(),
            ..FlowRow::default()
        });
    }
    sheet.adverse_effects = "nausea".into();
    let old = OldSidecar {
        schema: "ketaplan.flowsheet/1".into(),
        sessions: [(1, sheet.clone())].into_iter().collect(),
    };
    let sidecar = flowsheet_path(&path);
    let text = ron::ser::to_string_pretty(&old, ron::ser::PrettyConfig::new())
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&sidecar, text).unwrap_or_else(|e| panic!("{e}"));

    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    let record = h
        .state()
        .course
        .session(1)
        .and_then(|s| s.bedside.clone())
        .unwrap_or_else(|| panic!("the sidecar's record is on session 1"));
    assert_eq!(record, sheet.to_bedside());
    assert!(has_label_containing(&h, "were moved from"));
    assert!(
        h.state().course.is_dirty(),
        "to be saved into the course file"
    );
    assert!(sidecar.is_file(), "kept until the course is saved");
    assert!(read_course_file(&path).sessions[0].bedside.is_none());

    click(&mut h, "Save course");
    assert!(!sidecar.exists(), "removed once the course file holds it");
    assert_eq!(
        read_course_file(&path).sessions[0].bedside,
        Some(record.clone())
    );
    let mut h2 = course_harness(new_app());
    open_course_typed(&mut h2, &path);
    assert_eq!(
        h2.state().course.session(1).and_then(|s| s.bedside.clone()),
        Some(record)
    );
    assert!(!h2.state().course.is_dirty());
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

fn keys(h: &mut Harness<'_, KetaplanApp>, modifiers: egui::Modifiers, key: egui::Key) {
    h.key_press_modifiers(modifiers, key);
    h.run();
}

#[test]
fn ctrl_s_in_the_course_view_saves_the_course_not_the_case() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "keys.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(p01_app());
    // The case has unsaved changes too: Ctrl+S must not touch it.
    h.state_mut().state.draft.weight = "177".into();
    h.run();
    assert!(h.state().is_dirty());
    open_course_typed(&mut h, &path);
    click(&mut h, "Add row");
    assert!(h.state().course.is_dirty());

    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::S);
    assert!(!h.state().course.is_dirty(), "Ctrl+S saved the course");
    assert_eq!(
        read_course_file(&path).sessions[0]
            .bedside
            .as_ref()
            .map(|b| b.rows.len()),
        Some(1)
    );
    assert!(!h.state().has_modal(), "no case save dialog");
    assert!(h.query_by_label("Path to save the case to").is_none());
    assert!(h.state().is_dirty(), "the case was not saved");
    assert_eq!(h.state().file_path(), None);
    assert_eq!(h.state().view(), View::Course);

    // Ctrl+Shift+S asks where to save the course.
    keys(
        &mut h,
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::S,
    );
    assert!(h.query_by_label("Path to save the course to").is_some());
    assert!(h.query_by_label("Path to save the case to").is_none());
    let copy = dir.path().join("copy");
    type_into(
        &mut h,
        "Path to save the course to",
        &copy.display().to_string(),
    );
    click(&mut h, "Save the course to this path");
    assert!(dir.path().join("copy.ketaplan").is_file());
    assert_eq!(
        h.state().course.file.as_deref(),
        Some(dir.path().join("copy.ketaplan").as_path())
    );

    // Back on the case pages, Ctrl+S is the case's again.
    click(&mut h, "Case");
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::S);
    assert!(h.query_by_label("Path to save the case to").is_some());
}

/// The engine's monitoring chart of session `id` as the open course records it.
fn recorded_chart(app: &KetaplanApp, id: u32, paper: Paper) -> Vec<String> {
    let doc = app.course.doc.clone().unwrap_or_else(|| panic!("course"));
    let session = app
        .course
        .session(id)
        .cloned()
        .unwrap_or_else(|| panic!("session {id}"));
    text::lines(&monitoring_chart(&protocol(), &doc, &session, now(), paper))
}

#[test]
fn the_monitoring_chart_exports_as_pdf_with_what_is_on_screen() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "chart.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(new_app());
    // The paper comes from Preferences.
    click(&mut h, "Preferences");
    click(&mut h, "US Letter");
    click(&mut h, "Course");
    open_course_typed(&mut h, &path);
    click(&mut h, "Add row");
    type_into(&mut h, "Row 1 BP", "128/80");

    // The printable view is the text rendering of the very sheet that is exported.
    click(&mut h, "Show the printable monitoring chart");
    let shown = h.state().course.chart_lines.clone();
    assert_eq!(shown, recorded_chart(h.state(), 1, Paper::Letter));
    assert!(shown.iter().any(|l| l.contains("128/80")), "{shown:#?}");
    assert!(has_label_containing(&h, "BEDSIDE MONITORING CHART"));

    // An entry still in its cell is on screen, not yet recorded on the session…
    type_into(&mut h, "Row 1 Initials", "QX");
    assert!(h.state().course.has_pending_bedside());
    assert!(
        h.state()
            .course
            .chart_lines
            .iter()
            .any(|l| l.contains("QX")),
        "the preview shows what is on screen"
    );
    // …and is recorded before the chart is exported.
    click(&mut h, "Export monitoring chart (PDF)…");
    assert!(!h.state().course.has_pending_bedside());
    assert_eq!(bedside_rows(h.state(), 1)[0].initials, "QX");
    assert!(
        h.query_by_label("Path to export the order PDF to")
            .is_none()
    );
    let target = dir.path().join("chart-out");
    type_into(
        &mut h,
        "Path to export the monitoring chart PDF to",
        &target.display().to_string(),
    );
    click(&mut h, "Export to this path");
    assert!(!h.state().has_modal());

    let pdf = dir.path().join("chart-out.pdf");
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&pdf)
            .unwrap_or_else(|e| panic!("{e}"))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "owner-only");
    }
    // US Letter, as chosen.
    let document = lopdf::Document::load_mem(&bytes).unwrap_or_else(|e| panic!("{e}"));
    for id in document.get_pages().values() {
        let media = document
            .get_dictionary(*id)
            .ok()
            .and_then(|p| p.get(b"MediaBox").ok())
            .and_then(|o| o.as_array().ok())
            .cloned()
            .unwrap_or_default();
        let num = |i: usize| media.get(i).and_then(|o| o.as_float().ok()).unwrap_or(-1.0);
        assert!((num(2) - num(0) - 612.0).abs() < 0.5, "{media:?}");
        assert!((num(3) - num(1) - 792.0).abs() < 0.5, "{media:?}");
    }
    // The preview still equals the chart as recorded, entries included.
    h.run();
    let shown = h.state().course.chart_lines.clone();
    assert_eq!(shown, recorded_chart(h.state(), 1, Paper::Letter));
    assert!(shown.iter().any(|l| l.contains("QX")), "{shown:#?}");
    assert!(has_label_containing(
        &h,
        "Exported the monitoring chart of session 1"
    ));
    // The recorded entry makes the course unsaved; nothing else was written beside it.
    assert!(h.state().course.is_dirty());
}

#[test]
fn the_toolbar_save_buttons_in_the_course_view_save_the_course() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "toolbar.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(p01_app());
    h.state_mut().state.draft.weight = "177".into();
    h.run();
    assert!(h.state().is_dirty());
    open_course_typed(&mut h, &path);
    click(&mut h, "Add row");
    assert!(h.state().course.is_dirty());

    // The toolbar says what it saves here.
    h.get_by_label("Save").hover();
    for _ in 0..10 {
        h.step();
    }
    assert!(has_label_containing(&h, "Save the course (Ctrl+S)"));

    click(&mut h, "Save");
    assert!(
        !h.state().course.is_dirty(),
        "the toolbar Save saved the course"
    );
    assert_eq!(
        read_course_file(&path).sessions[0]
            .bedside
            .as_ref()
            .map(|b| b.rows.len()),
        Some(1)
    );
    assert!(h.query_by_label("Path to save the case to").is_none());
    assert!(h.state().is_dirty(), "the case was not saved");
    assert_eq!(h.state().file_path(), None);

    click(&mut h, "Save as…");
    assert!(h.query_by_label("Path to save the case to").is_none());
    let copy = dir.path().join("copy");
    type_into(
        &mut h,
        "Path to save the course to",
        &copy.display().to_string(),
    );
    click(&mut h, "Save the course to this path");
    assert!(dir.path().join("copy.ketaplan").is_file());
    assert_eq!(
        h.state().course.file.as_deref(),
        Some(dir.path().join("copy.ketaplan").as_path())
    );

    // On the case pages the toolbar saves the case again.
    click(&mut h, "Case");
    click(&mut h, "Save");
    assert!(h.query_by_label("Path to save the case to").is_some());
}

#[test]
fn an_lft_result_is_entered_checked_recorded_and_carried_to_the_next_visit() {
    use ketaplan::domain::course::LftResult;
    let dir = temp_dir();
    let first = order_day() - Duration::days(40);
    let mut doc = course_of(&[first, order_day() - Duration::days(20)]);
    doc.sessions[0].lft = vec![LftResult {
        alt: Some(20.0),
        alt_uln: Some(40.0),
        ..LftResult::on(first - Duration::days(1))
    }];
    let path = write_course(dir.path(), "lft.ketaplan", &doc);
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    assert!(has_label_containing(&h, "No liver test result recorded"));
    let recorded = |h: &Harness<'_, KetaplanApp>| {
        h.state()
            .course
            .doc
            .as_ref()
            .map_or(0, |d| d.sessions[1].lft.len())
    };

    // Refused entries name their field; nothing is recorded.
    let day = format::date(order_day() - Duration::days(19));
    type_into(&mut h, "LFT date", &day);
    type_into(&mut h, "ALT (U/L)", "-5");
    click(&mut h, "Record LFT result");
    assert!(has_label_containing(
        &h,
        "ALT (U/L): must be a number of U/L more than 0"
    ));
    type_into(&mut h, "LFT date", "2026-13-01");
    type_into(&mut h, "ALT (U/L)", "65");
    click(&mut h, "Record LFT result");
    assert!(has_label_containing(
        &h,
        "LFT date: must be a date YYYY-MM-DD"
    ));
    assert_eq!(recorded(&h), 0);
    assert!(!h.state().course.is_dirty());

    // A valid result: recorded (audited), judged against the baseline, shown with its title.
    type_into(&mut h, "LFT date", &day);
    type_into(&mut h, "ALT upper limit of normal (U/L)", "40");
    click(&mut h, "Record LFT result");
    assert_eq!(recorded(&h), 1);
    assert!(h.state().course.is_dirty());
    assert!(has_label_containing(
        &h,
        "Liver enzymes raised after ketamine"
    ));
    assert!(has_label_containing(&h, "Raised: ALT 65 U/L on"));
    assert!(has_label_containing(
        &h,
        "3.3 times the first recorded value (20 U/L)"
    ));
    assert!(has_label_containing(&h, "65 (ULN 40)"));
    let audit = h
        .state()
        .course
        .doc
        .as_ref()
        .and_then(|d| d.audit.last().cloned())
        .unwrap_or_else(|| panic!("audit"));
    assert!(audit.field.starts_with("lft"), "{}", audit.field);

    // Saved in the course file.
    click(&mut h, "Save course");
    let saved = read_course_file(&path);
    assert_eq!(saved.sessions[1].lft.len(), 1);
    assert_eq!(saved.sessions[1].lft[0].alt, Some(65.0));

    // A result typed in error can be removed (audited); put back, it is recorded again.
    click(&mut h, &format!("Remove the liver test of {day}"));
    assert_eq!(recorded(&h), 0);
    assert!(!has_label_containing(
        &h,
        "Liver enzymes raised after ketamine"
    ));
    type_into(&mut h, "LFT date", &day);
    type_into(&mut h, "ALT (U/L)", "65");
    type_into(&mut h, "ALT upper limit of normal (U/L)", "40");
    click(&mut h, "Record LFT result");
    assert_eq!(recorded(&h), 1);

    // The next visit's case says the rise is unresolved.
    click(&mut h, "Prepare the next visit");
    assert_eq!(h.state().view(), View::Wizard);
    assert!(h.state().state.draft.lft_raised_unresolved);
}

#[test]
fn a_charted_value_past_the_stop_criteria_is_named_in_its_row() {
    let dir = temp_dir();
    let path = write_course(
        dir.path(),
        "flags.ketaplan",
        &course_of(&[order_day() - Duration::days(1)]),
    );
    let mut h = course_harness(new_app());
    open_course_typed(&mut h, &path);
    click(&mut h, "Add row");
    type_into(&mut h, "Row 1 BP", "179/109");
    type_into(&mut h, "Row 1 SpO2 %", "90");
    assert!(!has_label_containing(&h, "Past the stop criteria"));
    // 190/115 fits the field and is at or above the 180/110 stop criterion; SpO2 88 < 90.
    type_into(&mut h, "Row 1 BP", "190/115");
    type_into(&mut h, "Row 1 SpO2 %", "88");
    assert_eq!(h.state().course.flowsheets[&1].rows[0].bp, "190/115");
    assert!(has_label_containing(
        &h,
        "Past the stop criteria: SpO2 88 % (below 90 %); BP 190/115 (at or above 180/110)"
    ));
    // Marked on the printable chart as well.
    click(&mut h, "Show the printable monitoring chart");
    let lines = h.state().course.chart_lines.join(" ");
    let flat: String = lines.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("PAST STOP CRITERIA: SpO2 88 %"), "{flat}");
}
