//! The order sheet's preparation and pump programming: vials, draw, diluent, containers and
//! bag changes at the one-bag boundary, VTBI per container, beyond-use time, the witnessed
//! waste of the Schedule III remainder, the pump box, and a custom concentration.

#[path = "order_common.rs"]
mod common;

use common::*;
use ketaplan::domain::preparation::{preparation, pump_program};
use ketaplan::order::format as f;
use ketaplan::order::text::render;
use ketaplan::order::{Block, OrderSheet, Paper, Section, pdf};
use serde_json::{Value, json};

/// A printable case infusing `mg_per_h` for `hours` at `conc` mg/mL, no titration.
fn case_mg_per_h(mg_per_h: f64, hours: f64, conc: f64, bolus_mg: Option<f64>) -> Value {
    let mut regimen = json!({
        "setting": "outpatient", "course": "single",
        "infusion": {"value": mg_per_h, "unit": "mg/h"},
        "duration_h": hours, "concentration_mg_per_ml": conc
    });
    if let Some(b) = bolus_mg {
        regimen["bolus"] = json!({"value": b, "unit": "mg", "minutes": 5});
    }
    let mut doc = json!({
        "patient": {"age_years": 40, "weight": {"value": 80, "unit": "kg"}},
        "condition": "crps", "screening": [], "regimen": regimen
    });
    complete(&mut doc);
    doc
}

fn section<'a>(s: &'a OrderSheet, title: &str) -> &'a Section {
    match s.sections.iter().find(|x| x.title == title) {
        Some(x) => x,
        None => panic!("no section {title}"),
    }
}

fn row_value<'a>(sec: &'a Section, label: &str) -> &'a str {
    sec.blocks
        .iter()
        .find_map(|b| match b {
            Block::Row { label: l, value } if l == label => Some(value.as_str()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no row {label} in {}", sec.title))
}

fn pump_box(sec: &Section) -> Vec<(String, String)> {
    sec.blocks
        .iter()
        .find_map(|b| match b {
            Block::Panel { rows, .. } => Some(rows.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no pump box"))
}

fn pump_row(rows: &[(String, String)], label: &str) -> String {
    rows.iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no pump box row {label}: {rows:?}"))
}

fn tables(sec: &Section) -> Vec<(&Vec<String>, &Vec<Vec<String>>)> {
    sec.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table { header, rows, .. } => Some((header, rows)),
            _ => None,
        })
        .collect()
}

const PREP: &str = "Preparation";
const ORDERS: &str = "Ketamine orders";

#[test]
fn exactly_one_bag_then_one_more_ml_makes_two_bags_and_one_change() {
    let p = protocol();
    // 25 mg/h at 1 mg/mL for 4 h = 100 mL: exactly one 100 mL bag.
    let (plan, s) = sheet(
        &case_mg_per_h(25.0, 4.0, 1.0, None),
        &options(Paper::A4, None),
    );
    let Some(prep) = preparation(&p, &plan) else {
        panic!("no standard preparation")
    };
    assert_eq!((prep.containers, prep.bag_changes), (1, 0));
    let sec = section(&s, PREP);
    assert_eq!(
        row_value(sec, "For the session"),
        "1 bag (0 bag changes), planned for the maximum rate over 4 h: at most 100 mL"
    );
    let t = tables(sec);
    assert_eq!(t[1].0[0], "Bag");
    assert_eq!(t[1].1.len(), 1);
    assert_eq!(t[1].1[0][0], "1 of 1");
    assert_eq!(t[1].1[0][1], "100 mL");
    let vtbi = pump_row(&pump_box(section(&s, ORDERS)), "VTBI");
    assert_eq!(vtbi, "100 mL (bag 1)");
    assert!(!render(&s).contains("bag change:"));

    // A 1 mg bolus from the same bag: 101 mL, two bags, the second for 1 mL.
    let (plan, s) = sheet(
        &case_mg_per_h(25.0, 4.0, 1.0, Some(1.0)),
        &options(Paper::A4, None),
    );
    let Some(prep) = preparation(&p, &plan) else {
        panic!("no standard preparation")
    };
    assert_eq!((prep.containers, prep.bag_changes), (2, 1));
    assert_eq!(prep.vtbi_ml, vec![100.0, 1.0]);
    let sec = section(&s, PREP);
    assert_eq!(
        row_value(sec, "For the session"),
        "2 bags (1 bag change), planned for the maximum rate over 4 h, bolus included: at most 101 mL"
    );
    let rows = tables(sec)[1].1;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][1], "100 mL, the 1 mL bolus included");
    assert_eq!(rows[1][0], "2 of 2");
    assert_eq!(rows[1][1], "1 mL (partial)");
    let pump = pump_box(section(&s, ORDERS));
    assert_eq!(
        pump_row(&pump, "VTBI"),
        "100 mL (bag 1, the 1 mL bolus included); at each bag change: 1 mL"
    );
    assert_eq!(
        pump_row(&pump, "Bolus"),
        "1 mL at 12 mL/h (over 5 minutes), first"
    );
    // 1 mL over 5 minutes = 12 mL/h.
    // The same on the PDF.
    let bytes = match pdf::render(&s) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    let text = pdf_text(&bytes);
    assert!(text.contains("2 bags (1 bag change)"), "{text}");
    assert!(text.contains("at each bag change: 1 mL"));
}

#[test]
fn vials_draw_diluent_beyond_use_and_witnessed_waste_from_the_engine() {
    let p = protocol();
    let (plan, s) = sheet(&standard(), &options(Paper::A4, None));
    let Some(prep) = preparation(&p, &plan) else {
        panic!("no standard preparation")
    };
    // 263.6 mL at the ceiling: a 250 mL and a 50 mL bag (300 mg), from one 500 mg vial
    // shared by both (the fewest vials), not a vial per bag.
    assert_eq!(prep.vials, 1);
    assert_eq!(prep.vial_remainder_mg, 200.0);
    let sec = section(&s, PREP);
    assert_eq!(
        row_value(sec, "Vials"),
        format!(
            "{} of {} ({} each) for the session, shared by the bags prepared together; dilute as below, never infuse the vial undiluted",
            if prep.vials == 1 {
                "1 vial".to_string()
            } else {
                format!("{} vials", prep.vials)
            },
            f::mg_per_ml(prep.vial.mg_per_ml),
            f::ml(prep.vial.ml),
        )
    );
    // One contents row per bag: size, draw, diluent, what it holds.
    let contents = tables(sec)
        .into_iter()
        .find(|(h, _)| h.get(1).is_some_and(|x| x == "Size"))
        .unwrap_or_else(|| panic!("no contents table"));
    assert_eq!(contents.1.len(), prep.fills.len());
    for (row, fill) in contents.1.iter().zip(&prep.fills) {
        assert_eq!(row[1], f::ml(fill.size_ml));
        assert_eq!(
            row[2],
            format!("{} ({})", f::ml(fill.drawn_ml), f::mg(fill.drug_mg))
        );
        assert!(row[3].starts_with(&f::ml(fill.diluent_ml)));
    }
    assert!(
        row_value(sec, "Beyond-use time").starts_with(&format!(
            "use within {} of preparation",
            f::hours(prep.beyond_use_hours)
        )),
        "{}",
        row_value(sec, "Beyond-use time")
    );
    assert_eq!(f::hours(prep.beyond_use_hours), "12 h");
    // Witnessed waste: one row for the opened vials (shared), one for what is left at the end.
    let waste = tables(sec)
        .into_iter()
        .find(|(h, _)| h[0] == "Remainder")
        .unwrap_or_else(|| panic!("no waste table"));
    assert_eq!(
        waste.0,
        &vec!["Remainder", "Expected", "Wasted", "Witness", "Time"]
    );
    assert_eq!(waste.1.len(), 2);
    assert_eq!(waste.1[0][0], "Opened vials");
    assert_eq!(waste.1[0][1], f::mg(prep.vial_remainder_mg));
    assert_eq!(waste.1[0][2], "______ mg");
    let end = &waste.1[1];
    assert!(
        end[1].starts_with(&f::mg(prep.expected_waste_mg)),
        "{end:?}"
    );
    let text = render(&s);
    assert!(text.contains("Witnessed waste (Schedule III controlled substance)"));
}

#[test]
fn the_pump_box_leads_with_the_drug_library_and_gives_the_ml_per_h_cross_check() {
    // Issue 20 item 6: drug library and dose mode first, the mL/h the pump shows as the
    // cross-check, mL/h mode only as the fallback, a double check at every change.
    let p = protocol();
    let (plan, s) = sheet(&standard(), &options(Paper::A4, None));
    let program = pump_program(&p, &plan);
    assert_eq!(program.mode, "drug library, dose mode mg/kg/h");
    let rows = pump_box(section(&s, ORDERS));
    assert_eq!(rows[0].0, "Drug library", "{rows:?}");
    let care = &p.pack.sheet.drug_library.care_area_standard;
    assert_eq!(
        rows[0].1,
        format!(
            "Select ketamine 1 mg/mL from the pump's drug library (care area {care}), dose mode mg/kg/h, weight {}, dose {}",
            f::kg(plan.dosing_weight_kg),
            f::mg_per_kg_per_h(plan.infusion_mg_per_kg_per_h)
        )
    );
    assert!(pump_row(&rows, "Pump shows").starts_with(&format!(
        "{} in dose mode",
        f::ml_per_h(program.dose_mode_ml_per_h)
    )));
    assert!(pump_row(&rows, "Never above").contains(&f::ml_per_h(program.max_rate_ml_per_h)));
    let first = program.vtbi_ml.unwrap_or_default();
    assert!(pump_row(&rows, "VTBI").starts_with(&format!("{} (bag 1", f::ml(first))));
    assert!(pump_row(&rows, "Bolus").starts_with(&format!(
        "{} at {}",
        f::ml(program.bolus_ml.unwrap_or_default()),
        f::ml_per_h(program.bolus_rate_ml_per_h.unwrap_or_default())
    )));
    let fallback = pump_row(&rows, "Fallback, mL/h mode");
    assert!(fallback.starts_with("Only if the drug library is unavailable"));
    assert!(fallback.contains(&format!("Rate {}", f::ml_per_h(program.rate_ml_per_h))));
    let check = pump_row(&rows, "Double check");
    assert!(
        check.contains("at every bag change and at every rate change"),
        "{check}"
    );
    // The bag table and the titration table have a column for the double check.
    let bags = tables(section(&s, PREP))
        .into_iter()
        .find(|(h, _)| h[0] == "Bag" && h.iter().any(|x| x == "Hung at"))
        .unwrap_or_else(|| panic!("no bag table"));
    assert!(bags.0.iter().any(|h| h == "Double-checked by"));
    // On the PDF too, and in the text as a box, on page 1.
    let text = render(&s);
    assert!(text.contains("| PUMP PROGRAMMING: THROUGH THE DRUG LIBRARY, AS THE PUMP SHOWS IT"));
    let bytes = match pdf::render(&s) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    let flat = pdf_text(&bytes);
    assert!(flat.contains("Select ketamine 1 mg/mL from the pump's drug library"));
}

#[test]
fn where_ml_per_h_mode_rounds_the_box_says_by_how_much() {
    // 0.5 mg/kg/h for 66 kg at 50 mg/mL: dose mode 33 mg/h is 0.66 mL/h; the mL/h mode
    // rounds to the pump step and delivers a different mg/h.
    let mut doc = case_mg_per_h(33.0, 4.0, 50.0, None);
    doc["regimen"]["infusion"] = json!({"value": 0.5, "unit": "mg/kg/h"});
    doc["patient"]["weight"] = json!({"value": 66, "unit": "kg"});
    complete(&mut doc);
    let p = protocol();
    let (plan, s) = sheet(&doc, &options(Paper::A4, Some(ICU_JUSTIFICATION)));
    let program = pump_program(&p, &plan);
    let diff = program.fallback_difference_mg_per_h;
    assert!(diff.abs() >= 0.05, "{program:?}");
    let fallback = pump_row(&pump_box(section(&s, ORDERS)), "Fallback, mL/h mode");
    assert!(
        fallback.contains(&format!(
            "{} {} than dose mode ({})",
            f::mg_per_h(diff.abs()),
            if diff > 0.0 { "more" } else { "less" },
            f::mg_per_h(plan.infusion_mg_per_h)
        )),
        "{fallback}"
    );
}

#[test]
fn a_custom_concentration_is_prepared_by_pharmacy_and_still_has_a_pump_box() {
    let p = protocol();
    let doc = case_mg_per_h(30.0, 4.0, 3.0, Some(9.0));
    let (plan, s) = sheet(&doc, &options(Paper::A4, None));
    assert!(preparation(&p, &plan).is_none());
    let sec = section(&s, PREP);
    let text = render(&s);
    assert!(
        text.contains("Prepared by pharmacy: no standard preparation for 3 mg/mL."),
        "{text}"
    );
    let rows = pump_box(section(&s, ORDERS));
    assert!(pump_row(&rows, "Fallback, mL/h mode").contains("Rate 10 mL/h (3 mg/mL)"));
    assert_eq!(
        pump_row(&rows, "Bolus"),
        "3 mL at 36 mL/h (over 5 minutes), first"
    );
    // 9 mg over 5 minutes at 3 mg/mL = 3 mL over 5 minutes = 36 mL/h.
    // 3 mL bolus + 10 mL/h for 4 h = 43 mL.
    assert!(pump_row(&rows, "VTBI").contains("at most 43 mL"));
    // Waste still witnessed.
    assert!(tables(sec).iter().any(|(h, _)| h[0] == "Remainder"));
}

fn pdf_text(bytes: &[u8]) -> String {
    let d = match lopdf::Document::load_mem(bytes) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let pages: Vec<u32> = d.get_pages().keys().copied().collect();
    normalise(&d.extract_text(&pages).unwrap_or_default())
}
