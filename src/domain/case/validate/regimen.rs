//! The case's regimen: setting and course, dosing weight, bolus, infusion and ceiling (with
//! implausible figures refused), duration and concentration.

use super::reader::{Validator, fmt_num, join};
use crate::domain::case::{
    BolusEntry, BolusUnit, Course, DosingWeightBasis, Patient, RateEntry, RateUnit, Regimen,
    Setting,
};
use crate::domain::units::{Kilograms, cmp_value};
use crate::domain::weight;
use serde_json::Value;

impl Validator<'_> {
    pub(super) fn regimen(&mut self, value: &Value, patient: Option<&Patient>) -> Option<Regimen> {
        let il = self.pack.input_limits.clone();
        let map = self.object(
            "regimen",
            value,
            &[
                "setting",
                "course",
                "dosing_weight",
                "bolus",
                "infusion",
                "max_infusion",
                "duration_h",
                "concentration_mg_per_ml",
            ],
        )?;
        let setting = self.required("regimen", map, "setting").and_then(|s| {
            self.choice(
                "regimen.setting",
                s,
                Setting::parse,
                &["outpatient", "inpatient", "icu"],
            )
        });
        let course = self.required("regimen", map, "course").and_then(|s| {
            self.choice(
                "regimen.course",
                s,
                Course::parse,
                &["single", "series", "continuous"],
            )
        });
        let course = match (setting, course) {
            (Some(Setting::Outpatient), Some(Course::Continuous)) => {
                self.error(
                    "regimen.course",
                    "a continuous (multi-day) infusion cannot be given as an outpatient: choose inpatient or ICU",
                );
                None
            }
            (_, c) => c,
        };
        let basis = match Self::field(map, "dosing_weight") {
            Some(d) => self.choice(
                "regimen.dosing_weight",
                d,
                DosingWeightBasis::parse,
                &["actual", "ideal", "adjusted"],
            ),
            None => Some(DosingWeightBasis::Actual),
        };
        // Ideal and adjusted weights need height and sex.
        let dosing_weight_kg = match (basis, patient) {
            (Some(DosingWeightBasis::Actual), Some(p)) => Some(p.weight.kilograms()),
            (Some(b), Some(p)) => {
                let mut ok = true;
                if p.height_cm.is_none() {
                    self.error(
                        "patient.height_cm",
                        format!("is required for the {} dosing weight", b.as_str()),
                    );
                    ok = false;
                }
                if p.sex.is_none() {
                    self.error(
                        "patient.sex",
                        format!("is required for the {} dosing weight", b.as_str()),
                    );
                    ok = false;
                }
                if ok {
                    weight::dosing_weight(&self.pack.dosing_weight, p, b).map(|w| w.dosing_kg)
                } else {
                    None
                }
            }
            _ => None,
        };

        let bolus = match Self::field(map, "bolus") {
            Some(b) => self.bolus(b, dosing_weight_kg, &il).map(Some),
            None => Some(None),
        };
        let implausible = il.infusion_implausible_above_mg_per_kg_per_h.value;
        let infusion = self
            .required("regimen", map, "infusion")
            .and_then(|i| self.rate("regimen.infusion", i, dosing_weight_kg, implausible));
        let max_infusion = match Self::field(map, "max_infusion") {
            Some(m) => self
                .rate("regimen.max_infusion", m, dosing_weight_kg, implausible)
                .map(Some),
            None => Some(None),
        };
        if let (Some(start), Some(Some(ceiling)), Some(w)) =
            (&infusion, &max_infusion, dosing_weight_kg)
        {
            let start_rate = cmp_value(start.mg_per_kg_per_h(w).value());
            let ceiling_rate = cmp_value(ceiling.mg_per_kg_per_h(w).value());
            if ceiling_rate < start_rate {
                self.error(
                    "regimen.max_infusion.value",
                    format!(
                        "the ceiling ({} mg/kg/h) is below the starting rate ({} mg/kg/h)",
                        fmt_num(ceiling_rate),
                        fmt_num(start_rate)
                    ),
                );
            }
        }
        let duration_max = match setting {
            Some(Setting::Outpatient) => il.outpatient_duration_h_max.value,
            _ => il.duration_h_max.value,
        };
        let duration = self.required("regimen", map, "duration_h").and_then(|d| {
            let x = self.number("regimen.duration_h", d)?;
            if x <= 0.0 || x > duration_max {
                let why = if setting == Some(Setting::Outpatient)
                    && x > duration_max
                    && x <= il.duration_h_max.value
                {
                    " for an outpatient session"
                } else {
                    ""
                };
                self.error(
                    "regimen.duration_h",
                    format!(
                        "must be more than 0 and at most {} h{why}, not {} h",
                        fmt_num(duration_max),
                        fmt_num(x)
                    ),
                );
                return None;
            }
            Some(x)
        });
        let concentration = self
            .required("regimen", map, "concentration_mg_per_ml")
            .and_then(|c| {
                let max = il.concentration_mg_per_ml_max.value;
                let min = il.concentration_mg_per_ml_min.value;
                let x = self.number("regimen.concentration_mg_per_ml", c)?;
                if cmp_value(x) < min || x > max {
                    self.error(
                        "regimen.concentration_mg_per_ml",
                        format!(
                            "must be at least {} mg/mL (a weaker figure is a typing or unit slip) and at most {} mg/mL (the 100 mg/mL vial is never infused undiluted), not {} mg/mL",
                            fmt_num(min),
                            fmt_num(max),
                            fmt_num(x)
                        ),
                    );
                    return None;
                }
                Some(x)
            });
        let bolus = bolus?;
        let max_infusion = max_infusion?;
        Some(Regimen {
            setting: setting?,
            course: course?,
            dosing_weight: basis?,
            bolus,
            infusion: infusion?,
            max_infusion,
            duration_h: duration?,
            concentration_mg_per_ml: concentration?,
        })
    }

    fn bolus(
        &mut self,
        value: &Value,
        dosing_weight: Option<Kilograms>,
        il: &crate::domain::protocol::InputLimits,
    ) -> Option<BolusEntry> {
        let map = self.object("regimen.bolus", value, &["value", "unit", "minutes"])?;
        let unit = self
            .required("regimen.bolus", map, "unit")
            .and_then(|u| self.choice("regimen.bolus.unit", u, BolusUnit::parse, &["mg/kg", "mg"]));
        let number = self
            .required("regimen.bolus", map, "value")
            .and_then(|v| self.number("regimen.bolus.value", v));
        let minutes = match Self::field(map, "minutes") {
            Some(m) => self.ranged(
                "regimen.bolus.minutes",
                m,
                il.bolus_minutes_min.value,
                true,
                il.bolus_minutes_max.value,
                "min",
            ),
            None => Some(il.bolus_minutes_default.value),
        };
        let (number, unit) = (number?, unit?);
        if number < 0.0 {
            self.error("regimen.bolus.value", "must be 0 (no bolus) or more");
            return None;
        }
        let entry = BolusEntry {
            value: number,
            unit,
            minutes: minutes?,
        };
        if let Some(w) = dosing_weight {
            let per_kg = cmp_value(entry.mg_per_kg(w).value());
            let max = il.bolus_implausible_above_mg_per_kg.value;
            if per_kg > max {
                self.error(
                    "regimen.bolus.value",
                    format!(
                        "{} mg/kg is implausible (more than {} mg/kg): check for a decimal-point or unit slip",
                        fmt_num(per_kg),
                        fmt_num(max)
                    ),
                );
                return None;
            }
        }
        Some(entry)
    }

    fn rate(
        &mut self,
        path: &str,
        value: &Value,
        dosing_weight: Option<Kilograms>,
        implausible_above: f64,
    ) -> Option<RateEntry> {
        let map = self.object(path, value, &["value", "unit"])?;
        let unit = self.required(path, map, "unit").and_then(|u| {
            self.choice(
                &join(path, "unit"),
                u,
                RateUnit::parse,
                &["mg/kg/h", "mcg/kg/min", "mg/h"],
            )
        });
        let value_path = join(path, "value");
        let number = self
            .required(path, map, "value")
            .and_then(|v| self.number(&value_path, v));
        let (number, unit) = (number?, unit?);
        if number <= 0.0 {
            self.error(&value_path, "must be more than 0");
            return None;
        }
        let entry = RateEntry {
            value: number,
            unit,
        };
        if let Some(w) = dosing_weight {
            let per_kg = cmp_value(entry.mg_per_kg_per_h(w).value());
            if per_kg > implausible_above {
                self.error(
                    &value_path,
                    format!(
                        "{} mg/kg/h is implausible (more than {} mg/kg/h): check for a decimal-point or unit slip",
                        fmt_num(per_kg),
                        fmt_num(implausible_above)
                    ),
                );
                return None;
            }
        }
        Some(entry)
    }
}
