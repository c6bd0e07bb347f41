//! Electronic signatures on an order (step 12): who signed which order, as what, when, and
//! the content hash the signature covers.

use crate::domain::roles::{Act, Role};
use chrono::NaiveDateTime;
use serde::Serialize;

/// What a signature attests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureKind {
    /// The ordering physician's signature.
    Order,
    /// The pharmacist's verification before dispensing.
    PharmacyCheck,
    /// The independent double check of the pump programming at the start.
    DoubleCheck,
}

impl SignatureKind {
    pub const ALL: [SignatureKind; 3] = [
        SignatureKind::Order,
        SignatureKind::PharmacyCheck,
        SignatureKind::DoubleCheck,
    ];

    /// The name stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureKind::Order => "order",
            SignatureKind::PharmacyCheck => "pharmacy_check",
            SignatureKind::DoubleCheck => "double_check",
        }
    }

    pub fn parse(text: &str) -> Option<SignatureKind> {
        SignatureKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The act the signer's role must allow.
    pub fn act(self) -> Act {
        match self {
            SignatureKind::Order => Act::SignOrder,
            SignatureKind::PharmacyCheck => Act::PharmacyCheck,
            SignatureKind::DoubleCheck => Act::DoubleCheck,
        }
    }
}

/// One signature as stored and printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderSignature {
    pub kind: SignatureKind,
    pub order_number: String,
    /// The full sha256 of the order's content (`order_identity::order_content_sha256`).
    pub content_sha256: String,
    pub login: String,
    pub full_name: String,
    pub role: Role,
    /// Clinic time.
    pub signed_at: NaiveDateTime,
}

impl OrderSignature {
    /// "Electronically signed by Dana Reyes, MD (physician) at 2026-12-07 09:14".
    pub fn printed_line(&self) -> String {
        format!(
            "Electronically signed by {} ({}) at {}",
            self.full_name.trim(),
            self.role.as_str(),
            self.signed_at.format("%Y-%m-%d %H:%M")
        )
    }
}

/// Why this signature cannot be added to an order already signed as `existing`: a second
/// signature of the same kind, or a double check by the physician who signed the order (it
/// would not be independent).
pub fn refusal(new: &OrderSignature, existing: &[OrderSignature]) -> Option<String> {
    if let Some(same) = existing.iter().find(|s| s.kind == new.kind) {
        return Some(format!(
            "order {} already has its {} by {}: a signed order is never signed again; a changed order is a new order",
            new.order_number,
            new.kind.as_str().replace('_', " "),
            same.full_name
        ));
    }
    if new.kind == SignatureKind::DoubleCheck
        && existing
            .iter()
            .any(|s| s.kind == SignatureKind::Order && s.login == new.login)
    {
        return Some(format!(
            "{} signed order {}: the double check must be independent, by another clinician",
            new.login, new.order_number
        ));
    }
    None
}

/// The prescriber the case names must be the physician who signs: the sheet prints one
/// name. Names are compared ignoring case and spacing.
pub fn prescriber_refusal(
    case_prescriber: Option<&str>,
    signer: &OrderSignature,
) -> Option<String> {
    let folded = |name: &str| {
        name.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let named = case_prescriber.map(folded).filter(|n| !n.is_empty())?;
    (named != folded(&signer.full_name)).then(|| {
        format!(
            "the case names the prescriber {:?} but {} ({}) signs: the order is signed by the physician it names; correct the prescriber or sign as them",
            case_prescriber.unwrap_or_default().trim(),
            signer.full_name.trim(),
            signer.login
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signature(kind: SignatureKind, login: &str) -> OrderSignature {
        OrderSignature {
            kind,
            order_number: "KP-20261207-0A1B2C3D".into(),
            content_sha256: "ab".repeat(32),
            login: login.into(),
            full_name: format!("{login} full name"),
            role: Role::Physician,
            signed_at: chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
                .and_then(|d| d.and_hms_opt(9, 4, 59))
                .unwrap_or_default(),
        }
    }

    #[test]
    fn the_printed_line_names_the_signer_role_and_minute() {
        assert_eq!(
            signature(SignatureKind::Order, "dreyes").printed_line(),
            "Electronically signed by dreyes full name (physician) at 2026-12-07 09:04"
        );
    }

    #[test]
    fn kinds_read_back_and_map_to_their_acts() {
        for kind in SignatureKind::ALL {
            assert_eq!(SignatureKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(SignatureKind::parse("pharmacy"), None);
        assert_eq!(SignatureKind::Order.act(), Act::SignOrder);
    }

    #[test]
    fn a_second_signature_of_a_kind_is_refused() {
        let first = [signature(SignatureKind::Order, "dreyes")];
        let again = signature(SignatureKind::Order, "other");
        assert!(
            refusal(&again, &first)
                .unwrap_or_default()
                .contains("never signed again")
        );
        assert_eq!(
            refusal(&signature(SignatureKind::PharmacyCheck, "pk"), &first),
            None
        );
    }

    #[test]
    fn the_case_prescriber_is_the_signer() {
        let s = signature(SignatureKind::Order, "dreyes");
        assert_eq!(prescriber_refusal(None, &s), None);
        assert_eq!(prescriber_refusal(Some("  "), &s), None);
        assert_eq!(prescriber_refusal(Some("DREYES   full  Name"), &s), None);
        let other = prescriber_refusal(Some("Dr Who"), &s).unwrap_or_default();
        assert!(
            other.contains("\"Dr Who\"") && other.contains("dreyes"),
            "{other}"
        );
    }

    #[test]
    fn the_double_check_is_by_someone_other_than_the_prescriber() {
        let signed = [signature(SignatureKind::Order, "dreyes")];
        let own = signature(SignatureKind::DoubleCheck, "dreyes");
        assert!(
            refusal(&own, &signed)
                .unwrap_or_default()
                .contains("independent")
        );
        let other = signature(SignatureKind::DoubleCheck, "nurse1");
        assert_eq!(refusal(&other, &signed), None);
    }
}
