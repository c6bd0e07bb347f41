//! Follow-on planner (guideline Q4): information, not a prescription. Oral ketamine,
//! dextromethorphan and intranasal ketamine for this patient's dosing weight, rounded to
//! measurable amounts with daily maxima — all from the engine's `follow_on`. (S)-ketamine is
//! shown apart as a different product, never interchangeable mg for mg.

use crate::domain::follow_on::{FollowOnOption, follow_on};
use crate::domain::units::Kilograms;
use crate::order::format;
use crate::ui::course_state::CourseState;
use crate::ui::pages::course::ctx::CourseCtx;
use crate::ui::pages::section_ui;
use crate::ui::theme;
use crate::ui::widgets::field::named_choice_ui;
use egui::{RichText, Ui};

/// (S)-ketamine: not racemic, and named as esketamine by the pack.
pub fn is_esketamine(o: &FollowOnOption) -> bool {
    !o.racemic
        && (o.product.to_lowercase().contains("esketamine")
            || o.name.to_lowercase().contains("(s)-ketamine"))
}

fn dose_text(o: &FollowOnOption) -> String {
    let dose = if o.dose_low_mg == o.dose_high_mg {
        format::mg(o.dose_high_mg)
    } else {
        format!(
            "{} to {}",
            format::decimals(o.dose_low_mg, 1),
            format::mg(o.dose_high_mg)
        )
    };
    let how = match (o.per_day, o.every_hours, o.as_needed) {
        (true, _, _) => " a day".to_string(),
        (_, Some(h), true) => format!(" every {} as needed", format::hours(h)),
        (_, Some(h), false) => format!(" every {}", format::hours(h)),
        (_, None, true) => " as needed".to_string(),
        (_, None, false) => String::new(),
    };
    format!("{dose}{how}")
}

fn option_ui(ui: &mut Ui, o: &FollowOnOption) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&o.name).strong());
            ui.label(
                RichText::new(format!("{}, {}", o.product, o.route))
                    .color(theme::on(ui, theme::MUTED)),
            );
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(dose_text(o)).size(16.0).strong());
            ui.separator();
            match o.daily_max_mg {
                Some(max) => ui.label(format!("At most {} in 24 hours", format::mg(max))),
                None => ui.label(
                    RichText::new("No daily maximum given by the guideline")
                        .color(theme::on(ui, theme::MUTED)),
                ),
            };
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(&o.note);
            ui.label(
                RichText::new(format!("Source: {}", o.source))
                    .small()
                    .color(theme::on(ui, theme::MUTED)),
            );
        });
        if let Some(warning) = &o.warning {
            theme::icon_text_ui(
                ui,
                theme::ICON_WARN,
                theme::AVOID,
                RichText::new(format!("Warning: {warning}")).strong(),
            );
            if let Some(source) = &o.warning_source {
                ui.label(
                    RichText::new(format!("Source: {source}"))
                        .small()
                        .color(theme::on(ui, theme::MUTED)),
                );
            }
        }
    });
}

/// A boxed caution with its source.
fn caution_ui(ui: &mut Ui, color: egui::Color32, text: String, source: &str) {
    ui.add_space(theme::SPACE);
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.5, theme::on(ui, color)))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            theme::icon_text_ui(ui, theme::ICON_WARN, color, RichText::new(text).strong());
            ui.label(
                RichText::new(format!("Source: {source}"))
                    .small()
                    .color(theme::on(ui, theme::MUTED)),
            );
        });
}

pub fn ui(ui: &mut Ui, state: &mut CourseState, ctx: &CourseCtx<'_>) {
    let has_course = state.doc.as_ref().is_some_and(|d| !d.sessions.is_empty());
    ui.horizontal_wrapped(|ui| {
        ui.label("For:");
        if named_choice_ui(
            ui,
            has_course && state.follow_on_from_course,
            "The course's last session",
            "Follow-on for the course's last session",
        )
        .clicked()
            && has_course
        {
            state.follow_on_from_course = true;
        }
        if named_choice_ui(
            ui,
            !(has_course && state.follow_on_from_course),
            "The case on the Case pages",
            "Follow-on for the case on the Case pages",
        )
        .clicked()
        {
            state.follow_on_from_course = false;
        }
    });
    let from_course = has_course && state.follow_on_from_course;
    // The course's last session is judged by the follow-up recorded for it.
    let case = if from_course {
        state
            .doc
            .as_ref()
            .and_then(|d| d.sessions.iter().max_by_key(|s| s.started_at))
            .map(|s| {
                let mut case = s.case.clone();
                case.follow_up = s.follow_up.clone();
                case
            })
    } else {
        ctx.live.case.clone()
    };
    let Some(case) = case else {
        ui.add_space(theme::SPACE);
        theme::icon_text_ui(
            ui,
            theme::ICON_INFO,
            theme::INFO,
            RichText::new(
                "Complete the case on the Case pages (or open a course) to see doses for the patient's weight.",
            ),
        );
        return;
    };
    let planned = crate::domain::plan(ctx.protocol, &case);
    let plan = follow_on(
        ctx.protocol,
        &case,
        Kilograms(planned.dosing_weight_kg),
        planned.response.as_ref(),
    );

    ui.add_space(theme::SPACE);
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.5, theme::on(ui, theme::INFO)))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            theme::icon_text_ui(
                ui,
                theme::ICON_INFO,
                theme::INFO,
                RichText::new(&plan.heading).strong().size(17.0),
            );
            ui.label(format!(
                "Doses for a dosing weight of {} ({}), rounded to amounts that can be measured. Information, not a prescription: the prescriber decides.",
                format::kg(planned.dosing_weight_kg),
                planned.dosing_weight_basis
            ));
        });
    if let Some(reason) = &plan.not_eligible {
        caution_ui(ui, theme::INFO, reason.clone(), &plan.not_eligible_source);
        return;
    }
    if let Some(caution) = &plan.caution {
        caution_ui(
            ui,
            theme::AVOID,
            format!("Caution: {caution}"),
            &plan.caution_source,
        );
    }
    caution_ui(
        ui,
        theme::CAUTION,
        format!("Caution: {}", plan.driving_caution),
        &plan.driving_caution_source,
    );
    let (esketamine, others): (Vec<&FollowOnOption>, Vec<&FollowOnOption>) =
        plan.options.iter().partition(|o| is_esketamine(o));
    // Two columns: the separate product is never read as one more line of the same list.
    ui.columns(2, |cols| {
        let [left, right] = cols else {
            return;
        };
        section_ui(left, "Racemic ketamine and dextromethorphan");
        for o in others {
            option_ui(left, o);
        }
        if !esketamine.is_empty() {
            section_ui(right, "A different product: (S)-ketamine (esketamine)");
            egui::Frame::group(right.style())
                .stroke(egui::Stroke::new(1.5, theme::on(right, theme::AVOID)))
                .show(right, |ui| {
                    ui.set_width(ui.available_width());
                    theme::icon_text_ui(
                        ui,
                        theme::ICON_WARN,
                        theme::AVOID,
                        RichText::new(
                            "Esketamine is not racemic ketamine: its doses are not interchangeable mg for mg with any dose on the left.",
                        )
                        .strong(),
                    );
                    for o in esketamine {
                        option_ui(ui, o);
                    }
                });
        }
    });
}
