//! Pack validation: every consistency check, each error located at its field's `line:column`.
//! The checks run section by section, in this order; the first error found is reported.

use super::error::ProtocolError;
use super::pack::ProtocolPack;
use checker::PackChecker;

mod catalogue;
mod checker;
mod clinical;
mod input_9b;
mod limits;
mod sheet;
mod v4;

pub(super) fn validate_pack(p: &ProtocolPack, text: &str) -> Result<(), ProtocolError> {
    let mut c = PackChecker {
        text,
        errors: Vec::new(),
    };
    sheet::validate_identity_and_sheet(p, &mut c);
    limits::validate_limits(p, &mut c);
    let seen = catalogue::validate_findings(p, &mut c);
    limits::validate_course_limits(p, &mut c);
    catalogue::validate_code_references(p, &mut c);
    catalogue::validate_alerts_and_conditions(p, &mut c, &seen);
    clinical::validate_concentrations_and_rescue(p, &mut c);
    clinical::validate_clinical_content(p, &mut c);
    v4::validate_v4_values(p, &mut c);
    input_9b::validate_input_values(p, &mut c);
    for (field, message) in p.pharmacokinetics.problems() {
        c.error(&field, message);
    }

    match c.errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
