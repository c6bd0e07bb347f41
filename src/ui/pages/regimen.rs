//! Step 4: setting, course, bolus, starting infusion and ceiling, duration, concentration.
//! Every equivalent unit appears under its field and every limit beside it, from the Plan.

use crate::domain::Plan;
use crate::domain::case::{BolusUnit, Course, RateUnit, Setting};
use crate::domain::findings::DoseField;
use crate::domain::units::{Kilograms, MgPerMl, MlPerHour};
use crate::order::format;
use crate::ui::draft::CaseDraft;
use crate::ui::pages::{PageCtx, PageState, heading_ui, section_ui};
use crate::ui::theme;
use crate::ui::widgets::field::{
    Row, apply_focus, arrow_group, choice_ui, entry_ui, errors_ui, indented_ui, note_ui,
    row_label_ui, text_row_ui, warning_ui,
};
use crate::ui::widgets::finding::inline_alert_ui;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, draft: &mut CaseDraft, state: &mut PageState, ctx: &PageCtx<'_>) {
    heading_ui(
        ui,
        "4 · Regimen",
        "Each dose is shown in every unit as you type; a limit appears beside its field.",
    );
    let plan = ctx.live.plan.as_ref();

    section_ui(ui, "Setting and course");
    let r = ui
        .horizontal(|ui| {
            row_label_ui(ui, "Setting");
            let r = ui.radio_value(&mut draft.setting, Some(Setting::Outpatient), "Outpatient");
            let inpatient =
                ui.radio_value(&mut draft.setting, Some(Setting::Inpatient), "Inpatient");
            let icu = ui.radio_value(&mut draft.setting, Some(Setting::Icu), "ICU");
            arrow_group(ui, &[&r, &inpatient, &icu]);
            r
        })
        .inner;
    apply_focus(ctx, "regimen.setting", &r);
    errors_ui(ui, ctx, "regimen.setting");
    let r = ui
        .horizontal(|ui| {
            row_label_ui(ui, "Course");
            let r = ui.radio_value(&mut draft.course, Some(Course::Single), "Single session");
            let series = ui.radio_value(&mut draft.course, Some(Course::Series), "Series");
            let continuous = ui.radio_value(
                &mut draft.course,
                Some(Course::Continuous),
                "Continuous (multi-day)",
            );
            arrow_group(ui, &[&r, &series, &continuous]);
            r
        })
        .inner;
    apply_focus(ctx, "regimen.course", &r);
    errors_ui(ui, ctx, "regimen.course");
    text_row_ui(
        ui,
        ctx,
        Row::number(
            "Sessions in past 12 months",
            "history.treatments_past_12_months",
        ),
        &mut draft.treatments_past_12_months,
        |_| {},
    );
    ui.horizontal(|ui| {
        row_label_ui(ui, "");
        ui.checkbox(
            &mut draft.lft_raised_unresolved,
            "A raised liver test has no normal result since (filled from the course)",
        );
    });
    if let Some(p) = plan {
        note_ui(
            ui,
            format!(
                "This session makes {} in 12 months.",
                p.treatments_in_12_months
            ),
        );
    }

    section_ui(ui, "Bolus");
    bolus_ui(ui, draft, ctx, plan);

    section_ui(ui, "Infusion");
    infusion_ui(ui, draft, ctx, plan);

    section_ui(ui, "Bag or syringe");
    concentration_ui(ui, draft, ctx, plan);

    section_ui(ui, "Pump check (reverse calculator)");
    reverse_ui(ui, state, plan);

    pk_section_ui(ui, ctx.pk);
}

/// The section "Predicted concentration" (here and on Review), when there is a plan.
pub(super) fn pk_section_ui(ui: &mut Ui, view: Option<&crate::ui::widgets::pk_plot::PkView>) {
    if let Some(view) = view {
        section_ui(ui, "Predicted concentration");
        crate::ui::widgets::pk_plot::pk_plot_ui(ui, view);
    }
}

fn bolus_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>, plan: Option<&Plan>) {
    let r = ui
        .horizontal(|ui| {
            row_label_ui(ui, "");
            ui.checkbox(&mut draft.bolus_on, "Give a bolus")
        })
        .inner;
    apply_focus(ctx, "regimen.bolus", &r);
    if !draft.bolus_on {
        errors_ui(ui, ctx, "regimen.bolus");
        return;
    }
    text_row_ui(
        ui,
        ctx,
        Row::number("Bolus dose", "regimen.bolus.value"),
        &mut draft.bolus_value,
        |ui| {
            let per_kg = choice_ui(ui, &mut draft.bolus_unit, BolusUnit::MgPerKg, "mg/kg");
            let mg = choice_ui(ui, &mut draft.bolus_unit, BolusUnit::Mg, "mg");
            arrow_group(ui, &[&per_kg, &mg]);
        },
    );
    errors_ui(ui, ctx, "regimen.bolus.unit");
    let default_minutes =
        format::number(ctx.protocol.pack.input_limits.bolus_minutes_default.value);
    text_row_ui(
        ui,
        ctx,
        Row::number("Bolus over (min)", "regimen.bolus.minutes").hint(&default_minutes),
        &mut draft.bolus_minutes,
        |_| {},
    );
    if let Some(p) = plan
        && let (Some(mg), Some(per_kg), Some(minutes)) =
            (p.bolus_mg, p.bolus_mg_per_kg, p.bolus_minutes)
    {
        note_ui(
            ui,
            format!(
                "= {} = {} over {} min",
                format::mg(mg),
                format::mg_per_kg(per_kg),
                format::number(minutes)
            ),
        );
    }
    if let Some(a) = plan.and_then(|p| p.alert_for(DoseField::Bolus)) {
        inline_alert_ui(ui, a);
    }
}

fn rate_units_ui(ui: &mut Ui, unit: &mut RateUnit, salt: &str) {
    let mut group = Vec::new();
    for u in RateUnit::ALL {
        let r = choice_ui(ui, unit, *u, u.as_str());
        // Two rows offer the same units: say which one each button belongs to.
        let name = format!("{salt} in {}", u.as_str());
        let selected = *unit == *u;
        r.widget_info(|| {
            egui::WidgetInfo::selected(egui::Role::RadioButton, true, selected, name.clone())
        });
        group.push(r);
    }
    let refs: Vec<&egui::Response> = group.iter().collect();
    arrow_group(ui, &refs);
}

fn infusion_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>, plan: Option<&Plan>) {
    text_row_ui(
        ui,
        ctx,
        Row::number("Starting infusion", "regimen.infusion.value"),
        &mut draft.infusion_value,
        |ui| rate_units_ui(ui, &mut draft.infusion_unit, "Starting infusion"),
    );
    errors_ui(ui, ctx, "regimen.infusion.unit");
    if let Some(p) = plan {
        note_ui(
            ui,
            format!(
                "= {} = {} = {} = {} at {}",
                format::mg_per_kg_per_h(p.infusion_mg_per_kg_per_h),
                format::mcg_per_kg_per_min(p.infusion_mcg_per_kg_per_min),
                format::mg_per_h(p.infusion_mg_per_h),
                format::ml_per_h(p.pump_ml_per_h),
                format::mg_per_ml(p.concentration_mg_per_ml)
            ),
        );
    }
    let infusion_alert = plan.and_then(|p| p.alert_for(DoseField::Infusion));
    if !draft.ceiling_on
        && let Some(a) = infusion_alert
    {
        inline_alert_ui(ui, a);
    }

    let r = ui
        .horizontal(|ui| {
            row_label_ui(ui, "");
            ui.checkbox(&mut draft.ceiling_on, "Titrate up to a ceiling")
        })
        .inner;
    apply_focus(ctx, "regimen.max_infusion", &r);
    if draft.ceiling_on {
        text_row_ui(
            ui,
            ctx,
            Row::number("Titration ceiling", "regimen.max_infusion.value"),
            &mut draft.ceiling_value,
            |ui| rate_units_ui(ui, &mut draft.ceiling_unit, "Titration ceiling"),
        );
        errors_ui(ui, ctx, "regimen.max_infusion.unit");
        if let Some(p) = plan {
            note_ui(
                ui,
                format!(
                    "= {} = {} = {} = {}",
                    format::mg_per_kg_per_h(p.max_infusion_mg_per_kg_per_h),
                    format::mcg_per_kg_per_min(p.max_infusion_mcg_per_kg_per_min),
                    format::mg_per_h(p.max_infusion_mg_per_h),
                    format::ml_per_h(p.max_pump_ml_per_h)
                ),
            );
        }
        // Infusion limits are judged at the ceiling, so the alert sits here.
        if let Some(a) = infusion_alert {
            inline_alert_ui(ui, a);
        }
    } else {
        errors_ui(ui, ctx, "regimen.max_infusion");
    }

    text_row_ui(
        ui,
        ctx,
        Row::number("Duration (h)", "regimen.duration_h"),
        &mut draft.duration_h,
        |_| {},
    );
    if let Some(p) = plan {
        let mut text = format!("Total {} at the starting rate", format::mg(p.total_mg));
        if p.max_total_mg != p.total_mg {
            text.push_str(&format!(
                ", up to {} at the ceiling",
                format::mg(p.max_total_mg)
            ));
        }
        text.push_str(&format!(
            "; the pump delivers {}",
            format::mg(p.delivered_total_mg)
        ));
        note_ui(ui, text);
        if p.first_infusion_minimum_met == Some(false) {
            warning_ui(
                ui,
                theme::ICON_WARN,
                theme::CAUTION,
                format!(
                    "Below the first-infusion minimum ({} over more than {} h).",
                    format::mg(ctx.protocol.pack.first_infusion.min_total_mg.value),
                    format::number(ctx.protocol.pack.first_infusion.min_duration_above_h.value)
                ),
            );
        }
    }
}

fn concentration_ui(ui: &mut Ui, draft: &mut CaseDraft, ctx: &PageCtx<'_>, plan: Option<&Plan>) {
    let typed = draft.concentration_mg_per_ml.trim().parse::<f64>().ok();
    let mut first = None;
    for (i, c) in ctx.protocol.pack.concentrations.iter().enumerate() {
        let selected = !draft.concentration_custom && typed == Some(c.mg_per_ml);
        ui.horizontal_top(|ui| {
            row_label_ui(ui, if i == 0 { "Concentration" } else { "" });
            // Long pharmacy labels wrap beside the radio instead of running under the panel.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
            let r = ui.radio(
                selected,
                format!("{} — {}", format::mg_per_ml(c.mg_per_ml), c.label),
            );
            if r.clicked() {
                draft.concentration_custom = false;
                draft.concentration_mg_per_ml = format::number(c.mg_per_ml).replace(',', "");
            }
            first.get_or_insert(r);
        });
    }
    let custom = ui
        .horizontal(|ui| {
            row_label_ui(ui, "");
            ui.radio(draft.concentration_custom, "Custom concentration")
        })
        .inner;
    if custom.clicked() {
        draft.concentration_custom = true;
    }
    if let Some(r) = first {
        apply_focus(ctx, "regimen.concentration_mg_per_ml", &r);
    }
    if draft.concentration_custom {
        text_row_ui(
            ui,
            ctx,
            Row::number("Custom (mg/mL)", "regimen.concentration_mg_per_ml"),
            &mut draft.concentration_mg_per_ml,
            |_| {},
        );
    } else {
        errors_ui(ui, ctx, "regimen.concentration_mg_per_ml");
    }
    if let Some(a) = plan.and_then(|p| p.alert_for(DoseField::Pump)) {
        inline_alert_ui(ui, a);
    }
    if let Some(prep) = plan.and_then(|p| crate::domain::preparation::preparation(ctx.protocol, p))
    {
        let n = prep.containers;
        note_ui(
            ui,
            format!(
                "{n} {}{} needed for this session (see the preparation on the order).",
                prep.container,
                if n == 1 { "" } else { "s" }
            ),
        );
    }
    // The pump maximum and the concentration floor (V4-01, V4-02) both sit on this field.
    for a in plan
        .into_iter()
        .flat_map(|p| &p.limit_alerts)
        .filter(|a| a.field == DoseField::Concentration)
    {
        inline_alert_ui(ui, a);
    }
}

/// Type the pump's current mL/h; see what it delivers in mg/h and mg/kg/h.
fn reverse_ui(ui: &mut Ui, state: &mut PageState, plan: Option<&Plan>) {
    ui.horizontal(|ui| {
        let l = row_label_ui(ui, "Pump now (mL/h)");
        entry_ui(
            ui,
            "page.pump_now_ml_per_h",
            l.id,
            &mut state.pump_now_ml_per_h,
            theme::NUMBER_WIDTH,
            "",
        );
    });
    let text = state.pump_now_ml_per_h.trim();
    if text.is_empty() {
        note_ui(
            ui,
            "Type the rate the pump shows to check the dose it delivers.",
        );
        return;
    }
    let Some(plan) = plan else {
        note_ui(ui, "Needs a valid plan (concentration and dosing weight).");
        return;
    };
    match text.parse::<f64>() {
        Ok(ml_h) if ml_h.is_finite() && ml_h >= 0.0 => {
            let mg_h = MlPerHour(ml_h).delivered(MgPerMl(plan.concentration_mg_per_ml));
            let per_kg = mg_h.per_weight(Kilograms(plan.dosing_weight_kg));
            indented_ui(ui, |ui| {
                ui.label(
                    RichText::new(format!(
                        "{} at {} = {} = {}",
                        format::ml_per_h(ml_h),
                        format::mg_per_ml(plan.concentration_mg_per_ml),
                        format::mg_per_h(mg_h.value()),
                        format::mg_per_kg_per_h(per_kg.value())
                    ))
                    .strong(),
                );
            });
        }
        _ => {
            warning_ui(
                ui,
                theme::ICON_ERROR,
                theme::STOP,
                format!("\"{text}\" is not a rate in mL/h"),
            );
        }
    }
}
