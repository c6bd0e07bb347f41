//! The Review page's monitoring, personnel, rescue and premedication tables, as the plan sets them.

use crate::domain::Plan;
use crate::domain::plan::{RescueMedication, SourcedLine};
use crate::order::format;
use crate::ui::pages::section_ui;
use crate::ui::theme;
use egui::{RichText, Ui};

use super::sources::{source_ui, sourced_ui};

pub(super) fn monitoring_ui(ui: &mut Ui, plan: &Plan) {
    let m = &plan.monitoring;
    section_ui(ui, "Monitoring");
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("Tier: {}", theme::tier_text(m.tier))).strong());
        ui.add(egui::Label::new(&m.tier_meaning).wrap());
    });
    source_ui(ui, &m.tier_source, "tier");
    for item in m.items.iter() {
        sourced_ui(
            ui,
            &format!("• {}", item.name),
            &item.detail,
            &item.source,
            ("monitor", &item.name),
        );
    }
    let sedation = &m.sedation_scale;
    sourced_ui(
        ui,
        &sedation.label,
        &sedation.text,
        &sedation.source,
        ("sedation", &sedation.label),
    );
    let groups: [(&str, &[SourcedLine]); 5] = [
        ("How often", &*m.frequencies),
        ("Fasting", &*m.fasting),
        ("Do not start if", &*m.do_not_start),
        ("Stop the infusion if", &*m.stop_criteria),
        ("Discharge", &*m.discharge_criteria),
    ];
    for (title, lines) in groups {
        if lines.is_empty() {
            continue;
        }
        ui.add_space(theme::SPACE_SMALL);
        ui.label(
            RichText::new(title)
                .strong()
                .color(theme::on(ui, theme::INFO)),
        );
        for line in lines {
            sourced_ui(
                ui,
                &line.label,
                &line.text,
                &line.source,
                (title, &line.label),
            );
        }
    }
    sourced_ui(
        ui,
        &m.oxygen.label,
        &m.oxygen.text,
        &m.oxygen.source,
        ("oxygen", &m.oxygen.label),
    );
}

/// One block per drug (not a grid: wrapped grid columns shrink to a few letters and break
/// words at 1024 px): name and route, what it is for, the dose, the maximum, warnings.
pub(super) fn medications_ui(ui: &mut Ui, id: &str, meds: &[RescueMedication]) {
    if meds.is_empty() {
        ui.label("None.");
        return;
    }
    for (i, r) in meds.iter().enumerate() {
        ui.push_id((id, i), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&r.drug).strong());
                    ui.label(RichText::new(&r.route).color(theme::on(ui, theme::MUTED)));
                });
                ui.add(egui::Label::new(format!("For: {}", r.indication)).wrap());
                ui.add(
                    egui::Label::new(RichText::new(format!("Dose: {}", r.dose)).strong()).wrap(),
                );
                if let Some(mg) = r.calculated_dose_mg {
                    ui.label(
                        RichText::new(format!("= {} for this patient", format::mg(mg))).strong(),
                    );
                }
                if !r.repeat.is_empty() {
                    ui.add(egui::Label::new(format!("Repeat: {}", r.repeat)).wrap());
                }
                if !r.max.is_empty() {
                    ui.add(
                        egui::Label::new(
                            RichText::new(format!("Maximum: {}", r.max))
                                .color(theme::on(ui, theme::MUTED)),
                        )
                        .wrap(),
                    );
                }
                for w in &r.warnings {
                    theme::icon_text_ui(
                        ui,
                        theme::ICON_WARN,
                        theme::CAUTION,
                        RichText::new(&w.text),
                    );
                }
            });
        });
    }
}
