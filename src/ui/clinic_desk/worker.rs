//! The clinic database worker: the jobs the app sends, the replies it gets, and the thread's
//! side that owns the connection.

use crate::domain::Protocol;
use crate::domain::course::CourseDocument;
use crate::domain::order_identity::{OrderLedger, PrintedOrder};
use crate::domain::signature::OrderSignature;
use crate::store::Store;
use crate::store::db::{
    CallDueRow, ClinicDb, Credentials, DbError, DbUrl, ImportOutcome, PatientRow, RecordVersion,
    ToSign, UserRow, machine_time_zone,
};
use chrono::NaiveDate;
use std::path::PathBuf;

/// Patients a search lists at most.
pub const SEARCH_LIMIT: u32 = 50;

/// What the worker is asked to do.
pub enum Job {
    /// Connect (at start, so a server's password is asked before anything else).
    Ping,
    Search(String),
    Calls(std::sync::Arc<Protocol>, NaiveDate),
    Open(String),
    Save {
        doc: Box<CourseDocument>,
        based_on: Option<RecordVersion>,
        by: String,
    },
    Import {
        files: Vec<PathBuf>,
        protocol: std::sync::Arc<Protocol>,
        by: String,
    },
    /// The clinic's order ledger, after adding the originals this workstation's own ledger
    /// file holds that the clinic's does not (printed before the clinic database was chosen).
    Ledger {
        merge: Vec<PrintedOrder>,
        by: String,
    },
    /// Record an original before it is exported or printed (a conflict if another
    /// workstation printed it first).
    RecordPrint {
        entry: PrintedOrder,
        by: String,
    },
    /// Whether anyone must sign in (the database has users).
    Users,
    /// Sign in (or unlock, `act` "unlocked"): the password checked, the act audited.
    SignIn {
        login: String,
        password: String,
        act: &'static str,
    },
    /// Record an original with its prescriber's electronic signature: the signer's password
    /// and role are checked by the database, then both are recorded, or neither.
    RecordSignedPrint {
        entry: PrintedOrder,
        signature: Box<OrderSignature>,
        password: String,
    },
    /// Record a pharmacy check or a double check of a printed, signed order.
    RecordCheck {
        signature: Box<OrderSignature>,
        password: String,
    },
}

/// What it answers.
pub enum Reply {
    Pinged(Result<(), DbError>),
    Patients(Result<Vec<PatientRow>, DbError>),
    Calls(Result<Vec<CallDueRow>, DbError>),
    /// The course, its row version and the clinic's time zone.
    Opened(Result<(CourseDocument, RecordVersion, Option<String>), DbError>),
    Saved(Result<RecordVersion, DbError>),
    /// Per file: what was added, or why not.
    Imported(Vec<(PathBuf, Result<ImportOutcome, DbError>)>),
    /// The clinic's printed originals and every signature they hold.
    Ledger(Result<(OrderLedger, Vec<OrderSignature>), DbError>),
    Recorded(Result<(), DbError>),
    Users(Result<bool, DbError>),
    SignedIn(Result<UserRow, DbError>),
}

/// The connection's owner, run on the worker thread.
pub(super) struct Worker {
    pub(super) url: DbUrl,
    /// The server password the user typed, if any (memory only).
    pub(super) password: Option<String>,
    pub(super) db: Option<ClinicDb>,
}

impl Worker {
    fn db(&mut self) -> Result<&mut ClinicDb, DbError> {
        if self.db.is_none() {
            self.db = Some(ClinicDb::open_with_password(
                &self.url,
                self.password.as_deref(),
                &machine_time_zone(),
            )?);
        }
        self.db
            .as_mut()
            .ok_or_else(|| DbError::Unavailable("the clinic database is not open".into()))
    }

    pub(super) fn run(&mut self, job: Job) -> Reply {
        let reply = match job {
            Job::Ping => Reply::Pinged(self.db().map(drop)),
            Job::Search(query) => Reply::Patients(
                self.db()
                    .and_then(|db| db.search_patients(&query, SEARCH_LIMIT)),
            ),
            Job::Calls(protocol, today) => {
                Reply::Calls(self.db().and_then(|db| db.followups(&protocol, today)))
            }
            Job::Open(mrn) => Reply::Opened(self.db().and_then(|db| {
                let (doc, version) = db.load_course(&mrn)?;
                Ok((doc, version, db.time_zone()?))
            })),
            Job::Save { doc, based_on, by } => Reply::Saved(
                self.db()
                    .and_then(|db| db.save_course(&doc, based_on.as_ref(), &by)),
            ),
            Job::Import {
                files,
                protocol,
                by,
            } => {
                let store = crate::store::FileStore::new(None);
                let outcomes = files
                    .into_iter()
                    .map(|file| {
                        let outcome = store
                            .open_course(&protocol, &file)
                            .map_err(|e| DbError::Rejected(e.to_string()))
                            .and_then(|doc| self.db().and_then(|db| db.import_course(&doc, &by)));
                        (file, outcome)
                    })
                    .collect();
                Reply::Imported(outcomes)
            }
            Job::Ledger { merge, by } => Reply::Ledger(self.db().and_then(|db| {
                for entry in &merge {
                    match db.record_print(entry, &by) {
                        // Already in the clinic's ledger.
                        Ok(()) | Err(DbError::Conflict(_)) => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok((db.read_ledger()?, db.read_all_signatures()?))
            })),
            Job::RecordPrint { entry, by } => {
                Reply::Recorded(self.db().and_then(|db| db.record_print(&entry, &by)))
            }
            Job::Users => Reply::Users(self.db().and_then(ClinicDb::has_users)),
            Job::SignIn {
                login,
                password,
                act,
            } => Reply::SignedIn(self.db().and_then(|db| {
                db.sign_in(
                    &Credentials {
                        login: &login,
                        password: &password,
                    },
                    act,
                )
            })),
            Job::RecordSignedPrint {
                entry,
                signature,
                password,
            } => Reply::Recorded(self.db().and_then(|db| {
                let checked = checked_signer(db, &signature, &password)?;
                db.record_signed_print(&entry, &checked)
            })),
            Job::RecordCheck {
                signature,
                password,
            } => Reply::Recorded(self.db().and_then(|db| {
                let checked = checked_signer(db, &signature, &password)?;
                db.record_signature(&checked)
            })),
        };
        if reply_unreachable(&reply) {
            // Reconnect on the next job.
            self.db = None;
        }
        reply
    }
}

/// The signature as the app printed it, checked by the database (password, role, name).
fn checked_signer(
    db: &mut ClinicDb,
    printed: &OrderSignature,
    password: &str,
) -> Result<OrderSignature, DbError> {
    let checked = db.signer(
        &Credentials {
            login: &printed.login,
            password,
        },
        &ToSign {
            kind: printed.kind,
            order_number: &printed.order_number,
            content_sha256: &printed.content_sha256,
            signed_at: printed.signed_at,
        },
    )?;
    let who = |s: &OrderSignature| (s.login.clone(), s.full_name.clone(), s.role);
    if who(&checked) != who(printed) {
        return Err(DbError::Denied(format!(
            "{} is now {} ({}) in the clinic database: sign in again",
            checked.login,
            checked.full_name,
            checked.role.as_str()
        )));
    }
    Ok(checked)
}

pub(super) fn reply_unreachable(reply: &Reply) -> bool {
    let unreachable =
        |e: &DbError| matches!(e, DbError::Unavailable(_) | DbError::NeedsPassword(_));
    match reply {
        Reply::Pinged(Err(e)) | Reply::Recorded(Err(e)) => unreachable(e),
        Reply::Ledger(Err(e)) => unreachable(e),
        Reply::Patients(Err(e)) | Reply::Calls(Err(e)) | Reply::Opened(Err(e)) => unreachable(e),
        Reply::Saved(Err(e)) => unreachable(e),
        Reply::Users(Err(e)) | Reply::SignedIn(Err(e)) => unreachable(e),
        Reply::Imported(list) => list.iter().any(|(_, r)| r.as_ref().is_err_and(unreachable)),
        _ => false,
    }
}

pub(super) fn first_error(reply: &Reply) -> Option<&DbError> {
    match reply {
        Reply::Pinged(Err(e)) | Reply::Patients(Err(e)) | Reply::Calls(Err(e)) => Some(e),
        Reply::Opened(Err(e)) | Reply::Saved(Err(e)) => Some(e),
        Reply::Ledger(Err(e)) | Reply::Recorded(Err(e)) => Some(e),
        Reply::Users(Err(e)) | Reply::SignedIn(Err(e)) => Some(e),
        Reply::Imported(list) => list.iter().find_map(|(_, r)| r.as_ref().err()),
        _ => None,
    }
}
