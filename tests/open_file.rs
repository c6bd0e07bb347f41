//! `ketaplan FILE` (step 14): what a double-click in the file manager passes opens the app
//! with that file — a course in the Course view, a case in the wizard — and every other
//! argument stays a command.

use ketaplan::cli::file_to_open;
use ketaplan::ui::KetaplanApp;
use ketaplan::ui::actions::View;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

fn args(list: &[&str]) -> Vec<OsString> {
    list.iter().map(Into::into).collect()
}

#[test]
fn one_case_or_course_file_opens_the_app_and_anything_else_is_a_command() {
    for (given, opens) in [
        (vec!["/home/nurse/Jane.ketaplan"], true),
        (vec!["jane.CASE.RON"], true),
        (vec!["tests/cases/p01.case.json"], true),
        (vec!["plan"], false),
        (vec!["notes.ron"], false),
        (vec![".ketaplan"], false),
        (vec!["a.ketaplan", "b.ketaplan"], false),
        (vec!["plan", "x.case.json"], false),
    ] {
        let got = file_to_open(&args(&given));
        assert_eq!(got.is_some(), opens, "{given:?}");
        if opens {
            assert_eq!(got, Some(PathBuf::from(given[0])));
        }
    }
}

fn app() -> KetaplanApp {
    KetaplanApp::with_protocol(
        ketaplan::domain::protocol::Protocol::built_in().map_err(|e| e.to_string()),
    )
}

#[test]
fn a_course_file_opens_in_the_course_view_and_a_case_in_the_wizard() {
    let mut course = app();
    course.open_at_start(Path::new("tests/courses/fhir-flowsheet.ketaplan"));
    assert_eq!(course.view(), View::Course);
    assert!(!course.has_modal());

    let mut case = app();
    let path = Path::new("tests/cases/p01-crps-contract-example-lb-positive.case.json");
    case.open_at_start(path);
    assert_eq!(case.view(), View::Wizard);
    assert_eq!(case.file_path(), Some(path));
}

#[test]
fn a_file_that_cannot_be_opened_says_so_in_the_window() {
    let mut app = app();
    app.open_at_start(Path::new("/nonexistent/jane.case.ron"));
    assert!(app.has_modal(), "the open-failed dialog names the file");
    assert_eq!(app.file_path(), None);
}
