//! The FHIR R4 elements ketaplan writes, as small serde structs: only what the order and
//! course bundles use, named and nested as the R4 specification has them (checked in CI
//! against an independent implementation, the `fhir.resources` R4B models).

use serde::Serialize;

pub const UCUM: &str = "http://unitsofmeasure.org";
pub const LOINC: &str = "http://loinc.org";
pub const SNOMED: &str = "http://snomed.info/sct";

/// A `collection` Bundle: resources gathered for the EHR, not a transaction.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bundle {
    pub resource_type: &'static str,
    pub id: String,
    pub identifier: Identifier,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// When the bundle was made (an instant, with its offset).
    pub timestamp: String,
    pub entry: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// `urn:uuid:…`: what the other entries' references point at.
    pub full_url: String,
    pub resource: Resource,
}

/// One resource; `resourceType` is written first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "resourceType")]
pub enum Resource {
    Patient(Patient),
    Practitioner(Practitioner),
    Medication(Medication),
    MedicationRequest(Box<MedicationRequest>),
    MedicationAdministration(Box<MedicationAdministration>),
    Observation(Box<Observation>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coding {
    pub system: &'static str,
    pub code: &'static str,
    pub display: &'static str,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct CodeableConcept {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coding: Vec<Coding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl CodeableConcept {
    pub fn coded(system: &'static str, code: &'static str, display: &'static str) -> Self {
        CodeableConcept {
            coding: vec![Coding {
                system,
                code,
                display,
            }],
            text: Some(display.to_string()),
        }
    }
    pub fn text(text: impl Into<String>) -> Self {
        CodeableConcept {
            coding: Vec::new(),
            text: Some(text.into()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identifier {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<CodeableConcept>,
    pub system: String,
    pub value: String,
}

/// A reference to another entry (`urn:uuid:…`), to a logical identifier, or a name only.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Reference {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

impl Reference {
    pub fn to(full_url: &str) -> Self {
        Reference {
            reference: Some(full_url.to_string()),
            ..Reference::default()
        }
    }
}

/// A UCUM quantity: `unit` as printed, `code` the UCUM code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    pub value: f64,
    pub unit: &'static str,
    pub system: &'static str,
    pub code: &'static str,
}

impl Quantity {
    pub fn ucum(value: f64, unit: &'static str, code: &'static str) -> Self {
        Quantity {
            value,
            unit,
            system: UCUM,
            code,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ratio {
    pub numerator: Quantity,
    pub denominator: Quantity,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Annotation {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HumanName {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Patient {
    pub id: String,
    pub identifier: Vec<Identifier>,
    pub name: Vec<HumanName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
}

/// The physician who signed the order electronically: their clinic login and name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Practitioner {
    pub id: String,
    pub identifier: Vec<Identifier>,
    pub name: Vec<HumanName>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ingredient {
    pub item_codeable_concept: CodeableConcept,
    pub is_active: bool,
    /// mg per 1 mL of the prepared infusion.
    pub strength: Ratio,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Medication {
    pub id: String,
    pub code: CodeableConcept,
    pub form: CodeableConcept,
    pub ingredient: Vec<Ingredient>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Repeat {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    pub duration: f64,
    /// UCUM: `min` or `h`.
    pub duration_unit: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timing {
    pub repeat: Repeat,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoseAndRate {
    #[serde(rename = "type")]
    pub kind: CodeableConcept,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dose_quantity: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_quantity: Option<Quantity>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dosage {
    pub sequence: u32,
    /// The printed order's wording for this line.
    pub text: String,
    pub timing: Timing,
    pub route: CodeableConcept,
    pub dose_and_rate: Vec<DoseAndRate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_dose_per_period: Option<Ratio>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicationRequest {
    pub id: String,
    pub identifier: Vec<Identifier>,
    pub status: &'static str,
    pub intent: &'static str,
    pub medication_reference: Reference,
    pub subject: Reference,
    pub authored_on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester: Option<Reference>,
    pub supporting_information: Vec<Reference>,
    pub note: Vec<Annotation>,
    pub dosage_instruction: Vec<Dosage>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdministrationDosage {
    pub text: String,
    pub route: CodeableConcept,
    pub dose: Quantity,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicationAdministration {
    pub id: String,
    pub status: &'static str,
    pub medication_codeable_concept: CodeableConcept,
    pub subject: Reference,
    pub effective_period: Period,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Reference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    pub dosage: AdministrationDosage,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    pub code: CodeableConcept,
    pub value_quantity: Quantity,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    pub id: String,
    pub status: &'static str,
    pub category: Vec<CodeableConcept>,
    pub code: CodeableConcept,
    pub subject: Reference,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_date_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub component: Vec<Component>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
}
