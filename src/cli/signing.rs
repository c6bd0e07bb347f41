//! Electronic signatures from the command line (step 12): `order … --sign-as LOGIN` signs an
//! original as it is printed; `order-check NUMBER --check pharmacy|double-check --as LOGIN`
//! records a check of an order printed before. Passwords come from stdin.

use super::clinic::{failed, open_db};
use super::order_ledger::{CliLedger, LedgerPlace};
use super::passphrase::Secrets;
use super::{Args, Environment, USAGE, print_json};
use crate::domain::signature::{OrderSignature, SignatureKind, prescriber_refusal};
use crate::store::db::{Credentials, DbError, ToSign};
use chrono::NaiveDateTime;
use std::io::Write;

/// What the signer is about to sign.
pub struct SigningOrder<'a> {
    pub order_number: &'a str,
    pub content_sha256: &'a str,
    pub case_prescriber: Option<&'a str>,
    pub signed_at: NaiveDateTime,
}

/// The prescriber's signature for an original about to be printed, checked (password, role,
/// the name the case gives) before anything is written.
pub fn sign_for_print(
    book: &mut CliLedger,
    login: &str,
    env: &Environment,
    order: &SigningOrder<'_>,
) -> Result<OrderSignature, DbError> {
    let LedgerPlace::Clinic { db, .. } = &mut book.place else {
        return Err(DbError::Rejected(
            "--sign-as needs the clinic database (--db URL or KETAPLAN_DB): the signature is kept in its order ledger".into(),
        ));
    };
    let password = Secrets::new(env).password(&format!("password of {login}"), false)?;
    let signature = db.signer(
        &Credentials {
            login,
            password: &password,
        },
        &ToSign {
            kind: SignatureKind::Order,
            order_number: order.order_number,
            content_sha256: order.content_sha256,
            signed_at: order.signed_at,
        },
    )?;
    if let Some(why) = prescriber_refusal(order.case_prescriber, &signature) {
        return Err(DbError::Refused(why));
    }
    Ok(signature)
}

/// The signatures an order already holds (printed again on a COPY); none with a file ledger.
pub fn signatures_of(
    book: &mut CliLedger,
    order_number: &str,
) -> Result<Vec<OrderSignature>, DbError> {
    match &mut book.place {
        LedgerPlace::Clinic { db, .. } => db.read_signatures(order_number),
        LedgerPlace::File(_) => Ok(Vec::new()),
    }
}

/// `ketaplan order-check ORDER-NUMBER --check pharmacy|double-check --as LOGIN`: 0 recorded
/// (the signature printed as JSON); 2 bad input or unknown order; 3 refused (signed twice, a
/// double check by the prescriber); 7 wrong password, disabled, or a role that may not.
pub(super) fn order_check_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let outcome = (|| -> Result<u8, DbError> {
        let [number] = args.positional.as_slice() else {
            return Err(DbError::Rejected(format!(
                "order-check needs one ORDER-NUMBER\n{USAGE}"
            )));
        };
        let number = number.to_string_lossy().trim().to_string();
        let kind = match args.check.as_deref() {
            Some("pharmacy") => SignatureKind::PharmacyCheck,
            Some("double-check") => SignatureKind::DoubleCheck,
            Some(other) => {
                return Err(DbError::Rejected(format!(
                    "--check {other}: use pharmacy or double-check"
                )));
            }
            None => {
                return Err(DbError::Rejected(
                    "order-check needs --check pharmacy|double-check".into(),
                ));
            }
        };
        let Some(login) = args.acting_as.as_deref() else {
            return Err(DbError::Rejected(
                "order-check needs --as LOGIN: who checks".into(),
            ));
        };
        let mut db = open_db(args, env)?;
        if !db
            .read_ledger()?
            .printed
            .iter()
            .any(|p| p.order_number == number)
        {
            return Err(DbError::Rejected(format!(
                "order {number} is not in the clinic's order ledger: only a printed order is checked"
            )));
        }
        let Some(content_sha256) = db
            .read_signatures(&number)?
            .into_iter()
            .find(|s| s.kind == SignatureKind::Order)
            .map(|s| s.content_sha256)
        else {
            return Err(DbError::Refused(format!(
                "order {number} has no electronic signature of its prescriber: record the check on the signed paper order in ink"
            )));
        };
        let password = Secrets::new(env).password(&format!("password of {login}"), false)?;
        let signed_at = db.clinic_now()?;
        let signature = db.signer(
            &Credentials {
                login,
                password: &password,
            },
            &ToSign {
                kind,
                order_number: &number,
                content_sha256: &content_sha256,
                signed_at,
            },
        )?;
        db.record_signature(&signature)?;
        Ok(print_json(&signature, stdout, stderr))
    })();
    outcome.unwrap_or_else(|e| failed(stderr, &e))
}
