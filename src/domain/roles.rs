//! Who may do what (step 12): the clinic's roles and the acts each role may record.

use serde::Serialize;

/// A user's role in the clinic database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Nurse,
    Physician,
    Pharmacist,
    Admin,
}

impl Role {
    pub fn parse(text: &str) -> Result<Role, String> {
        match text {
            "nurse" => Ok(Role::Nurse),
            "physician" => Ok(Role::Physician),
            "pharmacist" => Ok(Role::Pharmacist),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "the role {other:?} is not one of nurse, physician, pharmacist, admin"
            )),
        }
    }

    /// "a nurse", "an admin": for messages.
    pub fn with_article(self) -> &'static str {
        match self {
            Role::Nurse => "a nurse",
            Role::Physician => "a physician",
            Role::Pharmacist => "a pharmacist",
            Role::Admin => "an admin",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Nurse => "nurse",
            Role::Physician => "physician",
            Role::Pharmacist => "pharmacist",
            Role::Admin => "admin",
        }
    }
}

/// An act a signed-in user records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Sign an infusion order (the prescriber's signature).
    SignOrder,
    /// Write the reason for an [avoid] finding or a soft limit that the order goes ahead with.
    GiveClinicalReason,
    /// The pharmacist's verification of a signed order before dispensing.
    PharmacyCheck,
    /// The independent double check of the pump programming at the start.
    DoubleCheck,
    /// Flowsheet rows, what was given, follow-up calls and liver tests.
    RecordBedside,
    /// Add or disable users.
    ManageUsers,
}

impl Act {
    /// In words, for refusals: "sign an order".
    pub fn describe(self) -> &'static str {
        match self {
            Act::SignOrder => "sign an order",
            Act::GiveClinicalReason => "give the reason for an [avoid] finding or a soft limit",
            Act::PharmacyCheck => "record the pharmacy check",
            Act::DoubleCheck => "record the independent double check",
            Act::RecordBedside => "record flowsheets, what was given and follow-ups",
            Act::ManageUsers => "add or disable users",
        }
    }

    /// The roles that may do this. Prescribing acts are the physician's alone; the bedside is
    /// the nurse's and the physician's; the pharmacy check is the pharmacist's; an admin
    /// manages users and records nothing clinical.
    pub fn allowed_roles(self) -> &'static [Role] {
        match self {
            Act::SignOrder | Act::GiveClinicalReason => &[Role::Physician],
            Act::PharmacyCheck => &[Role::Pharmacist],
            Act::DoubleCheck | Act::RecordBedside => &[Role::Nurse, Role::Physician],
            Act::ManageUsers => &[Role::Admin],
        }
    }
}

/// May `role` do `act`? `Err` says who may, for the message shown.
pub fn may(role: Role, act: Act) -> Result<(), String> {
    let allowed = act.allowed_roles();
    if allowed.contains(&role) {
        return Ok(());
    }
    let who: Vec<&str> = allowed.iter().map(|r| r.with_article()).collect();
    Err(format!(
        "{} may not {}: only {} may",
        role.with_article(),
        act.describe(),
        who.join(" or ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Role; 4] = [Role::Nurse, Role::Physician, Role::Pharmacist, Role::Admin];

    fn allowed(act: Act) -> Vec<Role> {
        ALL.into_iter().filter(|r| may(*r, act).is_ok()).collect()
    }

    #[test]
    fn only_a_physician_signs_an_order_or_gives_a_clinical_reason() {
        assert_eq!(allowed(Act::SignOrder), vec![Role::Physician]);
        assert_eq!(allowed(Act::GiveClinicalReason), vec![Role::Physician]);
    }

    #[test]
    fn a_nurse_records_the_bedside_and_the_double_check_but_signs_nothing() {
        assert!(may(Role::Nurse, Act::RecordBedside).is_ok());
        assert!(may(Role::Nurse, Act::DoubleCheck).is_ok());
        assert_eq!(
            may(Role::Nurse, Act::SignOrder),
            Err("a nurse may not sign an order: only a physician may".to_string())
        );
    }

    #[test]
    fn the_pharmacy_check_is_the_pharmacists_alone() {
        assert_eq!(allowed(Act::PharmacyCheck), vec![Role::Pharmacist]);
        assert!(may(Role::Pharmacist, Act::RecordBedside).is_err());
    }

    #[test]
    fn an_admin_manages_users_and_records_nothing_clinical() {
        assert_eq!(allowed(Act::ManageUsers), vec![Role::Admin]);
        for act in [
            Act::SignOrder,
            Act::GiveClinicalReason,
            Act::PharmacyCheck,
            Act::DoubleCheck,
            Act::RecordBedside,
        ] {
            assert!(may(Role::Admin, act).is_err(), "{act:?}");
        }
        assert_eq!(
            may(Role::Admin, Act::RecordBedside),
            Err("an admin may not record flowsheets, what was given and follow-ups: only a nurse or a physician may".to_string())
        );
    }

    #[test]
    fn roles_read_back_from_their_names() {
        for role in ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("doctor").is_err_and(|e| e.contains("\"doctor\"")));
    }
}
