//! Step 1: who the patient is, weight (kg or lb) and when it was taken, height, sex,
//! allergies, and the dosing-weight basis with the engine's ideal/adjusted weights and BMI.

use crate::domain::case::{DosingWeightBasis, Sex};
use crate::domain::findings::DoseField;
use crate::order::format;
use crate::ui::draft::{AgeSource, AllergyAnswer, CaseDraft, HeightUnit, WeightUnitChoice};
use crate::ui::live::{age_mismatch, weighed_on_problem};
use crate::ui::pages::{PageCtx, heading_ui, section_ui};
use crate::ui::theme;
use crate::ui::widgets::field::{
    Row, apply_focus, arrow_group, choice_ui, errors_ui, note_ui, row_label_ui, text_row_ui,
    warning_ui,
};
use crate::ui::widgets::finding::inline_alert_ui;
use crate::ui::widgets::reason::reason_ui;
use egui::Ui;

pub fn ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>) {
    heading_ui(
        ui,
        "1 · Patient",
        "Identify the patient and record a measured weight. Dates are written YYYY-MM-DD.",
    );
    section_ui(ui, "Identity");
    text_row_ui(
        ui,
        ctx,
        Row::text("Patient name", "order.patient_name"),
        &mut draft.patient_name,
        |_| {},
    );
    text_row_ui(
        ui,
        ctx,
        Row::text("MRN", "order.mrn"),
        &mut draft.mrn,
        |_| {},
    );
    text_row_ui(
        ui,
        ctx,
        Row::date("Date of birth", "order.date_of_birth"),
        &mut draft.date_of_birth,
        |_| {},
    );
    age_ui(ui, draft, ctx);

    section_ui(ui, "Body");
    weight_ui(ui, draft, ctx);
    text_row_ui(
        ui,
        ctx,
        Row::date("Date weighed", "order.weighed_on"),
        &mut draft.weighed_on,
        |_| {},
    );
    if let Some(problem) = weighed_on_problem(ctx.protocol, draft, ctx.today) {
        warning_ui(ui, theme::ICON_WARN, theme::AVOID, problem);
    }
    height_ui(ui, draft, ctx);
    let sex_response = ui
        .horizontal(|ui| {
            row_label_ui(ui, "Sex");
            let f = ui.radio_value(&mut draft.sex, Some(Sex::Female), "Female");
            ui.radio_value(&mut draft.sex, Some(Sex::Male), "Male");
            f
        })
        .inner;
    apply_focus(ctx, "patient.sex", &sex_response);
    errors_ui(ui, ctx, "patient.sex");

    section_ui(ui, "Allergies");
    allergies_ui(ui, draft, ctx);

    section_ui(ui, "Dosing weight");
    dosing_weight_ui(ui, draft, ctx);
}

fn age_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>) {
    ui.horizontal(|ui| {
        row_label_ui(ui, "Age");
        ui.radio_value(
            &mut draft.age_source,
            AgeSource::FromDateOfBirth,
            "From the date of birth",
        );
        ui.radio_value(&mut draft.age_source, AgeSource::Entered, "Enter the age");
    });
    match draft.age_source {
        AgeSource::FromDateOfBirth => {
            match draft.age_value(ctx.today).and_then(|v| v.as_f64()) {
                Some(age) => note_ui(ui, format!("= {} years today", format::number(age))),
                None => note_ui(ui, "Enter the date of birth, or enter the age instead."),
            }
            errors_ui(ui, ctx, "patient.age_years");
        }
        AgeSource::Entered => {
            text_row_ui(
                ui,
                ctx,
                Row::number("Age (years)", "patient.age_years"),
                &mut draft.age_years,
                |_| {},
            );
            if let Some(problem) = age_mismatch(draft, ctx.today) {
                warning_ui(ui, theme::ICON_WARN, theme::AVOID, problem);
            }
        }
    }
}

fn weight_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>) {
    let mut unit = draft.weight_unit;
    text_row_ui(
        ui,
        ctx,
        Row::number("Weight", "patient.weight"),
        &mut draft.weight,
        |ui| {
            let kg = choice_ui(ui, &mut unit, WeightUnitChoice::Kg, "kg");
            let lb = choice_ui(ui, &mut unit, WeightUnitChoice::Lb, "lb");
            arrow_group(ui, &[&kg, &lb]);
        },
    );
    // Switching relabels the typed number; the line below says what it means in kg.
    draft.set_weight_unit(unit);
    let actual_kg = ctx
        .live
        .plan
        .as_ref()
        .map(|p| p.weight_kg)
        .or(ctx.live.weights.map(|w| w.actual_kg.value()));
    if let Some(kg) = actual_kg {
        let typed = draft.weight.trim();
        let meaning = match draft.weight_unit {
            WeightUnitChoice::Lb => format!("{typed} lb = {}", format::kg(kg)),
            WeightUnitChoice::Kg => format!(
                "{typed} kg = {} lb",
                format::number(kg / crate::domain::units::KG_PER_LB)
            ),
        };
        note_ui(ui, meaning);
    }
    // V4-20: an adult's weight that looks like a slip is confirmed before any dose.
    if let Some(plan) = &ctx.live.plan
        && let Some(a) = plan.alert_for(DoseField::Weight)
    {
        inline_alert_ui(ui, a);
        let code = a.code.clone();
        crate::ui::widgets::field::indented_ui(ui, |ui| reason_ui(ui, draft, ctx, plan, &code));
    }
}

fn height_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>) {
    text_row_ui(
        ui,
        ctx,
        Row::number("Height", "patient.height_cm"),
        &mut draft.height,
        |ui| {
            let cm = choice_ui(ui, &mut draft.height_unit, HeightUnit::Cm, "cm");
            let inch = choice_ui(ui, &mut draft.height_unit, HeightUnit::In, "in");
            arrow_group(ui, &[&cm, &inch]);
        },
    );
    if draft.height_unit == HeightUnit::In
        && let Some(cm) = ctx
            .live
            .value
            .get("patient")
            .and_then(|p| p.get("height_cm"))
            .and_then(serde_json::Value::as_f64)
    {
        note_ui(ui, format!("= {} cm", format::decimals(cm, 1)));
    }
    if draft.height.trim().is_empty() {
        note_ui(
            ui,
            "Needed for the ideal or adjusted dosing weight and the BMI.",
        );
    }
}

fn allergies_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>) {
    let r = ui
        .horizontal(|ui| {
            row_label_ui(ui, "Allergies");
            let r = ui.radio_value(
                &mut draft.allergy_answer,
                AllergyAnswer::NoneKnown,
                "No known allergies",
            );
            ui.radio_value(
                &mut draft.allergy_answer,
                AllergyAnswer::Listed,
                "Has allergies",
            );
            r
        })
        .inner;
    apply_focus(ctx, "order.allergies", &r);
    match draft.allergy_answer {
        AllergyAnswer::Listed => {
            text_row_ui(
                ui,
                ctx,
                Row::text("Allergy list", "order.allergies").hint("drug: reaction"),
                &mut draft.allergies,
                |_| {},
            );
        }
        AllergyAnswer::Unanswered => {
            warning_ui(
                ui,
                theme::ICON_WARN,
                theme::CAUTION,
                "Required for the order: list the allergies or choose \"No known allergies\".",
            );
        }
        AllergyAnswer::NoneKnown => {}
    }
}

fn dosing_weight_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>) {
    let weights = ctx.live.weights;
    let shown = |kg: Option<f64>| kg.map_or_else(|| "—".to_string(), format::kg);
    let options = [
        (
            DosingWeightBasis::Actual,
            "Actual",
            weights.map(|w| w.actual_kg.value()),
        ),
        (
            DosingWeightBasis::Ideal,
            "Ideal (Devine)",
            weights.and_then(|w| w.ideal_kg.map(|k| k.value())),
        ),
        (
            DosingWeightBasis::Adjusted,
            "Adjusted",
            weights.and_then(|w| w.adjusted_kg.map(|k| k.value())),
        ),
    ];
    let mut first = None;
    for (basis, name, kg) in options {
        ui.horizontal(|ui| {
            let label = if basis == DosingWeightBasis::Actual {
                "Dose by"
            } else {
                ""
            };
            row_label_ui(ui, label);
            let r = ui.radio_value(&mut draft.dosing_weight, basis, name);
            ui.label(egui::RichText::new(shown(kg)).strong());
            first.get_or_insert(r);
        });
    }
    if let Some(r) = first {
        apply_focus(ctx, "regimen.dosing_weight", &r);
    }
    errors_ui(ui, ctx, "regimen.dosing_weight");
    match weights.and_then(|w| w.bmi) {
        Some(bmi) => note_ui(ui, format!("BMI {} kg/m²", format::decimals(bmi, 1))),
        None => note_ui(ui, "BMI: enter the height."),
    }
    if weights.is_some_and(|w| w.ideal_kg.is_none()) {
        note_ui(ui, "Ideal and adjusted weights need the height and sex.");
    }
}
