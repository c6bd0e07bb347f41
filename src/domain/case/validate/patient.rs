//! The case's patient: age, weight (kg or lb, within the pack's range), height and sex.

use super::reader::{Validator, fmt_num};
use crate::domain::case::{Patient, Sex, WeightEntry, WeightUnit};
use crate::domain::units::cmp_value;
use serde_json::Value;

impl Validator<'_> {
    pub(super) fn patient(&mut self, value: &Value) -> Option<Patient> {
        let il = &self.pack.input_limits;
        let (age_max, w_min, w_max, h_min, h_max) = (
            il.age_years_max.value,
            il.weight_kg_min.value,
            il.weight_kg_max.value,
            il.height_cm_min.value,
            il.height_cm_max.value,
        );
        let map = self.object(
            "patient",
            value,
            &["age_years", "weight", "height_cm", "sex"],
        )?;
        let age = self
            .required("patient", map, "age_years")
            .and_then(|a| self.integer("patient.age_years", a, 0.0, age_max));
        let weight = self
            .required("patient", map, "weight")
            .and_then(|w| self.weight(w, w_min, w_max));
        let height = match Self::field(map, "height_cm") {
            Some(h) => self
                .ranged("patient.height_cm", h, h_min, true, h_max, "cm")
                .map(Some),
            None => Some(None),
        };
        let sex = match Self::field(map, "sex") {
            Some(s) => self
                .choice("patient.sex", s, Sex::parse, &["female", "male"])
                .map(Some),
            None => Some(None),
        };
        Some(Patient {
            age_years: age?,
            weight: weight?,
            height_cm: height?,
            sex: sex?,
        })
    }

    fn weight(&mut self, value: &Value, min_kg: f64, max_kg: f64) -> Option<WeightEntry> {
        let map = self.object("patient.weight", value, &["value", "unit"])?;
        let unit = self
            .required("patient.weight", map, "unit")
            .and_then(|u| self.choice("patient.weight.unit", u, WeightUnit::parse, &["kg", "lb"]));
        let number = self
            .required("patient.weight", map, "value")
            .and_then(|v| self.number("patient.weight.value", v));
        let (number, unit) = (number?, unit?);
        let entry = WeightEntry {
            value: number,
            unit,
        };
        let kg = cmp_value(entry.kilograms().value());
        if number <= 0.0 {
            self.error("patient.weight.value", "must be more than 0");
            return None;
        }
        if kg < min_kg || kg > max_kg {
            let shown = match unit {
                WeightUnit::Kg => format!("{} kg", fmt_num(number)),
                WeightUnit::Lb => format!("{} lb = {} kg", fmt_num(number), fmt_num(kg)),
            };
            self.error(
                "patient.weight.value",
                format!(
                    "the weight must lie between {} kg and {} kg, not {shown}",
                    fmt_num(min_kg),
                    fmt_num(max_kg)
                ),
            );
            return None;
        }
        Some(entry)
    }
}
