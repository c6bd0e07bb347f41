//! `ketaplan fhir order CASE` (step 14): the printable order as a FHIR R4 collection Bundle —
//! Patient, Medication at the plan's concentration, MedicationRequest (bolus in mg, infusion
//! in mg/h and mL/h, the ceiling as maxDosePerPeriod, the printed wording) and the weight —
//! with the plan's own numbers, UCUM and LOINC codes, stable identities, and a refused case
//! refused (exit 3, nothing written). The Python validator in `.ci/run` checks the same
//! bundles against the R4B models.

#[path = "order_common.rs"]
mod common;

use common::{cli, complete, options, standard, tempdir, vignette, write_case};
use ketaplan::order::{Block, Paper};
use serde_json::Value;

fn bundle_of(doc: &Value) -> (Value, Value) {
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", doc);
    let (code, out, err) = cli(&["fhir", "order", &case, "--on", "2026-11-20"]);
    assert_eq!(code, 0, "{err}");
    let bundle = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let (_, plan, _) = cli(&["plan", &case]);
    (bundle, serde_json::from_str(&plan).unwrap_or_default())
}

fn resource<'a>(bundle: &'a Value, kind: &str) -> &'a Value {
    bundle["entry"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["resource"]["resourceType"] == kind))
        .map_or(&Value::Null, |e| &e["resource"])
}

fn assert_ucum(q: &Value, value: &Value, code: &str) {
    assert_eq!(&q["value"], value, "{q}");
    assert_eq!(q["system"], "http://unitsofmeasure.org", "{q}");
    assert_eq!(q["code"], code, "{q}");
}

#[test]
fn the_bundle_carries_the_plans_numbers_in_ucum_units() {
    let (bundle, plan) = bundle_of(&standard());
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    let request = resource(&bundle, "MedicationRequest");
    assert_eq!(request["status"], "active");
    assert_eq!(request["intent"], "order");
    assert_eq!(request["authoredOn"], "2026-11-20");
    let dosage = request["dosageInstruction"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(dosage.len(), 2, "bolus and infusion: {request}");
    assert_eq!(dosage[0]["sequence"], 1);
    assert_ucum(
        &dosage[0]["doseAndRate"][0]["doseQuantity"],
        &plan["bolus_mg"],
        "mg",
    );
    assert_eq!(
        dosage[0]["timing"]["repeat"]["duration"],
        plan["bolus_minutes"]
    );
    assert_eq!(dosage[0]["timing"]["repeat"]["durationUnit"], "min");
    let infusion = &dosage[1];
    assert_eq!(infusion["sequence"], 2);
    assert_eq!(infusion["route"]["coding"][0]["code"], "47625008");
    assert_ucum(
        &infusion["doseAndRate"][0]["rateQuantity"],
        &plan["infusion_mg_per_h"],
        "mg/h",
    );
    assert_ucum(
        &infusion["doseAndRate"][1]["rateQuantity"],
        &plan["pump_ml_per_h"],
        "mL/h",
    );
    // p01 titrates: the ceiling is the maximum rate, per 1 hour.
    assert!(plan["titration"].is_object());
    assert_ucum(
        &infusion["maxDosePerPeriod"]["numerator"],
        &plan["max_infusion_mg_per_h"],
        "mg",
    );
    assert_ucum(
        &infusion["maxDosePerPeriod"]["denominator"],
        &1.0.into(),
        "h",
    );
    assert_eq!(infusion["timing"]["repeat"]["duration"], plan["duration_h"]);
    assert_eq!(infusion["timing"]["repeat"]["durationUnit"], "h");

    let medication = resource(&bundle, "Medication");
    let strength = &medication["ingredient"][0]["strength"];
    assert_ucum(
        &strength["numerator"],
        &plan["concentration_mg_per_ml"],
        "mg",
    );
    assert_ucum(&strength["denominator"], &1.0.into(), "mL");

    let weight = resource(&bundle, "Observation");
    assert_eq!(weight["code"]["coding"][0]["system"], "http://loinc.org");
    assert_eq!(weight["code"]["coding"][0]["code"], "29463-7");
    assert_ucum(&weight["valueQuantity"], &plan["weight_kg"], "kg");
    assert_eq!(weight["effectiveDateTime"], "2026-11-17");

    let patient = resource(&bundle, "Patient");
    assert_eq!(patient["identifier"][0]["value"], "000123");
    assert_eq!(patient["identifier"][0]["type"]["coding"][0]["code"], "MR");
    assert_eq!(patient["name"][0]["text"], "Jane Example");
    assert!(
        patient["birthDate"]
            .as_str()
            .is_some_and(|d| d.ends_with("-01-15"))
    );
}

#[test]
fn every_reference_points_at_an_entry_and_a_re_export_keeps_its_identities() {
    let (first, _) = bundle_of(&standard());
    let (again, _) = bundle_of(&standard());
    let urls: Vec<&str> = first["entry"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["fullUrl"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(urls.len(), 4);
    assert!(urls.iter().all(|u| u.starts_with("urn:uuid:")));
    let again_urls: Vec<&str> = again["entry"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["fullUrl"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(urls, again_urls);
    let request = resource(&first, "MedicationRequest");
    for reference in [
        &request["subject"],
        &request["medicationReference"],
        &request["supportingInformation"][0],
        &resource(&first, "Observation")["subject"],
    ] {
        let target = reference["reference"].as_str().unwrap_or_default();
        assert!(urls.contains(&target), "{target} is not in the bundle");
    }
    let number = request["identifier"][0]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(number.starts_with("KP-"), "{number}");
    assert_eq!(first["identifier"]["value"], number);
}

#[test]
fn the_dosage_text_is_the_printed_orders_wording() {
    let doc = standard();
    let (bundle, _) = bundle_of(&doc);
    let (_, sheet) = common::sheet(&doc, &options(Paper::A4, None));
    let Some((header, rows)) =
        sheet
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .find_map(|b| match b {
                Block::Table { header, rows, .. } if header[0] == "Order" => Some((header, rows)),
                _ => None,
            })
    else {
        panic!("no medication table on the sheet");
    };
    let dosage = &resource(&bundle, "MedicationRequest")["dosageInstruction"];
    let bolus = dosage[0]["text"].as_str().unwrap_or_default();
    let infusion = dosage[1]["text"].as_str().unwrap_or_default();
    for (text, printed) in [
        (bolus, &rows[0]),
        (infusion, &rows[1]),
        (infusion, &rows[2]),
    ] {
        for (h, cell) in header.iter().zip(printed).skip(1) {
            assert!(
                text.contains(&format!("{h}: {cell}")),
                "{text} lacks {h}: {cell}"
            );
        }
        assert!(text.contains(&printed[0]));
    }
    let notes: Vec<&str> = resource(&bundle, "MedicationRequest")["note"]
        .as_array()
        .map(|n| n.iter().filter_map(|n| n["text"].as_str()).collect())
        .unwrap_or_default();
    assert!(notes.contains(&"Valid for 2026-11-20 only"), "{notes:?}");
    assert!(notes.contains(&"Not valid without signature"), "{notes:?}");
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("Allergies: no known allergies"))
    );
    assert!(
        resource(&bundle, "MedicationRequest")
            .get("requester")
            .is_none()
    );
}

#[test]
fn without_a_bolus_the_infusion_is_the_first_dosage_and_without_titration_its_ceiling_is_the_rate()
{
    let mut doc = standard();
    if let Some(regimen) = doc["regimen"].as_object_mut() {
        regimen.remove("bolus");
        regimen.remove("max_infusion");
    }
    let (bundle, plan) = bundle_of(&doc);
    assert!(
        plan["bolus_mg"].is_null() && plan["titration"].is_null(),
        "{plan}"
    );
    let dosage = resource(&bundle, "MedicationRequest")["dosageInstruction"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(dosage.len(), 1);
    assert_eq!(dosage[0]["sequence"], 1);
    assert_ucum(
        &dosage[0]["maxDosePerPeriod"]["numerator"],
        &plan["infusion_mg_per_h"],
        "mg",
    );
}

#[test]
fn a_case_the_order_sheet_refuses_is_refused_and_nothing_is_written() {
    // A vignette as it comes leaves screening questions unanswered: the sheet refuses it.
    let doc = vignette("p01");
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", &doc);
    let out = dir.path().join("order.fhir.json");
    let out_text = out.to_string_lossy().into_owned();
    let (code, stdout, err) = cli(&["fhir", "order", &case, "--out", &out_text]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("refused: Screening questions not answered"),
        "{err}"
    );
    assert!(stdout.is_empty());
    assert!(!out.exists());

    let mut printable = doc.clone();
    complete(&mut printable);
    let case = write_case(dir.path(), "printable.json", &printable);
    let (code, stdout, err) = cli(&[
        "fhir",
        "order",
        &case,
        "--on",
        "2026-11-20",
        "--out",
        &out_text,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty(), "--out writes the file, not stdout");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_default())
        .unwrap_or_default();
    assert_eq!(written["type"], "collection");
}

#[test]
fn a_case_that_is_not_valid_is_rejected_naming_the_field() {
    let mut doc = standard();
    doc["patient"]["weight"]["value"] = (-3).into();
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", &doc);
    let (code, _, err) = cli(&["fhir", "order", &case]);
    assert_eq!(code, 2);
    assert!(err.contains("patient.weight"), "{err}");
    let (code, _, err) = cli(&["fhir", "order", &case, "--justification", "too\u{7}short"]);
    assert_eq!(code, 2);
    assert!(err.contains("--justification"), "{err}");
    let (code, _, err) = cli(&["fhir", "prescription", &case]);
    assert_eq!(code, 2);
    assert!(err.contains("fhir needs order CASE"), "{err}");
}
