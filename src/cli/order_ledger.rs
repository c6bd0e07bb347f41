//! `ketaplan order` keeps the order ledger as the app does: a second original of an order is
//! refused, a reprint is a COPY. The ledger is a file, or with `--db` the clinic database's
//! (shared by every workstation).

use crate::domain::Case;
use crate::domain::order_identity::{OrderLedger, PrintIdentity, order_number};
use crate::domain::protocol::Protocol;
use crate::domain::signature::OrderSignature;
use chrono::{NaiveDate, NaiveDateTime};
use std::path::{Path, PathBuf};

/// Where the ledger is kept.
pub enum LedgerPlace {
    File(PathBuf),
    /// The clinic database, and who prints (the audit's user).
    Clinic {
        db: Box<crate::store::db::ClinicDb>,
        by: String,
    },
}

impl LedgerPlace {
    /// The ledger's name in messages.
    fn shown(&self) -> String {
        match self {
            LedgerPlace::File(path) => path.display().to_string(),
            LedgerPlace::Clinic { db, .. } => db.url().redacted(),
        }
    }
}

/// The ledger the CLI reads before printing and writes after.
pub struct CliLedger {
    pub place: LedgerPlace,
    pub ledger: OrderLedger,
}

/// Where the ledger is: `--ledger`, else `KETAPLAN_LEDGER` (in `Environment`), else the
/// app's data folder.
pub fn ledger_path(option: Option<&Path>, env: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(p) = option.or(env) {
        return Ok(p.to_path_buf());
    }
    crate::store::file_store::default_data_dir()
        .map(|d| d.join(crate::store::ledger::LEDGER_FILE))
        .ok_or_else(|| {
            "there is no data folder for the order ledger: give --ledger FILE".to_string()
        })
}

/// Read the ledger; an unreadable one refuses the order (a second original would not be
/// recognised).
pub fn open(path: PathBuf) -> Result<CliLedger, String> {
    let ledger = crate::store::ledger::read_ledger_file(&path).map_err(|e| {
        format!(
            "the order ledger cannot be read ({e}): without it a second original of this order would not be recognised; move the file aside or give --ledger FILE"
        )
    })?;
    Ok(CliLedger {
        place: LedgerPlace::File(path),
        ledger,
    })
}

/// The clinic database's ledger.
pub fn open_clinic(mut db: crate::store::db::ClinicDb, by: String) -> Result<CliLedger, String> {
    let ledger = db.read_ledger().map_err(|e| {
        format!("the clinic database's order ledger cannot be read ({e}): without it a second original of this order would not be recognised")
    })?;
    Ok(CliLedger {
        place: LedgerPlace::Clinic {
            db: Box::new(db),
            by,
        },
        ledger,
    })
}

/// How the print is labelled. A second original of an order the ledger knows is refused
/// (`Err`, exit 3): a reprint is printed with `--copy`.
pub fn identify(
    book: &CliLedger,
    protocol: &Protocol,
    case: &Case,
    valid_on: NaiveDate,
    today: NaiveDate,
    copy: bool,
    supersedes: Option<String>,
) -> Result<PrintIdentity, String> {
    let number = order_number(protocol, case, valid_on);
    let mrn = mrn_of(case);
    let known = book.ledger.identify(&number, &mrn, valid_on);
    if copy && !known.copy && valid_on < today {
        return Err(format!(
            "order {number} is not in the order ledger ({}): a COPY for an earlier day can only be printed of an order printed here before",
            book.place.shown()
        ));
    }
    if known.copy && !copy {
        let when = book
            .ledger
            .printed
            .iter()
            .find(|p| p.order_number == number)
            .map(|p| crate::order::format::date_time(p.printed_at))
            .unwrap_or_default();
        return Err(format!(
            "order {number} was already printed as an original ({when}, order ledger {}): a second original is never printed; a reprint is a COPY (--copy)",
            book.place.shown()
        ));
    }
    if supersedes.as_deref() == Some(number.as_str()) {
        return Err(format!(
            "--supersedes {number}: an order cannot supersede itself (use --copy for a reprint)"
        ));
    }
    Ok(PrintIdentity {
        order_number: number,
        copy,
        supersedes: supersedes.or(known.supersedes),
    })
}

/// Record an original print and save the ledger (a COPY is not recorded), with the
/// prescriber's electronic signature when it is signed (clinic database only).
pub fn record(
    book: &mut CliLedger,
    identity: &PrintIdentity,
    case: &Case,
    valid_on: NaiveDate,
    printed_at: NaiveDateTime,
    signature: Option<&OrderSignature>,
) -> Result<(), String> {
    if identity.copy {
        return Ok(());
    }
    let mrn = mrn_of(case);
    book.ledger
        .record(&identity.order_number, &mrn, valid_on, printed_at);
    if let Some(last) = book.ledger.printed.last_mut()
        && last.order_number == identity.order_number
        && identity.supersedes.is_some()
    {
        last.supersedes = identity.supersedes.clone();
    }
    match &mut book.place {
        LedgerPlace::File(path) => {
            crate::store::ledger::write_ledger_file(path, &book.ledger, false)
        }
        LedgerPlace::Clinic { db, by } => match book.ledger.printed.last() {
            Some(entry) if entry.order_number == identity.order_number => match signature {
                Some(signed) => db.record_signed_print(entry, signed),
                None => db.record_print(entry, by),
            }
            .map_err(|e| e.to_string()),
            _ => Ok(()),
        },
    }
}

fn mrn_of(case: &Case) -> String {
    case.order
        .as_ref()
        .and_then(|o| o.mrn.as_deref())
        .map(str::trim)
        .unwrap_or_default()
        .to_string()
}
