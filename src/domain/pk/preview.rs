//! A plan's predicted concentration, as the CLI prints it and the app draws it: the pack's
//! model for the patient's actual weight, the curve at the starting rate (bolus over its
//! minutes, then the infusion for the duration, then the washout) and, when the plan titrates,
//! the curve at the ceiling.

use super::{Curve, Disposition, Regimen, curve};
use crate::domain::plan::Plan;
use crate::domain::protocol::{PkModel, PkRules};

/// What the preview shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PkPreview {
    pub model: PkModel,
    /// Actual body weight: the model's volume is per kg of it.
    pub weight_kg: f64,
    pub curve: Curve,
    /// The same regimen at the titration ceiling, when the plan titrates up to one.
    pub ceiling: Option<Curve>,
    /// When the infusion ends, minutes from the start.
    pub end_min: f64,
}

/// The preview of `plan` with the pack's model `model_id` (its default when `None`).
pub fn preview(rules: &PkRules, plan: &Plan, model_id: Option<&str>) -> Result<PkPreview, String> {
    let Some(model) = rules.model(model_id) else {
        let known: Vec<&str> = rules.models.iter().map(|m| m.id.as_ref()).collect();
        return Err(format!(
            "--model {}: the protocol pack has no such model (it has {})",
            model_id.unwrap_or(&rules.default_model),
            known.join(", ")
        ));
    };
    let d = Disposition::new(model, plan.weight_kg)?;
    let regimen = Regimen {
        bolus_mg: plan.bolus_mg.unwrap_or(0.0),
        bolus_min: plan.bolus_minutes.unwrap_or(0.0),
        infusion_mg_per_h: plan.infusion_mg_per_h,
        infusion_h: plan.duration_h,
    };
    let washout = rules.washout_min.value;
    let ceiling = (plan.titration.is_some() && plan.max_infusion_mg_per_h > plan.infusion_mg_per_h)
        .then(|| {
            let at_ceiling = Regimen {
                infusion_mg_per_h: plan.max_infusion_mg_per_h,
                ..regimen
            };
            curve(&d, &at_ceiling, washout)
        });
    Ok(PkPreview {
        model: model.clone(),
        weight_kg: plan.weight_kg,
        curve: curve(&d, &regimen, washout),
        ceiling,
        end_min: regimen.end_min(),
    })
}
