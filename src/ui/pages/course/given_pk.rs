//! The predicted concentration of a recorded session from what was given (its flowsheet's
//! rates and the charted bolus), so the physician sees what the patient actually received.
//! Kept in egui's memory until the bedside record changes.

use super::ctx::CourseCtx;
use crate::domain::course::Session;
use crate::ui::widgets::pk_plot::{PkView, pk_plot_ui};
use egui::{RichText, Ui};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

pub(super) fn given_pk_ui(ui: &mut Ui, ctx: &CourseCtx<'_>, session: &Session) {
    let Some(record) = &session.bedside else {
        return;
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(record)
        .unwrap_or_default()
        .hash(&mut hasher);
    session.id.hash(&mut hasher);
    let key = hasher.finish();
    let id = egui::Id::unique(("given-pk", session.id));
    let cached: Option<Arc<(u64, PkView)>> = ui.data(|d| d.get_temp(id));
    let view = match cached.filter(|c| c.0 == key) {
        Some(c) => c,
        None => {
            // The model's volume is per kg of actual body weight: the session's own case.
            let weight_kg = crate::domain::plan(ctx.protocol, &session.case).weight_kg;
            let bolus_min = session
                .case
                .regimen
                .bolus
                .as_ref()
                .map_or(0.0, |b| b.minutes);
            let rules = &ctx.protocol.pack.pharmacokinetics;
            let fresh = Arc::new((key, PkView::of_given(rules, weight_kg, record, bolus_min)));
            ui.data_mut(|d| d.insert_temp(id, fresh.clone()));
            fresh
        }
    };
    ui.add_space(crate::ui::theme::SPACE);
    ui.label(
        RichText::new("Predicted from what was given")
            .strong()
            .size(15.0),
    );
    pk_plot_ui(ui, &view.1);
}
