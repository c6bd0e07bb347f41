//! The treatment course: the patient's sessions, the yearly count against the guideline's
//! 6 and 12, the course findings, responses, charts, follow-up entry, the bedside record,
//! the follow-up calls due and the follow-on planner. Every clinical figure is the engine's.

use crate::domain::Protocol;
use crate::domain::course::{CourseSummary, Session, summarize};
use crate::domain::response::{Classification, Response};
use crate::order::format;
use crate::ui::course_state::{
    CourseNoticeKind, CoursePrompt, CourseRequest, CourseState, CourseTab, FollowUpDraft,
    course_save_path, suggested_course_name,
};
use crate::ui::files::expand_home;
use crate::ui::live::Live;
use crate::ui::pages::{heading_ui, section_ui};
use crate::ui::theme;
use crate::ui::widgets::charts::{CourseCharts, course_charts_ui};
use crate::ui::widgets::field::named_choice_ui;
use crate::ui::widgets::finding::finding_ui;
use crate::ui::widgets::flowsheet::{cell_ui, flowsheet_ui};
use crate::ui::widgets::path_entry::{path_dialog_heading_ui, path_entry_ui, path_problem_ui};
use chrono::NaiveDate;
use egui::{RichText, Ui};

/// What the Course page reads from the app.
pub struct CourseCtx<'a> {
    pub protocol: &'a Protocol,
    pub live: &'a Live,
    pub today: NaiveDate,
    /// The app's recent-files list (course files among them).
    pub recent: &'a [String],
    /// The case on the Case pages has unsaved changes.
    pub case_dirty: bool,
    /// The paper printed documents are laid out for (Preferences).
    pub paper: crate::order::Paper,
}

/// The whole Course view (central panel, scrolling) and its dialogs.
pub fn view_ui(ui: &mut Ui, state: &mut CourseState, ctx: &CourseCtx<'_>) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("course-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(1100.0);
                page_ui(ui, state, ctx);
            });
    });
    prompt_ui(ui.ctx(), state, ctx);
    confirm_next_visit_ui(ui.ctx(), state, ctx);
}

fn page_ui(ui: &mut Ui, state: &mut CourseState, ctx: &CourseCtx<'_>) {
    heading_ui(
        ui,
        "Treatment course",
        "Plan courses, not single infusions: the sessions of one patient, their responses and the yearly count (the guideline suggests no more than 6 to 12 treatments a year).",
    );
    file_bar_ui(ui, state);
    notices_ui(ui, state, ctx);
    ui.add_space(theme::SPACE);
    ui.horizontal(|ui| {
        for (tab, text) in [
            (CourseTab::Sessions, "Sessions"),
            (CourseTab::Calls, "Follow-up calls due"),
            (CourseTab::FollowOn, "Follow-on planner"),
        ] {
            if ui.selectable_label(state.tab == tab, text).clicked() {
                state.tab = tab;
            }
        }
    });
    ui.separator();
    match state.tab {
        CourseTab::Sessions => sessions_tab_ui(ui, state, ctx),
        CourseTab::Calls => calls_tab_ui(ui, state, ctx),
        CourseTab::FollowOn => crate::ui::pages::follow_on::ui(ui, state, ctx),
    }
    ui.add_space(theme::SPACE_LARGE);
}

fn file_bar_ui(ui: &mut Ui, state: &mut CourseState) {
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("New course")
            .on_hover_text("Start an empty course")
            .clicked()
        {
            state.new_course();
        }
        if ui.button("Open course…").clicked() {
            let folder = state
                .file
                .as_ref()
                .and_then(|f| f.parent())
                .map(|d| format!("{}{}", d.display(), std::path::MAIN_SEPARATOR))
                .unwrap_or_default();
            state.prompt = Some(CoursePrompt::new(false, folder));
        }
        let has_doc = state.doc.is_some();
        ui.add_enabled_ui(has_doc, |ui| {
            if ui
                .button("Save course")
                .on_hover_text("Save the course (Ctrl+S)")
                .clicked()
            {
                save_course(state);
            }
            if ui
                .button("Save course as…")
                .on_hover_text("Save the course under another name (Ctrl+Shift+S)")
                .clicked()
            {
                save_course_as(state);
            }
        });
        ui.separator();
        let name = state.file.as_ref().map_or_else(
            || {
                if has_doc {
                    "New course (not saved)".to_string()
                } else {
                    "No course open".to_string()
                }
            },
            |p| p.display().to_string(),
        );
        ui.label(RichText::new(name).color(theme::on(ui, theme::MUTED)));
        if state.is_dirty() {
            ui.label(
                RichText::new("• unsaved changes")
                    .color(theme::on(ui, theme::AVOID))
                    .strong(),
            );
        }
    });
}

/// Save the course to its file, or ask where when it has none.
pub fn save_course(state: &mut CourseState) {
    if state.doc.is_none() {
        return;
    }
    match state.file.clone() {
        Some(path) => {
            let _ = state.save_to(&path);
        }
        None => state.prompt = Some(save_prompt(state)),
    }
}

/// Ask where to save the course.
pub fn save_course_as(state: &mut CourseState) {
    if state.doc.is_some() {
        state.prompt = Some(save_prompt(state));
    }
}

fn save_prompt(state: &CourseState) -> CoursePrompt {
    let text = match (&state.file, &state.doc) {
        (Some(p), _) => p.display().to_string(),
        (None, Some(doc)) => suggested_course_name(doc),
        (None, None) => String::new(),
    };
    CoursePrompt::new(true, text)
}

fn notices_ui(ui: &mut Ui, state: &mut CourseState, ctx: &CourseCtx<'_>) {
    if let Some(error) = state.open_error.clone() {
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, theme::on(ui, theme::STOP)))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                theme::icon_text_ui(
                    ui,
                    theme::ICON_ERROR,
                    theme::STOP,
                    RichText::new("The course file could not be opened. Nothing was changed, and the file will not be overwritten.").strong(),
                );
                ui.add(egui::Label::new(RichText::new(&error).monospace()).wrap());
                if ui.button("Dismiss the error").clicked() {
                    state.open_error = None;
                }
            });
    }
    if let Some(path) = state.recovery.clone() {
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, theme::on(ui, theme::AVOID)))
            .show(ui, |ui| {
                theme::icon_text_ui(
                    ui,
                    theme::ICON_WARN,
                    theme::AVOID,
                    RichText::new(format!(
                        "An autosave with changes that were never saved exists: {}",
                        path.display()
                    )),
                );
                ui.horizontal(|ui| {
                    if ui.button("Recover the autosave").clicked() {
                        state.recover(ctx.protocol);
                    }
                    if ui.button("Keep the saved course").clicked() {
                        state.recovery = None;
                    }
                });
            });
    }
    if let Some((kind, text)) = state.notice.clone() {
        let (icon, color) = match kind {
            CourseNoticeKind::Done => (theme::ICON_OK, theme::OK),
            CourseNoticeKind::Warning => (theme::ICON_WARN, theme::AVOID),
            CourseNoticeKind::Error => (theme::ICON_ERROR, theme::STOP),
        };
        theme::icon_text_ui(ui, icon, color, RichText::new(text));
    }
}

// ------------------------------------------------------------------ sessions tab

fn sessions_tab_ui(ui: &mut Ui, state: &mut CourseState, ctx: &CourseCtx<'_>) {
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

fn identity_ui(ui: &mut Ui, identity: &crate::domain::course::CourseIdentity) {
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

/// The yearly count against the pack's two limits, with the engine's finding for a next
/// session on the order date.
fn count_ui(
    ui: &mut Ui,
    ctx: &CourseCtx<'_>,
    doc: &crate::domain::course::CourseDocument,
    summary: &CourseSummary,
) {
    let annual = &ctx.protocol.pack.annual;
    let window = ctx.protocol.pack.course.window_days.value;
    let count = summary.treatments_past_12_months;
    // The engine's judgement of one more session today (annual_treatments_high/exceeded).
    let next = crate::domain::course::next_visit_case(ctx.protocol, doc, ctx.today)
        .map(|(case, _)| crate::domain::plan(ctx.protocol, &case));
    let annual_finding = next.as_ref().and_then(|p| {
        p.finding("annual_treatments_exceeded")
            .or_else(|| p.finding("annual_treatments_high"))
            .cloned()
    });
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "{count} treatment{} in the {} days up to {}",
                    if count == 1 { "" } else { "s" },
                    format::number(window),
                    format::date(ctx.today)
                ))
                .strong()
                .size(16.0),
            );
            ui.separator();
            ui.label(format!(
                "guideline: no more than {} to {} a year",
                format::number(annual.high_above.value),
                format::number(annual.exceeded_above.value)
            ));
        });
        gauge_ui(ui, count, annual.high_above.value, annual.exceeded_above.value);
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "Ketamine in these 12 months: {} over {}",
                format::mg(summary.cumulative_mg_12_months),
                format::hours(summary.infusion_hours_12_months)
            ));
        });
        match &annual_finding {
            Some(f) => theme::icon_text_ui(
                ui,
                theme::severity_icon(f.severity),
                theme::severity_color(f.severity),
                RichText::new(format!(
                    "Another session today: {}: {}",
                    theme::severity_word(f.severity),
                    f.message
                )),
            ),
            None if next.is_some() => theme::icon_text_ui(
                ui,
                theme::ICON_OK,
                theme::OK,
                RichText::new(format!(
                    "Another session today would be number {} in 12 months: within the guideline's {}.",
                    count + 1,
                    format::number(annual.high_above.value)
                )),
            ),
            None => {}
        }
        if let Some(r) = &summary.last_response {
            ui.horizontal(|ui| {
                ui.label("Last response:");
                response_badge_ui(ui, Some(r));
            });
        }
    });
}

/// A bar of 12 + a few cells: filled for each treatment, marks at the two limits.
fn gauge_ui(ui: &mut Ui, count: u32, high: f64, exceeded: f64) {
    let cells = (exceeded as u32 + 2).max(count);
    let cell = 22.0;
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(cell * cells as f32, 30.0), egui::Sense::hover());
    let painter = ui.painter();
    let filled = theme::on(ui, theme::INFO);
    let stroke = ui.visuals().widgets.noninteractive.fg_stroke;
    for i in 0..cells {
        let r = egui::Rect::from_min_size(
            rect.min + egui::vec2(i as f32 * cell, 4.0),
            egui::vec2(cell - 3.0, 14.0),
        );
        if i < count {
            painter.rect_filled(r, 2.0, filled);
        } else {
            painter.rect_stroke(r, 2.0, stroke, egui::StrokeKind::Inside);
        }
    }
    for (limit, color) in [(high, theme::CAUTION), (exceeded, theme::AVOID)] {
        let x = rect.min.x + limit as f32 * cell - 1.5;
        let color = theme::on(ui, color);
        painter.vline(x, rect.min.y..=rect.max.y, egui::Stroke::new(2.0, color));
        // The limit's number beside its mark, so the mark does not rely on colour.
        painter.text(
            egui::pos2(x + 3.0, rect.max.y - 1.0),
            egui::Align2::LEFT_BOTTOM,
            format::number(limit),
            egui::FontId::proportional(11.0),
            color,
        );
    }
    response.on_hover_text(format!(
        "{count} of the guideline's {} to {}",
        format::number(high),
        format::number(exceeded)
    ));
}

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

fn sessions_table_ui(
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

// ------------------------------------------------------------------ one session

fn session_ui(
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

    // Follow-up.
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

    // Bedside record.
    ui.add_space(theme::SPACE);
    egui::CollapsingHeader::new(
        RichText::new("Bedside record (flowsheet)")
            .strong()
            .size(15.0),
    )
    .id_salt(("flowsheet-section", session.id))
    .default_open(true)
    .show(ui, |ui| {
        let sheet = state.sheet_mut(session);
        let events = flowsheet_ui(ui, sheet, session);
        if let Some(part) = events.focused {
            state.bedside_focus_now = Some((session.id, part));
        }
        if events.record {
            state.commit_bedside(session.id);
        }
        if events.fill
            && let Err(errors) = state.fill_given(ctx.protocol, session.id)
        {
            state.notify(CourseNoticeKind::Error, errors.join(" "));
        }
        ui.horizontal(|ui| {
            let showing = state.print_view == Some(session.id);
            if ui
                .button(if showing {
                    "Hide the monitoring chart"
                } else {
                    "Show the printable monitoring chart"
                })
                .clicked()
            {
                state.print_view = if showing { None } else { Some(session.id) };
            }
            if ui
                .button("Export monitoring chart (PDF)…")
                .on_hover_text(
                    "Record the bedside entries, then save this session's monitoring chart as a PDF",
                )
                .clicked()
            {
                state.requests.push(CourseRequest::ExportChart(session.id));
            }
        });
        if state.print_view == Some(session.id) {
            // The same sheet the PDF export renders (entries on screen included).
            let lines = state
                .monitoring_chart(ctx.protocol, session.id, ctx.paper)
                .map(|sheet| crate::order::text::lines(&sheet))
                .unwrap_or_default();
            let text = lines.join("\n");
            state.chart_lines = lines;
            if ui.button("Copy the monitoring chart").clicked() {
                ui.ctx().copy_text(text.clone());
            }
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(text).monospace()).extend());
            });
        }
    });

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
                        ui.end_row();
                    }
                });
        });
}

fn yes_no_ui(ui: &mut Ui, value: &mut Option<bool>, name: &str) {
    ui.horizontal(|ui| {
        if named_choice_ui(ui, *value == Some(true), "Yes", &format!("{name} Yes")).clicked() {
            *value = Some(true);
        }
        if named_choice_ui(ui, *value == Some(false), "No", &format!("{name} No")).clicked() {
            *value = Some(false);
        }
        if value.is_some()
            && ui
                .small_button("Clear")
                .on_hover_text(format!("{name}: not answered"))
                .clicked()
        {
            *value = None;
        }
    });
}

/// The follow-up entries; returns true when "Record follow-up" was pressed.
fn follow_up_form_ui(ui: &mut Ui, d: &mut FollowUpDraft) -> bool {
    let errors = d.errors.clone();
    let error_for = |ui: &mut Ui, key: &str| {
        for e in errors
            .iter()
            .filter(|e| e.field == format!("follow_up.{key}"))
        {
            theme::icon_text_ui(
                ui,
                theme::ICON_ERROR,
                theme::STOP,
                RichText::new(&e.message),
            );
        }
    };
    egui::Grid::new(("follow-up", d.session_id))
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label("");
            ui.label(RichText::new("Before").strong());
            ui.label(RichText::new("After").strong());
            ui.end_row();
            for (label, key, before, after, hint) in [
                (
                    "Pain (0–10)",
                    "pain",
                    &mut d.pain_before,
                    &mut d.pain_after,
                    "",
                ),
                (
                    "Oswestry Disability Index",
                    "odi",
                    &mut d.odi_before,
                    &mut d.odi_after,
                    "",
                ),
                (
                    "Opioids, MME per day",
                    "opioid_mme",
                    &mut d.mme_before,
                    &mut d.mme_after,
                    "",
                ),
            ] {
                ui.label(label);
                cell_ui(ui, before, 80.0, &format!("{label} before")).on_hover_text(hint);
                cell_ui(ui, after, 80.0, &format!("{label} after"));
                ui.vertical(|ui| {
                    error_for(ui, &format!("{key}_before"));
                    error_for(ui, &format!("{key}_after"));
                });
                ui.end_row();
            }
            ui.label("Relief lasted (weeks)");
            cell_ui(ui, &mut d.weeks_of_relief, 80.0, "Weeks of relief");
            ui.label("");
            ui.vertical(|ui| error_for(ui, "weeks_of_relief"));
            ui.end_row();
        });
    ui.horizontal(|ui| {
        ui.label("Satisfied with the result?");
        yes_no_ui(ui, &mut d.satisfied, "Satisfied");
    });
    ui.horizontal(|ui| {
        ui.label("Relief still ongoing?");
        yes_no_ui(ui, &mut d.relief_ongoing, "Relief ongoing");
    });
    for e in errors
        .iter()
        .filter(|e| !e.field.starts_with("follow_up.") || e.field == "follow_up")
    {
        theme::icon_text_ui(
            ui,
            theme::ICON_ERROR,
            theme::STOP,
            RichText::new(format!("{}: {}", e.field, e.message)),
        );
    }
    ui.button("Record follow-up")
        .on_hover_text("Saved to the session; the change is kept in the audit trail")
        .clicked()
}

// ------------------------------------------------------------------ calls tab

fn calls_tab_ui(ui: &mut Ui, state: &mut CourseState, ctx: &CourseCtx<'_>) {
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

// ------------------------------------------------------------------ dialogs

fn prompt_ui(ctx: &egui::Context, state: &mut CourseState, cctx: &CourseCtx<'_>) {
    let Some(mut prompt) = state.prompt.take() else {
        return;
    };
    prompt.poll_browse();
    let mut confirm = false;
    let mut cancel = false;
    let response = egui::Modal::new(egui::Id::unique("course-path")).show(ctx, |ui| {
        path_dialog_heading_ui(ui, prompt.title(), None);
        let label = prompt.path_label();
        confirm |= path_entry_ui(ui, &mut prompt.entry, label, "/home/…/patient.ketaplan");
        ui.label(RichText::new("Course files: *.ketaplan").color(theme::on(ui, theme::MUTED)));
        path_problem_ui(ui, &prompt.entry);
        ui.horizontal(|ui| {
            if ui.button(prompt.confirm_text()).clicked() {
                confirm = true;
            }
            if ui
                .add_enabled(!prompt.browsing(), egui::Button::new("Browse…"))
                .on_hover_text("Choose the file in the system's file dialog")
                .clicked()
            {
                prompt.browse(ui.ctx());
            }
            if ui.button("Cancel").clicked() {
                cancel = true;
            }
        });
    });
    if cancel || (response.should_close() && !confirm) {
        return;
    }
    if confirm {
        state.prompt = confirm_prompt(state, prompt, cctx);
    } else {
        state.prompt = Some(prompt);
    }
}

fn confirm_prompt(
    state: &mut CourseState,
    mut prompt: CoursePrompt,
    ctx: &CourseCtx<'_>,
) -> Option<CoursePrompt> {
    if prompt.entry.text.trim().is_empty() {
        prompt.entry.problem = Some("Type a path first.".into());
        return Some(prompt);
    }
    let typed = expand_home(&prompt.entry.text);
    if !prompt.save {
        if !typed.is_file() {
            prompt.entry.problem = Some(format!("There is no file at {}.", typed.display()));
            return Some(prompt);
        }
        if state.is_dirty() && state.file.as_deref() != Some(typed.as_path()) {
            prompt.entry.problem = Some(
                "The open course has unsaved changes: save it first (nothing was opened).".into(),
            );
            return Some(prompt);
        }
        // A failure is shown on the page (file, line:column); the file is left alone.
        state.open(ctx.protocol, &typed);
        return None;
    }
    let path = course_save_path(&typed);
    let folder_ok = path
        .parent()
        .is_none_or(|d| d.as_os_str().is_empty() || d.is_dir());
    if !folder_ok {
        prompt.entry.problem = Some(format!("The folder of {} does not exist.", path.display()));
        return Some(prompt);
    }
    let replaces_other = path.exists() && state.file.as_deref() != Some(path.as_path());
    if replaces_other && !prompt.entry.confirm_replace {
        prompt.entry.problem = Some(format!(
            "{} already exists. Press \"{}\" again to replace it (the old version is kept as .bak).",
            path.display(),
            prompt.confirm_text()
        ));
        prompt.entry.confirm_replace = true;
        return Some(prompt);
    }
    match state.save_to(&path) {
        Ok(_) => None,
        Err(e) => {
            prompt.entry.problem = Some(e);
            Some(prompt)
        }
    }
}

fn confirm_next_visit_ui(ctx: &egui::Context, state: &mut CourseState, cctx: &CourseCtx<'_>) {
    if !state.confirm_next_visit {
        return;
    }
    let mut choice = None;
    let response = egui::Modal::new(egui::Id::unique("course-next-visit")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Replace the case?");
        ui.label("The case on the Case pages has unsaved changes. Replace it with the next visit, pre-filled from the last session?");
        ui.horizontal(|ui| {
            if ui.button("Replace the case").clicked() {
                choice = Some(true);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(false);
            }
        });
    });
    if response.should_close() && choice.is_none() {
        choice = Some(false);
    }
    match choice {
        Some(true) => {
            state.confirm_next_visit = false;
            state.request_next_visit(cctx.protocol, cctx.today);
        }
        Some(false) => state.confirm_next_visit = false,
        None => {}
    }
}
