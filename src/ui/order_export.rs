//! The Order page's machinery: the order ledger (which orders were exported or printed
//! here, so a reprint says COPY and a changed order names the one it supersedes), the
//! export dialog (native on its own thread, or a typed path), the system print service
//! (`lp`, run on a thread) and opening an exported file.
//!
//! Nothing here blocks a frame: dialogs, `lpstat`, `lp` and the file opener run on threads
//! and are polled. Rendering the PDF (about 10 ms) and writing it happen inline.

use crate::domain::order_identity::OrderLedger;
pub use crate::store::print::{
    NO_PRINT_SERVICE, PrintService, detect_print_service, open_with_desktop, run_lp,
};
use crate::store::{SharedStore, Store};
use crate::ui::files::{DialogPoll, DialogThread, has_extension};
use crate::ui::widgets::path_entry::PathEntryState;
use std::ffi::OsString;
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

// ------------------------------------------------------------------------- paths

/// Order PDFs end in `.pdf` (a typed name without it gets it).
pub fn pdf_path(path: &Path) -> PathBuf {
    if has_extension(path, "pdf") {
        return path.to_path_buf();
    }
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| OsString::from("order"));
    name.push(".pdf");
    path.with_file_name(name)
}

/// The patient handout beside the order: `x.pdf` → `x.handout.pdf`.
pub fn handout_path(order_pdf: &Path) -> PathBuf {
    let stem = order_pdf
        .file_stem()
        .map_or_else(|| "order".to_string(), |s| s.to_string_lossy().to_string());
    order_pdf.with_file_name(format!("{stem}.handout.pdf"))
}

/// The file name offered for an order: its number (no patient name in file names).
pub fn suggested_pdf_name(order_number: &str) -> String {
    let safe: String = order_number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("order-{safe}.pdf")
}

// ------------------------------------------------------------------------- dialogs

/// What an export dialog writes: the order, or a course session's monitoring chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportTarget {
    #[default]
    Order,
    MonitoringChart {
        session_id: u32,
    },
}

impl ExportTarget {
    /// The dialog's title.
    pub fn title(self) -> &'static str {
        match self {
            ExportTarget::Order => "Export the order as PDF",
            ExportTarget::MonitoringChart { .. } => "Export the monitoring chart as PDF",
        }
    }

    /// The accessible label of the typed-path entry.
    pub fn path_label(self) -> &'static str {
        match self {
            ExportTarget::Order => "Path to export the order PDF to",
            ExportTarget::MonitoringChart { .. } => "Path to export the monitoring chart PDF to",
        }
    }

    /// The hint in the typed-path entry.
    pub fn hint(self) -> &'static str {
        match self {
            ExportTarget::Order => "/home/…/order.pdf",
            ExportTarget::MonitoringChart { .. } => "/home/…/monitoring-chart.pdf",
        }
    }
}

/// The file name offered for a session's monitoring chart (no patient name in file names).
pub fn suggested_chart_name(session_id: u32) -> String {
    format!("monitoring-chart-session-{session_id}.pdf")
}

/// The platform's save dialog on its own thread; polled each frame.
pub struct NativeExportDialog {
    pub target: ExportTarget,
    thread: DialogThread,
}

impl NativeExportDialog {
    pub fn spawn(
        target: ExportTarget,
        folder: Option<PathBuf>,
        file_name: String,
        ctx: egui::Context,
    ) -> Self {
        let thread = DialogThread::spawn("ketaplan-export-dialog", ctx, move || {
            let mut dialog = rfd::FileDialog::new()
                .set_title(target.title())
                .add_filter("PDF", &["pdf"])
                .set_file_name(file_name);
            if let Some(folder) = folder.filter(|f| f.is_dir()) {
                dialog = dialog.set_directory(folder);
            }
            dialog.save_file()
        });
        Self {
            target,
            thread: thread.unwrap_or_else(DialogThread::closed),
        }
    }

    pub fn poll(&self) -> DialogPoll {
        self.thread.poll()
    }
}

/// The typed-path export dialog.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportPrompt {
    pub target: ExportTarget,
    pub entry: PathEntryState,
    /// Why the typed path is shown (no system dialog).
    pub note: Option<String>,
}

pub enum ExportModal {
    Native(NativeExportDialog),
    Path(ExportPrompt),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_paths_end_in_pdf() {
        assert_eq!(pdf_path(Path::new("/t/a.pdf")), Path::new("/t/a.pdf"));
        assert_eq!(pdf_path(Path::new("/t/a.PDF")), Path::new("/t/a.PDF"));
        assert_eq!(pdf_path(Path::new("/t/a")), Path::new("/t/a.pdf"));
        assert_eq!(pdf_path(Path::new("/t/a.txt")), Path::new("/t/a.txt.pdf"));
        assert_eq!(
            handout_path(Path::new("/t/order.pdf")),
            Path::new("/t/order.handout.pdf")
        );
        assert_eq!(
            suggested_pdf_name("KP-20261125-AB12CD34"),
            "order-KP-20261125-AB12CD34.pdf"
        );
    }
}
