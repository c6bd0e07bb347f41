//! The Course view's files, driven through its widgets: save and open through the typed
//! path, the autosave, a damaged course file never overwritten, the old flowsheet sidecar,
//! Ctrl+S and the toolbar saving the course rather than the case.

mod common;

use chrono::Duration;
use common::course_view::new_app;
use common::course_view::*;
use common::*;
use egui_kittest::kittest::Queryable as _;
use ketaplan::store::course_store::autosave_path;
use ketaplan::ui::actions::View;
use ketaplan::ui::course_state::flowsheet_path;
use ketaplan::ui::widgets::flowsheet::{FlowRow, Flowsheet};

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
