//! Step 2: the indication, with the pack's evidence grade and one-line summary.

use crate::ui::draft::CaseDraft;
use crate::ui::pages::{PageCtx, heading_ui};
use crate::ui::theme;
use crate::ui::widgets::field::{Row, apply_focus, errors_ui, text_row_ui, warning_ui};
use egui::{RichText, Ui};

pub const OTHER: &str = "other";

pub fn ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>) {
    heading_ui(
        ui,
        "2 · Indication",
        "The chronic pain condition. Evidence grades are the guideline's (USPSTF).",
    );
    errors_ui(ui, ctx, "condition");
    for c in &ctx.protocol.pack.conditions {
        let selected = draft.condition.as_deref() == Some(c.code.as_str());
        let frame = egui::Frame::group(ui.style()).stroke(if selected {
            egui::Stroke::new(2.0, theme::on(ui, theme::INFO))
        } else {
            ui.visuals().widgets.noninteractive.bg_stroke
        });
        frame.show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let r = ui.radio(selected, RichText::new(&c.name).strong());
                if r.clicked() {
                    draft.condition = Some(c.code.to_string());
                }
                if draft.condition.is_none()
                    && ctx
                        .protocol
                        .pack
                        .conditions
                        .first()
                        .is_some_and(|f| f.code == c.code)
                {
                    apply_focus(ctx, "condition", &r);
                }
                ui.label(
                    RichText::new(format!("Grade {} · {} certainty", c.grade, c.certainty))
                        .color(theme::on(ui, theme::MUTED)),
                );
            });
            ui.add(egui::Label::new(&c.summary).wrap());
        });
    }
    ui.add_space(theme::SPACE);
    let other = draft.condition.as_deref() == Some(OTHER);
    let label = if other {
        "Describe the condition"
    } else {
        "Detail (optional)"
    };
    text_row_ui(
        ui,
        ctx,
        Row::text(label, "condition_detail").hint("printed on the order"),
        &mut draft.condition_detail,
        |_| {},
    );
    if other && draft.condition_detail.trim().is_empty() {
        warning_ui(
            ui,
            theme::ICON_WARN,
            theme::CAUTION,
            "Describe the condition: it is printed on the order.",
        );
    }
}
