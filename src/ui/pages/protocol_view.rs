//! The protocol pack, read-only: identity, every threshold, code, message and source, so a
//! clinician can check what the advice rests on.

use crate::domain::Protocol;
use crate::domain::protocol::SourcedText;
use crate::ui::actions::{Action, View};
use crate::ui::pages::{heading_ui, section_ui};
use crate::ui::theme;
use egui::{RichText, Ui};

/// "built-in", "local protocol" or "approved: KEY COMMENT" — shown wherever the pack is named.
pub fn pack_kind(protocol: &Protocol) -> String {
    match protocol.approved_by() {
        _ if protocol.built_in => "built-in".to_string(),
        Some(by) => format!("approved: {by}"),
        None => "local protocol".to_string(),
    }
}

/// id, version, sha256 and whether it is the built-in pack, in one block.
pub fn identity_ui(ui: &mut Ui, protocol: &Protocol) {
    let pack = &protocol.pack;
    egui::Grid::new("protocol-identity")
        .num_columns(2)
        .spacing([theme::SPACE_LARGE, theme::SPACE_SMALL])
        .show(ui, |ui| {
            let rows = [
                ("Pack", pack.id.as_str()),
                ("Version", pack.version.as_str()),
                ("Title", pack.title.as_str()),
                ("Guideline", pack.guideline.as_str()),
                ("sha256", protocol.sha256.as_str()),
            ];
            for (key, value) in rows {
                ui.label(RichText::new(key).color(theme::on(ui, theme::MUTED)));
                // Identifiers in monospace (compared character by character), prose not.
                let text = if matches!(key, "Pack" | "Version" | "sha256") {
                    RichText::new(value).monospace()
                } else {
                    RichText::new(value)
                };
                ui.add(egui::Label::new(text).wrap());
                ui.end_row();
            }
            ui.label(RichText::new("Kind").color(theme::on(ui, theme::MUTED)));
            if protocol.built_in {
                ui.label("built-in (embedded in this program)");
            } else if let Some(approval) = &protocol.approval {
                theme::icon_text_ui(
                    ui,
                    theme::ICON_OK,
                    theme::OK,
                    RichText::new(format!(
                        "approved: {} (a clinic's pack; its signature verified with trusted key {})",
                        approval.approved_by, approval.key_id
                    ))
                    .strong(),
                );
            } else {
                theme::icon_text_ui(
                    ui,
                    theme::ICON_WARN,
                    theme::AVOID,
                    RichText::new("local protocol (a clinic's pack, not the built-in one)")
                        .strong(),
                );
            }
            ui.end_row();
        });
}

fn source_ui(ui: &mut Ui, source: &str, institution_default: bool) {
    let text = if institution_default {
        format!("Source: {source} · institution default")
    } else {
        format!("Source: {source}")
    };
    ui.add(
        egui::Label::new(
            RichText::new(text)
                .color(theme::on(ui, theme::MUTED))
                .small(),
        )
        .wrap(),
    );
}

fn sourced_texts_ui(ui: &mut Ui, title: &str, items: &[SourcedText]) {
    section_ui(ui, title);
    for t in items {
        let line = if t.label.is_empty() {
            t.text.to_string()
        } else {
            format!("{}: {}", t.label, t.text)
        };
        ui.add(egui::Label::new(line).wrap());
        source_ui(ui, &t.source, t.institution_default);
    }
}

pub fn ui(ui: &mut Ui, protocol: &Protocol, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        if ui.button("Back to the case").clicked() {
            actions.push(Action::ShowView(View::Wizard));
        }
    });
    heading_ui(
        ui,
        "Protocol pack",
        "Read-only: every threshold, code, message and source the advice comes from.",
    );
    identity_ui(ui, protocol);
    let pack = &protocol.pack;

    section_ui(ui, "Thresholds");
    for (path, t) in protocol.thresholds() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(path).monospace());
            ui.label("=");
            ui.label(RichText::new(crate::order::format::number(t.value)).strong());
        });
        // Sources of institution defaults already say so; do not say it twice.
        let marked = t.institution_default && !t.source.starts_with("institution default");
        source_ui(ui, &t.source, marked);
    }

    section_ui(ui, "Findings");
    for f in &pack.findings {
        ui.horizontal_wrapped(|ui| {
            theme::icon_ui(
                ui,
                theme::severity_icon(f.severity),
                theme::severity_color(f.severity),
            );
            ui.label(
                RichText::new(theme::severity_word(f.severity))
                    .color(theme::on(ui, theme::severity_color(f.severity)))
                    .strong(),
            );
            ui.label(RichText::new(&f.title).strong());
            ui.label(RichText::new(&f.code).monospace());
        });
        if let Some(q) = &f.screening {
            ui.add(
                egui::Label::new(format!("Screening question ({}): {}", q.group, q.question))
                    .wrap(),
            );
        }
        ui.add(egui::Label::new(&f.message).wrap());
        source_ui(ui, &f.source, f.institution_default);
        if let Some(esc) = &f.escalation {
            let when = match &esc.when {
                crate::domain::protocol::EscalationWhen::SerialOrRepeated => {
                    "for a series, a continuous course or a repeat this year".to_string()
                }
                crate::domain::protocol::EscalationWhen::WithCode(code) => {
                    format!("together with {code}")
                }
                crate::domain::protocol::EscalationWhen::PriorExposure => {
                    "after earlier ketamine (sessions this year or substance abuse)".to_string()
                }
                crate::domain::protocol::EscalationWhen::AtMonitoredDose => {
                    "at or above the patient's monitored-tier dose thresholds".to_string()
                }
            };
            ui.add(
                egui::Label::new(format!(
                    "Raised to {} {when}: {}",
                    theme::severity_word(esc.severity),
                    esc.message
                ))
                .wrap(),
            );
            source_ui(ui, &esc.source, false);
        }
        ui.add_space(theme::SPACE_SMALL);
    }

    section_ui(ui, "Limit alerts");
    for a in &pack.alerts {
        ui.horizontal_wrapped(|ui| {
            theme::icon_ui(ui, theme::alert_icon(a.kind), theme::alert_color(a.kind));
            ui.label(
                RichText::new(theme::alert_word(a.kind))
                    .color(theme::on(ui, theme::alert_color(a.kind)))
                    .strong(),
            );
            ui.label(RichText::new(&a.title).strong());
            ui.label(RichText::new(&a.code).monospace());
        });
        ui.add(egui::Label::new(&a.message).wrap());
        source_ui(ui, &a.source, a.institution_default);
        ui.add_space(theme::SPACE_SMALL);
    }

    section_ui(ui, "Conditions");
    for c in &pack.conditions {
        ui.label(RichText::new(format!("{} ({})", c.name, c.code)).strong());
        ui.add(
            egui::Label::new(format!(
                "Evidence grade {}, certainty {}. {}",
                c.grade, c.certainty, c.summary
            ))
            .wrap(),
        );
        source_ui(ui, &c.source, false);
    }

    section_ui(ui, "Standard concentrations");
    for c in &pack.concentrations {
        ui.label(format!(
            "{} — {}",
            crate::order::format::mg_per_ml(c.mg_per_ml),
            c.label
        ));
        source_ui(ui, &c.source, c.institution_default);
    }

    section_ui(ui, "Rescue medications");
    for r in &pack.rescue_medications {
        ui.add(
            egui::Label::new(format!(
                "{} for {}: {} {}",
                r.drug, r.indication, r.dose, r.route
            ))
            .wrap(),
        );
        for band in &r.weight_bands {
            let bound = match (&band.above_kg, &band.from_kg) {
                (Some(t), _) => format!("above {}", crate::order::format::kg(t.value)),
                (None, Some(t)) => format!("from {}", crate::order::format::kg(t.value)),
                (None, None) => String::new(),
            };
            ui.label(format!("    {bound}: {}", band.dose));
        }
        if let Some(below) = &r.below_bands_dose {
            ui.label(format!("    below every band: {below}"));
        }
        if !r.only_tiers.is_empty() {
            let tiers: Vec<&str> = r.only_tiers.iter().map(|t| t.as_str()).collect();
            ui.label(format!("    only at the {} tier", tiers.join(", ")));
        }
        if !r.only_when_codes.is_empty() {
            ui.label(format!(
                "    only when answered Yes: {}",
                r.only_when_codes.join(", ")
            ));
        }
        source_ui(ui, &r.source, r.institution_default);
    }

    section_ui(ui, "Follow-on therapy");
    ui.add(egui::Label::new(&pack.follow_on.responders_only.text).wrap());
    source_ui(ui, &pack.follow_on.responders_only.source, false);
    for o in &pack.follow_on.options {
        let cap = o.daily_cap_mg.as_ref().map_or(String::new(), |t| {
            format!("; at most {} a day", crate::order::format::mg(t.value))
        });
        ui.add(egui::Label::new(format!("{} ({}){cap}", o.name, o.route)).wrap());
        if let Some(w) = &o.warning {
            ui.add(egui::Label::new(format!("    Warning: {}", w.text)).wrap());
        }
        source_ui(
            ui,
            &o.source,
            o.daily_cap_mg
                .as_ref()
                .is_some_and(|t| t.institution_default),
        );
    }
    ui.add(egui::Label::new(&pack.follow_on.driving_caution.text).wrap());
    source_ui(ui, &pack.follow_on.driving_caution.source, false);

    section_ui(ui, "Personnel");
    for p in &pack.personnel {
        ui.add(egui::Label::new(format!("{}: {}", p.role, p.requirement)).wrap());
        source_ui(ui, &p.source, p.institution_default);
    }

    let mp = &pack.monitoring_plan;
    section_ui(ui, "Monitoring");
    for item in &mp.items {
        ui.add(egui::Label::new(format!("{}: {}", item.name, item.detail)).wrap());
        source_ui(ui, &item.source, item.institution_default);
    }
    sourced_texts_ui(
        ui,
        "Sedation scale",
        std::slice::from_ref(&mp.sedation_scale),
    );
    sourced_texts_ui(ui, "Monitoring frequency", &mp.frequencies);
    sourced_texts_ui(ui, "Fasting", &mp.fasting);
    sourced_texts_ui(ui, "Oxygen", std::slice::from_ref(&mp.oxygen));
    sourced_texts_ui(ui, "Discharge criteria", &mp.discharge_criteria);
    sourced_texts_ui(ui, "Do not start", &mp.do_not_start);
    sourced_texts_ui(ui, "Stop criteria", &mp.stop_criteria);
    sourced_texts_ui(ui, "Patient instructions", &pack.patient_instructions);

    section_ui(ui, "Titration");
    ui.add(egui::Label::new(&pack.titration.instruction).wrap());
    source_ui(ui, &pack.titration.source, false);

    section_ui(ui, "Adverse effects");
    for a in &pack.adverse_effects {
        ui.add(egui::Label::new(format!("{}: {}", a.effect, a.detail)).wrap());
        source_ui(ui, &a.source, false);
    }

    section_ui(ui, "Institution defaults");
    let defaults = protocol.institution_defaults();
    if defaults.is_empty() {
        ui.label("None: every value comes from the guideline.");
    }
    for (path, value) in defaults {
        ui.add(egui::Label::new(format!("{path} = {value}")).wrap());
    }
}
