//! A session's response at a glance: positive, negative or insufficient data, with the
//! pain reduction and whether it lasted.

use crate::domain::response::{Classification, Response};
use crate::order::format;
use crate::ui::theme;
use egui::{RichText, Ui};

/// Icon + word for a response (never colour alone).
pub fn response_badge_ui(ui: &mut Ui, response: Option<&Response>) {
    let Some(r) = response else {
        theme::icon_ui(ui, theme::ICON_INFO, theme::MUTED);
        ui.label(RichText::new("no follow-up").color(theme::on(ui, theme::MUTED)));
        return;
    };
    let (icon, color, word) = match r.classification {
        Classification::Positive => (theme::ICON_OK, theme::OK, "positive"),
        Classification::Negative => (theme::ICON_WARN, theme::AVOID, "negative"),
        Classification::InsufficientData => (theme::ICON_INFO, theme::CAUTION, "insufficient data"),
    };
    theme::icon_ui(ui, icon, color);
    let mut text = word.to_string();
    if let Some(pct) = r.pain_reduction_pct {
        text.push_str(&format!(", pain −{}", format::percent(pct)));
    }
    match r.durable {
        Some(true) => text.push_str(", durable"),
        Some(false) => text.push_str(", not durable"),
        None => {}
    }
    if r.repeat_supported {
        text.push_str(", repeat supported");
    }
    ui.label(RichText::new(text).color(theme::on(ui, color)).strong());
}
