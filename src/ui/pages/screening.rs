//! Step 3: every screening code of the pack, grouped, answered Yes or No. Unanswered items
//! keep the order unprintable. History of substance abuse offers ORT and SOAPP-R.

use crate::domain::protocol::Severity;
use crate::order::format;
use crate::ui::draft::CaseDraft;
use crate::ui::pages::{PageCtx, PageState, heading_ui, section_ui};
use crate::ui::theme;
use crate::ui::widgets::field::{
    Row, apply_focus, arrow_group, errors_ui, named_choice_ui, note_ui, text_row_ui, warning_ui,
};
use egui::{RichText, Ui};

pub const HISTORY_SUBSTANCE_ABUSE: &str = "history_substance_abuse";

pub fn ui(ui: &mut Ui, draft: &mut CaseDraft, state: &mut PageState, ctx: &PageCtx<'_>) {
    heading_ui(
        ui,
        "3 · Screening",
        "Answer every question Yes or No. Unanswered questions keep the order from printing.",
    );
    // Optional questions (V4-15) are neither counted nor marked No in bulk.
    let codes: Vec<&str> = ctx
        .protocol
        .required_screening_codes()
        .map(|d| d.code.as_str())
        .collect();
    let unanswered: Vec<&str> = codes
        .iter()
        .copied()
        .filter(|c| draft.answer(c).is_none())
        .collect();
    ui.horizontal_wrapped(|ui| {
        let answered = codes.len() - unanswered.len();
        let color = if unanswered.is_empty() {
            theme::OK
        } else {
            theme::CAUTION
        };
        let icon = if unanswered.is_empty() {
            theme::ICON_OK
        } else {
            theme::ICON_WARN
        };
        theme::icon_ui(ui, icon, color);
        ui.label(
            RichText::new(format!("{answered} of {} answered", codes.len()))
                .color(theme::on(ui, color))
                .strong(),
        );
        if !unanswered.is_empty()
            && !state.confirm_mark_rest_no
            && ui.button("Mark the rest No").clicked()
        {
            state.confirm_mark_rest_no = true;
        }
    });
    if state.confirm_mark_rest_no {
        if unanswered.is_empty() {
            state.confirm_mark_rest_no = false;
        } else {
            egui::Frame::group(ui.style())
                .stroke(egui::Stroke::new(1.5, theme::on(ui, theme::CAUTION)))
                .show(ui, |ui| {
                    ui.add(
                        egui::Label::new(format!(
                            "Mark the {} unanswered question{} No? Only do this after asking the patient each one.",
                            unanswered.len(),
                            if unanswered.len() == 1 { "" } else { "s" }
                        ))
                        .wrap(),
                    );
                    ui.horizontal(|ui| {
                        if ui.button("Yes, mark them No").clicked() {
                            for code in &unanswered {
                                draft.answers.insert((*code).to_string(), false);
                            }
                            state.confirm_mark_rest_no = false;
                        }
                        if ui.button("Cancel").clicked() {
                            state.confirm_mark_rest_no = false;
                        }
                    });
                });
        }
    }
    errors_ui(ui, ctx, "screening");
    errors_ui(ui, ctx, "screening_no");

    // Groups in the order they first appear in the pack.
    let mut groups: Vec<&str> = Vec::new();
    for def in ctx.protocol.screening_codes() {
        if let Some(q) = &def.screening
            && !groups.contains(&q.group.as_str())
        {
            groups.push(q.group.as_str());
        }
    }
    for group in groups {
        section_ui(ui, &capitalise(group));
        for def in ctx.protocol.screening_codes() {
            let Some(q) = &def.screening else { continue };
            if q.group != group {
                continue;
            }
            let previous = state.previous_answers.get(def.code.as_str()).copied();
            question_ui(
                ui,
                draft,
                ctx,
                &def.code,
                &q.question,
                def.severity,
                previous,
            );
            // Scores already typed stay on screen whatever the answer: they are in the case.
            let has_scores = !draft.ort.trim().is_empty() || !draft.soapp_r.trim().is_empty();
            if def.code == HISTORY_SUBSTANCE_ABUSE
                && (draft.answer(&def.code) == Some(true) || has_scores)
            {
                risk_scores_ui(ui, draft, ctx);
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn question_ui(
    ui: &mut Ui,
    draft: &mut CaseDraft,
    ctx: &PageCtx<'_>,
    code: &str,
    question: &str,
    default_severity: Severity,
    previous: Option<bool>,
) {
    let answer = draft.answer(code);
    let row = ui.horizontal(|ui| {
        // Room for Yes, No and the "unanswered" mark beside the question.
        let width = (ui.available_width() - 250.0).max(200.0);
        ui.allocate_ui_with_layout(
            egui::vec2(width, ui.spacing().interact_size.y),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                // A fixed column, so Yes/No line up down the page.
                ui.set_min_width(width);
                ui.add(egui::Label::new(question).wrap());
            },
        );
        let yes = named_choice_ui(ui, answer == Some(true), "Yes", &format!("{question} Yes"));
        let no = named_choice_ui(ui, answer == Some(false), "No", &format!("{question} No"));
        arrow_group(ui, &[&yes, &no]);
        if yes.clicked() {
            draft.answers.insert(code.to_string(), true);
        }
        if no.clicked() {
            draft.answers.insert(code.to_string(), false);
        }
        if answer.is_none() {
            theme::icon_ui(ui, theme::ICON_WARN, theme::CAUTION);
            ui.label(RichText::new("unanswered").color(theme::on(ui, theme::CAUTION)));
            // A next visit from a course: last time's answer, greyed, to ask again.
            if let Some(yes) = previous {
                ui.label(
                    RichText::new(format!("last time: {}", if yes { "Yes" } else { "No" }))
                        .italics()
                        .color(theme::on(ui, theme::MUTED)),
                );
            }
        }
        // The chosen answer (or Yes) takes the focus when the question is asked for.
        if answer == Some(false) { no } else { yes }
    });
    apply_focus(ctx, &format!("screening.{code}"), &row.inner);
    if answer == Some(true) {
        // The plan's finding (it knows escalations); the pack's default while there is no plan.
        let finding = ctx.live.plan.as_ref().and_then(|p| p.finding(code));
        let (severity, message) = match finding {
            Some(f) => (f.severity, f.message.as_str()),
            None => (
                default_severity,
                ctx.protocol
                    .finding(code)
                    .map_or("", |d| d.message.as_str()),
            ),
        };
        let color = theme::severity_color(severity);
        egui::Frame::new()
            .inner_margin(egui::Margin {
                left: 24,
                ..Default::default()
            })
            .show(ui, |ui| {
                theme::icon_text_ui(
                    ui,
                    theme::severity_icon(severity),
                    color,
                    RichText::new(format!("{}: {message}", theme::severity_word(severity))),
                );
            });
    }
}

fn risk_scores_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>) {
    let pop = &ctx.protocol.pack.population;
    let limits = &ctx.protocol.pack.input_limits;
    note_ui(
        ui,
        "Stratify the risk (optional; the tools are not validated for ketamine):",
    );
    let ort_label = format!("ORT (0–{})", format::number(limits.ort_max.value));
    text_row_ui(
        ui,
        ctx,
        Row::number(&ort_label, "risk_scores.ort"),
        &mut draft.ort,
        |_| {},
    );
    if let Ok(score) = draft.ort.trim().parse::<f64>()
        && ctx.live.errors_for("risk_scores.ort").next().is_none()
    {
        let (band, color) = if score >= pop.ort_high_from.value {
            ("high risk", theme::AVOID)
        } else if score >= pop.ort_moderate_from.value {
            ("moderate risk", theme::CAUTION)
        } else {
            ("low risk", theme::OK)
        };
        warning_ui(
            ui,
            theme::ICON_INFO,
            color,
            format!("ORT {}: {band}", format::number(score)),
        );
    }
    let soapp_label = format!("SOAPP-R (0–{})", format::number(limits.soapp_r_max.value));
    text_row_ui(
        ui,
        ctx,
        Row::number(&soapp_label, "risk_scores.soapp_r"),
        &mut draft.soapp_r,
        |_| {},
    );
    if let Ok(score) = draft.soapp_r.trim().parse::<f64>()
        && ctx.live.errors_for("risk_scores.soapp_r").next().is_none()
    {
        let (band, color) = if score >= pop.soapp_r_high_from.value {
            ("high risk", theme::AVOID)
        } else {
            ("below the high-risk cut-off", theme::OK)
        };
        warning_ui(
            ui,
            theme::ICON_INFO,
            color,
            format!("SOAPP-R {}: {band}", format::number(score)),
        );
    }
}
