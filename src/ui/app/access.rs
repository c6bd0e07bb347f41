//! What the shell, the tests and the benchmarks read from the app (and the day it judges
//! dates on).

use super::*;

impl KetaplanApp {
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
        self.protocol.as_deref().ok()
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
    /// The predicted concentration's summary line as the Regimen and Review pages show it
    /// (after they were drawn).
    pub fn pk_summary(&self) -> Option<String> {
        self.pk_view.as_ref().map(|v| v.summary())
    }

    pub fn has_modal(&self) -> bool {
        self.modal.is_some()
            || self.order.has_modal()
            || self.course.has_modal()
            || self.sign_prompt.is_some()
            || self.check_prompt.is_some()
            || self.workstation.blocks()
    }

    /// Replace the draft with a case document (`ketaplan.case/1` as JSON).
    pub fn open_case_value(&mut self, value: &serde_json::Value) {
        if let Ok(protocol) = &self.protocol {
            self.state.draft = CaseDraft::from_case_value(protocol, value, self.today);
            self.saved = Some(self.state.draft.clone());
        }
    }

    /// The window title: file name, a mark for unsaved changes, and a clinic pack named
    /// ("local protocol" or "approved: KEY COMMENT").
    pub fn window_title(&self) -> String {
        let name = self.file.as_ref().and_then(|p| p.file_name()).map_or_else(
            || "New case".to_string(),
            |n| n.to_string_lossy().to_string(),
        );
        let dirty = if self.is_dirty() { " •" } else { "" };
        let pack = match &self.protocol {
            Ok(p) if !p.built_in => format!(" — {}", crate::ui::pages::protocol_view::pack_kind(p)),
            _ => String::new(),
        };
        format!("{name}{dirty} — ketaplan{pack}")
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
}
