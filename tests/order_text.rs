//! The order sheet model and its plain-text rendering: snapshots of three vignettes, and
//! the content and formatting rules checked against the engine's own figures.

#[path = "order_common.rs"]
mod common;

use common::*;
use ketaplan::domain::protocol::{AlertKind, Severity};
use ketaplan::order::format as f;
use ketaplan::order::text::{TEXT_WIDTH, lines, render};
use ketaplan::order::{Block, OrderSheet, Paper};

/// The rendering with the pack's hash masked: snapshots review layout and wording; that
/// the real hash is printed is checked by the content tests.
fn snapshot_text(s: &OrderSheet) -> String {
    let p = protocol();
    // The order number is derived from the content and the pack's sha256: it changes with
    // either, so the snapshot shows its place only.
    render(s)
        .replace(p.sha256.as_str(), "[sha256]")
        .replace(p.short_sha256(), "[sha256-12]")
        .replace(&s.frame.order_number, "[order-number]")
}

#[test]
fn snapshot_standard() {
    let (_, s) = sheet(&standard(), &options(Paper::A4, None));
    insta::assert_snapshot!("standard", snapshot_text(&s));
}

#[test]
fn snapshot_monitored_with_justifications_and_ceiling() {
    let (_, s) = sheet(&monitored(), &options(Paper::A4, None));
    insta::assert_snapshot!("monitored_justified_ceiling", snapshot_text(&s));
}

#[test]
fn snapshot_icu_multi_page() {
    let (_, s) = sheet(
        &icu_multi_page(),
        &options(Paper::Letter, Some(ICU_JUSTIFICATION)),
    );
    insta::assert_snapshot!("icu_multi_page", snapshot_text(&s));
}

#[test]
fn text_is_deterministic_and_within_the_width() {
    let doc = icu_multi_page();
    let opts = options(Paper::A4, Some(ICU_JUSTIFICATION));
    let (_, a) = sheet(&doc, &opts);
    let (_, b) = sheet(&doc, &opts);
    assert_eq!(render(&a), render(&b));
    for l in lines(&a) {
        assert!(l.chars().count() <= TEXT_WIDTH, "too long: {l}");
    }
}

#[test]
fn figures_come_from_the_engine_in_medication_safe_form() {
    let (plan, s) = sheet(&standard(), &options(Paper::A4, None));
    let text = render(&s);
    let expected = [
        f::mg_per_h(plan.infusion_mg_per_h),
        f::ml_per_h(plan.pump_ml_per_h),
        f::mg_per_h(plan.pump_delivered_mg_per_h),
        f::mg_per_h(plan.max_infusion_mg_per_h),
        f::ml_per_h(plan.max_pump_ml_per_h),
        f::mg_per_kg_per_h(plan.infusion_mg_per_kg_per_h),
        f::mg_per_kg_per_h(plan.max_infusion_mg_per_kg_per_h),
        f::mcg_per_kg_per_min(plan.infusion_mcg_per_kg_per_min),
        f::mg(plan.total_mg),
        f::mg(plan.delivered_total_mg),
        f::mg(plan.max_total_mg),
        f::kg(plan.weight_kg),
        f::mg(plan.bolus_mg.unwrap_or_default()),
        f::mg_per_kg(plan.bolus_mg_per_kg.unwrap_or_default()),
        f::minutes(plan.bolus_minutes.unwrap_or_default()),
        f::hours(plan.duration_h),
        plan.protocol.sha256.to_string(),
    ];
    for e in expected {
        assert!(text.contains(&e), "missing {e}");
    }
    // The weight was entered in lb (176 lb) and is printed in kg with the lb noted.
    assert!(text.contains("entered as 176 lb"));
    assert!(text.contains("weighed on 2026-11-17"));
    // Every mL/h figure printed is a pump rate of the plan or its titration table.
    assert!(text.contains("PUMP PROGRAMMING: THROUGH THE DRUG LIBRARY"));
}

#[test]
fn every_finding_and_alert_is_printed_with_severity_source_and_its_justification() {
    let doc = monitored();
    let (plan, s) = sheet(&doc, &options(Paper::A4, None));
    assert!(!plan.findings.is_empty());
    assert!(!plan.limit_alerts.is_empty());
    let items: Vec<(&str, &str, Option<&str>)> = s
        .sections
        .iter()
        .flat_map(|sec| &sec.blocks)
        .filter_map(|b| match b {
            Block::Item { label, text, note } => {
                Some((label.as_str(), text.as_str(), note.as_deref()))
            }
            _ => None,
        })
        .collect();
    for x in &plan.findings {
        let item = items
            .iter()
            .find(|(label, _, _)| label.ends_with(&format!("({})", x.code)));
        let Some((label, text, note)) = item else {
            panic!("finding {} not printed", x.code);
        };
        assert!(label.contains(&x.severity.as_str().to_uppercase()));
        // The plain-words title leads; the code stays for the pharmacist.
        assert!(label.contains(x.display_title()), "{label}");
        assert!(text.contains(x.message.as_str()) && text.contains(x.source.as_str()));
        if x.severity == Severity::Avoid {
            let reason = doc["justifications"][x.code.as_str()]
                .as_str()
                .unwrap_or("?");
            assert!(note.is_some_and(|n| n.contains(reason)), "{}", x.code);
        } else {
            assert!(note.is_none());
        }
    }
    for a in &plan.limit_alerts {
        let Some((_, text, note)) = items
            .iter()
            .find(|(l, _, _)| l.ends_with(&format!("({})", a.code)))
        else {
            panic!("alert {} not printed", a.code);
        };
        assert!(text.contains(a.message.as_str()));
        if a.kind == AlertKind::Soft {
            let reason = doc["justifications"][a.code.as_str()]
                .as_str()
                .unwrap_or("?");
            assert!(note.is_some_and(|n| n.contains(reason)));
        }
    }
}

#[test]
fn the_extra_justification_answers_every_code_lacking_one() {
    let (plan, s) = sheet(
        &icu_multi_page(),
        &options(Paper::A4, Some(ICU_JUSTIFICATION)),
    );
    assert!(plan.alert("infusion_above_guideline").is_some());
    let text = render(&s).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains(ICU_JUSTIFICATION));
    assert!(text.contains("given when the order was printed"));
}

#[test]
fn personnel_names_attestations_and_signatures_are_printed() {
    let (_, s) = sheet(&monitored(), &options(Paper::A4, None));
    let text = render(&s);
    for needle in [
        "Dr A. Example",
        "R. Nurse RN",
        "Dr B. Airway",
        "[x] Airway/ACLS clinician available",
        "[x] Resuscitation equipment and staff present",
        "[ ] Rescue drugs at the bedside",
        "Pharmacist verification",
        "Independent double check of the pump programming",
        "Administering nurse",
        "Ordering physician: Dr A. Example",
        "Not valid without signature",
        "HIGH-ALERT medication",
    ] {
        assert!(text.contains(needle), "missing {needle}");
    }
}

#[test]
fn no_error_prone_abbreviations_or_trailing_zeros_on_any_printable_vignette() {
    let mut printed = 0;
    let entries: Vec<_> = std::fs::read_dir(cases_dir())
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".case.json") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if ketaplan::domain::case::case_from_value(&protocol(), &doc).is_err() {
            continue;
        }
        complete(&mut doc);
        let reason = "Reviewed with the patient and the team; benefit outweighs the risk.";
        let (_, result) = build(&doc, &options(Paper::A4, Some(reason)));
        let Ok(s) = result else { continue };
        printed += 1;
        let version = protocol().pack.version;
        for t in s.all_text() {
            // The protocol version (1.0.0) is a name, not a dose.
            let t = &t
                .replace(version.as_str(), "VERSION")
                .replace(env!("CARGO_PKG_VERSION"), "VERSION");
            assert!(
                f::forbidden_abbreviations(t).is_empty(),
                "{name}: {:?} in {t}",
                f::forbidden_abbreviations(t)
            );
            for bad in [".0 ", ".0,", ".0)", "µg", " cc"] {
                assert!(!t.contains(bad), "{name}: {bad:?} in {t}");
            }
            assert!(!t.ends_with(".0"), "{name}: {t}");
        }
    }
    assert!(printed >= 15, "only {printed} vignettes printed");
}

#[test]
fn local_protocol_is_marked_on_the_sheet() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("protocols/asra-aapm-asa-2018.ron"),
    )
    .unwrap_or_default();
    let local = match ketaplan::domain::protocol::Protocol::from_ron_str(&format!(
        "{text}\n// local copy\n"
    )) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    assert!(!local.built_in);
    let doc = standard();
    let case = to_case(&local, &doc);
    let plan = ketaplan::domain::plan(&local, &case);
    let s =
        match ketaplan::order::OrderSheet::build(&local, &case, &plan, &options(Paper::A4, None)) {
            Ok(s) => s,
            Err(r) => panic!("{r:?}"),
        };
    assert_eq!(
        s.frame.protocol_provenance.as_deref(),
        Some("LOCAL PROTOCOL")
    );
    assert!(s.frame.protocol.contains(local.short_sha256()));
    assert!(render(&s).contains("LOCAL PROTOCOL"));
}

#[test]
fn the_clinic_telephone_is_a_row_of_the_order_section_when_given() {
    let rows = |s: &OrderSheet| -> Vec<(String, String)> {
        s.sections
            .iter()
            .filter(|sec| sec.title == "Order")
            .flat_map(|sec| &sec.blocks)
            .filter_map(|b| match b {
                Block::Row { label, value } => Some((label.clone(), value.clone())),
                _ => None,
            })
            .collect()
    };
    let mut doc = standard();
    doc["order"]["clinic_phone"] = serde_json::json!(" 555 0100 ");
    let (_, s) = sheet(&doc, &options(Paper::A4, None));
    let phone: Vec<_> = rows(&s)
        .into_iter()
        .filter(|(label, _)| label == "Clinic telephone")
        .collect();
    assert_eq!(
        phone,
        vec![("Clinic telephone".to_string(), "555 0100".to_string())]
    );
    assert!(render(&s).contains("555 0100"));

    // Beside the clinic in every page's header too.
    assert_eq!(
        s.frame.clinic_line(),
        "Clinic: Pain Clinic, 24-hour telephone 555 0100"
    );

    // Optional on the sheet (the handout requires it): the order is printed without it,
    // and no empty row stands in for it.
    let mut doc = standard();
    doc["order"]["clinic_phone"] = serde_json::Value::Null;
    let (_, s) = sheet(&doc, &options(Paper::A4, None));
    assert!(
        rows(&s)
            .iter()
            .all(|(label, _)| label != "Clinic telephone")
    );
}
