//! The printable order as a FHIR Bundle: Patient, Medication (the prepared concentration),
//! MedicationRequest (bolus, infusion in mg/h and mL/h, the ceiling) and the weight used.
//! Built from the order sheet itself, so a case the sheet refuses is refused here too and
//! every dosage text is the printed wording.

use super::resources::{
    Annotation, Bundle, CodeableConcept, Coding, Dosage, DoseAndRate, Entry, HumanName, Identifier,
    Ingredient, LOINC, Medication, MedicationRequest, Observation, Practitioner, Quantity, Ratio,
    Reference, Repeat, Resource, Timing,
};
use super::{ORDER_NUMBER_SYSTEM, ids, intravenous, patient_entry};
use crate::domain::case::Case;
use crate::domain::plan::Plan;
use crate::domain::protocol::Protocol;
use crate::domain::signature::{OrderSignature, SignatureKind};
use crate::order::sheet::{Block, OrderOptions, OrderSheet, Refusal};

/// What an order export is made from.
pub struct OrderExport<'a> {
    pub protocol: &'a Protocol,
    pub case: &'a Case,
    pub plan: &'a Plan,
    pub options: &'a OrderOptions,
    /// The bundle's timestamp: an instant with its offset (RFC 3339).
    pub exported_at: &'a str,
}

/// The order Bundle, or every reason the order sheet refuses to print.
pub fn order_bundle(x: &OrderExport<'_>) -> Result<Bundle, Vec<Refusal>> {
    let sheet = OrderSheet::build(x.protocol, x.case, x.plan, x.options)?;
    Ok(sheet_bundle(x, &sheet))
}

/// The Bundle of an order sheet already built from `x` (the app's Order page has one).
pub fn sheet_bundle(x: &OrderExport<'_>, sheet: &OrderSheet) -> Bundle {
    let frame = &sheet.frame;
    let number = frame.order_number.as_str();
    let order = x.case.order.clone().unwrap_or_default();
    let patient = patient_entry(
        &frame.mrn,
        &frame.patient_name,
        x.case.patient.sex,
        order.date_of_birth.as_deref(),
    );
    let medication = medication_entry(x.protocol, x.plan, number);
    let weight = weight_entry(
        x.plan,
        &patient.full_url,
        number,
        order.weighed_on.as_deref(),
    );
    let table = medication_table(sheet);
    let signer = x
        .options
        .signatures
        .iter()
        .find(|s| s.kind == SignatureKind::Order)
        .map(signer_entry);
    let request_url = ids::urn(&["MedicationRequest", number]);
    let request = MedicationRequest {
        id: ids::id_of(&request_url),
        identifier: vec![Identifier {
            kind: None,
            system: ORDER_NUMBER_SYSTEM.to_string(),
            value: number.to_string(),
        }],
        status: "active",
        intent: "order",
        medication_reference: Reference::to(&medication.full_url),
        subject: Reference::to(&patient.full_url),
        authored_on: x.options.order_date.format("%Y-%m-%d").to_string(),
        requester: signer.as_ref().map(|(entry, display)| Reference {
            reference: Some(entry.full_url.clone()),
            display: Some(display.clone()),
            ..Reference::default()
        }),
        supporting_information: vec![Reference::to(&weight.full_url)],
        note: notes(sheet),
        dosage_instruction: dosages(x.plan, table),
    };
    let request = Entry {
        resource: Resource::MedicationRequest(Box::new(request)),
        full_url: request_url,
    };
    let bundle_url = ids::urn(&["Bundle", "order", number]);
    Bundle {
        resource_type: "Bundle",
        id: ids::id_of(&bundle_url),
        identifier: Identifier {
            kind: None,
            system: ORDER_NUMBER_SYSTEM.to_string(),
            value: number.to_string(),
        },
        kind: "collection",
        timestamp: x.exported_at.to_string(),
        entry: [patient, medication, request, weight]
            .into_iter()
            .chain(signer.map(|(entry, _)| entry))
            .collect(),
    }
}

/// The signing physician as a Practitioner (identified by their clinic login), and how the
/// request names them: "Dr A. Example (physician)".
fn signer_entry(s: &OrderSignature) -> (Entry, String) {
    let full_url = ids::urn(&["Practitioner", &s.login]);
    let entry = Entry {
        resource: Resource::Practitioner(Practitioner {
            id: ids::id_of(&full_url),
            identifier: vec![Identifier {
                kind: None,
                system: super::LOGIN_SYSTEM.to_string(),
                value: s.login.clone(),
            }],
            name: vec![HumanName {
                text: s.full_name.trim().to_string(),
            }],
        }),
        full_url,
    };
    (
        entry,
        format!("{} ({})", s.full_name.trim(), s.role.as_str()),
    )
}

/// The ketamine the pharmacy prepares: the product at the plan's concentration.
fn medication_entry(protocol: &Protocol, plan: &Plan, number: &str) -> Entry {
    let full_url = ids::urn(&["Medication", number]);
    Entry {
        resource: Resource::Medication(Medication {
            id: ids::id_of(&full_url),
            code: CodeableConcept::text(format!("{}, intravenous", protocol.pack.product)),
            form: CodeableConcept::text("solution for intravenous infusion"),
            ingredient: vec![Ingredient {
                item_codeable_concept: CodeableConcept::text(protocol.pack.product.clone()),
                is_active: true,
                strength: Ratio {
                    numerator: Quantity::ucum(plan.concentration_mg_per_ml, "mg", "mg"),
                    denominator: Quantity::ucum(1.0, "mL", "mL"),
                },
            }],
        }),
        full_url,
    }
}

/// The measured body weight the plan used (LOINC 29463-7), on the day it was weighed.
fn weight_entry(plan: &Plan, patient_url: &str, number: &str, weighed_on: Option<&str>) -> Entry {
    let full_url = ids::urn(&["Observation", "body-weight", number]);
    Entry {
        resource: Resource::Observation(Box::new(Observation {
            id: ids::id_of(&full_url),
            status: "final",
            category: vec![super::course::vital_signs()],
            code: CodeableConcept::coded(LOINC, "29463-7", "Body weight"),
            subject: Reference::to(patient_url),
            effective_date_time: weighed_on
                .and_then(crate::domain::case::parse_date)
                .map(|d| d.format("%Y-%m-%d").to_string()),
            value_quantity: Some(Quantity::ucum(plan.weight_kg, "kg", "kg")),
            component: Vec::new(),
            note: Vec::new(),
        })),
        full_url,
    }
}

/// The printed table of the ketamine orders: its header and its rows (bolus, starting rate,
/// ceiling).
fn medication_table(sheet: &OrderSheet) -> Option<(&[String], &[Vec<String>])> {
    sheet
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .find_map(|b| match b {
            Block::Table { header, rows, .. } if header.first().is_some_and(|h| h == "Order") => {
                Some((header.as_slice(), rows.as_slice()))
            }
            _ => None,
        })
}

/// A printed table row in words: "Bolus, IV over 10 min. Per kg (…): 0.35 mg/kg. Dose: …".
fn row_words(header: &[String], row: &[String]) -> String {
    let mut parts = vec![row.first().cloned().unwrap_or_default()];
    for (h, cell) in header.iter().zip(row).skip(1) {
        parts.push(format!("{h}: {cell}"));
    }
    format!("{}.", parts.join(". "))
}

fn rate_type(code: &'static str, display: &'static str) -> CodeableConcept {
    CodeableConcept {
        coding: vec![Coding {
            system: "http://terminology.hl7.org/CodeSystem/dose-rate-type",
            code,
            display,
        }],
        text: None,
    }
}

/// The bolus (when ordered) and the infusion, in the order they are given.
fn dosages(plan: &Plan, table: Option<(&[String], &[Vec<String>])>) -> Vec<Dosage> {
    let words = |i: usize| {
        table
            .and_then(|(h, rows)| rows.get(i).map(|r| row_words(h, r)))
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    if let (Some(mg), Some(minutes)) = (plan.bolus_mg, plan.bolus_minutes) {
        out.push(Dosage {
            sequence: 1,
            text: words(0),
            timing: Timing {
                repeat: Repeat {
                    count: Some(1),
                    duration: minutes,
                    duration_unit: "min",
                },
            },
            route: intravenous(),
            dose_and_rate: vec![DoseAndRate {
                kind: rate_type("ordered", "Ordered"),
                dose_quantity: Some(Quantity::ucum(mg, "mg", "mg")),
                rate_quantity: None,
            }],
            max_dose_per_period: None,
        });
    }
    // As the sheet prints it: without titration the ceiling is the starting rate.
    let ceiling_mg_per_h = if plan.titration.is_some() {
        plan.max_infusion_mg_per_h
    } else {
        plan.infusion_mg_per_h
    };
    out.push(Dosage {
        sequence: out.len() as u32 + 1,
        text: format!("{} {}", words(1), words(2)),
        timing: Timing {
            repeat: Repeat {
                count: None,
                duration: plan.duration_h,
                duration_unit: "h",
            },
        },
        route: intravenous(),
        dose_and_rate: vec![
            DoseAndRate {
                kind: rate_type("ordered", "Ordered"),
                dose_quantity: None,
                rate_quantity: Some(Quantity::ucum(plan.infusion_mg_per_h, "mg/h", "mg/h")),
            },
            DoseAndRate {
                kind: rate_type("calculated", "Calculated"),
                dose_quantity: None,
                rate_quantity: Some(Quantity::ucum(plan.pump_ml_per_h, "mL/h", "mL/h")),
            },
        ],
        // The titration ceiling (the starting rate when there is no titration).
        max_dose_per_period: Some(Ratio {
            numerator: Quantity::ucum(ceiling_mg_per_h, "mg", "mg"),
            denominator: Quantity::ucum(1.0, "h", "h"),
        }),
    });
    out
}

/// What the sheet prints around the dose lines that a reader of the EHR must also see.
fn notes(sheet: &OrderSheet) -> Vec<Annotation> {
    let f = &sheet.frame;
    let mut out = vec![f.banner.clone(), f.valid_for.clone()];
    out.extend(f.safety_line());
    out.push(format!("Protocol: {}", f.protocol));
    out.extend(f.protocol_provenance.clone());
    out.push(f.footer.clone());
    out.into_iter().map(|text| Annotation { text }).collect()
}
