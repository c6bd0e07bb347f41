//! Printed text fields (V4-22), allergies that say something (step 9b item 4) and text
//! lengths from the pack (item 10), through the command line: exit 2 naming the field.

#[path = "order_common.rs"]
mod common;

use common::*;
use serde_json::{Value, json};

/// `plan` on `doc`: (exit code, the rejected errors as (field, message)).
fn plan_errors(doc: &Value) -> (u8, Vec<(String, String)>) {
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", doc);
    let (code, stdout, _) = cli(&["plan", &case]);
    let json: Value = serde_json::from_str(&stdout).unwrap_or_default();
    let errors = json["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_string(),
                e["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (code, errors)
}

/// `order --text` on `doc`: (exit code, stderr, whether the file was written).
fn order(doc: &Value, extra: &[&str]) -> (u8, String, bool) {
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", doc);
    let out = dir.path().join("order.txt");
    let out_s = out.to_string_lossy().into_owned();
    let mut args = vec![
        "order",
        case.as_str(),
        "--out",
        &out_s,
        "--text",
        "--on",
        ORDER_DATE,
    ];
    args.extend_from_slice(extra);
    let (code, _, stderr) = cli(&args);
    (code, stderr, out.exists())
}

fn with_order_field(key: &str, text: &str) -> Value {
    let mut doc = standard();
    doc["order"][key] = json!(text);
    doc
}

#[test]
fn a_right_to_left_override_in_the_name_is_rejected_naming_field_and_character() {
    let doc = with_order_field("patient_name", "Jane \u{202e}elpmaxE");
    let (code, errors) = plan_errors(&doc);
    assert_eq!(code, 2);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "order.patient_name");
    assert!(
        errors[0].1.contains("U+202E RIGHT-TO-LEFT OVERRIDE"),
        "{}",
        errors[0].1
    );
    let (code, stderr, written) = order(&doc, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(!written);
    assert!(stderr.contains("order.patient_name"), "{stderr}");
}

#[test]
fn every_printed_field_refuses_controls_bidi_and_zero_width_characters() {
    let fields = [
        "patient_name",
        "mrn",
        "prescriber",
        "supervising_physician_name",
        "administering_clinician_name",
        "airway_clinician_name",
        "clinic",
        "clinic_phone",
        "allergies",
    ];
    for field in fields {
        for (c, name) in [
            ('\u{200b}', "U+200B ZERO WIDTH SPACE"),
            ('\u{feff}', "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
            ('\u{2066}', "U+2066 LEFT-TO-RIGHT ISOLATE"),
            ('\u{202a}', "U+202A LEFT-TO-RIGHT EMBEDDING"),
            ('\u{7}', "U+0007"),
            ('\u{9b}', "U+009B"),
            ('\n', "U+000A"),
        ] {
            let doc = with_order_field(field, &format!("Penicillin{c}rash"));
            let (code, errors) = plan_errors(&doc);
            assert_eq!(code, 2, "{field} {name}");
            let path = format!("order.{field}");
            assert!(
                errors.iter().any(|(f, m)| f == &path && m.contains(name)),
                "{field} {name}: {errors:?}"
            );
        }
    }
}

#[test]
fn reasons_keep_line_breaks_but_refuse_other_controls_and_overrides() {
    let mut doc = monitored();
    doc["justifications"]["hyperthyroidism"] =
        json!("Endocrinology reviewed:\nthyroid function normal on treatment.\r\n");
    let (code, stderr, written) = order(&doc, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(written);
    doc["justifications"]["hyperthyroidism"] =
        json!("Endocrinology reviewed: thyroid \u{202d}normal\u{202c} on treatment.");
    let (code, errors) = plan_errors(&doc);
    assert_eq!(code, 2);
    assert!(
        errors
            .iter()
            .any(|(f, m)| f == "justifications.hyperthyroidism"
                && m.contains("U+202D LEFT-TO-RIGHT OVERRIDE")),
        "{errors:?}"
    );
    // --justification is checked the same way.
    let (code, stderr, written) = order(
        &icu_multi_page(),
        &[
            "--justification",
            "Refractory CRPS\u{7} in the ICU, agreed with the consultant.",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(!written);
    assert!(
        stderr.contains("--justification") && stderr.contains("U+0007"),
        "{stderr}"
    );
}

#[test]
fn names_the_sheet_can_draw_are_accepted_and_the_others_refused_naming_the_character() {
    // Latin, Greek, Cyrillic, Hebrew and Arabic (shaped, in visual order), joiners kept.
    for name in [
        "Zoë Ñúñez-Øster",
        "Γιώργος Παπαδόπουλος",
        "Анна Иванова",
        "דוד כהן",
        "محمد رضا",
        "می\u{200c}خواهم",
        "Ann\u{200c}a Smith",
    ] {
        let (code, stderr, written) = order(&with_order_field("patient_name", name), &[]);
        assert_eq!(code, 0, "{name}: {stderr}");
        assert!(written);
    }
    // No glyph (an empty box) or conjuncts the fonts do not carry: refused at entry,
    // never printed wrong.
    for (name, named) in [("Zoë Ñúñez-Øster 李", "U+674E"), ("क्\u{200d}ष", "U+0915")] {
        let (code, errors) = plan_errors(&with_order_field("patient_name", name));
        assert_eq!(code, 2, "{name}");
        assert!(
            errors
                .iter()
                .any(|(f, m)| f == "order.patient_name" && m.contains(named)),
            "{name}: {errors:?}"
        );
    }
}

#[test]
fn allergy_placeholders_are_rejected_with_what_to_write() {
    for text in ["-", "none", "None", "n/a", "N/A", "nil", "no", "?", " na "] {
        let (code, errors) = plan_errors(&with_order_field("allergies", text));
        assert_eq!(code, 2, "{text:?}");
        assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
        assert_eq!(errors[0].0, "order.allergies");
        assert!(
            errors[0]
                .1
                .contains("write 'no known allergies' or list each allergy and its reaction"),
            "{}",
            errors[0].1
        );
        let (code, _, written) = order(&with_order_field("allergies", text), &[]);
        assert_eq!(code, 2, "{text:?}");
        assert!(!written);
    }
    for text in ["no known allergies", "NKDA", "NKA", "penicillin (hives)"] {
        let (code, stderr, _) = order(&with_order_field("allergies", text), &[]);
        assert_eq!(code, 0, "{text:?}: {stderr}");
    }
}

#[test]
fn texts_longer_than_the_pack_allows_are_input_errors() {
    let p = protocol();
    let il = &p.pack.input_limits;
    // A clinic name too long for the header: exit 2 (it was exit 4 at PDF time).
    let max = il.identifier_max_chars.value as usize;
    let (code, stderr, _) = order(&with_order_field("clinic", &"C".repeat(max)), &[]);
    assert_eq!(code, 0, "{stderr}");
    let long_clinic = with_order_field("clinic", &"C".repeat(max + 1));
    let (code, errors) = plan_errors(&long_clinic);
    assert_eq!(code, 2);
    assert!(
        errors
            .iter()
            .any(|(f, m)| f == "order.clinic" && m.contains("identifier_max_chars")),
        "{errors:?}"
    );
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", &long_clinic);
    let pdf = dir.path().join("o.pdf");
    let pdf_s = pdf.to_string_lossy().into_owned();
    let (code, _, _) = cli(&["order", &case, "--out", &pdf_s, "--on", ORDER_DATE]);
    assert_eq!(code, 2);
    assert!(!pdf.exists());
    // A reason longer than justification_max_chars.
    let max = il.justification_max_chars.value as usize;
    let mut doc = monitored();
    doc["justifications"]["hyperthyroidism"] = json!("r".repeat(max + 1));
    let (code, errors) = plan_errors(&doc);
    assert_eq!(code, 2);
    assert!(
        errors
            .iter()
            .any(|(f, m)| f == "justifications.hyperthyroidism"
                && m.contains("justification_max_chars")),
        "{errors:?}"
    );
    let (code, stderr, _) = order(
        &icu_multi_page(),
        &["--justification", &"r".repeat(max + 1)],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--justification"), "{stderr}");
    // Allergies have their own, longer limit.
    let max = il.allergies_max_chars.value as usize;
    let (code, _) = plan_errors(&with_order_field("allergies", &"a".repeat(max)));
    assert_eq!(code, 0);
    let (code, _) = plan_errors(&with_order_field("allergies", &"a".repeat(max + 1)));
    assert_eq!(code, 2);
}
