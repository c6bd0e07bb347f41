//! The application shell: state, page routing, and the panels every page shares.

use crate::domain::{Plan, Protocol};
use crate::ui::actions::{Action, Page};
use crate::ui::draft::CaseDraft;
use crate::ui::live::Live;
use crate::ui::pages::{self, PageCtx, PageState};
use crate::ui::theme;
use crate::ui::widgets::{
    banner::patient_banner_ui, plan_panel::plan_panel_ui, step_bar::step_bar_ui,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

pub struct KetaplanApp {
    protocol: Result<Protocol, String>,
    pub state: WizardState,
    /// The order date: weight age and age from the date of birth are judged on it.
    today: NaiveDate,
    /// A field the user asked to see; cleared once its page has drawn it.
    pending_focus: Option<String>,
    /// Visuals are set on the first frame, so tests and the window look the same.
    theme_applied: bool,
}

impl KetaplanApp {
    pub fn new(_cc: &eframe::CreationContext<'_>) -> Self {
        let mut app = Self::with_protocol(Protocol::built_in().map_err(|e| e.to_string()));
        app.open_debug_case();
        app
    }

    /// An app without an eframe context (tests, benchmarks).
    pub fn with_protocol(protocol: Result<Protocol, String>) -> Self {
        Self {
            protocol,
            state: WizardState::default(),
            today: today(),
            pending_focus: None,
            theme_applied: false,
        }
    }

    /// Judge dates on another day (tests).
    pub fn set_today(&mut self, day: NaiveDate) {
        self.today = day;
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn protocol(&self) -> Option<&Protocol> {
        self.protocol.as_ref().ok()
    }

    /// Replace the draft with a case document (`ketaplan.case/1` as JSON).
    pub fn open_case_value(&mut self, value: &serde_json::Value) {
        if let Ok(protocol) = &self.protocol {
            self.state.draft = CaseDraft::from_case_value(protocol, value, self.today);
        }
    }

    /// Debug builds only: `KETAPLAN_OPEN=case.json` preloads a case and `KETAPLAN_PAGE=review`
    /// opens a page, to take screenshots of realistic cases. Release builds ignore both.
    fn open_debug_case(&mut self) {
        if !cfg!(debug_assertions) {
            return;
        }
        if let Some(path) = std::env::var_os("KETAPLAN_OPEN") {
            match std::fs::read_to_string(&path)
                .ok()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            {
                Some(value) => self.open_case_value(&value),
                None => eprintln!("ketaplan: KETAPLAN_OPEN: could not read {path:?} as JSON"),
            }
        }
        if let Some(page) = std::env::var("KETAPLAN_PAGE")
            .ok()
            .and_then(|p| Page::parse(&p))
        {
            self.state.page = page;
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

    fn apply(&mut self, action: Action) {
        match action {
            Action::GoTo(page) => {
                self.state.page = page;
                self.pending_focus = None;
            }
            Action::GoToField(field) => {
                self.state.page = Page::for_field(&field);
                self.pending_focus = Some(field);
            }
        }
    }

    /// Draw the whole app into `ui` (the eframe window, or a test harness).
    pub fn ui_contents(&mut self, ui: &mut egui::Ui) {
        if !self.theme_applied {
            theme::apply(ui.ctx());
            self.theme_applied = true;
        }
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
        let before = self.state.clone();
        // A reason whose value changed no longer applies: drop it before validating.
        self.state.draft.clear_stale_justifications(&protocol);
        let live = Live::compute(&protocol, &self.state.draft, self.today);
        let mut actions = Vec::new();

        egui::Panel::top("patient-banner")
            .frame(
                egui::Frame::new()
                    .fill(theme::BANNER_FILL)
                    .inner_margin(theme::SPACE),
            )
            .show(ui, |ui| {
                patient_banner_ui(ui, &self.state.draft, &live);
                ui.separator();
                step_bar_ui(ui, self.state.page, &live, &mut actions);
            });
        egui::Panel::bottom("navigation")
            .frame(egui::Frame::new().fill(theme::BANNER_FILL).inner_margin(theme::SPACE))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    if let Some(prev) = self.state.page.previous()
                        && ui.button("Back").on_hover_text(prev.title()).clicked()
                    {
                        actions.push(Action::GoTo(prev));
                    }
                    if let Some(next) = self.state.page.next()
                        && ui.button("Next").on_hover_text(next.title()).clicked()
                    {
                        actions.push(Action::GoTo(next));
                    }
                    ui.label(
                        egui::RichText::new(format!(
                            "Decision aid, not a medical device: a clinician verifies every order. Protocol {} {} ({})",
                            protocol.pack.id,
                            protocol.pack.version,
                            protocol.short_sha256()
                        ))
                        .color(theme::MUTED)
                        .small(),
                    );
                });
            });
        egui::Panel::right("plan-panel")
            .resizable(false)
            .exact_size(theme::PLAN_PANEL_WIDTH)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("plan-scroll")
                    .show(ui, |ui| plan_panel_ui(ui, &protocol, &live, &mut actions));
            });
        let focus = self.pending_focus.clone();
        let page = self.state.page;
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt(("page-scroll", page.title()))
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.set_max_width(900.0);
                    let ctx = PageCtx {
                        protocol: &protocol,
                        live: &live,
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
                        Page::Review => pages::review::ui(ui, draft, &ctx, &mut actions),
                        Page::Order => pages::order::ui(ui, &ctx, &mut actions),
                    }
                    ui.add_space(theme::SPACE_LARGE);
                });
        });
        // The focus request has been drawn on its page.
        if focus.is_some() && self.pending_focus == focus {
            self.pending_focus = None;
        }
        for action in actions {
            self.apply(action);
        }
        // What is on screen was computed from the draft as the frame began; draw again so
        // that no number lags behind an edit.
        if self.state != before {
            ui.ctx().request_repaint();
        }
    }
}

impl eframe::App for KetaplanApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_contents(ui);
    }
}
