//! The live plan, always visible: bolus, infusion mg/h and mL/h, ceiling, totals, tier,
//! proceed. With an invalid draft it shows no number at all, only what to fix.

use crate::domain::Plan;
use crate::domain::Protocol;
use crate::order::format;
use crate::ui::actions::Action;
use crate::ui::live::{Live, field_label};
use crate::ui::theme;
use crate::ui::verdict::Verdict;
use egui::{RichText, Ui};

pub fn proceed_badge_ui(ui: &mut Ui, plan: &Plan, case: Option<&crate::domain::Case>) {
    let verdict = Verdict::of(plan, case);
    let color = verdict.color();
    egui::Frame::new()
        .fill(color)
        .corner_radius(4.0)
        .inner_margin(theme::SPACE)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_top(|ui| {
                theme::icon_colored_ui(ui, verdict.icon(), egui::Color32::WHITE, color);
                ui.add(
                    egui::Label::new(
                        RichText::new(verdict.text())
                            .color(egui::Color32::WHITE)
                            .strong(),
                    )
                    .wrap(),
                );
            });
        });
}

fn row_ui(ui: &mut Ui, key: &str, value: String) {
    ui.label(RichText::new(key).color(theme::on(ui, theme::MUTED)));
    ui.add(egui::Label::new(RichText::new(value).strong()).wrap());
    ui.end_row();
}

pub fn plan_panel_ui(ui: &mut Ui, protocol: &Protocol, live: &Live, actions: &mut Vec<Action>) {
    ui.heading("Plan");
    ui.add_space(theme::SPACE_SMALL);
    let Some(plan) = &live.plan else {
        // Only empty fields: an unfinished case, not a mistake; any wrong value: red.
        let only_missing = live
            .errors
            .iter()
            .all(|e| crate::ui::widgets::field::is_only_missing(&e.message));
        let (icon, color) = if only_missing {
            (theme::ICON_INFO, theme::INFO)
        } else {
            (theme::ICON_ERROR, theme::STOP)
        };
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, theme::on(ui, color)))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                theme::icon_text_ui(ui, icon, color, RichText::new("No dose shown").strong());
                let n = live.errors.len();
                ui.add(
                    egui::Label::new(format!(
                        "The plan appears when the case is complete and valid. {n} field{} to fix:",
                        if n == 1 { "" } else { "s" }
                    ))
                    .wrap(),
                );
                for e in live.errors.iter().take(8) {
                    let text = format!("{}: {}", field_label(protocol, &e.field), e.message);
                    if ui.link(text).clicked() {
                        actions.push(Action::GoToField(e.field.clone()));
                    }
                }
                if n > 8 {
                    ui.label(format!("… and {} more", n - 8));
                }
            });
        return;
    };
    proceed_badge_ui(ui, plan, live.case.as_ref());
    ui.add_space(theme::SPACE_SMALL);
    // V4-20: while an implausible weight is not confirmed, no dose is shown at all.
    let unconfirmed_weight = plan
        .alert_for(crate::domain::findings::DoseField::Weight)
        .filter(|a| {
            !live
                .case
                .as_ref()
                .is_some_and(|c| c.justifications.contains_key(a.code.as_str()))
        });
    if let Some(a) = unconfirmed_weight {
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, theme::on(ui, theme::AVOID)))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                theme::icon_text_ui(
                    ui,
                    theme::ICON_WARN,
                    theme::AVOID,
                    RichText::new("Confirm the weight").strong(),
                );
                ui.add(
                    egui::Label::new(format!(
                        "{} is unusual for an adult. {}",
                        format::kg(plan.weight_kg),
                        a.message
                    ))
                    .wrap(),
                );
                if ui.link("Go to the weight").clicked() {
                    actions.push(Action::GoToField("justifications.weight_unusual".into()));
                }
            });
        return;
    }
    egui::Grid::new("plan-panel-grid")
        .num_columns(2)
        .spacing([theme::SPACE, theme::SPACE_SMALL])
        .show(ui, |ui| {
            match (plan.bolus_mg, plan.bolus_minutes) {
                (Some(mg), Some(min)) => {
                    row_ui(ui, "Bolus", format::mg(mg));
                    row_ui(ui, "", format!("over {} min", format::number(min)));
                }
                _ => row_ui(ui, "Bolus", "none".to_string()),
            }
            row_ui(ui, "Infusion", format::mg_per_h(plan.infusion_mg_per_h));
            row_ui(ui, "Pump", format::ml_per_h(plan.pump_ml_per_h));
            if plan.max_infusion_mg_per_h != plan.infusion_mg_per_h {
                row_ui(ui, "Ceiling", format::mg_per_h(plan.max_infusion_mg_per_h));
                row_ui(ui, "Pump max", format::ml_per_h(plan.max_pump_ml_per_h));
            }
            row_ui(ui, "Bag", format::mg_per_ml(plan.concentration_mg_per_ml));
            row_ui(ui, "Duration", format::hours(plan.duration_h));
            row_ui(ui, "Total", format::mg(plan.total_mg));
            if plan.max_total_mg != plan.total_mg {
                row_ui(ui, "Total max", format::mg(plan.max_total_mg));
            }
            row_ui(
                ui,
                "Tier",
                theme::tier_text(plan.monitoring_tier).to_string(),
            );
        });
    if !plan.limit_alerts.is_empty() || !plan.findings.is_empty() {
        ui.add_space(theme::SPACE_SMALL);
        for a in &plan.limit_alerts {
            theme::icon_text_ui(
                ui,
                theme::alert_icon(a.kind),
                theme::alert_color(a.kind),
                RichText::new(a.display_title()),
            );
        }
        for f in &plan.findings {
            theme::icon_text_ui(
                ui,
                theme::severity_icon(f.severity),
                theme::severity_color(f.severity),
                RichText::new(f.display_title()),
            );
        }
    }
    if !plan.unanswered_screening.is_empty() {
        ui.add_space(theme::SPACE_SMALL);
        theme::icon_text_ui(
            ui,
            theme::ICON_WARN,
            theme::AVOID,
            RichText::new(format!(
                "{} screening question{} unanswered",
                plan.unanswered_screening.len(),
                if plan.unanswered_screening.len() == 1 {
                    ""
                } else {
                    "s"
                }
            )),
        );
    }
}
