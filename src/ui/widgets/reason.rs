//! The reason box for one [avoid] finding or soft limit: on the Review page, and beside the
//! weight field for `weight_unusual`. A reason refers to what is on screen when it is typed.

use crate::domain::Plan;
use crate::domain::protocol::AlertKind;
use crate::ui::draft::{CaseDraft, Justification, JustificationScope};
use crate::ui::pages::PageCtx;
use crate::ui::theme;
use crate::ui::widgets::field::{apply_focus, errors_ui};
use egui::{RichText, Ui};

pub fn reason_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>, plan: &Plan, code: &str) {
    let min_chars = ctx.protocol.pack.input_limits.justification_min_chars.value;
    let code = code.to_string();
    let scope = match plan
        .limit_alerts
        .iter()
        .find(|a| a.code == code && a.kind == AlertKind::Soft)
    {
        Some(a) => JustificationScope::Dose(a.field),
        None => JustificationScope::Finding,
    };
    let fingerprint = draft.fingerprint(ctx.protocol, &code, &scope);
    // Edit a copy: drawing the box must not add an empty reason to the case (that would
    // count as an unsaved change).
    let mut text = draft
        .justifications
        .get(&code)
        .map(|j| j.text.clone())
        .unwrap_or_default();
    let label = ctx.protocol.reason_label(&code);
    let l = ui.label(RichText::new(&label).strong());
    if let Some(why) = &ctx.reason_refused {
        theme::icon_text_ui(ui, theme::ICON_WARN, theme::CAUTION, RichText::new(why));
    }
    let r = ui
        .add_enabled(
            ctx.reason_refused.is_none(),
            egui::TextEdit::multiline(&mut text)
                .id(crate::ui::widgets::field::field_id(&format!(
                    "justifications.{code}"
                )))
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
    // Control, bidi-override and zero-width characters never reach a printed reason (V4-22).
    crate::ui::widgets::printable::strip_and_note_ui(
        ui,
        &format!("justifications.{code}"),
        &mut text,
        r.changed(),
    );
    if r.changed() {
        if text.is_empty() {
            draft.justifications.remove(&code);
        } else {
            // The reason refers to what is on screen now.
            draft.justifications.insert(
                code.clone(),
                Justification {
                    text: text.clone(),
                    scope,
                    fingerprint,
                },
            );
        }
    }
    let path = format!("justifications.{code}");
    apply_focus(ctx, &path, &r);
    let n = text.trim().chars().count();
    if n == 0 {
        theme::icon_text_ui(
            ui,
            theme::ICON_WARN,
            theme::CAUTION,
            RichText::new("Required before the order can print"),
        );
    } else if (n as f64) < min_chars {
        theme::icon_text_ui(
            ui,
            theme::ICON_ERROR,
            theme::STOP,
            RichText::new(format!(
                "at least {} characters ({n} so far)",
                crate::order::format::number(min_chars)
            )),
        );
    }
    errors_ui(ui, ctx, &path);
}
