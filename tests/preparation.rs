//! Preparation arithmetic at its boundaries: exactly one bag, one more mL, beyond-use time;
//! containers and vials chosen by need (issue 20 item 7).

use ketaplan::domain::case::case_from_value;
use ketaplan::domain::preparation::{preparation, pump_program};
use ketaplan::domain::protocol::Protocol;
use ketaplan::domain::{Plan, plan};
use serde_json::{Value, json};

fn protocol() -> Protocol {
    match Protocol::built_in() {
        Ok(p) => p,
        Err(e) => panic!("built-in protocol invalid: {e}"),
    }
}

fn plan_for(mg_per_h: f64, hours: f64, conc: f64, bolus_mg: Option<f64>, setting: &str) -> Plan {
    let mut regimen = json!({
        "setting": setting, "course": "single",
        "infusion": {"value": mg_per_h, "unit": "mg/h"},
        "duration_h": hours, "concentration_mg_per_ml": conc
    });
    if let Some(b) = bolus_mg {
        regimen["bolus"] = json!({"value": b, "unit": "mg", "minutes": 5});
    }
    let doc: Value = json!({
        "patient": {"age_years": 40, "weight": {"value": 80, "unit": "kg"}},
        "condition": "crps", "screening": [], "regimen": regimen
    });
    let p = protocol();
    match case_from_value(&p, &doc) {
        Ok(c) => plan(&p, &c),
        Err(e) => panic!("rejected: {e:?}"),
    }
}

#[test]
fn exactly_one_bag_and_one_more_ml() {
    let p = protocol();
    // 25 mL/h × 4 h = 100 mL: exactly one 100 mL bag.
    let one = plan_for(25.0, 4.0, 1.0, None, "outpatient");
    let Some(prep) = preparation(&p, &one) else {
        panic!("no preparation for 1 mg/mL")
    };
    assert_eq!(prep.max_volume_ml, 100.0);
    assert_eq!(prep.containers, 1);
    assert_eq!(prep.bag_changes, 0);
    assert_eq!(prep.vtbi_ml, vec![100.0]);
    // A 1 mg bolus from the same bag: 101 mL, two bags, the second for 1 mL.
    let more = plan_for(25.0, 4.0, 1.0, Some(1.0), "outpatient");
    let Some(prep) = preparation(&p, &more) else {
        panic!("no preparation")
    };
    assert_eq!(prep.containers, 2);
    assert_eq!(prep.bag_changes, 1);
    assert_eq!(prep.vtbi_ml, vec![100.0, 1.0]);
    // The second bag is the smallest stocked (50 mL), not another 100 mL.
    let sizes: Vec<f64> = prep.fills.iter().map(|f| f.size_ml).collect();
    assert_eq!(sizes, vec![100.0, 50.0]);
    assert_eq!(prep.prepared_mg, 150.0);
    assert_eq!(prep.expected_waste_mg, 49.0);
}

#[test]
fn the_vial_is_chosen_by_need_and_shared_between_bags() {
    let p = protocol();
    let bag = plan_for(25.0, 4.0, 1.0, None, "outpatient");
    let Some(prep) = preparation(&p, &bag) else {
        panic!("no preparation")
    };
    // 100 mg: one 10 mg/mL vial of 20 mL (200 mg) leaves 100 mg; a 500 mg vial would leave 400.
    assert_eq!((prep.vial.mg_per_ml, prep.vial.ml), (10.0, 20.0));
    let fill = &prep.fills[0];
    assert_eq!(
        (fill.drug_mg, fill.drawn_ml, fill.diluent_ml),
        (100.0, 10.0, 90.0)
    );
    assert_eq!((prep.vials, prep.vial_remainder_mg), (1, 100.0));
    // 181.6 mL (the review's order): two 100 mL bags drawn from one shared 200 mg vial,
    // not a 500 mg vial per bag (800 mg wasted).
    let review = plan_for(41.9, 4.0, 1.0, Some(14.0), "outpatient");
    let Some(prep) = preparation(&p, &review) else {
        panic!("no preparation")
    };
    let sizes: Vec<f64> = prep.fills.iter().map(|f| f.size_ml).collect();
    assert_eq!(sizes, vec![100.0, 100.0]);
    assert_eq!((prep.vials, prep.vial_remainder_mg), (1, 0.0));
    assert_eq!(prep.rounds.len(), 1);
}

#[test]
fn a_58_mg_session_is_never_a_500_mg_syringe() {
    let p = protocol();
    // 14.5 mg/h for 4 h at 10 mg/mL (58 mg), in the smallest syringe that holds it.
    let small = plan_for(14.5, 4.0, 10.0, None, "icu");
    let Some(prep) = preparation(&p, &small) else {
        panic!("no preparation")
    };
    assert_eq!(prep.container, "syringe");
    assert_eq!(prep.fills.len(), 1);
    assert_eq!(prep.fills[0].size_ml, 10.0);
    assert_eq!(prep.prepared_mg, 100.0);
    // The pump runs at 1.5 mL/h (its step), so the VTBI is 6 mL.
    assert_eq!(small.max_pump_ml_per_h, 1.5);
    assert_eq!(prep.vtbi_ml, vec![6.0]);
    assert!(
        prep.prepared_mg + prep.vial_remainder_mg < 500.0,
        "{prep:?}"
    );
    // 20 mL exactly: one 20 mL syringe from one 200 mg vial, nothing left in it.
    let twenty = plan_for(50.0, 4.0, 10.0, None, "icu");
    let Some(prep) = preparation(&p, &twenty) else {
        panic!("no preparation")
    };
    assert_eq!(prep.fills[0].size_ml, 20.0);
    assert_eq!((prep.vials, prep.vial_remainder_mg), (1, 0.0));
}

#[test]
fn a_new_container_when_the_beyond_use_time_ends() {
    let p = protocol();
    // 2 mL/h for 13 h is 26 mL, but the 12-hour beyond-use time needs a second bag.
    let long = plan_for(2.0, 13.0, 1.0, None, "inpatient");
    let Some(prep) = preparation(&p, &long) else {
        panic!("no preparation")
    };
    assert_eq!(prep.containers, 2);
    // Each preparation opens its own vials: two preparations, 24 mL and 2 mL, each bag 50 mL.
    assert_eq!(prep.rounds.len(), 2);
    assert_eq!(prep.rounds[1].from_h, 12.0);
    assert_eq!(prep.vtbi_ml, vec![24.0, 2.0]);
    assert!(prep.fills.iter().all(|f| f.size_ml == 50.0));
    assert_eq!(prep.vials, 2);
    let twelve = plan_for(2.0, 12.0, 1.0, None, "inpatient");
    assert_eq!(preparation(&p, &twelve).map(|x| x.containers), Some(1));
}

#[test]
fn a_custom_concentration_has_no_standard_preparation() {
    let p = protocol();
    let custom = plan_for(25.0, 4.0, 5.0, None, "outpatient");
    assert!(preparation(&p, &custom).is_none());
    assert_eq!(pump_program(&p, &custom).vtbi_ml, None);
}

#[test]
fn the_pump_box_has_bolus_volume_and_rate() {
    let p = protocol();
    let pl = plan_for(25.0, 4.0, 1.0, Some(8.0), "outpatient");
    let pump = pump_program(&p, &pl);
    assert_eq!(pump.rate_ml_per_h, pl.pump_ml_per_h);
    assert_eq!(pump.bolus_ml, Some(8.0));
    // 8 mL over 5 minutes = 96 mL/h.
    assert_eq!(pump.bolus_rate_ml_per_h, Some(96.0));
    assert_eq!(pump.dosing_weight_kg, 80.0);
    assert_eq!(pump.vtbi_ml, Some(100.0));
}
