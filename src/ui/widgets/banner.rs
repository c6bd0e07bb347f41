//! The patient banner: who this order is for, on every page.

use crate::order::format;
use crate::ui::draft::{AllergyAnswer, CaseDraft, NO_KNOWN_ALLERGIES};
use crate::ui::live::Live;
use crate::ui::theme;
use egui::{RichText, Ui};

fn item_ui(ui: &mut Ui, key: &str, value: Option<String>) {
    ui.label(RichText::new(format!("{key}:")).color(theme::on(ui, theme::MUTED)));
    match value {
        Some(v) => ui.label(RichText::new(v).strong()),
        None => {
            theme::icon_ui(ui, theme::ICON_WARN, theme::AVOID);
            ui.label(RichText::new("missing").color(theme::on(ui, theme::AVOID)))
        }
    };
    ui.separator();
}

fn filled(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub fn patient_banner_ui(ui: &mut Ui, draft: &CaseDraft, live: &Live) {
    ui.horizontal_wrapped(|ui| {
        item_ui(ui, "Patient", filled(&draft.patient_name));
        let age = live
            .value
            .get("patient")
            .and_then(|p| p.get("age_years"))
            .and_then(serde_json::Value::as_f64)
            .filter(|_| !live.errors.iter().any(|e| e.field == "patient.age_years"));
        let dob = filled(&draft.date_of_birth).map(|d| match age {
            Some(a) => format!("{d} ({} y)", format::number(a)),
            None => d,
        });
        item_ui(ui, "DOB", dob);
        item_ui(ui, "MRN", filled(&draft.mrn));
        let allergies = match draft.allergy_answer {
            AllergyAnswer::Unanswered => None,
            AllergyAnswer::NoneKnown => Some(NO_KNOWN_ALLERGIES.to_string()),
            AllergyAnswer::Listed => filled(&draft.allergies),
        };
        item_ui(ui, "Allergies", allergies);
        // From the plan when there is one; else the engine's weights for the patient block.
        let dosing = match (&live.plan, &live.weights) {
            (Some(p), _) => Some(format!(
                "{} ({})",
                format::kg(p.dosing_weight_kg),
                p.dosing_weight_basis
            )),
            (None, Some(w)) => Some(format!(
                "{} ({})",
                format::kg(w.dosing_kg.value()),
                w.basis.as_str()
            )),
            _ => None,
        };
        item_ui(ui, "Dosing weight", dosing);
    });
}
