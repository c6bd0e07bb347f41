//! The Patients page on a real SQLite clinic database (egui_kittest, driven by labels):
//! finding a patient and opening the course, the clinic's follow-up calls, importing a
//! course file, and the conflict when someone else saved the course underneath.

#[path = "support/clinic.rs"]
mod clinic;
mod common;

use clinic::{Backend, TestDb, a_course_file};
use common::{harness, has_label, has_label_containing, new_app, press, type_into, wait_for};
use egui_kittest::Harness;
use ketaplan::store::db::DbUrl;
use ketaplan::ui::KetaplanApp;

/// Patients → "Open course of MRN", until the Course view shows it.
fn open_from_patients(h: &mut Harness<'_, KetaplanApp>, mrn: &str) {
    press(h, "Patients");
    wait_for(h, &format!("Open course of {mrn}"));
    press(h, &format!("Open course of {mrn}"));
    wait_for(h, &format!("Clinic database: MRN {mrn}"));
}

fn app_on(db: &TestDb) -> Harness<'static, KetaplanApp> {
    let mut app = new_app();
    app.set_clinic_database(DbUrl::parse(&db.url).unwrap_or_else(|e| panic!("{e}")));
    harness(app)
}

fn imported_db() -> (TestDb, String) {
    let db =
        TestDb::migrated(&Backend::Sqlite).unwrap_or_else(|| panic!("no SQLite test database"));
    let file = a_course_file();
    let out = db.json(&["course", "import", &file.to_string_lossy()]);
    let mrn = out["mrn"].as_str().unwrap_or_default().to_string();
    (db, mrn)
}

#[test]
fn the_patients_page_finds_a_patient_and_opens_the_course() {
    let (db, mrn) = imported_db();
    let mut h = app_on(&db);
    press(&mut h, "Patients");
    wait_for(&mut h, "Jane Example");
    type_into(&mut h, "Search patients by MRN or name", "nobody-like-this");
    wait_for(&mut h, "No patient found.");
    type_into(&mut h, "Search patients by MRN or name", &mrn);
    wait_for(&mut h, &format!("Open course of {mrn}"));
    press(&mut h, &format!("Open course of {mrn}"));
    wait_for(&mut h, &format!("Clinic database: MRN {mrn}"));
    let doc = h
        .state()
        .course
        .doc
        .clone()
        .unwrap_or_else(|| panic!("no course opened"));
    assert_eq!(doc.identity.mrn, mrn);
    assert!(!doc.sessions.is_empty());
    assert!(
        !h.state().course.is_dirty(),
        "a course just opened has no unsaved changes"
    );
}

#[test]
fn the_clinics_follow_up_calls_come_from_the_database() {
    let (db, mrn) = imported_db();
    let mut h = app_on(&db);
    press(&mut h, "Patients");
    wait_for(&mut h, "Follow-up calls due across the clinic");
    let today = "2026-11-20";
    let due = db.json(&["followups", "--on", today]);
    let rows = due.as_array().cloned().unwrap_or_default();
    assert!(
        !rows.is_empty(),
        "the test course has calls due by {today}: {due}"
    );
    for row in rows {
        let button = format!(
            "Open course of {} for the call",
            row["mrn"].as_str().unwrap_or("")
        );
        wait_for(&mut h, &button);
        assert!(
            has_label(&h, row["due_date"].as_str().unwrap_or("?")),
            "{row}"
        );
    }
    assert!(mrn.len() > 1);
}

#[test]
fn importing_a_course_file_from_the_page_adds_the_patient() {
    let db =
        TestDb::migrated(&Backend::Sqlite).unwrap_or_else(|| panic!("no SQLite test database"));
    let file = a_course_file();
    let mut h = app_on(&db);
    press(&mut h, "Patients");
    wait_for(&mut h, "No patient found.");
    type_into(
        &mut h,
        "Course files to import (one path per line)",
        &file.to_string_lossy(),
    );
    press(&mut h, "Import these files");
    wait_for(&mut h, "sessions added");
    wait_for(&mut h, "Jane Example");
    assert_eq!(db.json(&["db", "status"])["patients"], 1);
    press(&mut h, "Import these files");
    wait_for(&mut h, "0 sessions added");
}

#[test]
fn a_save_after_someone_else_saved_is_a_conflict_and_reload_keeps_the_edit() {
    let (db, mrn) = imported_db();
    let mut h = app_on(&db);
    open_from_patients(&mut h, &mrn);
    // Another workstation adds a session meanwhile.
    let case = clinic::p01_case_for(db.dir.path(), &mrn, "Jane Example", |v| {
        v["order"]["date_of_birth"] = "1971-03-02".into();
    });
    let (code, _, err) = db.cli(&[
        "session",
        "add",
        &mrn,
        &case.to_string_lossy(),
        "--user",
        "nurse-b",
    ]);
    assert_eq!(code, 0, "{err}");
    // Here, an edit to the first session, then Save.
    let first = {
        let course = &mut h.state_mut().course;
        let doc = course.doc.as_mut().unwrap_or_else(|| panic!("no course"));
        doc.sessions[0]
            .justifications
            .insert("note".into(), "edited at the chair".into());
        doc.sessions[0].id
    };
    h.run();
    press(&mut h, "Save course");
    wait_for(&mut h, "nurse-b changed this course");
    assert!(
        h.state().course.is_dirty(),
        "nothing was saved; the edit is still here"
    );
    press(
        &mut h,
        "Reload from the clinic database, keeping my changes",
    );
    wait_for(&mut h, "Reloaded the stored course");
    let doc = h
        .state()
        .course
        .doc
        .clone()
        .unwrap_or_else(|| panic!("no course"));
    let stored = db.json(&["db", "status"]);
    assert_eq!(
        Some(doc.sessions.len() as i64),
        stored["sessions"].as_i64(),
        "the other workstation's session is here: {stored}"
    );
    let edited = doc
        .sessions
        .iter()
        .find(|s| s.id == first)
        .and_then(|s| s.justifications.get("note"));
    assert_eq!(edited.map(String::as_str), Some("edited at the chair"));
    press(&mut h, "Save course");
    wait_for(&mut h, "Saved to the clinic database.");
    assert!(!h.state().course.is_dirty());
    let trail = db.json(&["audit", &mrn]);
    assert!(trail.to_string().contains("change session"), "{trail}");
}

#[test]
fn an_unreachable_database_is_said_in_the_toolbar_and_the_case_stays() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.path().join("no-such-clinic.db");
    let mut app = new_app();
    app.set_clinic_database(
        DbUrl::parse(&format!("sqlite:{}", missing.display())).unwrap_or_else(|e| panic!("{e}")),
    );
    let mut h = harness(app);
    type_into(&mut h, "Patient name", "Ann Keep");
    press(&mut h, "Patients");
    wait_for(&mut h, "Clinic database unreachable");
    assert!(
        has_label_containing(&h, "does not exist"),
        "the page says why"
    );
    assert!(!missing.exists(), "a mistyped database is never created");
    press(&mut h, "Case");
    h.run();
    assert!(
        has_label_containing(&h, "Ann Keep"),
        "what was typed is still there"
    );
}

#[test]
fn a_course_from_the_database_dates_new_sessions_by_the_clinics_clock() {
    let db = TestDb::new(&Backend::Sqlite).unwrap_or_else(|| panic!("no SQLite test database"));
    db.json(&["db", "migrate", "--time-zone", "Pacific/Kiritimati"]);
    let file = a_course_file();
    let mrn = db.json(&["course", "import", &file.to_string_lossy()])["mrn"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut h = app_on(&db);
    open_from_patients(&mut h, &mrn);
    let zone: chrono_tz::Tz = "Pacific/Kiritimati".parse().unwrap_or(chrono_tz::UTC);
    let before = chrono::Utc::now().with_timezone(&zone).naive_local();
    let now = h.state().course.now();
    let after = chrono::Utc::now().with_timezone(&zone).naive_local();
    assert!(
        before <= now && now <= after,
        "{before} ≤ {now} ≤ {after}: the clinic's clock"
    );
}
