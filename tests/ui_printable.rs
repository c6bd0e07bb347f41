//! The app's text fields that print: refused characters are stripped on typing or paste and
//! the field says so (V4-22); an allergy placeholder shows the reason beside the field.

mod common;

use common::*;
use egui_kittest::kittest::Queryable as _;

#[test]
fn a_right_to_left_override_typed_into_the_name_is_stripped_and_named() {
    let mut h = harness(new_app());
    type_into(&mut h, "Patient name", "Jane \u{202e}Doe\u{200b}");
    assert_eq!(
        h.get_by_label("Patient name").value().unwrap_or_default(),
        "Jane Doe"
    );
    assert!(has_label_containing(
        &h,
        "Removed U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE"
    ));
    // A clean edit clears the note; joiners and right-to-left letters stay.
    type_into(&mut h, "Patient name", "می\u{200c}خواهم דוד");
    assert_eq!(
        h.get_by_label("Patient name").value().unwrap_or_default(),
        "می\u{200c}خواهم דוד"
    );
    assert!(!has_label_containing(&h, "Removed U+"));
}

#[test]
fn an_allergy_placeholder_shows_what_to_write_beside_the_field() {
    let mut h = harness(new_app());
    click(&mut h, "Has allergies");
    type_into(&mut h, "Allergy list", "n/a");
    assert!(has_label_containing(
        &h,
        "write 'no known allergies' or list each allergy and its reaction"
    ));
    type_into(&mut h, "Allergy list", "penicillin: rash");
    assert!(!has_label_containing(&h, "write 'no known allergies'"));
}
