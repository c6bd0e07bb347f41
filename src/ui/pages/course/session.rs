//! The selected session: what was ordered and given, its follow-up, liver tests and audit trail.

use super::badge::response_badge_ui;
use super::bedside::bedside_ui;
use super::ctx::CourseCtx;
use super::follow_up::follow_up_form_ui;
use super::lft::lft_ui;
use crate::domain::course::{CourseSummary, Session};
use crate::order::format;
use crate::ui::course_state::{CourseState, FollowUpDraft};
use crate::ui::pages::section_ui;
use crate::ui::theme;
use egui::{RichText, Ui};

pub(super) fn session_ui(
    ui: &mut Ui,
    state: &mut CourseState,
    ctx: &CourseCtx<'_>,
    doc: &crate::domain::course::CourseDocument,
    session: &Session,
    summary: &CourseSummary,
) {
    if state.scroll_to.as_deref() == Some("session") {
        state.scroll_to = None;
        ui.scroll_to_cursor(Some(egui::Align::TOP));
    }
    section_ui(
        ui,
        &format!(
            "Session {} · {}",
            session.id,
            format::date_time(session.started_at)
        ),
    );
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "Ordered: {} ({} on the pump), up to {}, {} in total; monitoring {}",
            format::mg_per_h(session.ordered.infusion_mg_per_h),
            format::ml_per_h(session.ordered.pump_ml_per_h),
            format::mg_per_kg_per_h(session.ordered.max_infusion_mg_per_kg_per_h),
            format::mg(session.ordered.total_mg),
            session.ordered.monitoring_tier
        ));
    });
    if let Some(n) = &session.ordered.order_number {
        ui.label(RichText::new(format!("Order {n}")).monospace());
    }
    if let Some(g) = &session.given {
        ui.label(format!(
            "Given: {} over {}",
            format::mg(g.total_mg),
            format::hours(g.infusion_hours)
        ));
        for c in &g.rate_changes {
            ui.label(format!(
                "  Rate change at {}: {}{}",
                c.at,
                format::mg_per_kg_per_h(c.mg_per_kg_per_h),
                if c.reason.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.reason)
                }
            ));
        }
        for r in &g.rescue_given {
            ui.label(format!("  Rescue at {}: {} {}", r.at, r.drug, r.dose));
        }
        if !g.adverse_effects.is_empty() {
            ui.label(format!(
                "  Adverse effects: {}",
                g.adverse_effects.join("; ")
            ));
        }
    }

    // What the signed-in user's role may record (domain::roles): read-only otherwise.
    if let Some(why) = &ctx.bedside_refused {
        ui.add_space(theme::SPACE);
        theme::icon_text_ui(ui, theme::ICON_WARN, theme::CAUTION, RichText::new(why));
    }
    ui.add_enabled_ui(ctx.bedside_refused.is_none(), |ui| {
        records_ui(ui, state, ctx, session, summary);
    });
    super::given_pk::given_pk_ui(ui, ctx, session);

    // Audit trail.
    let entries: Vec<_> = doc
        .audit
        .iter()
        .filter(|a| a.session_id == session.id)
        .collect();
    ui.add_space(theme::SPACE);
    egui::CollapsingHeader::new(format!("Changes to this session ({})", entries.len()))
        .id_salt(("audit", session.id))
        .show(ui, |ui| {
            if entries.is_empty() {
                ui.label("No changes since it was added.");
            }
            egui::Grid::new(("audit-grid", session.id))
                .striped(true)
                .show(ui, |ui| {
                    for a in entries {
                        ui.label(format::date_time(a.at));
                        ui.label(RichText::new(&a.field).monospace());
                        ui.label(format!("{} → {}", a.old, a.new));
                        ui.label(a.by.as_deref().unwrap_or(""));
                        ui.end_row();
                    }
                });
        });
}

/// The follow-up, the liver tests and the bedside record of a session: what is recorded
/// after the order.
fn records_ui(
    ui: &mut Ui,
    state: &mut CourseState,
    ctx: &CourseCtx<'_>,
    session: &Session,
    summary: &CourseSummary,
) {
    ui.add_space(theme::SPACE);
    ui.label(RichText::new("Follow-up").strong().size(15.0));
    ui.horizontal(|ui| {
        ui.label("Response:");
        let r = summary
            .responses
            .iter()
            .find(|r| r.session_id == session.id)
            .map(|r| &r.response);
        response_badge_ui(ui, r);
    });
    if state
        .follow_up
        .as_ref()
        .is_none_or(|d| d.session_id != session.id)
    {
        state.follow_up = Some(FollowUpDraft::from_session(session));
    }
    let mut save = false;
    if let Some(draft) = state.follow_up.as_mut() {
        save = follow_up_form_ui(ui, draft);
    }
    if save {
        state.save_follow_up(ctx.protocol);
    }

    // Liver function tests.
    lft_ui(ui, state, ctx, session, summary);

    // Bedside record.
    bedside_ui(ui, state, ctx, session);
}
