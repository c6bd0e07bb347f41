//! Step 5: the verdict and everything behind it, one justification per [avoid] finding or
//! soft alert, the attestations and the names.

use crate::domain::Plan;
use crate::domain::findings::codes_needing_justification;
use crate::domain::protocol::Severity;
use crate::order::format;
use crate::ui::actions::Action;
use crate::ui::draft::CaseDraft;
use crate::ui::pages::{PageCtx, heading_ui, section_ui};
use crate::ui::theme;
use crate::ui::widgets::field::{note_ui, warning_ui};
use crate::ui::widgets::finding::{alert_ui, finding_ui};
use crate::ui::widgets::plan_panel::proceed_badge_ui;
use crate::ui::widgets::reason::reason_ui;
use egui::{RichText, Ui};

mod attest;
mod monitoring;
mod sources;

use attest::attestations_ui;
use monitoring::{medications_ui, monitoring_ui};
use sources::{source_ui, sourced_ui};

pub fn ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>, actions: &mut Vec<Action>) {
    heading_ui(
        ui,
        "5 · Review",
        "Check the verdict and its reasons, justify what needs it, and attest.",
    );
    match ctx.live.plan.as_ref() {
        Some(plan) => plan_review_ui(ui, draft, ctx, plan),
        None => {
            warning_ui(
                ui,
                theme::ICON_ERROR,
                theme::STOP,
                format!(
                    "No plan yet: {} field(s) to fix first.",
                    ctx.live.errors.len()
                ),
            );
            for e in ctx.live.errors.iter().take(12) {
                let text = format!(
                    "{}: {}",
                    crate::ui::live::field_label(ctx.protocol, &e.field),
                    e.message
                );
                if ui.link(text).clicked() {
                    actions.push(Action::GoToField(e.field.clone()));
                }
            }
        }
    }
    attestations_ui(ui, draft, ctx);
    super::regimen::pk_section_ui(ui, ctx.pk);
}

/// Why the verdict is what it is: every stop/avoid finding and every limit alert.
fn reasons(plan: &Plan) -> Vec<(theme::Icon, egui::Color32, String)> {
    let mut out = Vec::new();
    for f in &plan.findings {
        if matches!(f.severity, Severity::Stop | Severity::Avoid) {
            out.push((
                theme::severity_icon(f.severity),
                theme::severity_color(f.severity),
                format!(
                    "{}: {}",
                    theme::severity_word(f.severity),
                    f.display_title()
                ),
            ));
        }
    }
    for a in &plan.limit_alerts {
        out.push((
            theme::alert_icon(a.kind),
            theme::alert_color(a.kind),
            format!("{}: {}", theme::alert_word(a.kind), a.display_title()),
        ));
    }
    out
}

fn plan_review_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>, plan: &Plan) {
    proceed_badge_ui(ui, plan, ctx.live.case.as_ref());
    let why = reasons(plan);
    if why.is_empty() {
        note_ui(ui, "No stop or avoid finding and no limit crossed.");
    } else {
        for (icon, color, text) in why {
            theme::icon_text_ui(ui, icon, color, RichText::new(text));
        }
    }

    section_ui(ui, "Findings");
    if plan.findings.is_empty() {
        ui.label("None.");
    }
    for f in &plan.findings {
        finding_ui(ui, f);
    }
    if !plan.unanswered_screening.is_empty() {
        warning_ui(ui, theme::ICON_WARN, theme::CAUTION, {
            let n = plan.unanswered_screening.len();
            format!(
                "{n} screening question{} unanswered: findings may be missing.",
                if n == 1 { "" } else { "s" }
            )
        });
    }

    section_ui(ui, "Limit alerts");
    if plan.limit_alerts.is_empty() {
        ui.label("None.");
    }
    for a in &plan.limit_alerts {
        alert_ui(ui, a);
    }

    section_ui(ui, "Before the infusion");
    if plan.preinfusion_tests.is_empty() {
        ui.label("No tests needed.");
    }
    for t in &plan.preinfusion_tests {
        ui.label(format!("• {}", ctx.protocol.test_name(t)));
    }

    section_ui(ui, "Personnel");
    for p in plan.personnel.iter() {
        sourced_ui(
            ui,
            &p.role,
            &p.requirement,
            &p.source,
            ("personnel", &p.role),
        );
    }

    monitoring_ui(ui, plan);

    section_ui(ui, "Rescue medications");
    medications_ui(ui, "rescue-grid", &plan.rescue_medications);
    if !plan.premedication.is_empty() {
        section_ui(ui, "Premedication (optional, physician's choice)");
        medications_ui(ui, "premedication-grid", &plan.premedication);
    }

    if let Some(t) = &plan.titration {
        section_ui(ui, "Titration");
        ui.add(egui::Label::new(&t.instruction).wrap());
        egui::Grid::new("titration-grid")
            .num_columns(4)
            .striped(true)
            .spacing([theme::SPACE_LARGE, theme::SPACE_SMALL])
            .show(ui, |ui| {
                for h in ["mg/kg/h", "mcg/kg/min", "mg/h", "pump mL/h"] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for step in &t.steps {
                    ui.label(format::mg_per_kg_per_h(step.mg_per_kg_per_h));
                    ui.label(format::mcg_per_kg_per_min(step.mcg_per_kg_per_min));
                    ui.label(format::mg_per_h(step.mg_per_h));
                    ui.label(format::ml_per_h(step.pump_ml_per_h));
                    ui.end_row();
                }
            });
        source_ui(ui, &t.source, "titration");
    }

    if !plan.adverse_effects.is_empty() {
        section_ui(ui, "Adverse effects to watch for");
        for e in plan.adverse_effects.iter() {
            sourced_ui(ui, &e.effect, &e.detail, &e.source, ("adverse", &e.effect));
        }
    }
    if !plan.patient_instructions.is_empty() {
        section_ui(ui, "Patient instructions");
        for line in plan.patient_instructions.iter() {
            sourced_ui(
                ui,
                &line.label,
                &line.text,
                &line.source,
                ("instruction", &line.label),
            );
        }
    }

    justifications_ui(ui, draft, ctx, plan);
}

fn justifications_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>, plan: &Plan) {
    let codes = codes_needing_justification(&plan.findings, &plan.limit_alerts);
    if codes.is_empty() {
        return;
    }
    section_ui(ui, "Justifications");
    note_ui(
        ui,
        "One reason per [avoid] finding or soft limit. A reason is dropped when the value it justified changes.",
    );
    for code in codes {
        reason_ui(ui, draft, ctx, plan, &code);
    }
}
