//! The Follow-up calls due tab: calls due across the recent courses and the course list.

use super::ctx::CourseCtx;
use crate::order::format;
use crate::ui::course_state::{CourseNoticeKind, CourseState, CourseTab};
use crate::ui::pages::section_ui;
use crate::ui::theme;
use egui::{RichText, Ui};

pub(super) fn calls_tab_ui(ui: &mut Ui, state: &mut CourseState, ctx: &CourseCtx<'_>) {
    let stale = state
        .calls
        .as_ref()
        .is_none_or(|c| c.from != ctx.recent || c.read_on != Some(ctx.today));
    if stale {
        state.refresh_calls(ctx.protocol, ctx.recent, ctx.today);
    }
    ui.horizontal(|ui| {
        let label = ui.label("Search by MRN or name");
        ui.add(egui::TextEdit::singleline(&mut state.search).desired_width(240.0))
            .labelled_by(label.id);
        if ui
            .button("Read the courses again")
            .on_hover_text("The course files on the recent-files list")
            .clicked()
        {
            state.refresh_calls(ctx.protocol, ctx.recent, ctx.today);
        }
    });
    let Some(list) = state.calls.clone() else {
        return;
    };
    let query = state.search.clone();
    let shown: Vec<_> = list
        .courses
        .iter()
        .filter(|(_, d)| crate::domain::course::matches_search(d, &query))
        .collect();
    section_ui(
        ui,
        &format!("Follow-up calls due on {}", format::date(ctx.today)),
    );
    let calls: Vec<_> = list
        .calls
        .iter()
        .filter(|(path, _)| shown.iter().any(|(p, _)| p == path))
        .collect();
    if calls.is_empty() {
        theme::icon_text_ui(
            ui,
            theme::ICON_OK,
            theme::OK,
            RichText::new("No follow-up call is due."),
        );
    } else {
        let mut open = None;
        egui::Grid::new("calls-due")
            .striped(true)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for h in ["Patient", "MRN", "Session", "Call due", "Overdue", ""] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for (path, c) in calls {
                    ui.label(&c.patient_name);
                    ui.label(&c.mrn);
                    ui.label(format!(
                        "{} on {}",
                        c.session_id,
                        format::date(c.session_date)
                    ));
                    ui.label(format::date(c.due_on));
                    let (icon, color) = if c.days_overdue > 0 {
                        (theme::ICON_WARN, theme::AVOID)
                    } else {
                        (theme::ICON_INFO, theme::INFO)
                    };
                    ui.horizontal(|ui| {
                        theme::icon_ui(ui, icon, color);
                        ui.label(
                            RichText::new(format!(
                                "{} day{}",
                                c.days_overdue,
                                if c.days_overdue == 1 { "" } else { "s" }
                            ))
                            .color(theme::on(ui, color)),
                        );
                    });
                    let is_open = state.file.as_deref() == Some(path.as_path());
                    if !is_open
                        && !path.as_os_str().is_empty()
                        && ui
                            .button("Open")
                            .on_hover_text(format!("Open {}", path.display()))
                            .clicked()
                    {
                        open = Some((path.clone(), c.session_id));
                    } else if is_open || path.as_os_str().is_empty() {
                        ui.label(RichText::new("open now").color(theme::on(ui, theme::MUTED)));
                    }
                    ui.end_row();
                }
            });
        if let Some((path, id)) = open {
            if state.is_dirty() {
                state.notify(
                    CourseNoticeKind::Warning,
                    "Save the open course before opening another.",
                );
            } else if state.open(ctx.protocol, &path) {
                state.selected = Some(id);
                state.tab = CourseTab::Sessions;
            }
        }
    }
    section_ui(ui, "Recent courses");
    if shown.is_empty() {
        ui.label("No course on the recent-files list matches.");
    }
    for (path, d) in &shown {
        ui.label(format!(
            "{} · MRN {} · {} session{} · {}",
            d.identity.patient_name,
            d.identity.mrn,
            d.sessions.len(),
            if d.sessions.len() == 1 { "" } else { "s" },
            if path.as_os_str().is_empty() {
                "not saved yet".to_string()
            } else {
                path.display().to_string()
            }
        ));
    }
    for e in &list.unreadable {
        theme::icon_text_ui(
            ui,
            theme::ICON_ERROR,
            theme::STOP,
            RichText::new(format!("Could not read {e}")),
        );
    }
}
