//! The order ledger on the clinic database: when a clinic database is chosen (Preferences,
//! `KETAPLAN_DB`), every workstation reads the clinic's list of printed originals, so a
//! reprint anywhere is a COPY, and an original is recorded there *before* it is exported or
//! printed, so two workstations never both print it as an original. The workstation's own
//! ledger file keeps serving the single workstation (the default `clinic.db` untouched).

use super::KetaplanApp;
use crate::domain::order_identity::PrintedOrder;
use crate::store::db::DbError;
use crate::ui::clinic_desk::{Job, Reply};
use crate::ui::order_export::ClinicLedger;
use std::time::{Duration, Instant};

/// How often the Order page reads the clinic's ledger again (other workstations print too).
const LEDGER_FRESH_FOR: Duration = Duration::from_secs(30);
/// How soon a ledger that could not be read is asked for again.
const RETRY_AFTER: Duration = Duration::from_secs(5);
/// How long recording an original may take before the export is given up.
const RECORD_WAIT: Duration = Duration::from_secs(10);

impl KetaplanApp {
    /// Read the clinic's ledger when it is due (each frame the Order page is drawn).
    pub(super) fn clinic_ledger_tick(&mut self, ctx: &egui::Context) {
        // Only a clinic database chosen explicitly holds the ledger (one URL lookup a frame).
        let Some(Ok(url)) = self.chosen_clinic_database() else {
            self.order.clinic_ledger = ClinicLedger::NotUsed;
            return;
        };
        let due = match &self.order.clinic_ledger {
            ClinicLedger::NotUsed | ClinicLedger::Stale => true,
            ClinicLedger::Reading => false,
            ClinicLedger::Read(at) => at.elapsed() > LEDGER_FRESH_FOR,
            ClinicLedger::Failed(_, at) => at.elapsed() > RETRY_AFTER,
        };
        if !due {
            return;
        }
        self.clinic.connect(url);
        // This workstation's originals from before the clinic database was chosen.
        let merge = match self.data_dir {
            Some(_) => self
                .order
                .store
                .read_ledger()
                .map(|l| l.printed)
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let job = Job::Ledger {
            merge,
            by: self.acting_user(),
        };
        self.order.clinic_ledger = if self.clinic.send(job, ctx) {
            ClinicLedger::Reading
        } else {
            ClinicLedger::Failed(
                "the clinic database is not available".into(),
                Instant::now(),
            )
        };
    }

    /// Take the clinic's answer about the ledger.
    pub(super) fn clinic_ledger_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Ledger(Ok((ledger, signatures))) => {
                self.order.ledger = ledger;
                self.order.signatures = signatures;
                self.order.clinic_ledger = ClinicLedger::Read(Instant::now());
            }
            Reply::Ledger(Err(e)) => {
                self.order.clinic_ledger = ClinicLedger::Failed(e.to_string(), Instant::now());
            }
            // A record answered after its export gave up waiting: read the ledger again.
            Reply::Recorded(_) => self.order.clinic_ledger = ClinicLedger::Stale,
            _ => {}
        }
    }

    /// Why nothing may be exported or printed yet, when the clinic's ledger is not read.
    pub(super) fn clinic_ledger_hold(&self) -> Option<String> {
        match &self.order.clinic_ledger {
            ClinicLedger::NotUsed | ClinicLedger::Read(_) => None,
            ClinicLedger::Stale | ClinicLedger::Reading => Some(
                "the clinic's list of printed orders is being read; export and print wait for \
                 it, so a second original is never printed"
                    .into(),
            ),
            ClinicLedger::Failed(reason, _) => Some(format!(
                "the clinic's list of printed orders cannot be read ({reason}); export and \
                 print wait for it, so a second original is never printed"
            )),
        }
    }

    /// The ledger entry an export or print of `ready` makes.
    pub(super) fn ledger_entry(
        ready: &crate::ui::pages::order::Ready,
        printed_at: chrono::NaiveDateTime,
    ) -> PrintedOrder {
        PrintedOrder {
            order_number: ready.identity.order_number.clone(),
            mrn: ready.mrn.clone(),
            valid_on: ready.valid_on,
            printed_at,
            supersedes: ready.identity.supersedes.clone(),
        }
    }

    /// Before an export or print of `ready`: record it when it is an original and a clinic
    /// database is chosen. `Ok(true)`: the clinic's ledger holds it (or it is a COPY there).
    pub(super) fn clinic_record_before_leaving(
        &mut self,
        ready: &crate::ui::pages::order::Ready,
        printed_at: chrono::NaiveDateTime,
        ctx: &egui::Context,
    ) -> Result<bool, String> {
        if ready.identity.copy {
            return Ok(self.order.clinic_ledger != ClinicLedger::NotUsed);
        }
        self.clinic_record_original(Self::ledger_entry(ready, printed_at), ctx)
    }

    /// Record an original in the clinic's ledger before it leaves the workstation. `Ok(false)`:
    /// no clinic database is chosen (the caller records in the file ledger afterwards).
    pub(super) fn clinic_record_original(
        &mut self,
        entry: PrintedOrder,
        ctx: &egui::Context,
    ) -> Result<bool, String> {
        if self.order.clinic_ledger == ClinicLedger::NotUsed {
            return Ok(false);
        }
        let job = Job::RecordPrint {
            entry: entry.clone(),
            by: self.acting_user(),
        };
        self.clinic_record(job, entry, ctx)
    }

    /// Send a recording job for `entry` and wait for it; the clinic's ledger then holds it.
    pub(super) fn clinic_record(
        &mut self,
        job: Job,
        entry: PrintedOrder,
        ctx: &egui::Context,
    ) -> Result<bool, String> {
        if let Some(hold) = self.clinic_ledger_hold() {
            return Err(format!("Nothing was exported or printed: {hold}."));
        }
        match self.clinic.send_and_wait(job, ctx, RECORD_WAIT) {
            Some(Reply::Recorded(Ok(()))) => {
                self.order.ledger.printed.push(entry);
                Ok(true)
            }
            Some(Reply::Recorded(Err(e))) => {
                if matches!(e, DbError::Conflict(_)) {
                    // Another workstation printed it: read the ledger again, so the page
                    // shows it as a COPY.
                    self.order.clinic_ledger = ClinicLedger::Stale;
                }
                Err(format!("Nothing was exported or printed: {e}."))
            }
            _ => {
                self.order.clinic_ledger = ClinicLedger::Stale;
                Err(
                    "Nothing was exported or printed: the clinic database did not answer in time."
                        .into(),
                )
            }
        }
    }
}
