//! The Sessions tab: adding a session, the course identity, findings, the sessions table and charts.

use super::badge::response_badge_ui;
use super::count::count_ui;
use super::ctx::CourseCtx;
use super::session::session_ui;
use crate::domain::course::{CourseSummary, summarize};
use crate::order::format;
use crate::ui::course_state::{CourseNoticeKind, CourseState};
use crate::ui::pages::section_ui;
use crate::ui::theme;
use crate::ui::widgets::charts::{CourseCharts, course_charts_ui};
use crate::ui::widgets::field::named_choice_ui;
use crate::ui::widgets::finding::finding_ui;
use egui::{RichText, Ui};

pub(super) fn sessions_tab_ui(ui: &mut Ui, state: &mut CourseState, ctx: &CourseCtx<'_>) {
    ui.horizontal_wrapped(|ui| {
        let can_add = ctx.live.case.is_some() && ctx.live.plan.is_some();
        let add = ui.add_enabled(can_add, egui::Button::new("Add session from current plan"));
        let add = if can_add {
            add.on_hover_text("Record the case on the Case pages, with its plan as ordered, as a session on the order date")
        } else {
            add.on_disabled_hover_text("Complete the case on the Case pages first")
        };
        if add.clicked() {
            match state.add_session_from_plan(
                ctx.protocol,
                ctx.live.case.as_ref(),
                ctx.live.plan.as_ref(),
                ctx.today,
            ) {
                Ok(id) => state.notify(
                    CourseNoticeKind::Done,
                    format!("Session {id} added on {}.", format::date(ctx.today)),
                ),
                Err(e) => state.notify(CourseNoticeKind::Error, e),
            }
        }
        let has_sessions = state.doc.as_ref().is_some_and(|d| !d.sessions.is_empty());
        if ui
            .add_enabled(has_sessions, egui::Button::new("Prepare the next visit"))
            .on_hover_text("Pre-fill the Case pages from the last session; the day-to-day questions are asked again")
            .clicked()
        {
            if ctx.case_dirty {
                state.confirm_next_visit = true;
            } else {
                state.request_next_visit(ctx.protocol, ctx.today);
            }
        }
    });
    let Some(doc) = state.doc.clone() else {
        ui.add_space(theme::SPACE);
        ui.label("No course is open. Open a course file, or add the first session from the current plan.");
        return;
    };
    let summary = summarize(ctx.protocol, &doc, ctx.today);
    identity_ui(ui, &doc.identity);
    count_ui(ui, ctx, &doc, &summary);
    if !summary.findings.is_empty() {
        section_ui(ui, "Course findings");
        for f in &summary.findings {
            finding_ui(ui, f);
        }
    }
    section_ui(ui, "Sessions in this course");
    sessions_table_ui(ui, state, &doc, &summary);
    if let Some(charts) = CourseCharts::gather(ctx.protocol, &doc) {
        section_ui(ui, "Over time");
        if state.scroll_to.as_deref() == Some("charts") {
            state.scroll_to = None;
            ui.scroll_to_cursor(Some(egui::Align::TOP));
        }
        course_charts_ui(ui, &charts);
    }
    if let Some(id) = state.selected
        && let Some(session) = doc.sessions.iter().find(|s| s.id == id)
    {
        session_ui(ui, state, ctx, &doc, session, &summary);
    }
}

pub(super) fn identity_ui(ui: &mut Ui, identity: &crate::domain::course::CourseIdentity) {
    ui.add_space(theme::SPACE);
    ui.horizontal_wrapped(|ui| {
        let item = |ui: &mut Ui, key: &str, value: &str| {
            ui.label(RichText::new(format!("{key}:")).color(theme::on(ui, theme::MUTED)));
            ui.label(RichText::new(value).strong());
            ui.separator();
        };
        item(ui, "Patient", &identity.patient_name);
        item(ui, "MRN", &identity.mrn);
        item(
            ui,
            "Date of birth",
            identity.date_of_birth.as_deref().unwrap_or("—"),
        );
    });
}

pub(super) fn sessions_table_ui(
    ui: &mut Ui,
    state: &mut CourseState,
    doc: &crate::domain::course::CourseDocument,
    summary: &CourseSummary,
) {
    egui::Grid::new("course-sessions")
        .striped(true)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for h in [
                "#",
                "Started",
                "Setting, course",
                "Ordered",
                "Given",
                "Response",
                "",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for s in &doc.sessions {
                ui.label(s.id.to_string());
                ui.label(format::date_time(s.started_at));
                ui.label(format!(
                    "{}, {}",
                    s.case.regimen.setting.as_str(),
                    s.case.regimen.course.as_str()
                ));
                ui.label(format!(
                    "{}, {} total",
                    format::mg_per_h(s.ordered.infusion_mg_per_h),
                    format::mg(s.ordered.total_mg)
                ));
                match &s.given {
                    Some(g) => ui.label(format!(
                        "{} over {}",
                        format::mg(g.total_mg),
                        format::hours(g.infusion_hours)
                    )),
                    None => {
                        ui.label(RichText::new("not recorded").color(theme::on(ui, theme::MUTED)))
                    }
                };
                ui.horizontal(|ui| {
                    let r = summary
                        .responses
                        .iter()
                        .find(|r| r.session_id == s.id)
                        .map(|r| &r.response);
                    response_badge_ui(ui, r);
                });
                let selected = state.selected == Some(s.id);
                if named_choice_ui(
                    ui,
                    selected,
                    if selected { "Shown" } else { "Show" },
                    &format!("Show session {}", s.id),
                )
                .clicked()
                {
                    state.selected = Some(s.id);
                    state.follow_up = None;
                    state.print_view = None;
                }
                ui.end_row();
            }
        });
}
