//! Files around the wizard: native file dialogs run off the UI thread, the typed-path
//! fallback, the restore file (the case in progress, for a crash) and the recent-files list.
//!
//! Everything that holds patient data is written with `save_atomic` (temporary file, fsync,
//! rename; owner-only). eframe's own storage file is not owner-only, so none of it goes there.

use crate::domain::case::FieldError;
use crate::store::case_file::RecentFiles;
use crate::store::{AppDocument, Store};
use crate::ui::actions::Page;
use crate::ui::draft::CaseDraft;
use crate::ui::widgets::path_entry::PathEntryState;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// What a file dialog is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    OpenCase,
    SaveCase,
    OpenProtocol,
}

impl DialogKind {
    pub fn title(self) -> &'static str {
        match self {
            DialogKind::OpenCase => "Open a case",
            DialogKind::SaveCase => "Save the case as",
            DialogKind::OpenProtocol => "Use a clinic protocol pack",
        }
    }

    /// The accessible label of the typed-path entry and the confirm button's text.
    pub fn path_label(self) -> &'static str {
        match self {
            DialogKind::OpenCase => "Path of the case file to open",
            DialogKind::SaveCase => "Path to save the case to",
            DialogKind::OpenProtocol => "Path of the protocol pack (.ron)",
        }
    }

    pub fn confirm_text(self) -> &'static str {
        match self {
            DialogKind::OpenCase => "Open this file",
            DialogKind::SaveCase => "Save to this path",
            DialogKind::OpenProtocol => "Load this pack",
        }
    }
}

/// A native dialog answers "no file" faster than a person can click Cancel when there is
/// no dialog to show (no portal, as under Xvfb): then the typed path is offered instead.
pub const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

/// A platform file dialog running on its own thread; the UI polls it each frame.
pub struct DialogThread {
    started: Instant,
    receiver: Receiver<Option<PathBuf>>,
}

impl DialogThread {
    /// Run `show` (the platform's dialog; it blocks until closed) on a thread named `name`.
    /// `ctx` is woken when it closes. `None` when no thread could be started.
    pub fn spawn(
        name: &str,
        ctx: egui::Context,
        show: impl FnOnce() -> Option<PathBuf> + Send + 'static,
    ) -> Option<Self> {
        let (sender, receiver) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let _ = sender.send(show());
                ctx.request_repaint();
            });
        spawned.ok().map(|_| DialogThread {
            started: Instant::now(),
            receiver,
        })
    }

    /// No thread, no dialog: reports "closed" at once → typed path.
    pub fn closed() -> Self {
        DialogThread {
            started: Instant::now(),
            receiver: mpsc::channel().1,
        }
    }

    pub fn poll(&self) -> DialogPoll {
        match self.receiver.try_recv() {
            Ok(Some(path)) => DialogPoll::Chosen(path),
            Ok(None) | Err(TryRecvError::Disconnected) => DialogPoll::Cancelled {
                elapsed: self.started.elapsed(),
            },
            Err(TryRecvError::Empty) => DialogPoll::Waiting,
        }
    }
}

/// A native file dialog for a case or a protocol pack.
pub struct NativeDialog {
    pub kind: DialogKind,
    thread: DialogThread,
}

pub enum DialogPoll {
    Waiting,
    Chosen(PathBuf),
    /// Closed without a file, after `elapsed`.
    Cancelled {
        elapsed: Duration,
    },
}

impl NativeDialog {
    /// Show the platform's dialog without blocking the frame. `ctx` is woken when it closes.
    pub fn spawn(
        kind: DialogKind,
        folder: Option<PathBuf>,
        file_name: Option<String>,
        ctx: egui::Context,
    ) -> NativeDialog {
        let thread = DialogThread::spawn("ketaplan-file-dialog", ctx, move || {
            let mut dialog = rfd::AsyncFileDialog::new().set_title(kind.title());
            dialog = match kind {
                DialogKind::OpenCase | DialogKind::SaveCase => dialog
                    .add_filter("ketaplan case", &["ron", "json"])
                    .add_filter("All files", &["*"]),
                DialogKind::OpenProtocol => dialog.add_filter("Protocol pack", &["ron"]),
            };
            if let Some(folder) = folder.filter(|f| f.is_dir()) {
                dialog = dialog.set_directory(folder);
            }
            if let Some(name) = file_name {
                dialog = dialog.set_file_name(name);
            }
            let chosen = match kind {
                DialogKind::SaveCase => block_on(dialog.save_file()),
                DialogKind::OpenCase | DialogKind::OpenProtocol => block_on(dialog.pick_file()),
            };
            chosen.map(|h| h.path().to_path_buf())
        });
        NativeDialog {
            kind,
            thread: thread.unwrap_or_else(DialogThread::closed),
        }
    }

    pub fn poll(&self) -> DialogPoll {
        self.thread.poll()
    }
}

/// Run a future to completion on this thread (the dialog thread; never the UI thread).
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    struct ThreadWaker(std::thread::Thread);
    impl Wake for ThreadWaker {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return out,
            Poll::Pending => std::thread::park(),
        }
    }
}

/// The typed-path dialog (always available; the only one when there is no native dialog).
#[derive(Debug, Clone, PartialEq)]
pub struct PathPrompt {
    pub kind: DialogKind,
    /// The path typed; on Save, `confirm_replace` means the old file is kept as `.bak`.
    pub entry: PathEntryState,
    /// Why the typed path is shown ("no file dialog is available here").
    pub note: Option<String>,
}

impl PathPrompt {
    pub fn new(kind: DialogKind, text: String, note: Option<String>) -> Self {
        Self {
            kind,
            entry: PathEntryState::new(text),
            note,
        }
    }
}

/// Expand a leading `~/` (people type it; the file system does not know it).
pub fn expand_home(text: &str) -> PathBuf {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(text)
}

/// True when `path` ends in `.ext` (any case).
pub fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Letters and digits of `text`, lower-cased, the rest as `-` (no `-` at the ends): a file
/// name without spaces or separators.
pub fn file_name_slug(text: &str) -> String {
    let name: String = text
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name.trim_matches('-').to_string()
}

/// Cases are saved in the contract's RON form: a path that does not end in `.ron` gets
/// `.case.ron` (a `.json` name would hold RON text and be misread later).
pub fn case_save_path(path: &Path) -> PathBuf {
    if has_extension(path, "ron") {
        return path.to_path_buf();
    }
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    if has_extension(path, "json") {
        // `x.case.json` → `x.case.ron`, `x.json` → `x.case.ron`.
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let stem = stem.strip_suffix(".case").unwrap_or(&stem).to_string();
        return path.with_file_name(format!("{stem}.case.ron"));
    }
    if name.is_empty() {
        name.push("case");
    }
    name.push(".case.ron");
    path.with_file_name(name)
}

/// A file name offered for a new case: the patient's name, else "case".
pub fn suggested_file_name(draft: &CaseDraft) -> String {
    let name = file_name_slug(&draft.patient_name);
    if name.is_empty() {
        "case.case.ron".to_string()
    } else {
        format!("{name}.case.ron")
    }
}

/// The case in progress, written to the data folder so a crash or restart loses nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RestoreDoc {
    /// The file the case came from or was last saved to.
    pub path: Option<String>,
    pub page: Page,
    pub draft: CaseDraft,
    /// When it was written (local time, for the "restored" notice).
    pub written_at: String,
}

impl Default for RestoreDoc {
    fn default() -> Self {
        Self {
            path: None,
            page: Page::Patient,
            draft: CaseDraft::default(),
            written_at: String::new(),
        }
    }
}

/// Where a first save or export is suggested: the user's documents folder
/// (`XDG_DOCUMENTS_DIR`, else `~/Documents` when it exists, else the home folder).
pub fn documents_folder() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_DOCUMENTS_DIR").map(PathBuf::from)
        && dir.is_dir()
    {
        return Some(dir);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from)?;
    let documents = home.join("Documents");
    Some(if documents.is_dir() { documents } else { home })
}

/// Keep the case in progress (restore file) through the store.
pub fn write_restore(store: &dyn Store, doc: &RestoreDoc) -> Result<(), String> {
    let text = ron::ser::to_string_pretty(doc, ron::ser::PrettyConfig::new())
        .map_err(|e| e.to_string())?;
    store
        .write_app_document(AppDocument::Restore, &text)
        .map_err(|e| e.to_string())
}

/// The restore file, if there is one that can be read.
pub fn read_restore(store: &dyn Store) -> Option<RestoreDoc> {
    ron::from_str(&store.read_app_document(AppDocument::Restore)?).ok()
}

pub fn remove_restore(store: &dyn Store) {
    store.remove_app_document(AppDocument::Restore);
}

pub fn read_recent(store: &dyn Store) -> RecentFiles {
    store
        .read_app_document(AppDocument::Recent)
        .and_then(|t| ron::from_str(&t).ok())
        .unwrap_or_default()
}

/// File names can name patients, so the list is owner-only like the cases.
pub fn write_recent(store: &dyn Store, recent: &RecentFiles) -> Result<(), String> {
    let text = ron::ser::to_string_pretty(recent, ron::ser::PrettyConfig::new())
        .map_err(|e| e.to_string())?;
    store
        .write_app_document(AppDocument::Recent, &text)
        .map_err(|e| e.to_string())
}

/// Errors that mean the file is not a case the wizard can hold without losing part of it:
/// unreadable, not a case document, or fields the wizard would drop. Other errors (a
/// missing or out-of-range value) open as a draft and show beside their fields.
pub fn refuses_to_open(errors: &[FieldError]) -> bool {
    errors.iter().any(|e| {
        e.field.is_empty()
            || e.field == "schema"
            || e.message.starts_with("unknown field")
            || e.message.starts_with("unknown screening code")
            || e.message.contains(" must be an object")
            || wizard_cannot_hold(e)
    })
}

/// The wizard holds these fields as a fixed choice: a value it cannot hold (a unit such
/// as "mg/kg/min", a misspelt setting) or a missing unit would be replaced by its default,
/// silently changing the dose. Such a file is refused with its errors instead.
fn wizard_cannot_hold(e: &FieldError) -> bool {
    const CHOICES: &[&str] = &[
        "patient.weight.unit",
        "patient.sex",
        "regimen.dosing_weight",
        "regimen.bolus.unit",
        "regimen.infusion.unit",
        "regimen.max_infusion.unit",
        "regimen.setting",
        "regimen.course",
    ];
    // A missing setting or course stays missing in the wizard (asked on the Regimen page).
    let may_be_missing = matches!(e.field.as_str(), "regimen.setting" | "regimen.course");
    let choice =
        CHOICES.contains(&e.field.as_str()) && !(may_be_missing && e.message == "is required");
    // Attestations are ticked or not: anything else would be lost.
    let flag =
        e.field.starts_with("order.attest.") && e.message.starts_with("must be true or false");
    choice || flag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_paths_end_in_case_ron() {
        assert_eq!(
            case_save_path(Path::new("/t/a.case.ron")),
            Path::new("/t/a.case.ron")
        );
        assert_eq!(
            case_save_path(Path::new("/t/a")),
            Path::new("/t/a.case.ron")
        );
        assert_eq!(
            case_save_path(Path::new("/t/a.case.json")),
            Path::new("/t/a.case.ron")
        );
        assert_eq!(
            case_save_path(Path::new("/t/a.json")),
            Path::new("/t/a.case.ron")
        );
    }

    #[test]
    fn block_on_runs_a_ready_future() {
        assert_eq!(block_on(async { 7 }), 7);
    }
}
