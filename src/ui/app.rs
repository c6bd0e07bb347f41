//! The application shell: state, page routing and the `eframe::App` impl. Files, dialogs,
//! keyboard, protocol, course, order and the shared panels live in the child modules.

use crate::domain::case::FieldError;
use crate::domain::{Plan, Protocol};
use crate::store::case_file::RecentFiles;
use crate::store::file_store::default_data_dir;
use crate::store::{FileStore, SharedStore, Store};
use crate::ui::actions::{Action, Page, View};
use crate::ui::draft::CaseDraft;
use crate::ui::files::{DialogKind, NativeDialog, PathPrompt, read_recent, read_restore};
use crate::ui::live::Live;
use crate::ui::pages::preferences::PrefsCtx;
use crate::ui::pages::{self, PageState};
use crate::ui::prefs::{Preferences, ThemeChoice, clamp_zoom};
use crate::ui::theme;
use crate::ui::widgets::{banner::patient_banner_ui, step_bar::step_bar_ui};
use chrono::NaiveDate;
use protocol::load_protocol_file;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

mod access;
mod chart_export;
mod clinic;
mod clinic_ledger;
mod course;
mod debug;
mod dialogs;
mod draw;
mod fhir_export;
mod files;
mod order;
mod order_check;
mod order_dialog;
mod order_print;
mod order_sign;
mod panels;
mod protocol;
mod server_login;
mod shortcuts;
mod sign_in;

/// What the wizard remembers: the draft and where the user is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WizardState {
    pub draft: CaseDraft,
    pub page: Page,
    pub page_state: PageState,
}

impl Default for WizardState {
    fn default() -> Self {
        Self {
            draft: CaseDraft::new(today()),
            page: Page::Patient,
            page_state: PageState::default(),
        }
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Something that replaces the case on screen; asks first when there are unsaved changes.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    New,
    Open,
    OpenPath(PathBuf),
    Close,
}

/// At most one dialog at a time, drawn over the app.
enum Modal {
    /// "Save the changes?" before `Intent`.
    Unsaved(Intent),
    /// A native file dialog is open on its own thread; `then` runs after a successful save.
    Native {
        dialog: NativeDialog,
        then: Option<Intent>,
    },
    /// The typed-path dialog.
    Path {
        prompt: PathPrompt,
        then: Option<Intent>,
    },
    /// A file could not be opened: its errors. Nothing was changed.
    OpenFailed {
        path: String,
        errors: Vec<FieldError>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Done,
    Warning,
    Error,
}

/// A one-line message under the toolbar (saved, restored, refused…).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

const ZOOM_STEP: f32 = 0.1;

pub struct KetaplanApp {
    /// Shared, so that drawing a frame does not copy the pack.
    protocol: Result<Arc<Protocol>, String>,
    pub state: WizardState,
    /// The order date: weight age and age from the date of birth are judged on it.
    today: NaiveDate,
    /// A field the user asked to see; cleared once its page has drawn it.
    pending_focus: Option<String>,
    /// Fonts and spacing are set on the first frame, so tests and the window look the same.
    fonts_applied: bool,
    theme_applied: Option<ThemeChoice>,
    zoom_applied: bool,
    prefs: Preferences,
    view: View,
    /// The file the case was opened from or last saved to.
    file: Option<PathBuf>,
    /// The draft as last opened or saved; `None` when it never was (a restored case).
    saved: Option<CaseDraft>,
    modal: Option<Modal>,
    notice: Option<Notice>,
    /// Why the last protocol pack the user chose was refused.
    protocol_error: Option<String>,
    /// The Preferences entry for a new trusted public key.
    trusted_key_entry: protocol::TrustedKeyEntry,
    /// Use the platform's file dialogs; off in tests and once none could be shown.
    native_dialogs: bool,
    /// Where the restore file and the recent-files list live (owner-only files).
    data_dir: Option<PathBuf>,
    /// Where every record is read and written; the UI itself never opens a file.
    store: SharedStore,
    recent: RecentFiles,
    restore_written: Option<CaseDraft>,
    restore_last_write: Option<Instant>,
    restore_on_disk: bool,
    restore_error_shown: bool,
    /// The user answered the unsaved-changes question; the next close request goes through.
    allow_close: bool,
    /// The window title last sent (sent again only when it changes).
    title_sent: String,
    /// Enter in a single-line entry: move focus on from this widget next frame.
    enter_moves_from: Option<egui::Id>,
    /// The Order page: ledger, export dialog, print service (`app/order.rs`).
    order: crate::ui::order_export::OrderDesk,
    /// The treatment course view's state (see `ui::course_state`).
    pub course: crate::ui::course_state::CourseState,
    /// The clinic database's worker, and the Patients page (`app/clinic.rs`).
    clinic: crate::ui::clinic_desk::ClinicDesk,
    pub patients: crate::ui::pages::patients::PatientsState,
    clinic_opening: clinic::Opening,
    clinic_fixed: Option<crate::store::db::DbUrl>,
    server_login: server_login::ServerLogin,
    /// Who is signed in; the sign-in and lock screens (`app/sign_in.rs`).
    workstation: sign_in::Workstation,
    /// "Sign and export": the signer's password asked for the path chosen.
    sign_prompt: Option<order_sign::SignPrompt>,
    /// "Record … check…": the checker's password.
    check_prompt: Option<order_check::CheckPrompt>,
    /// The predicted-concentration curve, kept until the regimen changes.
    pk_view: Option<crate::ui::widgets::pk_plot::PkView>,
}

impl KetaplanApp {
    pub fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let mut app = Self::from_storage(cc.storage, default_data_dir());
        app.native_dialogs = true;
        app.open_debug_case(&cc.egui_ctx);
        app
    }

    /// An app without an eframe context (tests, benchmarks): built-in defaults, no data
    /// folder, typed paths instead of native dialogs.
    pub fn with_protocol(protocol: Result<Protocol, String>) -> Self {
        Self {
            protocol: protocol.map(Arc::new),
            state: WizardState::default(),
            today: today(),
            pending_focus: None,
            fonts_applied: false,
            theme_applied: None,
            zoom_applied: false,
            prefs: Preferences::default(),
            view: View::Wizard,
            file: None,
            saved: Some(WizardState::default().draft),
            modal: None,
            notice: None,
            protocol_error: None,
            trusted_key_entry: Default::default(),
            native_dialogs: false,
            data_dir: None,
            store: SharedStore::default(),
            recent: RecentFiles::default(),
            restore_written: None,
            restore_last_write: None,
            restore_on_disk: false,
            restore_error_shown: false,
            allow_close: false,
            title_sent: String::new(),
            enter_moves_from: None,
            order: Default::default(),
            course: Default::default(),
            clinic: Default::default(),
            patients: Default::default(),
            clinic_opening: Default::default(),
            clinic_fixed: None,
            server_login: Default::default(),
            workstation: Default::default(),
            sign_prompt: None,
            check_prompt: None,
            pk_view: None,
        }
    }

    /// The app as it starts: preferences from eframe's storage, the protocol pack they
    /// name, the recent files and the case in progress from `data_dir`.
    pub fn from_storage(storage: Option<&dyn eframe::Storage>, data_dir: Option<PathBuf>) -> Self {
        let prefs = Preferences::load(storage);
        let built_in = Protocol::built_in().map_err(|e| e.to_string());
        let mut app = Self::with_protocol(built_in);
        if let Some(path) = prefs.protocol_path.clone() {
            match load_protocol_file(&FileStore::new(None), Path::new(&path), &prefs) {
                Ok(p) => app.protocol = Ok(Arc::new(p)),
                Err(e) => {
                    // Never silently: the clinic expects its own pack.
                    app.protocol_error = Some(e.clone());
                    app.notice = Some(Notice {
                        kind: NoticeKind::Error,
                        text: format!(
                            "The clinic protocol pack could not be loaded, so the built-in pack is in use: {e}"
                        ),
                    });
                }
            }
        }
        app.prefs = prefs;
        app.reset_to_new_case();
        app.set_data_dir(data_dir);
        app
    }

    /// Use `dir` for the restore file and the recent files; restores a case in progress.
    pub fn set_data_dir(&mut self, dir: Option<PathBuf>) {
        self.data_dir = dir.clone();
        self.set_store(Arc::new(FileStore::new(dir)));
    }

    /// Keep records in `store`; reads the recent files and restores a case in progress.
    pub fn set_store(&mut self, store: Arc<dyn Store>) {
        self.store = SharedStore(store);
        self.course.store = self.store.clone();
        self.order.store = self.store.clone();
        self.recent = read_recent(&*self.store);
        if let Some(doc) = read_restore(&*self.store) {
            self.state.draft = doc.draft.clone();
            self.state.page = doc.page;
            self.file = doc.path.map(PathBuf::from);
            // Not saved anywhere: closing asks first.
            self.saved = None;
            self.restore_written = Some(doc.draft);
            self.restore_on_disk = true;
            self.notice = Some(Notice {
                kind: NoticeKind::Warning,
                text: format!(
                    "Restored the case in progress (last written {}). It is not saved yet.",
                    doc.written_at
                ),
            });
        }
    }

    fn set_notice(&mut self, kind: NoticeKind, text: impl Into<String>) {
        self.notice = Some(Notice {
            kind,
            text: text.into(),
        });
    }

    // ---------------------------------------------------------------- actions

    fn apply(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::GoTo(page) => {
                let changed = self.state.page != page || self.view != View::Wizard;
                self.state.page = page;
                self.view = View::Wizard;
                self.pending_focus = if changed {
                    self.protocol
                        .as_ref()
                        .ok()
                        .and_then(|p| page.first_field(p))
                } else {
                    None
                };
            }
            Action::GoToField(field) => {
                self.state.page = Page::for_field(&field);
                self.view = View::Wizard;
                self.pending_focus = Some(field);
            }
            Action::ShowView(view) => self.view = view,
            Action::NewCase => self.request(Intent::New, ctx),
            Action::OpenCase => self.request(Intent::Open, ctx),
            Action::OpenRecent(path)
                if crate::ui::course_state::is_course_path(Path::new(&path)) =>
            {
                self.course_open_recent(Path::new(&path));
            }
            Action::OpenRecent(path) => self.request(Intent::OpenPath(PathBuf::from(path)), ctx),
            Action::Save => self.save(None, ctx),
            Action::SaveAs => self.start_dialog(DialogKind::SaveCase, None, ctx),
            Action::SaveCourse => pages::course::save_course(&mut self.course),
            Action::SaveCourseAs => pages::course::save_course_as(&mut self.course),
            Action::PickProtocol => self.start_dialog(DialogKind::OpenProtocol, None, ctx),
            Action::UseBuiltInProtocol => self.use_built_in_protocol(),
            Action::TrustKey => {
                // A refusal is shown next to the entry.
                let _ = self.trust_key();
            }
            Action::UntrustKey(index) => self.untrust_key(index),
            Action::ClearRecent => {
                self.recent = RecentFiles::default();
                self.write_recent();
            }
            Action::ForgetLastFolder => self.prefs.last_folder = None,
            Action::Zoom(step) => {
                let zoom = match step {
                    0 => 1.0,
                    s => ctx.zoom_factor() + ZOOM_STEP * f32::from(s),
                };
                ctx.set_zoom_factor(clamp_zoom(zoom));
            }
            Action::DismissNotice => self.notice = None,
            Action::DropOrderNumber => {
                self.state.draft.order_number = None;
                self.state.draft.order_number_content = None;
            }
            Action::Order(a) => self.order_action(a, ctx),
            Action::LockWorkstation => self.lock_workstation(),
        }
    }
}

impl eframe::App for KetaplanApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_contents(ui);
    }

    /// Preferences only; the case goes to the owner-only restore file.
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.prefs.store(storage);
    }

    /// egui's memory holds text-field contents (patient data) and is written to eframe's
    /// storage file, which is not owner-only: keep it out.
    fn persist_egui_memory(&self) -> bool {
        false
    }
}
