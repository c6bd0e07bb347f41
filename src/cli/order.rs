//! `ketaplan order CASE --out FILE …`: the printable infusion order (and its handout), with
//! the order ledger kept as the app keeps it.

use super::plan::load_case;
use super::{
    Args, EXIT_OK, EXIT_REFUSED, EXIT_WRITE_FAILED, Environment, order_ledger,
    protocol_or_rejected, rejected, signing, store, usage_error,
};
use crate::domain::case::FieldError;
use crate::domain::plan::plan;
use crate::domain::protocol::Protocol;
use crate::order::{OrderOptions, OrderSheet, Paper};
use crate::store::Store;
use std::io::Write;
use std::path::Path;

/// `ketaplan order CASE --out FILE [--justification TEXT] [--text] [--on DATE] [--paper P]
/// [--handout FILE] [--copy] [--supersedes NUMBER]`:
/// 0 written; 2 input rejected; 3 refused (every reason on stderr, nothing written);
/// 4 could not write (no partial file: `store::write_atomic`).
pub(super) fn order_command(
    args: &Args,
    env: &Environment,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let [case_path] = args.positional.as_slice() else {
        return usage_error(stderr, "order needs exactly one CASE file");
    };
    let Some(out_path) = args.out.as_deref() else {
        return usage_error(stderr, "order needs --out FILE");
    };
    if args.handout.as_deref() == Some(out_path) {
        return usage_error(stderr, "--handout and --out must name different files");
    }
    for (flag, path) in [
        ("--out", Some(out_path)),
        ("--handout", args.handout.as_deref()),
    ] {
        if let Some(path) = path
            && crate::store::ledger::same_file(path, Path::new(case_path))
        {
            return usage_error(
                stderr,
                &format!(
                    "{flag} {} is the case file itself: it would be overwritten; nothing was written",
                    path.display()
                ),
            );
        }
    }
    if args.sign_as.is_some() && args.copy {
        return usage_error(
            stderr,
            "--sign-as signs an original; a COPY prints the signatures its order has",
        );
    }
    if args.sign_as.is_some() && args.db.is_none() && env.db.is_none() {
        return usage_error(
            stderr,
            "--sign-as needs the clinic database (--db URL or KETAPLAN_DB): the signature is kept in its order ledger",
        );
    }
    let today = env.today();
    let printed_at = today.and_time(chrono::Local::now().time());
    let order_date = match order_date(args, today, stderr) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let paper = match args.paper.as_deref() {
        None => Paper::A4,
        Some(text) => match Paper::parse(text) {
            Some(p) => p,
            None => return usage_error(stderr, &format!("--paper {text}: use a4 or letter")),
        },
    };
    let protocol = match protocol_or_rejected(args, stdout, stderr) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Err(code) = check_justification(args, &protocol, stdout, stderr) {
        return code;
    }
    let case = match load_case(&protocol, Path::new(case_path), stdout, stderr) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let plan = plan(&protocol, &case);
    let supersedes = match args.supersedes.as_deref().map(str::trim) {
        None => None,
        Some("") => {
            return usage_error(
                stderr,
                "--supersedes needs the number of the order it replaces",
            );
        }
        Some(n) => Some(n.to_string()),
    };
    let opened = if args.db.is_some() || env.db.is_some() {
        // The clinic database keeps the ledger every workstation shares.
        if args.ledger.is_some() {
            return usage_error(
                stderr,
                "--ledger and --db: with a clinic database its ledger is the one kept",
            );
        }
        match super::clinic::open_db(args, env) {
            Err(e) => Err(e.to_string()),
            Ok(mut db) => {
                // The signer acts when the order is signed (checked as it is signed).
                // A COPY records nothing, so names no one.
                let by = match &args.sign_as {
                    Some(login) => login.clone(),
                    None if args.copy => super::clinic::user(args, env),
                    None => match super::clinic::acting_user(args, env, &mut db) {
                        Ok(by) => by,
                        Err(e) => return super::clinic::failed(stderr, &e),
                    },
                };
                order_ledger::open_clinic(db, by)
            }
        }
    } else {
        order_ledger::ledger_path(args.ledger.as_deref(), env.ledger.as_deref())
            .and_then(order_ledger::open)
    };
    let mut book = match opened {
        Ok(book) => book,
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: refused: {e}");
            return EXIT_REFUSED;
        }
    };
    let identity = match order_ledger::identify(
        &book, &protocol, &case, order_date, today, args.copy, supersedes,
    ) {
        Ok(i) => i,
        Err(e) if e.starts_with("--supersedes") => return usage_error(stderr, &e),
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: refused: {e}");
            return EXIT_REFUSED;
        }
    };
    let signatures = match order_signatures(
        &mut book, args, env, &protocol, &case, order_date, &identity, printed_at,
    ) {
        Ok(s) => s,
        Err(e) => return super::clinic::failed(stderr, &e),
    };
    let options = OrderOptions {
        order_date,
        printed_at,
        extra_justification: args.justification.clone(),
        paper,
        identity: Some(identity.clone()),
        signatures: signatures.clone(),
    };
    let sheet = match OrderSheet::build(&protocol, &case, &plan, &options) {
        Ok(sheet) => sheet,
        Err(refusals) => {
            for r in &refusals {
                let _ = writeln!(stderr, "ketaplan: refused: {r}");
            }
            return EXIT_REFUSED;
        }
    };
    let bytes = if args.text {
        crate::order::text::render(&sheet).into_bytes()
    } else {
        match crate::order::pdf::render(&sheet) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(stderr, "ketaplan: could not make the PDF: {e}");
                return EXIT_WRITE_FAILED;
            }
        }
    };
    // The handout is made before anything is written: both files or neither.
    let handout = match args.handout.as_deref() {
        None => None,
        Some(path) => {
            let refusals = crate::order::handout::refusals(&case);
            if !refusals.is_empty() {
                for r in &refusals {
                    let _ = writeln!(stderr, "ketaplan: refused: {r}");
                }
                return EXIT_REFUSED;
            }
            let h = crate::order::Handout::build(&protocol, &case, &plan, order_date);
            let made = if args.text {
                Ok(crate::order::handout::render(&h).into_bytes())
            } else {
                crate::order::pdf::render_handout(&h, paper)
            };
            match made {
                Ok(b) => Some((path, b)),
                Err(e) => {
                    let _ = writeln!(stderr, "ketaplan: could not make the handout: {e}");
                    return EXIT_WRITE_FAILED;
                }
            }
        }
    };
    if let Err(e) = store().write_export(out_path, &bytes) {
        let _ = writeln!(
            stderr,
            "ketaplan: could not write {}: {e}",
            out_path.display()
        );
        return EXIT_WRITE_FAILED;
    }
    if let Some((path, handout_bytes)) = handout
        && let Err(e) = store().write_export(path, &handout_bytes)
    {
        // No order without its handout: take the order back.
        store().remove_export(out_path);
        let _ = writeln!(stderr, "ketaplan: could not write {}: {e}", path.display());
        return EXIT_WRITE_FAILED;
    }
    if let Err(e) = order_ledger::record(
        &mut book,
        &identity,
        &case,
        order_date,
        printed_at,
        signatures.first().filter(|_| args.sign_as.is_some()),
    ) {
        // An original the ledger does not know could be printed again: take it back.
        store().remove_export(out_path);
        if let Some(path) = args.handout.as_deref() {
            store().remove_export(path);
        }
        let _ = writeln!(
            stderr,
            "ketaplan: could not record the order in the ledger ({e}); nothing was written"
        );
        return EXIT_WRITE_FAILED;
    }
    EXIT_OK
}

/// The electronic signatures this print carries: the prescriber's, checked now, with
/// `--sign-as`; those the ledger holds for a COPY. Refused (exit 7, 3) before anything is
/// written.
#[allow(clippy::too_many_arguments)]
fn order_signatures(
    book: &mut order_ledger::CliLedger,
    args: &Args,
    env: &Environment,
    protocol: &Protocol,
    case: &crate::domain::Case,
    order_date: chrono::NaiveDate,
    identity: &crate::domain::order_identity::PrintIdentity,
    printed_at: chrono::NaiveDateTime,
) -> Result<Vec<crate::domain::signature::OrderSignature>, crate::store::db::DbError> {
    let content_sha256 =
        crate::domain::order_identity::order_content_sha256(protocol, case, order_date);
    if let Some(login) = args.sign_as.as_deref() {
        let prescriber = case.order.as_ref().and_then(|o| o.prescriber.as_deref());
        let order = signing::SigningOrder {
            order_number: &identity.order_number,
            content_sha256: &content_sha256,
            case_prescriber: prescriber,
            signed_at: printed_at,
        };
        return signing::sign_for_print(book, login, env, &order).map(|s| vec![s]);
    }
    let held = signing::signatures_of(book, &identity.order_number)?;
    if let Some(other) = held.iter().find(|s| s.content_sha256 != content_sha256) {
        return Err(crate::store::db::DbError::Refused(format!(
            "order {} was signed for other content (sha256 {}): nothing was printed",
            identity.order_number, other.content_sha256
        )));
    }
    Ok(held)
}

/// `--justification` prints on the sheet as a case's reasons do, so it gets their checks
/// (exit 2 naming the option).
pub(super) fn check_justification(
    args: &Args,
    protocol: &Protocol,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), u8> {
    let Some(text) = args.justification.as_deref() else {
        return Ok(());
    };
    let errors: Vec<FieldError> =
        crate::domain::case::order_fields::reason_errors(&protocol.pack, text)
            .into_iter()
            .map(|message| FieldError {
                field: "--justification".into(),
                message,
            })
            .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(rejected(&errors, stdout, stderr))
    }
}

/// The order date: `--on`, else `today`; a date that is not `YYYY-MM-DD` is a usage error.
pub(super) fn order_date(
    args: &Args,
    today: chrono::NaiveDate,
    stderr: &mut dyn Write,
) -> Result<chrono::NaiveDate, u8> {
    match args.on.as_deref() {
        None => Ok(today),
        Some(text) => crate::domain::case::parse_date(text)
            .ok_or_else(|| usage_error(stderr, &format!("--on {text} is not a YYYY-MM-DD date"))),
    }
}
