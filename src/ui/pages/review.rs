//! Step 5: the verdict and everything behind it, one justification per [avoid] finding or
//! soft alert, the attestations and the names.

use crate::domain::Plan;
use crate::domain::findings::{MonitoringTier, Proceed, codes_needing_justification};
use crate::domain::plan::{RescueMedication, SourcedLine};
use crate::domain::protocol::{AlertKind, Severity};
use crate::order::format;
use crate::ui::actions::Action;
use crate::ui::draft::{CaseDraft, Justification, JustificationScope};
use crate::ui::pages::{PageCtx, heading_ui, section_ui};
use crate::ui::theme;
use crate::ui::widgets::field::{Row, apply_focus, errors_ui, note_ui, text_row_ui, warning_ui};
use crate::ui::widgets::finding::{alert_ui, finding_ui};
use crate::ui::widgets::plan_panel::proceed_badge_ui;
use egui::{RichText, Ui};

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
    proceed_badge_ui(ui, plan);
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
        warning_ui(
            ui,
            theme::ICON_WARN,
            theme::CAUTION,
            format!(
                "{} screening question(s) unanswered: findings may be missing.",
                plan.unanswered_screening.len()
            ),
        );
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
    for p in &plan.personnel {
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
        for e in &plan.adverse_effects {
            sourced_ui(ui, &e.effect, &e.detail, &e.source, ("adverse", &e.effect));
        }
    }
    if !plan.patient_instructions.is_empty() {
        section_ui(ui, "Patient instructions");
        for line in &plan.patient_instructions {
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

/// A bold name, its text, and the source on demand.
fn sourced_ui(ui: &mut Ui, name: &str, text: &str, source: &str, salt: (&str, &str)) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(name).strong());
        ui.add(egui::Label::new(text).wrap());
    });
    source_ui(ui, source, &format!("{}-{}", salt.0, salt.1));
}

fn source_ui(ui: &mut Ui, source: &str, salt: &str) {
    egui::CollapsingHeader::new(
        RichText::new("Source")
            .color(theme::on(ui, theme::MUTED))
            .small(),
    )
    .id_salt(("source", salt))
    .show(ui, |ui| {
        ui.add(egui::Label::new(source).wrap());
    });
}

fn monitoring_ui(ui: &mut Ui, plan: &Plan) {
    let m = &plan.monitoring;
    section_ui(ui, "Monitoring");
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("Tier: {}", theme::tier_text(m.tier))).strong());
        ui.add(egui::Label::new(&m.tier_meaning).wrap());
    });
    source_ui(ui, &m.tier_source, "tier");
    for item in &m.items {
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
    let groups: [(&str, &Vec<SourcedLine>); 5] = [
        ("How often", &m.frequencies),
        ("Fasting", &m.fasting),
        ("Do not start if", &m.do_not_start),
        ("Stop the infusion if", &m.stop_criteria),
        ("Discharge", &m.discharge_criteria),
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

fn medications_ui(ui: &mut Ui, id: &str, meds: &[RescueMedication]) {
    if meds.is_empty() {
        ui.label("None.");
        return;
    }
    egui::Grid::new(id)
        .num_columns(4)
        .striped(true)
        .spacing([theme::SPACE_LARGE, theme::SPACE_SMALL])
        .show(ui, |ui| {
            for h in ["Drug", "For", "Dose", "Route"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for r in meds {
                ui.label(&r.drug);
                ui.add(egui::Label::new(&r.indication).wrap());
                ui.vertical(|ui| {
                    ui.add(egui::Label::new(&r.dose).wrap());
                    if let Some(mg) = r.calculated_dose_mg {
                        ui.label(
                            RichText::new(format!("= {} for this patient", format::mg(mg)))
                                .strong(),
                        );
                    }
                    if !r.max.is_empty() {
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("max {}", r.max))
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
                ui.label(&r.route);
                ui.end_row();
            }
        });
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
    let min_chars = ctx.protocol.pack.input_limits.justification_min_chars.value;
    for code in codes {
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
        let label = format!("Reason for {code}");
        let l = ui.label(RichText::new(&label).strong());
        let r = ui
            .add(
                egui::TextEdit::multiline(&mut text)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
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
}

fn attestations_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>) {
    section_ui(ui, "Attestations");
    let tier = ctx.live.plan.as_ref().map(|p| p.monitoring_tier);
    let proceed_no = ctx
        .live
        .plan
        .as_ref()
        .is_some_and(|p| p.proceed == Proceed::No);
    if proceed_no {
        warning_ui(
            ui,
            theme::ICON_STOP,
            theme::STOP,
            "The plan says do not start; attesting does not change that.",
        );
    }
    let items: [(&mut Option<bool>, &str, &str); 3] = [
        (
            &mut draft.attest_supervising_physician,
            "The supervising physician is licensed, ACLS-certified and experienced with ketamine",
            "order.attest.supervising_physician",
        ),
        (
            &mut draft.attest_administering_clinician,
            "The administering clinician (RN or PA) has moderate-sedation and ACLS training",
            "order.attest.administering_clinician",
        ),
        (
            &mut draft.attest_resuscitation_ready,
            "Resuscitation equipment and staff are available throughout",
            "order.attest.resuscitation_ready",
        ),
    ];
    for (flag, text, path) in items {
        let r = attest_checkbox(ui, flag, text);
        apply_focus(ctx, path, &r);
    }
    // The airway clinician is asked for at the monitored and ICU tiers; the name stays in
    // the draft at every tier, so switching tiers loses nothing.
    if tier.is_some_and(|t| t >= MonitoringTier::Monitored) {
        let r = attest_checkbox(
            ui,
            &mut draft.attest_airway_clinician_available,
            "An airway/ACLS-trained clinician is immediately available",
        );
        apply_focus(ctx, "order.attest.airway_clinician_available", &r);
        ui.indent("airway-clinician-name", |ui| {
            text_row_ui(
                ui,
                ctx,
                Row::text("Airway clinician", "order.airway_clinician_name"),
                &mut draft.airway_clinician_name,
                |_| {},
            );
        });
    }
    section_ui(ui, "Names");
    if let Some(number) = &draft.order_number {
        match draft.order_number_in_force(ctx.protocol, ctx.today) {
            Some(_) => note_ui(ui, format!("Order number {number} (from the opened case).")),
            None => warning_ui(
                ui,
                theme::ICON_WARN,
                theme::CAUTION,
                format!(
                    "Opened as order {number}. The case has changed since, so it is a new order: it gets a new number and supersedes {number}."
                ),
            ),
        }
    }
    text_row_ui(
        ui,
        ctx,
        Row::text("Prescriber", "order.prescriber"),
        &mut draft.prescriber,
        |_| {},
    );
    text_row_ui(
        ui,
        ctx,
        Row::text("Clinic", "order.clinic"),
        &mut draft.clinic,
        |_| {},
    );
    text_row_ui(
        ui,
        ctx,
        Row::text("Clinic telephone", "order.clinic_phone"),
        &mut draft.clinic_phone,
        |_| {},
    );
    text_row_ui(
        ui,
        ctx,
        Row::text("Supervising physician", "order.supervising_physician_name"),
        &mut draft.supervising_physician_name,
        |_| {},
    );
    text_row_ui(
        ui,
        ctx,
        Row::text(
            "Administering clinician",
            "order.administering_clinician_name",
        ),
        &mut draft.administering_clinician_name,
        |_| {},
    );
}

/// A tick box for an attestation that may never have been answered (`None`): drawn
/// unticked, and set to the box's state once it is clicked.
fn attest_checkbox(ui: &mut Ui, flag: &mut Option<bool>, text: &str) -> egui::Response {
    let mut on = *flag == Some(true);
    let r = ui.checkbox(&mut on, text);
    if r.changed() {
        *flag = Some(on);
    }
    r
}
