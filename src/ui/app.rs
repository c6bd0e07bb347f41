//! The application shell: state, page routing, files, preferences, keyboard, and the panels
//! every page shares.

use crate::domain::case::{FieldError, case_from_value};
use crate::domain::{Plan, Protocol};
use crate::store::case_file::{RecentFiles, read_case_value, save_case};
use crate::store::fs::RealFs;
use crate::ui::actions::{Action, Page, View};
use crate::ui::draft::CaseDraft;
use crate::ui::files::{
    self, DialogKind, DialogPoll, NativeDialog, PathPrompt, RestoreDoc, case_save_path,
    expand_home, refuses_to_open, suggested_file_name,
};
use crate::ui::live::Live;
use crate::ui::pages::preferences::PrefsCtx;
use crate::ui::pages::{self, PageCtx, PageState};
use crate::ui::prefs::{Preferences, ThemeChoice, clamp_zoom};
use crate::ui::theme;
use crate::ui::widgets::path_entry::{path_dialog_heading_ui, path_entry_ui, path_problem_ui};
use crate::ui::widgets::{
    banner::patient_banner_ui, plan_panel::plan_panel_ui, step_bar::step_bar_ui,
};
use chrono::NaiveDate;
use egui::{Key, KeyboardShortcut, Modifiers, RichText};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod order;

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

/// How often, at most, the case in progress is written to the restore file.
const RESTORE_EVERY: Duration = Duration::from_secs(2);

const ZOOM_STEP: f32 = 0.1;

pub struct KetaplanApp {
    protocol: Result<Protocol, String>,
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
    /// Use the platform's file dialogs; off in tests and once none could be shown.
    native_dialogs: bool,
    /// Where the restore file and the recent-files list live (owner-only files).
    data_dir: Option<PathBuf>,
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
}

impl KetaplanApp {
    pub fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let mut app = Self::from_storage(cc.storage, files::default_data_dir());
        app.native_dialogs = true;
        app.open_debug_case(&cc.egui_ctx);
        app
    }

    /// An app without an eframe context (tests, benchmarks): built-in defaults, no data
    /// folder, typed paths instead of native dialogs.
    pub fn with_protocol(protocol: Result<Protocol, String>) -> Self {
        Self {
            protocol,
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
            native_dialogs: false,
            data_dir: None,
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
        }
    }

    /// The app as it starts: preferences from eframe's storage, the protocol pack they
    /// name, the recent files and the case in progress from `data_dir`.
    pub fn from_storage(storage: Option<&dyn eframe::Storage>, data_dir: Option<PathBuf>) -> Self {
        let prefs = Preferences::load(storage);
        let built_in = Protocol::built_in().map_err(|e| e.to_string());
        let mut app = Self::with_protocol(built_in);
        if let Some(path) = prefs.protocol_path.clone() {
            match load_protocol_file(Path::new(&path)) {
                Ok(p) => app.protocol = Ok(p),
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
        self.data_dir = dir;
        let Some(dir) = self.data_dir.clone() else {
            return;
        };
        self.recent = files::read_recent(&dir);
        if let Some(doc) = files::read_restore(&dir) {
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

    /// Judge dates on another day (tests).
    pub fn set_today(&mut self, day: NaiveDate) {
        let fresh = !self.is_dirty();
        self.today = day;
        if fresh && self.file.is_none() {
            self.reset_to_new_case();
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn protocol(&self) -> Option<&Protocol> {
        self.protocol.as_ref().ok()
    }

    pub fn preferences(&self) -> &Preferences {
        &self.prefs
    }

    pub fn preferences_mut(&mut self) -> &mut Preferences {
        &mut self.prefs
    }

    pub fn view(&self) -> View {
        self.view
    }

    pub fn file_path(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn recent_files(&self) -> &RecentFiles {
        &self.recent
    }

    /// The case differs from what was last opened or saved.
    pub fn is_dirty(&self) -> bool {
        self.saved.as_ref() != Some(&self.state.draft)
    }

    /// A dialog is open over the app.
    pub fn has_modal(&self) -> bool {
        self.modal.is_some() || self.order.has_modal() || self.course.has_modal()
    }

    /// Replace the draft with a case document (`ketaplan.case/1` as JSON).
    pub fn open_case_value(&mut self, value: &serde_json::Value) {
        if let Ok(protocol) = &self.protocol {
            self.state.draft = CaseDraft::from_case_value(protocol, value, self.today);
            self.saved = Some(self.state.draft.clone());
        }
    }

    /// The window title: file name, a mark for unsaved changes, and a local pack named.
    pub fn window_title(&self) -> String {
        let name = self.file.as_ref().and_then(|p| p.file_name()).map_or_else(
            || "New case".to_string(),
            |n| n.to_string_lossy().to_string(),
        );
        let dirty = if self.is_dirty() { " •" } else { "" };
        let local = match &self.protocol {
            Ok(p) if !p.built_in => " — local protocol",
            _ => "",
        };
        format!("{name}{dirty} — ketaplan{local}")
    }

    /// Debug builds only: `KETAPLAN_OPEN=case.json` preloads a case, `KETAPLAN_PAGE=review`
    /// opens a page, `KETAPLAN_VIEW=protocol` a view and `KETAPLAN_DIALOG=open|save|unsaved`
    /// a dialog and `KETAPLAN_THEME=dark` the dark theme, to take screenshots of realistic cases. Release builds ignore them.
    fn open_debug_case(&mut self, ctx: &egui::Context) {
        if !cfg!(debug_assertions) {
            return;
        }
        if let Some(path) = std::env::var_os("KETAPLAN_OPEN") {
            let path = PathBuf::from(path);
            if !self.open_path(&path) {
                eprintln!("ketaplan: KETAPLAN_OPEN: could not open {}", path.display());
            }
        }
        if let Some(page) = std::env::var("KETAPLAN_PAGE")
            .ok()
            .and_then(|p| Page::parse(&p))
        {
            self.state.page = page;
        }
        if let Some(view) = std::env::var("KETAPLAN_VIEW")
            .ok()
            .and_then(|v| View::parse(&v))
        {
            self.view = view;
        }
        if let Ok(protocol) = &self.protocol
            && self.course.open_debug(protocol)
        {
            self.view = View::Course;
        }
        if std::env::var("KETAPLAN_THEME").ok().as_deref() == Some("dark") {
            self.prefs.theme = ThemeChoice::Dark;
        }
        match std::env::var("KETAPLAN_DIALOG").ok().as_deref() {
            Some("open") => self.start_dialog(DialogKind::OpenCase, None, ctx),
            Some("save") => self.start_dialog(DialogKind::SaveCase, None, ctx),
            Some("unsaved") => self.modal = Some(Modal::Unsaved(Intent::Close)),
            _ => {}
        }
    }

    /// This frame's derived state (validation, plan, blockers) for the current draft.
    pub fn live(&self) -> Option<Live> {
        let protocol = self.protocol.as_ref().ok()?;
        Some(Live::compute(protocol, &self.state.draft, self.today))
    }

    /// The plan for the current draft, if it is valid.
    pub fn current_plan(&self) -> Option<Plan> {
        self.live().and_then(|l| l.plan)
    }

    pub fn page(&self) -> Page {
        self.state.page
    }

    fn set_notice(&mut self, kind: NoticeKind, text: impl Into<String>) {
        self.notice = Some(Notice {
            kind,
            text: text.into(),
        });
    }

    // ---------------------------------------------------------------- files

    fn reset_to_new_case(&mut self) {
        self.state = WizardState {
            draft: self
                .prefs
                .new_draft(self.protocol.as_ref().ok(), self.today),
            page: Page::Patient,
            page_state: PageState::default(),
        };
        self.file = None;
        self.saved = Some(self.state.draft.clone());
    }

    /// The user's request to replace or close the case: asks first when it has changes.
    pub fn request(&mut self, intent: Intent, ctx: &egui::Context) {
        if self.is_dirty() {
            self.modal = Some(Modal::Unsaved(intent));
        } else {
            self.perform(intent, ctx);
        }
    }

    fn perform(&mut self, intent: Intent, ctx: &egui::Context) {
        match intent {
            Intent::New => {
                self.reset_to_new_case();
                self.view = View::Wizard;
                self.clear_restore();
                self.set_notice(NoticeKind::Done, "New case.");
            }
            Intent::Open => self.start_dialog(DialogKind::OpenCase, None, ctx),
            Intent::OpenPath(path) => {
                self.open_path(&path);
            }
            Intent::Close => {
                self.allow_close = true;
                self.clear_restore();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// Open a case file. On any error that the wizard cannot show at a field, the errors
    /// are listed and nothing changes. Returns whether the case was opened.
    pub fn open_path(&mut self, path: &Path) -> bool {
        let Ok(protocol) = &self.protocol else {
            return false;
        };
        let value = match read_case_value(&RealFs, path) {
            Ok(v) => v,
            Err(errors) => {
                if !path.exists() {
                    self.recent.remove(path);
                    self.write_recent();
                }
                self.modal = Some(Modal::OpenFailed {
                    path: path.display().to_string(),
                    errors,
                });
                return false;
            }
        };
        let errors = case_from_value(protocol, &value).err().unwrap_or_default();
        if refuses_to_open(&errors) {
            self.modal = Some(Modal::OpenFailed {
                path: path.display().to_string(),
                errors,
            });
            return false;
        }
        let draft = CaseDraft::from_case_value(protocol, &value, self.today);
        self.state = WizardState {
            draft: draft.clone(),
            page: Page::Patient,
            page_state: PageState::default(),
        };
        self.view = View::Wizard;
        self.file = Some(path.to_path_buf());
        self.saved = Some(draft);
        self.remember_file(path);
        self.clear_restore();
        let name = path.display();
        if errors.is_empty() {
            self.set_notice(NoticeKind::Done, format!("Opened {name}."));
        } else {
            self.set_notice(
                NoticeKind::Warning,
                format!(
                    "Opened {name} as a draft: {} field(s) to complete, shown beside each field.",
                    errors.len()
                ),
            );
        }
        true
    }

    /// Save to the current file, or ask where when there is none (or it is JSON, which is
    /// never overwritten with RON).
    fn save(&mut self, then: Option<Intent>, ctx: &egui::Context) {
        match self.file.clone() {
            Some(path) if case_save_path(&path) == path => {
                if self.save_to(&path).is_ok()
                    && let Some(intent) = then
                {
                    self.perform(intent, ctx);
                }
            }
            _ => self.start_dialog(DialogKind::SaveCase, then, ctx),
        }
    }

    /// Save the case to `path` (given `.case.ron` when it lacks `.ron`). A valid case is
    /// written in the contract's form; an incomplete one as its draft document, so nothing
    /// typed is lost. On failure the file on disk is unchanged.
    pub fn save_to(&mut self, path: &Path) -> Result<PathBuf, String> {
        let path = case_save_path(path);
        let (Some(live), Ok(protocol)) = (self.live(), &self.protocol) else {
            return Err("No protocol pack: nothing can be saved.".into());
        };
        // Everything typed is saved: a reason still too short to count goes into the file
        // (which then opens as a draft with the error beside the box), never dropped.
        let value = self.state.draft.to_saved_value(protocol, self.today);
        let (case, errors) = if value == live.value {
            (live.case, live.errors)
        } else {
            match case_from_value(protocol, &value) {
                Ok(case) => (Some(case), Vec::new()),
                Err(errors) => (None, errors),
            }
        };
        let result = match &case {
            Some(case) => save_case(&RealFs, &path, case),
            None => files::save_draft_file(&path, &value),
        };
        match result {
            Ok(()) => {
                self.file = Some(path.clone());
                self.saved = Some(self.state.draft.clone());
                self.remember_file(&path);
                self.clear_restore();
                if case.is_some() {
                    self.set_notice(NoticeKind::Done, format!("Saved {}.", path.display()));
                } else {
                    self.set_notice(
                        NoticeKind::Warning,
                        format!(
                            "Saved {} as a draft: {} field(s) still to complete before it is a valid case.",
                            path.display(),
                            errors.len()
                        ),
                    );
                }
                Ok(path)
            }
            Err(e) => {
                self.set_notice(NoticeKind::Error, e.clone());
                Err(e)
            }
        }
    }

    fn remember_file(&mut self, path: &Path) {
        self.recent.push(path);
        self.write_recent();
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            self.prefs.last_folder = Some(folder.display().to_string());
        }
    }

    fn write_recent(&mut self) {
        if let Some(dir) = &self.data_dir
            && let Err(e) = files::write_recent(dir, &self.recent)
        {
            self.set_notice(
                NoticeKind::Warning,
                format!("Could not update the recent-files list: {e}"),
            );
        }
    }

    fn start_dialog(&mut self, kind: DialogKind, then: Option<Intent>, ctx: &egui::Context) {
        let folder = self.prefs.last_folder.as_ref().map(PathBuf::from);
        let file_name = match kind {
            DialogKind::SaveCase => Some(self.suggested_name()),
            _ => None,
        };
        if self.native_dialogs {
            self.modal = Some(Modal::Native {
                dialog: NativeDialog::spawn(kind, folder, file_name, ctx.clone()),
                then,
            });
        } else {
            self.modal = Some(Modal::Path {
                prompt: PathPrompt::new(kind, self.initial_path_text(kind), None),
                then,
            });
        }
    }

    fn suggested_name(&self) -> String {
        match &self.file {
            Some(p) => case_save_path(p).file_name().map_or_else(
                || suggested_file_name(&self.state.draft),
                |n| n.to_string_lossy().to_string(),
            ),
            None => suggested_file_name(&self.state.draft),
        }
    }

    fn initial_path_text(&self, kind: DialogKind) -> String {
        let folder = self
            .prefs
            .last_folder
            .clone()
            .map(|f| format!("{}{}", f.trim_end_matches('/'), std::path::MAIN_SEPARATOR));
        match kind {
            DialogKind::SaveCase => match (&self.file, folder) {
                (Some(p), _) => case_save_path(p).display().to_string(),
                (None, Some(f)) => format!("{f}{}", self.suggested_name()),
                (None, None) => String::new(),
            },
            DialogKind::OpenCase | DialogKind::OpenProtocol => folder.unwrap_or_default(),
        }
    }

    fn dialog_chosen(
        &mut self,
        kind: DialogKind,
        path: PathBuf,
        then: Option<Intent>,
        ctx: &egui::Context,
    ) {
        match kind {
            DialogKind::OpenCase => {
                self.open_path(&path);
            }
            DialogKind::SaveCase => {
                if self.save_to(&path).is_ok()
                    && let Some(intent) = then
                {
                    self.perform(intent, ctx);
                }
            }
            DialogKind::OpenProtocol => {
                let _ = self.use_protocol_file(&path);
            }
        }
    }

    /// The typed path's confirm button. Returns the prompt again when it must stay open.
    fn confirm_typed_path(
        &mut self,
        mut prompt: PathPrompt,
        then: Option<Intent>,
        ctx: &egui::Context,
    ) -> Option<Modal> {
        if prompt.entry.text.trim().is_empty() {
            prompt.entry.problem = Some("Type a path first.".into());
            return Some(Modal::Path { prompt, then });
        }
        let typed = expand_home(&prompt.entry.text);
        match prompt.kind {
            DialogKind::OpenCase | DialogKind::OpenProtocol if !typed.is_file() => {
                prompt.entry.problem = Some(format!("There is no file at {}.", typed.display()));
                Some(Modal::Path { prompt, then })
            }
            DialogKind::OpenCase => {
                self.open_path(&typed);
                None
            }
            DialogKind::OpenProtocol => match self.use_protocol_file(&typed) {
                Ok(()) => None,
                Err(e) => {
                    prompt.entry.problem = Some(e);
                    Some(Modal::Path { prompt, then })
                }
            },
            DialogKind::SaveCase => {
                let path = case_save_path(&typed);
                let folder_ok = path
                    .parent()
                    .is_none_or(|d| d.as_os_str().is_empty() || d.is_dir());
                if !folder_ok {
                    prompt.entry.problem =
                        Some(format!("The folder of {} does not exist.", path.display()));
                    return Some(Modal::Path { prompt, then });
                }
                let replaces_other = path.exists() && self.file.as_deref() != Some(path.as_path());
                if replaces_other && !prompt.entry.confirm_replace {
                    prompt.entry.problem = Some(format!(
                        "{} already exists. Press \"Save to this path\" again to replace it (the old version is kept as .bak).",
                        path.display()
                    ));
                    prompt.entry.confirm_replace = true;
                    return Some(Modal::Path { prompt, then });
                }
                match self.save_to(&path) {
                    Ok(_) => {
                        if let Some(intent) = then {
                            self.perform(intent, ctx);
                        }
                        None
                    }
                    Err(e) => {
                        prompt.entry.problem = Some(e);
                        Some(Modal::Path { prompt, then })
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- protocol

    /// Use a clinic's pack. A pack that fails validation is refused with its error and the
    /// pack in use is kept.
    pub fn use_protocol_file(&mut self, path: &Path) -> Result<(), String> {
        match load_protocol_file(path) {
            Ok(p) => {
                let text = format!(
                    "Protocol pack in use: {} {} ({}){}.",
                    p.pack.id,
                    p.pack.version,
                    p.short_sha256(),
                    if p.built_in { "" } else { ", local protocol" }
                );
                self.prefs.protocol_path = (!p.built_in).then(|| path.display().to_string());
                self.protocol = Ok(p);
                self.protocol_error = None;
                self.set_notice(NoticeKind::Done, text);
                Ok(())
            }
            Err(e) => {
                let kept = match &self.protocol {
                    Ok(p) => format!("{} {} is still in use", p.pack.id, p.pack.version),
                    Err(_) => "no pack is in use".to_string(),
                };
                self.protocol_error = Some(e.clone());
                self.set_notice(
                    NoticeKind::Error,
                    format!("Protocol pack refused ({kept}): {e}"),
                );
                Err(e)
            }
        }
    }

    pub fn use_built_in_protocol(&mut self) {
        match Protocol::built_in() {
            Ok(p) => {
                self.protocol = Ok(p);
                self.prefs.protocol_path = None;
                self.protocol_error = None;
                self.set_notice(NoticeKind::Done, "Using the built-in protocol pack.");
            }
            Err(e) => self.set_notice(NoticeKind::Error, e.to_string()),
        }
    }

    // ---------------------------------------------------------------- restore

    fn clear_restore(&mut self) {
        if let Some(dir) = &self.data_dir {
            files::remove_restore(dir);
        }
        self.restore_on_disk = false;
        self.restore_written = None;
    }

    /// Write the case in progress now (normally throttled to every [`RESTORE_EVERY`]).
    pub fn write_restore_now(&mut self) -> Result<(), String> {
        let Some(dir) = self.data_dir.clone() else {
            return Ok(());
        };
        let doc = RestoreDoc {
            path: self.file.as_ref().map(|p| p.display().to_string()),
            page: self.state.page,
            draft: self.state.draft.clone(),
            written_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
        };
        files::write_restore(&dir, &doc)?;
        self.restore_written = Some(doc.draft);
        self.restore_last_write = Some(Instant::now());
        self.restore_on_disk = true;
        Ok(())
    }

    /// Keep the restore file in step with the case: written (throttled) while there are
    /// unsaved changes, removed when there are none.
    fn restore_tick(&mut self, ctx: &egui::Context) {
        if self.data_dir.is_none() {
            return;
        }
        if !self.is_dirty() {
            if self.restore_on_disk {
                self.clear_restore();
            }
            return;
        }
        if self.restore_written.as_ref() == Some(&self.state.draft) {
            return;
        }
        let wait = self.restore_last_write.map_or(Duration::ZERO, |t| {
            RESTORE_EVERY.saturating_sub(t.elapsed())
        });
        if !wait.is_zero() {
            // Wake once when the throttle allows the write; no frames in between.
            ctx.request_repaint_after(wait);
            return;
        }
        let written = self.write_restore_now();
        // A failing disk is retried at the same pace, not every frame.
        self.restore_last_write = Some(Instant::now());
        if let Err(e) = written
            && !self.restore_error_shown
        {
            self.restore_error_shown = true;
            self.set_notice(
                NoticeKind::Warning,
                format!("The case in progress could not be written for restore: {e}"),
            );
        }
    }

    // ---------------------------------------------------------------- course

    /// What the Course view asked for: a file on the recent list, the next visit's case.
    fn course_requests(&mut self, ctx: &egui::Context) {
        use crate::ui::course_state::CourseRequest;
        for request in std::mem::take(&mut self.course.requests) {
            match request {
                CourseRequest::Remember(path) => self.remember_file(&path),
                CourseRequest::NextVisit { draft, previous } => {
                    self.state = WizardState {
                        draft: *draft,
                        page: Page::Patient,
                        page_state: PageState {
                            previous_answers: previous,
                            ..PageState::default()
                        },
                    };
                    self.file = None;
                    self.saved = Some(CaseDraft::new(self.today));
                    self.view = View::Wizard;
                    self.set_notice(
                        NoticeKind::Warning,
                        "Next visit pre-filled from the last session: answer the day-to-day questions again and check the weight.",
                    );
                }
                CourseRequest::ExportChart(session_id) => self.start_chart_export(session_id, ctx),
            }
        }
    }

    /// A course file from the recent list opens in the Course view (never as a case).
    fn course_open_recent(&mut self, path: &Path) {
        self.view = View::Course;
        if self.course.is_dirty() {
            self.set_notice(
                NoticeKind::Warning,
                "Save the open course before opening another.",
            );
        } else if let Ok(protocol) = &self.protocol {
            self.course.open(protocol, path);
        }
    }

    // ---------------------------------------------------------------- actions, keys

    fn apply(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::GoTo(page) => {
                self.state.page = page;
                self.view = View::Wizard;
                self.pending_focus = None;
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
            Action::Order(a) => self.order_action(a, ctx),
        }
    }

    /// Shortcuts, consumed before any widget sees them. None while a dialog is open.
    fn keyboard(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if self.has_modal() {
            return;
        }
        let shortcut = |m, k| KeyboardShortcut::new(m, k);
        let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        ctx.input_mut(|i| {
            // Ctrl+Shift+S first: Ctrl+S would match it too. In the Course view they save
            // the course, not the case.
            let course = self.view == View::Course;
            if i.consume_shortcut(&shortcut(cmd_shift, Key::S)) {
                actions.push(if course {
                    Action::SaveCourseAs
                } else {
                    Action::SaveAs
                });
            } else if i.consume_shortcut(&shortcut(Modifiers::COMMAND, Key::S)) {
                actions.push(if course {
                    Action::SaveCourse
                } else {
                    Action::Save
                });
            }
            if i.consume_shortcut(&shortcut(Modifiers::COMMAND, Key::N)) {
                actions.push(Action::NewCase);
            }
            if i.consume_shortcut(&shortcut(Modifiers::COMMAND, Key::O)) {
                actions.push(Action::OpenCase);
            }
            if i.consume_shortcut(&shortcut(Modifiers::COMMAND, Key::P)) {
                actions.push(Action::Order(crate::ui::order_export::OrderAction::Export));
            }
            if self.view == View::Wizard {
                let next = i.consume_key(Modifiers::NONE, Key::PageDown)
                    || i.consume_key(Modifiers::ALT, Key::ArrowRight);
                let previous = i.consume_key(Modifiers::NONE, Key::PageUp)
                    || i.consume_key(Modifiers::ALT, Key::ArrowLeft);
                if next && let Some(p) = self.state.page.next() {
                    actions.push(Action::GoTo(p));
                }
                if previous && let Some(p) = self.state.page.previous() {
                    actions.push(Action::GoTo(p));
                }
            } else if i.consume_key(Modifiers::NONE, Key::Escape) {
                actions.push(Action::ShowView(View::Wizard));
            }
        });
    }

    /// Enter in a single-line entry moves on to the next field, as Tab does. A single-line
    /// entry gives up focus on Enter; that is how it is told apart from a multi-line one.
    fn enter_moves_on(&mut self, ctx: &egui::Context, focused_before: Option<egui::Id>) {
        let entered = ctx.input(|i| i.key_pressed(Key::Enter) && i.modifiers.is_none());
        let focused_now = ctx.memory(|m| m.focused());
        if entered
            && !self.has_modal()
            && let Some(id) = focused_before
            && focused_now.is_none()
            && egui::text_edit::TextEditState::load(ctx, id).is_some()
        {
            self.enter_moves_from = Some(id);
            ctx.request_repaint();
        }
    }

    // ---------------------------------------------------------------- drawing

    /// Draw the whole app into `ui` (the eframe window, or a test harness).
    pub fn ui_contents(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.frame_setup(&ctx);
        if let Some(id) = self.enter_moves_from.take() {
            // Give focus back for a moment so that "next" is counted from that field.
            ctx.memory_mut(|m| {
                m.request_focus(id);
                m.move_focus(egui::FocusDirection::Next);
            });
        }
        let focused_before = ctx.memory(|m| m.focused());
        self.handle_close_request(&ctx);
        self.poll_native_dialog(&ctx);

        let protocol = match &self.protocol {
            Ok(p) => p.clone(),
            Err(e) => {
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.heading("ketaplan");
                    theme::icon_text_ui(
                        ui,
                        theme::ICON_STOP,
                        theme::STOP,
                        egui::RichText::new(format!("Protocol pack error: {e}")),
                    );
                });
                return;
            }
        };
        let mut actions = Vec::new();
        self.keyboard(&ctx, &mut actions);
        let before = self.state.clone();
        // A reason whose value changed no longer applies: drop it before validating.
        self.state.draft.clear_stale_justifications(&protocol);
        let live = Live::compute(&protocol, &self.state.draft, self.today);

        egui::Panel::top("toolbar-and-banner")
            .frame(
                egui::Frame::new()
                    .fill(theme::on(ui, theme::BANNER_FILL))
                    .inner_margin(theme::SPACE),
            )
            .show(ui, |ui| {
                self.toolbar_ui(ui, &protocol, &mut actions);
                self.notice_ui(ui, &mut actions);
                if self.view == View::Wizard {
                    ui.separator();
                    patient_banner_ui(ui, &self.state.draft, &live);
                    ui.separator();
                    step_bar_ui(ui, self.state.page, &live, &mut actions);
                }
            });
        match self.view {
            View::Wizard => self.wizard_ui(ui, &protocol, &live, &mut actions),
            View::Protocol => {
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("protocol-scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            ui.set_max_width(1000.0);
                            pages::protocol_view::ui(ui, &protocol, &mut actions);
                        });
                });
            }
            View::Preferences => {
                let zoom_factor = ctx.zoom_factor();
                let prefs_ctx = PrefsCtx {
                    protocol: &protocol,
                    protocol_error: self.protocol_error.as_deref(),
                    recent_count: self.recent.paths.len(),
                    zoom_factor,
                    print_service: &self.order.print_service,
                };
                let prefs = &mut self.prefs;
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("preferences-scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            ui.set_max_width(900.0);
                            pages::preferences::ui(ui, prefs, &prefs_ctx, &mut actions);
                        });
                });
            }
            View::Course => {
                let course_ctx = pages::course::CourseCtx {
                    protocol: &protocol,
                    live: &live,
                    today: self.today,
                    recent: &self.recent.paths,
                    case_dirty: self.is_dirty(),
                    paper: self.prefs.paper.paper(),
                };
                pages::course::view_ui(ui, &mut self.course, &course_ctx);
            }
        }
        self.modal_ui(&ctx);
        self.order_tick(&ctx);

        for action in actions {
            self.apply(action, &ctx);
        }
        self.course_requests(&ctx);
        self.course.tick(&ctx, (self.view, self.state.page));
        self.enter_moves_on(&ctx, focused_before);
        self.restore_tick(&ctx);
        self.prefs.zoom_factor = clamp_zoom(ctx.zoom_factor());
        if self.theme_applied != Some(self.prefs.theme) {
            theme::set_theme(&ctx, self.prefs.theme);
            self.theme_applied = Some(self.prefs.theme);
            ctx.request_repaint();
        }
        let title = self.window_title();
        if title != self.title_sent {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_sent = title;
        }
        // What is on screen was computed from the draft as the frame began; draw again so
        // that no number lags behind an edit.
        if self.state != before {
            ctx.request_repaint();
        }
    }

    fn frame_setup(&mut self, ctx: &egui::Context) {
        if !self.fonts_applied {
            theme::apply(ctx);
            self.fonts_applied = true;
        }
        if self.theme_applied != Some(self.prefs.theme) {
            theme::set_theme(ctx, self.prefs.theme);
            self.theme_applied = Some(self.prefs.theme);
        }
        if !self.zoom_applied {
            self.zoom_applied = true;
            if (ctx.zoom_factor() - self.prefs.zoom_factor).abs() > f32::EPSILON {
                ctx.set_zoom_factor(self.prefs.zoom_factor);
            }
        }
    }

    /// Closing the window with unsaved changes asks first; a clean close removes the
    /// restore file (there is nothing to restore).
    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) || self.allow_close {
            return;
        }
        if self.is_dirty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.modal.is_none() {
                self.modal = Some(Modal::Unsaved(Intent::Close));
            }
        } else {
            self.clear_restore();
        }
    }

    fn poll_native_dialog(&mut self, ctx: &egui::Context) {
        let Some(Modal::Native { dialog, .. }) = &self.modal else {
            return;
        };
        let kind = dialog.kind;
        match dialog.poll() {
            DialogPoll::Waiting => {}
            DialogPoll::Chosen(path) => {
                if let Some(Modal::Native { then, .. }) = self.modal.take() {
                    self.dialog_chosen(kind, path, then, ctx);
                }
            }
            DialogPoll::Cancelled { elapsed } => {
                let then = match self.modal.take() {
                    Some(Modal::Native { then, .. }) => then,
                    _ => None,
                };
                if elapsed < files::NO_DIALOG_WITHIN {
                    // No dialog could be shown: from now on, ask for a typed path.
                    self.native_dialogs = false;
                    self.modal = Some(Modal::Path {
                        prompt: PathPrompt::new(
                            kind,
                            self.initial_path_text(kind),
                            Some("No system file dialog is available here: type the path.".into()),
                        ),
                        then,
                    });
                }
            }
        }
    }

    fn toolbar_ui(&self, ui: &mut egui::Ui, protocol: &Protocol, actions: &mut Vec<Action>) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("New")
                .on_hover_text("New case (Ctrl+N)")
                .clicked()
            {
                actions.push(Action::NewCase);
            }
            if ui
                .button("Open…")
                .on_hover_text("Open a case (Ctrl+O)")
                .clicked()
            {
                actions.push(Action::OpenCase);
            }
            ui.add_enabled_ui(!self.recent.paths.is_empty(), |ui| {
                ui.menu_button("Open recent", |ui| {
                    for path in &self.recent.paths {
                        if ui.button(path).clicked() {
                            actions.push(Action::OpenRecent(path.clone()));
                            ui.close();
                        }
                    }
                });
            });
            // In the Course view they save the course, as Ctrl+S / Ctrl+Shift+S do there.
            let course = self.view == View::Course;
            let (save_tip, save_as_tip) = if course {
                (
                    "Save the course (Ctrl+S)",
                    "Save the course under another name (Ctrl+Shift+S)",
                )
            } else {
                ("Save (Ctrl+S)", "Save under another name (Ctrl+Shift+S)")
            };
            if ui.button("Save").on_hover_text(save_tip).clicked() {
                actions.push(if course {
                    Action::SaveCourse
                } else {
                    Action::Save
                });
            }
            if ui.button("Save as…").on_hover_text(save_as_tip).clicked() {
                actions.push(if course {
                    Action::SaveCourseAs
                } else {
                    Action::SaveAs
                });
            }
            ui.separator();
            let wizard = self.view == View::Wizard;
            if ui.selectable_label(wizard, "Case").clicked() {
                actions.push(Action::ShowView(View::Wizard));
            }
            if ui
                .selectable_label(self.view == View::Protocol, "Protocol")
                .clicked()
            {
                actions.push(Action::ShowView(View::Protocol));
            }
            if ui
                .selectable_label(self.view == View::Course, "Course")
                .on_hover_text("The patient's treatment course: sessions, follow-up, follow-on")
                .clicked()
            {
                actions.push(Action::ShowView(View::Course));
            }
            if ui
                .selectable_label(self.view == View::Preferences, "Preferences")
                .clicked()
            {
                actions.push(Action::ShowView(View::Preferences));
            }
            ui.separator();
            // The file name; its folder on hover (a long path would push the toolbar apart).
            let (name, full) = match &self.file {
                Some(path) => (
                    path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().to_string(),
                    ),
                    path.display().to_string(),
                ),
                None => (
                    "New case (not saved)".to_string(),
                    "Not saved to a file yet".to_string(),
                ),
            };
            ui.label(RichText::new(name).color(theme::on(ui, theme::MUTED)))
                .on_hover_text(full);
            if self.is_dirty() {
                ui.label(
                    RichText::new("• unsaved changes")
                        .color(theme::on(ui, theme::AVOID))
                        .strong(),
                );
            }
            if !protocol.built_in {
                ui.separator();
                theme::icon_ui(ui, theme::ICON_WARN, theme::AVOID);
                ui.label(
                    RichText::new(format!(
                        "LOCAL PROTOCOL {} {}",
                        protocol.pack.id, protocol.pack.version
                    ))
                    .color(theme::on(ui, theme::AVOID))
                    .strong(),
                );
            }
        });
    }

    fn notice_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Some(notice) = &self.notice else {
            return;
        };
        let (icon, color) = match notice.kind {
            NoticeKind::Done => (theme::ICON_OK, theme::OK),
            NoticeKind::Warning => (theme::ICON_WARN, theme::AVOID),
            NoticeKind::Error => (theme::ICON_ERROR, theme::STOP),
        };
        ui.horizontal(|ui| {
            if ui
                .small_button("Dismiss")
                .on_hover_text("Hide this message")
                .clicked()
            {
                actions.push(Action::DismissNotice);
            }
            theme::icon_text_ui(ui, icon, color, RichText::new(&notice.text));
        });
    }

    /// The wizard's layout, laid out by hand (not with panels) so the Tab order follows
    /// reading order: step bar, page, Back/Next, then the plan panel.
    fn wizard_ui(
        &mut self,
        ui: &mut egui::Ui,
        protocol: &Protocol,
        live: &Live,
        actions: &mut Vec<Action>,
    ) {
        let rest = ui.available_rect_before_wrap();
        let nav_height = ui.spacing().interact_size.y + 2.0 * theme::SPACE;
        let plan_width = theme::PLAN_PANEL_WIDTH.min(rest.width() * 0.4);
        let split_x = rest.max.x - plan_width;
        let nav_top = rest.max.y - nav_height;
        let page_rect = egui::Rect::from_min_max(rest.min, egui::pos2(split_x, nav_top));
        let plan_rect = egui::Rect::from_min_max(
            egui::pos2(split_x, rest.min.y),
            egui::pos2(rest.max.x, nav_top),
        );
        let nav_rect = egui::Rect::from_min_max(egui::pos2(rest.min.x, nav_top), rest.max);
        let visuals = ui.visuals().clone();
        let painter = ui.painter();
        painter.rect_filled(rest, 0.0, visuals.panel_fill);
        painter.rect_filled(nav_rect, 0.0, theme::on(ui, theme::BANNER_FILL));
        let line = visuals.widgets.noninteractive.bg_stroke;
        painter.vline(split_x, rest.min.y..=nav_top, line);
        painter.hline(rest.min.x..=rest.max.x, nav_top, line);

        // 1: the page.
        let focus = self.pending_focus.clone();
        let page = self.state.page;
        let order_page =
            (page == Page::Order).then(|| self.order_page_ctx(protocol, live, ui.ctx()));
        let mut page_ui = ui.new_child(
            egui::UiBuilder::new()
                .id_salt("page-area")
                .max_rect(page_rect.shrink(theme::SPACE)),
        );
        page_ui.set_clip_rect(page_rect);
        egui::ScrollArea::vertical()
            .id_salt(("page-scroll", page.title()))
            .auto_shrink([false, false])
            .show(&mut page_ui, |ui| {
                ui.set_max_width(900.0);
                let ctx = PageCtx {
                    protocol,
                    live,
                    today: self.today,
                    focus: focus.as_deref(),
                };
                let draft = &mut self.state.draft;
                let page_state = &mut self.state.page_state;
                match page {
                    Page::Patient => pages::patient::ui(ui, draft, &ctx),
                    Page::Indication => pages::indication::ui(ui, draft, &ctx),
                    Page::Screening => pages::screening::ui(ui, draft, page_state, &ctx),
                    Page::Regimen => pages::regimen::ui(ui, draft, page_state, &ctx),
                    Page::Review => pages::review::ui(ui, draft, &ctx, actions),
                    Page::Order => {
                        if let Some(order) = &order_page {
                            pages::order::ui(ui, &ctx, order, &mut self.prefs, actions);
                        }
                    }
                }
                ui.add_space(theme::SPACE_LARGE);
            });
        // The focus request has been drawn on its page.
        if focus.is_some() && self.pending_focus == focus {
            self.pending_focus = None;
        }

        // 2: Back / Next.
        let mut nav_ui = ui.new_child(
            egui::UiBuilder::new()
                .id_salt("navigation")
                .max_rect(nav_rect.shrink(theme::SPACE))
                .layout(egui::Layout::left_to_right(egui::Align::Center)),
        );
        nav_ui.set_clip_rect(nav_rect);
        if let Some(prev) = page.previous()
            && nav_ui
                .button("Back")
                .on_hover_text(format!("{} (Page Up, Alt+←)", prev.title()))
                .clicked()
        {
            actions.push(Action::GoTo(prev));
        }
        if let Some(next) = page.next()
            && nav_ui
                .button("Next")
                .on_hover_text(format!("{} (Page Down, Alt+→)", next.title()))
                .clicked()
        {
            actions.push(Action::GoTo(next));
        }
        let local = if protocol.built_in {
            String::new()
        } else {
            " — LOCAL PROTOCOL".to_string()
        };
        nav_ui.label(
            RichText::new(format!(
                "Decision aid, not a medical device: a clinician verifies every order. Protocol {} {} ({}){local}",
                protocol.pack.id,
                protocol.pack.version,
                protocol.short_sha256()
            ))
            .color(theme::on(ui, if protocol.built_in { theme::MUTED } else { theme::AVOID }))
            .small(),
        );

        // 3: the plan panel.
        let mut plan_ui = ui.new_child(
            egui::UiBuilder::new()
                .id_salt("plan-panel")
                .max_rect(plan_rect.shrink(theme::SPACE)),
        );
        plan_ui.set_clip_rect(plan_rect);
        egui::ScrollArea::vertical()
            .id_salt("plan-scroll")
            .auto_shrink([false, false])
            .show(&mut plan_ui, |ui| {
                plan_panel_ui(ui, protocol, live, actions)
            });
        ui.allocate_rect(rest, egui::Sense::hover());
    }

    fn modal_ui(&mut self, ctx: &egui::Context) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        let next = match modal {
            Modal::Unsaved(intent) => self.unsaved_ui(ctx, intent),
            Modal::Native { dialog, then } => {
                let mut give_up = false;
                egui::Modal::new(egui::Id::unique("native-dialog")).show(ctx, |ui| {
                    ui.heading(dialog.kind.title());
                    ui.label(
                        "A file dialog is open. Choose a file there, or type the path instead.",
                    );
                    give_up = ui.button("Type a path instead").clicked();
                });
                if give_up {
                    // The native dialog's answer will be ignored (its thread just ends).
                    Some(Modal::Path {
                        prompt: PathPrompt::new(
                            dialog.kind,
                            self.initial_path_text(dialog.kind),
                            None,
                        ),
                        then,
                    })
                } else {
                    Some(Modal::Native { dialog, then })
                }
            }
            Modal::Path { prompt, then } => self.path_prompt_ui(ctx, prompt, then),
            Modal::OpenFailed { path, errors } => {
                let mut close = false;
                let response = egui::Modal::new(egui::Id::unique("open-failed")).show(ctx, |ui| {
                    ui.set_max_width(640.0);
                    theme::icon_text_ui(
                        ui,
                        theme::ICON_ERROR,
                        theme::STOP,
                        RichText::new(format!("Could not open {path}")).strong(),
                    );
                    ui.label("Nothing was changed. The file has these problems:");
                    egui::ScrollArea::vertical()
                        .max_height(320.0)
                        .show(ui, |ui| {
                            for e in &errors {
                                let text = if e.field.is_empty() {
                                    e.message.clone()
                                } else {
                                    format!("{}: {}", e.field, e.message)
                                };
                                ui.add(egui::Label::new(format!("• {text}")).wrap());
                            }
                        });
                    close = ui.button("OK").clicked();
                });
                if close || response.should_close() {
                    None
                } else {
                    Some(Modal::OpenFailed { path, errors })
                }
            }
        };
        // What the dialog's answer started (another dialog, an error list) comes first.
        if self.modal.is_none() {
            self.modal = next;
        }
    }

    fn unsaved_ui(&mut self, ctx: &egui::Context, intent: Intent) -> Option<Modal> {
        enum Choice {
            Save,
            Discard,
            Cancel,
        }
        let mut choice = None;
        let response = egui::Modal::new(egui::Id::unique("unsaved-changes")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Unsaved changes");
            let what = match intent {
                Intent::New => "starting a new case",
                Intent::Open | Intent::OpenPath(_) => "opening another case",
                Intent::Close => "closing",
            };
            ui.label(format!(
                "This case has changes that are not saved. Save them before {what}?"
            ));
            ui.horizontal(|ui| {
                if ui.button("Save changes").clicked() {
                    choice = Some(Choice::Save);
                }
                if ui.button("Discard changes").clicked() {
                    choice = Some(Choice::Discard);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(Choice::Cancel);
                }
            });
        });
        if response.should_close() && choice.is_none() {
            choice = Some(Choice::Cancel);
        }
        match choice {
            None => Some(Modal::Unsaved(intent)),
            Some(Choice::Cancel) => None,
            Some(Choice::Discard) => {
                // Put back the state of the last save so a later question is not asked twice.
                self.saved = Some(self.state.draft.clone());
                self.perform(intent, ctx);
                None
            }
            Some(Choice::Save) => {
                self.save(Some(intent), ctx);
                None
            }
        }
    }

    fn path_prompt_ui(
        &mut self,
        ctx: &egui::Context,
        mut prompt: PathPrompt,
        then: Option<Intent>,
    ) -> Option<Modal> {
        let mut confirm = false;
        let mut cancel = false;
        let response = egui::Modal::new(egui::Id::unique("typed-path")).show(ctx, |ui| {
            path_dialog_heading_ui(ui, prompt.kind.title(), prompt.note.as_deref());
            confirm |= path_entry_ui(
                ui,
                &mut prompt.entry,
                prompt.kind.path_label(),
                "/home/…/patient.case.ron",
            );
            if matches!(prompt.kind, DialogKind::OpenCase) {
                ui.label(
                    RichText::new("Case files: *.case.ron or *.case.json")
                        .color(theme::on(ui, theme::MUTED)),
                );
            }
            path_problem_ui(ui, &prompt.entry);
            ui.horizontal(|ui| {
                if ui.button(prompt.kind.confirm_text()).clicked() {
                    confirm = true;
                }
                if ui.button("Cancel").clicked() {
                    cancel = true;
                }
            });
        });
        if cancel || (response.should_close() && !confirm) {
            return None;
        }
        if confirm {
            return self.confirm_typed_path(prompt, then, ctx);
        }
        Some(Modal::Path { prompt, then })
    }
}

fn load_protocol_file(path: &Path) -> Result<Protocol, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))?;
    Protocol::from_ron_str(&text).map_err(|e| format!("{}:{e}", path.display()))
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
