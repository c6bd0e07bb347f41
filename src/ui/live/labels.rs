//! Human names for contract paths (for lists far from the field), and the field a dose
//! limit alert belongs to.

use crate::domain::findings::DoseField;
use crate::domain::protocol::Protocol;
use crate::ui::draft::CaseDraft;

/// A short human name for a contract path, for lists far from the field.
pub fn field_label(protocol: &Protocol, field: &str) -> String {
    if let Some(code) = field.strip_prefix("screening.") {
        return protocol
            .finding(code)
            .and_then(|d| d.screening.as_ref())
            .map_or_else(|| code.to_string(), |q| q.question.clone());
    }
    if let Some(code) = field.strip_prefix("justifications.") {
        return protocol.reason_label(code);
    }
    let known = match field {
        "" => "Case",
        "patient.age_years" => "Age",
        "patient.weight" | "patient.weight.value" | "patient.weight.unit" => "Weight",
        "patient.height_cm" => "Height",
        "patient.sex" => "Sex",
        "condition" => "Indication",
        "condition_detail" => "Description of the condition",
        "risk_scores.ort" => "ORT score",
        "risk_scores.soapp_r" => "SOAPP-R score",
        "regimen.setting" => "Setting",
        "regimen.course" => "Course",
        "regimen.dosing_weight" => "Dosing weight basis",
        "regimen.bolus.value" | "regimen.bolus" => "Bolus",
        "regimen.bolus.minutes" => "Bolus minutes",
        "regimen.infusion.value" | "regimen.infusion" => "Starting infusion",
        "regimen.max_infusion.value" | "regimen.max_infusion" => "Titration ceiling",
        "regimen.duration_h" => "Duration",
        "regimen.concentration_mg_per_ml" => "Concentration",
        "history.treatments_past_12_months" => "Sessions in the past 12 months",
        "order.patient_name" => "Patient name",
        "order.mrn" => "MRN",
        "order.date_of_birth" => "Date of birth",
        "order.weighed_on" => "Date weighed",
        "order.allergies" => "Allergies",
        "order.prescriber" => "Prescriber",
        "order.supervising_physician_name" => "Supervising physician",
        "order.administering_clinician_name" => "Administering clinician",
        "order.airway_clinician_name" => "Airway clinician",
        "order.attest.supervising_physician" => "Supervising physician attestation",
        "order.attest.administering_clinician" => "Administering clinician attestation",
        "order.attest.resuscitation_ready" => "Resuscitation readiness attestation",
        "order.attest.airway_clinician_available" => "Airway clinician attestation",
        other => other,
    };
    known.to_string()
}

/// The contract path of the dose field a limit alert belongs to.
pub fn alert_field_path(draft: &CaseDraft, field: DoseField) -> &'static str {
    match field {
        DoseField::Bolus => "regimen.bolus.value",
        // Infusion limits are judged at the ceiling.
        DoseField::Infusion if draft.ceiling_on => "regimen.max_infusion.value",
        DoseField::Infusion => "regimen.infusion.value",
        DoseField::Pump | DoseField::Concentration => "regimen.concentration_mg_per_ml",
        DoseField::Weight => "patient.weight.value",
    }
}
