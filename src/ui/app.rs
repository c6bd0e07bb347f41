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

mod course;
mod debug;
mod dialogs;
mod files;
mod order;
mod panels;
mod protocol;
mod shortcuts;

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
        }
    }

    /// The app as it starts: preferences from eframe's storage, the protocol pack they
    /// name, the recent files and the case in progress from `data_dir`.
    pub fn from_storage(storage: Option<&dyn eframe::Storage>, data_dir: Option<PathBuf>) -> Self {
        let prefs = Preferences::load(storage);
        let built_in = Protocol::built_in().map_err(|e| e.to_string());
        let mut app = Self::with_protocol(built_in);
        if let Some(path) = prefs.protocol_path.clone() {
            match load_protocol_file(&FileStore::new(None), Path::new(&path)) {
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
        let dropped = self.state.draft.clear_stale_justifications(&protocol);
        if !dropped.is_empty() {
            let titles: Vec<&str> = dropped.iter().map(|c| protocol.title_for(c)).collect();
            self.set_notice(
                NoticeKind::Warning,
                format!(
                    "The reason for {} was removed: the value it justified changed. Give it again if it still applies.",
                    titles.join(", ")
                ),
            );
        }
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
                            ui.set_max_width(ui.available_width().min(1000.0));
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
                            ui.set_max_width(ui.available_width().min(900.0));
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
        theme::focus_ring_ui(&ctx);

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
