//! The desktop app around the wizard, driven through its widgets and keys (egui_kittest, no
//! GPU): case files through the typed-path dialog, unsaved-changes prompts, preferences,
//! protocol packs, restore after a crash, keyboard navigation and accessible names.

mod common;

use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _, by};
use ketaplan::domain::case::{CaseFormat, parse_case};
use ketaplan::domain::plan;
use ketaplan::domain::protocol::BUILT_IN_PACK;
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::{Page, View};
use ketaplan::ui::draft::WeightUnitChoice;
use ketaplan::ui::prefs::{Preferences, ThemeChoice};
use std::path::{Path, PathBuf};

fn p01_app() -> KetaplanApp {
    let mut app = new_app();
    app.open_case_value(&read_case(P01));
    app
}

/// Ctrl+S / Ctrl+O through the typed-path dialog (no native dialog in tests).
fn save_as_typed(h: &mut Harness<'_, KetaplanApp>, path: &Path) {
    keys(
        h,
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::S,
    );
    type_into(h, "Path to save the case to", &path.display().to_string());
    click(h, "Save to this path");
}

fn open_typed(h: &mut Harness<'_, KetaplanApp>, path: &Path) {
    keys(h, egui::Modifiers::COMMAND, egui::Key::O);
    type_into(
        h,
        "Path of the case file to open",
        &path.display().to_string(),
    );
    click(h, "Open this file");
}

#[test]
fn save_new_open_round_trip_and_the_saved_file_runs_through_ketaplan_plan() {
    let dir = temp_dir();
    let value = read_case(P01);
    let protocol = protocol();
    let expected = plan(
        &protocol,
        &parse_case(&protocol, &value.to_string(), CaseFormat::Json)
            .unwrap_or_else(|e| panic!("p01: {e:?}")),
    );
    let mut h = harness(p01_app());
    let before = h.state().state.draft.clone();

    // Save: no file yet, so Ctrl+S asks for a path; ".case.ron" is added.
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::S);
    type_into(
        &mut h,
        "Path to save the case to",
        &dir.path().join("jane").display().to_string(),
    );
    click(&mut h, "Save to this path");
    let saved = dir.path().join("jane.case.ron");
    assert!(saved.is_file(), "nothing saved at {}", saved.display());
    assert!(!h.state().has_modal());
    assert_eq!(h.state().file_path(), Some(saved.as_path()));
    assert!(!h.state().is_dirty());
    assert!(
        h.state()
            .window_title()
            .starts_with("jane.case.ron — ketaplan")
    );
    #[cfg(unix)]
    assert_eq!(mode_of(&saved), 0o600, "a case file is owner-only");

    // The saved file is the contract's form: `ketaplan plan` accepts it and gives the plan.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ketaplan"))
        .arg("plan")
        .arg(&saved)
        .output()
        .unwrap_or_else(|e| panic!("ketaplan plan: {e}"));
    assert!(
        out.status.success(),
        "ketaplan plan refused the saved case: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&saved).unwrap_or_else(|e| panic!("{e}"));
    let reread = parse_case(&protocol, &text, CaseFormat::Ron)
        .unwrap_or_else(|e| panic!("saved case invalid: {e:?}"));
    assert_eq!(plan(&protocol, &reread), expected);

    // New: nothing unsaved, so no question; an empty case.
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::N);
    assert!(!h.state().has_modal());
    assert_eq!(h.state().file_path(), None);
    assert!(h.state().state.draft.patient_name.is_empty());

    // Open it again through the typed path: the same case and plan as before the save.
    open_typed(&mut h, &saved);
    assert!(!h.state().has_modal());
    assert_eq!(h.state().file_path(), Some(saved.as_path()));
    assert_eq!(h.state().current_plan(), Some(expected));
    assert_eq!(h.state().state.draft.patient_name, before.patient_name);
    assert!(
        !h.state().is_dirty(),
        "a freshly opened case has no changes"
    );
    assert_eq!(
        h.state().recent_files().paths.first().map(String::as_str),
        Some(saved.display().to_string().as_str())
    );

    // Edit → dirty mark in the title; Save goes to the same file, keeping a backup.
    type_into(&mut h, "Patient name", "Jane Q Example");
    assert!(h.state().is_dirty());
    assert!(h.state().window_title().contains('•'));
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::S);
    assert!(!h.state().has_modal(), "Save with a file asks nothing");
    assert!(!h.state().is_dirty());
    let text = std::fs::read_to_string(&saved).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("Jane Q Example"));
    assert!(dir.path().join("jane.case.ron.bak").is_file());
}

#[test]
fn an_incomplete_case_is_saved_as_a_draft_and_opens_again() {
    let dir = temp_dir();
    let mut h = harness(new_app());
    type_into(&mut h, "Patient name", "Half Typed");
    type_into(&mut h, "Weight", "7O");
    let path = dir.path().join("half.case.ron");
    save_as_typed(&mut h, &path);
    assert!(path.is_file());
    assert!(!h.state().is_dirty());
    assert!(
        h.state()
            .notice()
            .is_some_and(|n| n.text.contains("as a draft")),
        "the user is told it is not a valid case yet"
    );
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::N);
    open_typed(&mut h, &path);
    assert!(!h.state().has_modal(), "a saved draft opens again");
    assert_eq!(h.state().state.draft.patient_name, "Half Typed");
    assert_eq!(h.state().state.draft.weight, "7O", "what was typed is kept");
}

#[test]
fn a_bad_file_shows_its_errors_and_changes_nothing() {
    let dir = temp_dir();
    let mut h = harness(p01_app());
    let before = h.state().state.draft.clone();

    // A syntax error: the message carries line:column.
    let bad = dir.path().join("broken.case.json");
    std::fs::write(
        &bad,
        "{\n  \"schema\": \"ketaplan.case/1\",\n  \"patient\": {,\n}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    open_typed(&mut h, &bad);
    assert!(has_label_containing(&h, "Could not open"));
    assert!(has_label_containing(&h, "Nothing was changed"));
    assert!(
        has_label_containing(&h, "at 3:"),
        "the syntax error names its line:column"
    );
    assert_eq!(h.state().state.draft, before);
    assert_eq!(h.state().file_path(), None);
    click(&mut h, "OK");
    assert!(!h.state().has_modal());

    // A field the wizard cannot hold: refused with its path, not silently dropped.
    let mut value = read_case(P01);
    value["patient"]["shoe_size"] = serde_json::json!(42);
    let unknown = dir.path().join("unknown.case.json");
    std::fs::write(&unknown, value.to_string()).unwrap_or_else(|e| panic!("{e}"));
    open_typed(&mut h, &unknown);
    assert!(has_label_containing(&h, "patient.shoe_size"));
    assert_eq!(h.state().state.draft, before);
    click(&mut h, "OK");

    // A path that does not exist: the typed-path dialog says so and stays open.
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::O);
    type_into(
        &mut h,
        "Path of the case file to open",
        &dir.path().join("nope.case.ron").display().to_string(),
    );
    click(&mut h, "Open this file");
    assert!(has_label_containing(&h, "There is no file at"));
    click(&mut h, "Cancel");
    assert!(!h.state().has_modal());
    assert_eq!(h.state().state.draft, before);
}

#[test]
fn unsaved_changes_are_asked_about_before_new_and_open() {
    let dir = temp_dir();
    let mut h = harness(new_app());
    type_into(&mut h, "Patient name", "Unsaved Person");

    // Cancel keeps everything.
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::N);
    assert!(has_label_containing(&h, "changes that are not saved"));
    click(&mut h, "Cancel");
    assert_eq!(h.state().state.draft.patient_name, "Unsaved Person");

    // Save changes: asks for a path, saves, then starts the new case.
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::N);
    click(&mut h, "Save changes");
    let path = dir.path().join("unsaved-person.case.ron");
    type_into(
        &mut h,
        "Path to save the case to",
        &path.display().to_string(),
    );
    click(&mut h, "Save to this path");
    assert!(path.is_file());
    assert!(h.state().state.draft.patient_name.is_empty(), "then New");

    // Discard before Open: the typed path opens next, and the edit is gone.
    type_into(&mut h, "Patient name", "Throwaway");
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::O);
    click(&mut h, "Discard changes");
    type_into(
        &mut h,
        "Path of the case file to open",
        &path.display().to_string(),
    );
    click(&mut h, "Open this file");
    assert_eq!(h.state().state.draft.patient_name, "Unsaved Person");
}

#[test]
fn an_existing_file_is_replaced_only_after_a_second_confirmation() {
    let dir = temp_dir();
    let other = dir.path().join("other.case.ron");
    std::fs::write(&other, "precious").unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(p01_app());
    save_as_typed(&mut h, &other);
    assert!(has_label_containing(&h, "already exists"));
    assert_eq!(
        std::fs::read_to_string(&other).unwrap_or_default(),
        "precious"
    );
    click(&mut h, "Save to this path");
    assert!(!h.state().has_modal());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("other.case.ron.bak")).unwrap_or_default(),
        "precious",
        "the replaced version is kept"
    );
}

#[test]
fn preferences_round_trip_and_missing_fields_take_defaults() {
    let mut app = KetaplanApp::from_storage(None, None);
    let prefs = app.preferences_mut();
    prefs.weight_unit = WeightUnitChoice::Lb;
    prefs.clinic_name = "Pain Clinic North".into();
    prefs.clinic_phone = "555 0100".into();
    prefs.theme = ThemeChoice::Dark;
    prefs.zoom_factor = 1.2;
    prefs.last_folder = Some("/srv/cases".into());
    let concentration = protocol().pack.concentrations[0].mg_per_ml;
    prefs.default_concentration_mg_per_ml = Some(concentration);
    let wanted = app.preferences().clone();
    let mut storage = MemoryStorage::default();
    eframe::App::save(&mut app, &mut storage);

    let again = KetaplanApp::from_storage(Some(&storage), None);
    assert_eq!(again.preferences(), &wanted);
    // A new case starts with the clinic's defaults.
    let draft = &again.state.draft;
    assert_eq!(draft.weight_unit, WeightUnitChoice::Lb);
    assert_eq!(draft.clinic, "Pain Clinic North");
    assert_eq!(draft.clinic_phone, "555 0100");
    assert_eq!(
        draft.concentration_mg_per_ml.parse::<f64>().ok(),
        Some(concentration)
    );
    // No patient data in eframe's storage (it is not owner-only).
    assert!(storage.0.values().all(|v| !v.contains("patient")));

    // An older or partial entry: what is missing takes its default.
    let mut old = MemoryStorage::default();
    old.0.insert(
        ketaplan::ui::prefs::STORAGE_KEY.into(),
        "(clinic_name: \"Old Clinic\")".into(),
    );
    let app = KetaplanApp::from_storage(Some(&old), None);
    assert_eq!(app.preferences().clinic_name, "Old Clinic");
    assert_eq!(app.preferences().weight_unit, WeightUnitChoice::Kg);
    assert_eq!(app.preferences().zoom_factor, 1.0);
    assert_eq!(app.preferences().protocol_path, None);
    // Garbage: all defaults, and the app still starts.
    let mut garbage = MemoryStorage::default();
    garbage
        .0
        .insert(ketaplan::ui::prefs::STORAGE_KEY.into(), "((((".into());
    let app = KetaplanApp::from_storage(Some(&garbage), None);
    assert_eq!(app.preferences(), &Preferences::default());
}

#[test]
fn preferences_page_edits_the_clinic_name_and_theme() {
    let mut h = harness(new_app());
    click(&mut h, "Preferences");
    assert_eq!(h.state().view(), View::Preferences);
    type_into(&mut h, "Clinic name", "East Wing");
    type_into(&mut h, "Clinic telephone", "555 0100");
    click(&mut h, "Dark");
    assert_eq!(h.state().preferences().clinic_name, "East Wing");
    assert_eq!(h.state().preferences().clinic_phone, "555 0100");
    assert_eq!(h.state().preferences().theme, ThemeChoice::Dark);
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    click(&mut h, "Back to the case");
    assert_eq!(h.state().view(), View::Wizard);
}

fn local_pack_text() -> String {
    let text = BUILT_IN_PACK.to_string();
    let (head, tail) = text
        .split_once("version: \"")
        .unwrap_or_else(|| panic!("the built-in pack has no version"));
    let (_, rest) = tail.split_once('"').unwrap_or_else(|| panic!("bad pack"));
    format!("{head}version: \"clinic-1\"{rest}")
}

#[test]
fn a_refused_protocol_pack_keeps_the_previous_one() {
    let dir = temp_dir();
    let bad = dir.path().join("bad.ron");
    // Valid RON, invalid pack: a field removed.
    std::fs::write(&bad, BUILT_IN_PACK.replacen("version:", "versio:", 1))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(new_app());
    let sha_before = protocol().sha256;
    click(&mut h, "Preferences");
    click(&mut h, "Use a clinic pack…");
    type_into(
        &mut h,
        "Path of the protocol pack (.ron)",
        &bad.display().to_string(),
    );
    click(&mut h, "Load this pack");
    assert!(
        has_label_containing(&h, "bad.ron:"),
        "the error names the file"
    );
    click(&mut h, "Cancel");
    assert_eq!(
        h.state().protocol().map(|p| p.sha256.clone()),
        Some(sha_before)
    );
    assert!(has_label_containing(&h, "was refused"));
    assert!(h.state().protocol().is_some_and(|p| p.built_in));
    assert_eq!(h.state().preferences().protocol_path, None);
}

#[test]
fn a_local_pack_is_marked_local_protocol_everywhere_and_comes_back_after_a_restart() {
    let dir = temp_dir();
    let pack = dir.path().join("clinic.ron");
    std::fs::write(&pack, local_pack_text()).unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(new_app());
    click(&mut h, "Preferences");
    click(&mut h, "Use a clinic pack…");
    type_into(
        &mut h,
        "Path of the protocol pack (.ron)",
        &pack.display().to_string(),
    );
    click(&mut h, "Load this pack");
    let local = h
        .state()
        .protocol()
        .cloned()
        .unwrap_or_else(|| panic!("no pack"));
    assert!(!local.built_in);
    assert_eq!(local.pack.version, "clinic-1");
    // Identity always visible: sha256 in full on the preferences page.
    assert!(has_label_containing(&h, &local.sha256));
    assert!(h.state().window_title().contains("local protocol"));
    assert!(has_label_containing(&h, "LOCAL PROTOCOL"));
    click(&mut h, "View the protocol");
    assert!(has_label_containing(&h, "local protocol"));
    click(&mut h, "Back to the case");
    assert!(has_label_containing(&h, "— LOCAL PROTOCOL"), "footer");

    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let again = KetaplanApp::from_storage(Some(&storage), None);
    assert_eq!(again.protocol().map(|p| &p.sha256), Some(&local.sha256));

    click(&mut h, "Preferences");
    click(&mut h, "Use the built-in pack");
    assert!(h.state().protocol().is_some_and(|p| p.built_in));
    assert!(!h.state().window_title().contains("local protocol"));
}

#[test]
fn the_protocol_view_lists_every_threshold_and_code() {
    let mut h = harness(new_app());
    click(&mut h, "Protocol");
    let protocol = protocol();
    for (path, _) in protocol.thresholds() {
        assert!(has_label_containing(&h, &path), "threshold {path} missing");
    }
    for f in &protocol.pack.findings {
        assert!(
            has_label_containing(&h, &f.code),
            "finding {} missing",
            f.code
        );
    }
    for a in &protocol.pack.alerts {
        assert!(
            has_label_containing(&h, &a.code),
            "alert {} missing",
            a.code
        );
    }
    assert!(has_label_containing(&h, &protocol.sha256));
    // Escape goes back to the case.
    keys(&mut h, egui::Modifiers::NONE, egui::Key::Escape);
    assert_eq!(h.state().view(), View::Wizard);
}

#[test]
fn the_case_in_progress_is_restored_after_a_restart_and_cleared_by_a_save() {
    let data = temp_dir();
    let cases = temp_dir();
    let mut app = KetaplanApp::from_storage(None, Some(data.path().to_path_buf()));
    app.set_today(order_day());
    let mut h = harness(app);
    type_into(&mut h, "Patient name", "Crash Test");
    type_into(&mut h, "MRN", "777");
    // Throttled writes: make sure the last edit is on disk, as it is a moment later.
    h.state_mut()
        .write_restore_now()
        .unwrap_or_else(|e| panic!("{e}"));
    let restore = data.path().join(ketaplan::store::file_store::RESTORE_FILE);
    assert!(restore.is_file());
    #[cfg(unix)]
    assert_eq!(mode_of(&restore), 0o600, "the restore file is owner-only");
    let typed = h.state().state.draft.clone();
    drop(h); // a crash: no save, no clean close

    let again = KetaplanApp::from_storage(None, Some(data.path().to_path_buf()));
    assert_eq!(again.state.draft, typed);
    assert!(again.is_dirty(), "a restored case is not saved");
    assert!(
        again
            .notice()
            .is_some_and(|n| n.text.contains("Restored the case in progress"))
    );
    let mut h = harness(again);
    save_as_typed(&mut h, &cases.path().join("crash.case.ron"));
    assert!(!restore.exists(), "a clean save clears the restore file");
    let third = KetaplanApp::from_storage(None, Some(data.path().to_path_buf()));
    assert!(third.state.draft.patient_name.is_empty());
}

#[test]
fn the_restore_file_is_written_on_an_edit_without_being_asked() {
    let data = temp_dir();
    let mut app = KetaplanApp::from_storage(None, Some(data.path().to_path_buf()));
    app.set_today(order_day());
    let mut h = harness(app);
    type_into(&mut h, "Patient name", "A");
    assert!(
        data.path()
            .join(ketaplan::store::file_store::RESTORE_FILE)
            .is_file()
    );
    // New with nothing to save (after Discard) clears it.
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::N);
    click(&mut h, "Discard changes");
    assert!(
        !data
            .path()
            .join(ketaplan::store::file_store::RESTORE_FILE)
            .exists()
    );
}

#[test]
fn keyboard_moves_between_pages_and_enter_moves_to_the_next_field() {
    let mut h = harness(new_app());
    keys(&mut h, egui::Modifiers::NONE, egui::Key::PageDown);
    assert_eq!(h.state().page(), Page::Indication);
    keys(&mut h, egui::Modifiers::ALT, egui::Key::ArrowRight);
    assert_eq!(h.state().page(), Page::Screening);
    keys(&mut h, egui::Modifiers::NONE, egui::Key::PageUp);
    assert_eq!(h.state().page(), Page::Indication);
    keys(&mut h, egui::Modifiers::ALT, egui::Key::ArrowLeft);
    assert_eq!(h.state().page(), Page::Patient);
    keys(&mut h, egui::Modifiers::NONE, egui::Key::PageUp);
    assert_eq!(h.state().page(), Page::Patient, "no page before the first");

    type_into(&mut h, "Patient name", "Enter Key");
    keys(&mut h, egui::Modifiers::NONE, egui::Key::Enter);
    h.run();
    assert!(h.get_by_label("MRN").is_focused(), "Enter moves on to MRN");
    assert_eq!(h.state().state.draft.patient_name, "Enter Key");
}

#[test]
fn tab_goes_from_the_page_to_back_next_before_the_plan_panel() {
    let mut h = harness(new_app());
    click(&mut h, "Next");
    // The last widget of the Indication page, then Tab: Back comes before the plan panel.
    let names: Vec<String> = (0..80)
        .filter_map(|_| {
            keys(&mut h, egui::Modifiers::NONE, egui::Key::Tab);
            h.query_all(by().predicate(|n| n.is_focused()))
                .next()
                .and_then(|n| n.accesskit_node().label())
        })
        .collect();
    let position = |name: &str| names.iter().position(|n| n == name);
    let condition = position("Detail (optional)").unwrap_or(usize::MAX);
    let back = position("Back").unwrap_or_else(|| panic!("Tab never reached Back: {names:?}"));
    assert!(condition < back, "page fields before Back/Next: {names:?}");
}

/// Roles a user interacts with; each needs a name a screen reader can speak.
fn interactive(role: egui::accesskit::Role) -> bool {
    use egui::accesskit::Role;
    matches!(
        role,
        Role::Button
            | Role::DefaultButton
            | Role::Link
            | Role::CheckBox
            | Role::RadioButton
            | Role::Switch
            | Role::ComboBox
            | Role::EditableComboBox
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::SearchInput
            | Role::DateInput
            | Role::NumberInput
            | Role::PasswordInput
            | Role::SpinButton
            | Role::Slider
            | Role::MenuItem
            | Role::MenuItemCheckBox
            | Role::MenuItemRadio
            | Role::Tab
    )
}

fn unlabelled<S>(h: &Harness<'_, S>) -> Vec<String> {
    h.root()
        .children_recursive()
        .filter(|n| interactive(n.accesskit_node().role()))
        .filter(|n| {
            n.accesskit_node()
                .label()
                .is_none_or(|l| l.trim().is_empty())
        })
        .map(|n| {
            format!(
                "{:?} {:?}",
                n.accesskit_node().role(),
                n.accesskit_node().id()
            )
        })
        .collect()
}

#[test]
fn every_interactive_widget_on_every_page_has_an_accessible_name() {
    let mut problems = Vec::new();
    let mut check = |h: &Harness<'_, KetaplanApp>, place: &str| {
        for p in unlabelled(h) {
            problems.push(format!("{place}: {p}"));
        }
        let widgets = h
            .root()
            .children_recursive()
            .filter(|n| interactive(n.accesskit_node().role()))
            .count();
        assert!(
            widgets >= 3,
            "{place}: only {widgets} interactive widgets seen"
        );
    };
    for case in [None, Some(P01)] {
        for page in Page::ALL {
            let mut app = new_app();
            if let Some(path) = case {
                app.open_case_value(&read_case(path));
            }
            app.state.page = page;
            let h = harness(app);
            check(&h, &format!("{page:?} ({case:?})"));
        }
    }
    for view in ["Protocol", "Preferences"] {
        let mut h = harness(p01_app());
        click(&mut h, view);
        check(&h, view);
    }
    // The dialogs: typed path, unsaved changes, open failed.
    let mut h = harness(new_app());
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::O);
    check(&h, "typed-path dialog");
    type_into(&mut h, "Path of the case file to open", "Cargo.toml");
    click(&mut h, "Open this file");
    check(&h, "open-failed dialog");
    click(&mut h, "OK");
    type_into(&mut h, "Patient name", "X");
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::N);
    check(&h, "unsaved-changes dialog");
    assert!(
        problems.is_empty(),
        "widgets without an accessible name:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_accessibility_walk_catches_an_unnamed_entry() {
    // kittest's own check would stop at the first frame; this test checks ours.
    let mut h = Harness::builder()
        .with_accessibility_check(false)
        .build_ui_state(
            |ui, text: &mut String| {
                ui.text_edit_singleline(text);
            },
            String::new(),
        );
    h.run();
    assert_eq!(unlabelled(&h).len(), 1);
}

#[test]
fn the_title_names_the_file_and_marks_changes() {
    let mut h = harness(new_app());
    assert_eq!(h.state().window_title(), "New case — ketaplan");
    type_into(&mut h, "Patient name", "T");
    assert_eq!(h.state().window_title(), "New case • — ketaplan");
    let dir = temp_dir();
    let path: PathBuf = dir.path().join("t.case.ron");
    save_as_typed(&mut h, &path);
    assert_eq!(h.state().window_title(), "t.case.ron — ketaplan");
}

#[test]
fn every_vignette_opens_without_a_change_on_any_page() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("tests/cases")
        .unwrap_or_else(|e| panic!("tests/cases: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".case.json"))
        .collect();
    paths.sort();
    assert!(paths.len() > 10);
    for path in paths {
        let mut app = new_app();
        if !app.open_path(&path) {
            // Only the vignettes the engine rejects may be refused.
            assert!(
                path.to_string_lossy().contains("rejected"),
                "{} did not open",
                path.display()
            );
            continue;
        }
        let opened = app.state.draft.clone();
        let mut h = harness(app);
        for page in Page::ALL {
            h.state_mut().state.page = page;
            h.run();
            assert!(
                !h.state().is_dirty(),
                "{} changed on {page:?} without an edit:\n{:#?}\nvs\n{:#?}",
                path.display(),
                opened,
                h.state().state.draft
            );
        }
    }
}

fn request_close(h: &mut Harness<'_, KetaplanApp>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
}

fn sent(h: &Harness<'_, KetaplanApp>, command: &egui::ViewportCommand) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(command))
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let data = temp_dir();
    let mut app = KetaplanApp::from_storage(None, Some(data.path().to_path_buf()));
    app.set_today(order_day());
    let mut h = harness(app);
    request_close(&mut h);
    assert!(
        !sent(&h, &egui::ViewportCommand::CancelClose),
        "nothing to save: the window closes"
    );

    type_into(&mut h, "Patient name", "Not Yet Saved");
    request_close(&mut h);
    assert!(sent(&h, &egui::ViewportCommand::CancelClose));
    h.run();
    assert!(has_label_containing(&h, "Save them before closing"));
    click(&mut h, "Cancel");
    assert_eq!(h.state().state.draft.patient_name, "Not Yet Saved");
    assert!(
        data.path()
            .join(ketaplan::store::file_store::RESTORE_FILE)
            .is_file(),
        "still restorable"
    );

    request_close(&mut h);
    h.run();
    h.get_by_label("Discard changes").click();
    h.step();
    assert!(sent(&h, &egui::ViewportCommand::Close));
    assert!(
        !data
            .path()
            .join(ketaplan::store::file_store::RESTORE_FILE)
            .exists(),
        "discarded on purpose: nothing to restore"
    );
}

#[test]
fn a_json_case_is_never_overwritten_with_ron_and_recent_files_reopen() {
    let dir = temp_dir();
    let json = dir.path().join("p01.case.json");
    std::fs::copy(P01, &json).unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(new_app());
    open_typed(&mut h, &json);
    type_into(&mut h, "MRN", "999");
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::S);
    // Save asks where, offering the .case.ron next to the JSON.
    let offered = h
        .get_by_label("Path to save the case to")
        .value()
        .unwrap_or_default();
    assert_eq!(
        offered,
        dir.path().join("p01.case.ron").display().to_string()
    );
    click(&mut h, "Save to this path");
    assert_eq!(
        std::fs::read_to_string(&json).unwrap_or_default(),
        std::fs::read_to_string(P01).unwrap_or_default(),
        "the JSON file is untouched"
    );
    let ron = dir.path().join("p01.case.ron");
    assert!(ron.is_file());

    // Recent files: newest first, and one click opens it again.
    keys(&mut h, egui::Modifiers::COMMAND, egui::Key::N);
    click(&mut h, "Open recent");
    click(&mut h, &ron.display().to_string());
    assert_eq!(h.state().file_path(), Some(ron.as_path()));
    assert_eq!(h.state().state.draft.mrn, "999");
}

#[test]
fn opening_a_page_puts_the_keyboard_on_its_first_field() {
    let mut h = harness(new_app());
    let focused = |h: &Harness<'_, KetaplanApp>| {
        h.query_all(by().predicate(|n| n.is_focused()))
            .next()
            .and_then(|n| n.accesskit_node().label())
    };
    click(&mut h, "Next");
    assert_eq!(h.state().page(), Page::Indication);
    h.run();
    let first_condition = protocol()
        .pack
        .conditions
        .first()
        .map(|c| c.name.to_string())
        .unwrap_or_default();
    assert_eq!(focused(&h), Some(first_condition));
    keys(&mut h, egui::Modifiers::NONE, egui::Key::PageUp);
    h.run();
    assert_eq!(focused(&h).as_deref(), Some("Patient name"));
}
