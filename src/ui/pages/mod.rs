//! One view per wizard page. Each edits the draft and returns actions; none does I/O.
pub mod course;
pub mod follow_on;
pub mod indication;
pub mod order;
pub mod patient;
pub mod patients;
pub mod preferences;
pub mod protocol_view;
pub mod regimen;
pub mod review;
pub mod screening;
pub mod trusted_keys;

use crate::domain::Protocol;
use crate::ui::live::Live;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What every page reads: the protocol, this frame's derived state, and which field to show.
pub struct PageCtx<'a> {
    pub protocol: &'a Protocol,
    pub live: &'a Live,
    pub today: NaiveDate,
    /// A contract path the user asked to see (from a link); the page scrolls to it.
    pub focus: Option<&'a str>,
    /// Why the signed-in user may not write the reason for an [avoid] finding or a soft
    /// limit (only a physician may); `None` when they may, or no one signs in here.
    pub reason_refused: Option<String>,
    /// The predicted concentration of the plan (Regimen and Review pages).
    pub pk: Option<&'a crate::ui::widgets::pk_plot::PkView>,
}

/// Page state that is not part of the case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageState {
    /// "Mark the rest No" asks once for confirmation.
    pub confirm_mark_rest_no: bool,
    /// The reverse calculator's entry: the pump's current rate as typed.
    pub pump_now_ml_per_h: String,
    /// A next visit pre-filled from a course: day-to-day screening code → last time's
    /// answer (Yes = true), shown greyed beside the unanswered question.
    pub previous_answers: std::collections::BTreeMap<String, bool>,
}

/// A page heading with a one-line explanation.
pub fn heading_ui(ui: &mut egui::Ui, title: &str, subtitle: &str) {
    ui.heading(title);
    ui.add(
        egui::Label::new(
            egui::RichText::new(subtitle).color(crate::ui::theme::on(ui, crate::ui::theme::MUTED)),
        )
        .wrap(),
    );
    ui.add_space(crate::ui::theme::SPACE);
}

/// A section heading inside a page.
pub fn section_ui(ui: &mut egui::Ui, title: &str) {
    ui.add_space(crate::ui::theme::SPACE);
    ui.label(egui::RichText::new(title).strong().size(16.0));
    ui.separator();
}
