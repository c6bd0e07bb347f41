//! The Order page's machinery: the order ledger (which orders were exported or printed
//! here, so a reprint says COPY and a changed order names the one it supersedes), the
//! system print service (`lp`, run on a thread) and opening an exported file; the export
//! dialog is in `export_dialog`.
//!
//! Nothing here blocks a frame: dialogs, `lpstat`, `lp` and the file opener run on threads
//! and are polled. Rendering the PDF (about 10 ms) and writing it happen inline.

use crate::domain::order_identity::OrderLedger;
pub use crate::store::print::{
    NO_PRINT_SERVICE, PrintService, detect_print_service, open_with_desktop, run_lp,
};
use crate::store::{SharedStore, Store};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};

// ------------------------------------------------------------------------- ledger

/// The ledger's file name in the app's data folder (owner-only, like the restore file).
pub use crate::store::ledger::LEDGER_FILE;

/// The ledger in `dir`: empty when there is none yet; an error when one exists but cannot
/// be read (then reprints would not be recognised, and the page says so).
pub fn read_ledger(dir: &Path) -> Result<OrderLedger, String> {
    crate::store::FileStore::new(Some(dir.to_path_buf()))
        .read_ledger()
        .map_err(|e| e.to_string())
}

pub use crate::ui::export_dialog::{
    COURSE_FHIR_NAME, ExportModal, ExportPrompt, ExportTarget, NativeExportDialog, handout_path,
    json_path, pdf_path, suggested_chart_name, suggested_fhir_name, suggested_pdf_name,
};

/// Where the app's order ledger stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ClinicLedger {
    /// No clinic database is chosen: the ledger file in the data folder is used.
    #[default]
    NotUsed,
    /// To be read again now (another workstation printed an original meanwhile).
    Stale,
    /// Asked for; nothing is exported or printed until it is read.
    Reading,
    Read(std::time::Instant),
    /// It could not be read (the reason); asked again on the next frame of the Order page.
    Failed(String, std::time::Instant),
}

// ------------------------------------------------------------------------- printing

/// A background task's end: a notice for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDone {
    pub ok: bool,
    pub text: String,
}

/// What a finished print job reports back (so the ledger is written on the UI thread).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintDone {
    pub result: Result<String, String>,
    /// The files sent (temporary copies, removed by the thread).
    pub order_number: String,
    pub printer: String,
}

// ------------------------------------------------------------------------- the desk

/// The Order page's state that lives beside the case (not saved with it).
#[derive(Default)]
pub struct OrderDesk {
    /// Where the ledger is kept and exports are written.
    pub store: SharedStore,
    pub ledger: OrderLedger,
    /// The data folder the ledger was read from (read again when it changes).
    pub ledger_dir: Option<PathBuf>,
    pub ledger_loaded: bool,
    /// Why the ledger on disk could not be read.
    pub ledger_error: Option<String>,
    /// The clinic database's ledger, when one is chosen (`app/clinic_ledger.rs`).
    pub clinic_ledger: ClinicLedger,
    /// The electronic signatures the clinic's ledger holds (a COPY prints its order's).
    pub signatures: Vec<crate::domain::signature::OrderSignature>,
    /// "Sign and export PDF…" was chosen: the export asks the signer's password first.
    pub sign_requested: bool,
    pub print_service: PrintService,
    print_probe: Option<Receiver<PrintService>>,
    pub modal: Option<ExportModal>,
    /// A print job is with `lp`.
    pub printing: Option<Receiver<PrintDone>>,
    /// What the ledger records once the print job is accepted.
    pub pending_print: Option<crate::domain::order_identity::PrintedOrder>,
    /// File openers and other best-effort tasks.
    pub tasks: Vec<Receiver<TaskDone>>,
    /// A fixed print time (tests); `None` is the local time.
    pub fixed_now: Option<chrono::NaiveDateTime>,
    /// The last order file written (shown on the page).
    pub last_export: Option<PathBuf>,
    /// The preview lines last drawn (tests compare them with the text rendering).
    pub preview_lines: Vec<String>,
}

impl OrderDesk {
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.fixed_now
            .unwrap_or_else(|| chrono::Local::now().naive_local())
    }

    pub fn has_modal(&self) -> bool {
        self.modal.is_some()
    }

    /// Read the ledger from `dir` when it was not read from there yet.
    pub fn load_ledger(&mut self, dir: Option<&Path>) {
        if self.ledger_loaded && self.ledger_dir.as_deref() == dir {
            return;
        }
        self.ledger_loaded = true;
        self.ledger_dir = dir.map(Path::to_path_buf);
        self.ledger_error = None;
        self.ledger = match dir.map(|_| self.store.read_ledger()) {
            None => OrderLedger::default(),
            Some(Ok(l)) => l,
            Some(Err(e)) => {
                self.ledger_error = Some(e.to_string());
                OrderLedger::default()
            }
        };
    }

    /// Write the ledger to its folder; an error is for a notice.
    pub fn save_ledger(&mut self) -> Result<(), String> {
        if self.ledger_dir.is_none() {
            return Ok(());
        }
        let keep_old = self.ledger_error.is_some();
        self.store
            .write_ledger(&self.ledger, keep_old)
            .map_err(|e| e.to_string())?;
        self.ledger_error = None;
        Ok(())
    }

    /// Start looking for the print service (once, or again after `RefreshPrinters`).
    pub fn probe_printers(&mut self, ctx: &egui::Context) {
        if self.print_probe.is_some() {
            return;
        }
        let (sender, receiver) = mpsc::channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("ketaplan-lpstat".into())
            .spawn(move || {
                let _ = sender.send(detect_print_service(std::env::var_os("PATH")));
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.print_service = PrintService::Looking;
            self.print_probe = Some(receiver);
        } else {
            self.print_service = PrintService::None;
        }
    }

    /// Collect what threads finished: the print service, print jobs, file openers.
    pub fn poll(&mut self) -> (Option<PrintDone>, Vec<TaskDone>) {
        if let Some(rx) = &self.print_probe {
            match rx.try_recv() {
                Ok(service) => {
                    self.print_service = service;
                    self.print_probe = None;
                }
                Err(TryRecvError::Disconnected) => {
                    self.print_service = PrintService::None;
                    self.print_probe = None;
                }
                Err(TryRecvError::Empty) => {}
            }
        }
        let mut printed = None;
        if let Some(rx) = &self.printing {
            match rx.try_recv() {
                Ok(done) => {
                    printed = Some(done);
                    self.printing = None;
                }
                Err(TryRecvError::Disconnected) => {
                    printed = Some(PrintDone {
                        result: Err("the print job ended without an answer".into()),
                        order_number: String::new(),
                        printer: String::new(),
                    });
                    self.printing = None;
                }
                Err(TryRecvError::Empty) => {}
            }
        }
        let mut done = Vec::new();
        self.tasks.retain(|rx| match rx.try_recv() {
            Ok(d) => {
                done.push(d);
                false
            }
            Err(TryRecvError::Disconnected) => false,
            Err(TryRecvError::Empty) => true,
        });
        (printed, done)
    }

    /// Open `path` with the desktop's viewer on a thread; a failure comes back as a notice.
    pub fn open_in_viewer(&mut self, path: PathBuf, ctx: &egui::Context) {
        let (sender, receiver) = mpsc::channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("ketaplan-open".into())
            .spawn(move || {
                let result = open_with_desktop(&path);
                let _ = sender.send(TaskDone {
                    ok: result.is_ok(),
                    text: match result {
                        Ok(()) => format!("Opened {}.", path.display()),
                        Err(e) => format!(
                            "The order was exported, but {} could not be opened: {e}.",
                            path.display()
                        ),
                    },
                });
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.tasks.push(receiver);
        }
    }

    /// Run `lp` on a thread.
    pub fn start_print(
        &mut self,
        lp: PathBuf,
        printer: String,
        order_number: String,
        files: Vec<PathBuf>,
        ctx: &egui::Context,
    ) -> Result<(), String> {
        let (sender, receiver) = mpsc::channel();
        let ctx = ctx.clone();
        let title = format!("ketaplan order {order_number}");
        let cleanup = files.clone();
        let store = self.store.clone();
        let spawned = std::thread::Builder::new()
            .name("ketaplan-lp".into())
            .spawn(move || {
                let result = run_lp(&lp, &printer, &title, &files);
                // `lp` has handed the temporary files to the spooler by now.
                for f in &files {
                    store.remove_export(f);
                }
                let _ = sender.send(PrintDone {
                    result,
                    order_number,
                    printer,
                });
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.printing = Some(receiver);
                Ok(())
            }
            Err(e) => {
                for f in cleanup {
                    self.store.remove_export(&f);
                }
                Err(format!("the print job could not be started: {e}"))
            }
        }
    }
}
