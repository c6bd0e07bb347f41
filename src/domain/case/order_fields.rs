//! The checks a printed text field of a case gets: printable characters, length and, for allergies, a real answer.

use super::allergies::placeholder_refusal;
use super::printable::{LineBreaks, refusal};
use crate::domain::protocol::ProtocolPack;

/// The `order` fields that print and are checked here (dates and the order number have
/// their own checks).
pub const PRINTED_ORDER_FIELDS: [&str; 9] = [
    "patient_name",
    "mrn",
    "allergies",
    "prescriber",
    "clinic",
    "clinic_phone",
    "supervising_physician_name",
    "administering_clinician_name",
    "airway_clinician_name",
];

/// Every reason `text` of `order.KEY` cannot print (empty when it can).
pub fn order_field_errors(pack: &ProtocolPack, key: &str, text: &str) -> Vec<String> {
    if !PRINTED_ORDER_FIELDS.contains(&key) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(why) = refusal(text, LineBreaks::Refused) {
        out.push(why);
    }
    let (max, what) = if key == "allergies" {
        (
            pack.input_limits.allergies_max_chars.value,
            "allergies_max_chars",
        )
    } else {
        (
            pack.input_limits.identifier_max_chars.value,
            "identifier_max_chars",
        )
    };
    out.extend(too_long(text, max, what));
    if key == "allergies"
        && let Some(why) = placeholder_refusal(text)
    {
        out.push(why);
    }
    out
}

/// Every reason a justification text cannot print (line breaks may stay).
pub fn reason_errors(pack: &ProtocolPack, text: &str) -> Vec<String> {
    let mut out: Vec<String> = refusal(text, LineBreaks::Kept).into_iter().collect();
    out.extend(too_long(
        text,
        pack.input_limits.justification_max_chars.value,
        "justification_max_chars",
    ));
    out
}

/// Why the condition detail cannot print, if it cannot (its length is checked elsewhere).
pub fn condition_detail_error(text: &str) -> Option<String> {
    refusal(text, LineBreaks::Refused)
}

fn too_long(text: &str, max: f64, limit: &str) -> Option<String> {
    let n = text.trim().chars().count();
    (n as f64 > max).then(|| {
        format!(
            "is {n} characters long, more than the {} the order prints (input_limits.{limit}); shorten it",
            crate::domain::number_format::number(max)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::protocol::Protocol;

    fn pack() -> ProtocolPack {
        match Protocol::built_in() {
            Ok(p) => p.pack,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn identifier_length_boundary_is_the_pack_value() {
        let p = pack();
        let max = p.input_limits.identifier_max_chars.value as usize;
        assert!(order_field_errors(&p, "clinic", &"C".repeat(max)).is_empty());
        let errors = order_field_errors(&p, "clinic", &"C".repeat(max + 1));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("identifier_max_chars"));
    }

    #[test]
    fn reason_length_boundary_is_the_pack_value() {
        let p = pack();
        let max = p.input_limits.justification_max_chars.value as usize;
        assert!(reason_errors(&p, &"r".repeat(max)).is_empty());
        assert_eq!(reason_errors(&p, &"r".repeat(max + 1)).len(), 1);
        assert!(reason_errors(&p, "first line\nsecond line of the reason").is_empty());
    }

    #[test]
    fn allergies_get_the_placeholder_check_other_fields_do_not() {
        let p = pack();
        assert_eq!(order_field_errors(&p, "allergies", "none").len(), 1);
        assert!(order_field_errors(&p, "prescriber", "none").is_empty());
        assert!(order_field_errors(&p, "date_of_birth", "\u{202e}").is_empty());
    }
}
