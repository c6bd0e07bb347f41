//! FHIR R4 export for the clinic's EHR: the printable order as a Bundle (`order_bundle`) and
//! what a course's sessions gave and charted (`course_bundle`). Pure: the caller supplies the
//! clock and the clinic's time zone, so the same record gives the same bundle.

mod course;
mod course_vitals;
mod ids;
mod order;
pub mod resources;

pub use course::{CourseExport, course_bundle};
pub use order::{OrderExport, order_bundle, sheet_bundle};
pub use resources::Bundle;

use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeZone};
use chrono_tz::Tz;
use resources::{CodeableConcept, Coding, Entry, HumanName, Identifier, Patient, Resource};

/// Where the MRN and the order number live: ketaplan's own identifier systems (an EHR maps
/// them to its own; the Identifier's type says "medical record number").
pub const MRN_SYSTEM: &str = "urn:ketaplan:mrn";
pub const ORDER_NUMBER_SYSTEM: &str = "urn:ketaplan:order-number";
/// The clinic database's login of a signed-in user (the signing physician).
pub const LOGIN_SYSTEM: &str = "urn:ketaplan:login";

/// This instant in `zone`, as a FHIR instant (RFC 3339, whole seconds, its offset).
pub fn now_in(zone: Tz) -> String {
    chrono::Utc::now()
        .with_timezone(&zone)
        .fixed_offset()
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The clinic's wall-clock time as an instant with its offset (FHIR requires a zone on a
/// dateTime with a time); `None` for a time the clock skips (the spring-forward hour).
pub fn instant(zone: Tz, at: NaiveDateTime) -> Option<String> {
    zone.from_local_datetime(&at)
        .earliest()
        .map(|t: DateTime<Tz>| t.fixed_offset().to_rfc3339_opts(SecondsFormat::Secs, false))
}

fn v2_mrn_type() -> CodeableConcept {
    CodeableConcept {
        coding: vec![Coding {
            system: "http://terminology.hl7.org/CodeSystem/v2-0203",
            code: "MR",
            display: "Medical record number",
        }],
        text: None,
    }
}

fn intravenous() -> CodeableConcept {
    CodeableConcept::coded(resources::SNOMED, "47625008", "Intravenous route")
}

/// The patient entry: MRN, name as printed, and sex and birth date when known.
fn patient_entry(
    mrn: &str,
    name: &str,
    sex: Option<crate::domain::case::Sex>,
    birth: Option<&str>,
) -> Entry {
    let full_url = ids::urn(&["patient", mrn]);
    let birth_date = birth
        .and_then(crate::domain::case::parse_date)
        .map(|d| d.format("%Y-%m-%d").to_string());
    Entry {
        resource: Resource::Patient(Patient {
            id: ids::id_of(&full_url),
            identifier: vec![Identifier {
                kind: Some(v2_mrn_type()),
                system: MRN_SYSTEM.to_string(),
                value: mrn.to_string(),
            }],
            name: vec![HumanName {
                text: name.to_string(),
            }],
            gender: sex.map(|s| match s {
                crate::domain::case::Sex::Female => "female",
                crate::domain::case::Sex::Male => "male",
            }),
            birth_date,
        }),
        full_url,
    }
}
