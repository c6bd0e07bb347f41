//! Case validation: a generic value checked against contract and pack, every error with its path.

use super::{
    Attestations, BolusEntry, BolusUnit, CASE_SCHEMA, Case, Course, DosingWeightBasis, FieldError,
    FollowUp, History, OrderInfo, Patient, RateEntry, RateUnit, Regimen, RiskScores, Setting, Sex,
    WeightEntry, WeightUnit, parse_date,
};
use crate::domain::protocol::{Protocol, ProtocolPack};
use crate::domain::units::{Kilograms, cmp_value};
use crate::domain::weight;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Validate a generic value as a `ketaplan.case/1` document and build the typed case.
/// Every error found is returned, each naming its field path.
pub fn case_from_value(protocol: &Protocol, value: &Value) -> Result<Case, Vec<FieldError>> {
    let mut v = Validator {
        pack: &protocol.pack,
        protocol,
        errors: Vec::new(),
    };
    let case = v.case(value);
    match case {
        Some(case) if v.errors.is_empty() => Ok(case),
        _ => {
            if v.errors.is_empty() {
                v.error("", "the case could not be read");
            }
            Err(v.errors)
        }
    }
}

struct Validator<'p> {
    pack: &'p ProtocolPack,
    protocol: &'p Protocol,
    errors: Vec<FieldError>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn fmt_num(x: f64) -> String {
    crate::domain::number_format::number(x)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl Validator<'_> {
    fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// Check `value` is an object and that it holds only `allowed` keys.
    fn object<'v>(
        &mut self,
        path: &str,
        value: &'v Value,
        allowed: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => {
                for key in map.keys() {
                    if !allowed.contains(&key.as_str()) {
                        self.error(
                            &join(path, key),
                            format!(
                                "unknown field \"{key}\" (expected one of: {})",
                                allowed.join(", ")
                            ),
                        );
                    }
                }
                Some(map)
            }
            other => {
                let what = if path.is_empty() { "the case" } else { path };
                self.error(
                    path,
                    format!("{what} must be an object, not {}", type_name(other)),
                );
                None
            }
        }
    }

    /// A present, non-null field.
    fn field<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
        map.get(key).filter(|v| !v.is_null())
    }

    fn required<'v>(
        &mut self,
        path: &str,
        map: &'v Map<String, Value>,
        key: &str,
    ) -> Option<&'v Value> {
        let found = Self::field(map, key);
        if found.is_none() {
            self.error(&join(path, key), "is required");
        }
        found
    }

    fn number(&mut self, path: &str, value: &Value) -> Option<f64> {
        match value.as_f64() {
            Some(x) if x.is_finite() && value.is_number() => Some(x),
            Some(_) => {
                self.error(path, "must be a finite number");
                None
            }
            None => {
                self.error(path, format!("must be a number, not {}", type_name(value)));
                None
            }
        }
    }

    fn integer(&mut self, path: &str, value: &Value, min: f64, max: f64) -> Option<u32> {
        let x = self.number(path, value)?;
        if x.fract() != 0.0 {
            self.error(path, format!("must be a whole number, not {}", fmt_num(x)));
            return None;
        }
        if x < min || x > max {
            self.error(
                path,
                format!(
                    "must be between {} and {}, not {}",
                    fmt_num(min),
                    fmt_num(max),
                    fmt_num(x)
                ),
            );
            return None;
        }
        u32::try_from(x as i64).ok()
    }

    fn ranged(
        &mut self,
        path: &str,
        value: &Value,
        min: f64,
        min_inclusive: bool,
        max: f64,
        unit: &str,
    ) -> Option<f64> {
        let x = self.number(path, value)?;
        let low_ok = if min_inclusive { x >= min } else { x > min };
        if !low_ok || x > max {
            let lower = if min_inclusive {
                format!("at least {}", fmt_num(min))
            } else {
                format!("more than {}", fmt_num(min))
            };
            let unit_text = if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            };
            self.error(
                path,
                format!(
                    "must be {lower} and at most {}{unit_text}, not {}",
                    fmt_num(max),
                    fmt_num(x)
                ),
            );
            return None;
        }
        Some(x)
    }

    fn text(&mut self, path: &str, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            other => {
                self.error(path, format!("must be text, not {}", type_name(other)));
                None
            }
        }
    }

    fn boolean(&mut self, path: &str, value: &Value) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                self.error(
                    path,
                    format!("must be true or false, not {}", type_name(other)),
                );
                None
            }
        }
    }

    fn choice<T: Copy>(
        &mut self,
        path: &str,
        value: &Value,
        parse: fn(&str) -> Option<T>,
        all: &[&str],
    ) -> Option<T> {
        let s = self.text(path, value)?;
        let parsed = parse(&s);
        if parsed.is_none() {
            self.error(path, format!("\"{s}\" is not one of: {}", all.join(", ")));
        }
        parsed
    }

    fn case(&mut self, value: &Value) -> Option<Case> {
        let map = self.object(
            "",
            value,
            &[
                "schema",
                "patient",
                "condition",
                "condition_detail",
                "screening",
                "screening_no",
                "risk_scores",
                "regimen",
                "history",
                "follow_up",
                "justifications",
                "order",
            ],
        )?;
        if let Some(schema) = Self::field(map, "schema")
            && let Some(s) = self.text("schema", schema)
            && s != CASE_SCHEMA
        {
            self.error("schema", format!("must be \"{CASE_SCHEMA}\", not \"{s}\""));
        }
        let patient = self
            .required("", map, "patient")
            .and_then(|p| self.patient(p));
        let condition = self.condition(map);
        let condition_detail = self.condition_detail(map);
        let (screening, screening_no) = self.screening(map);
        let risk_scores = Self::field(map, "risk_scores").and_then(|r| self.risk_scores(r));
        let history = match Self::field(map, "history") {
            Some(h) => self.history(h),
            None => Some(History::default()),
        };
        let follow_up = match Self::field(map, "follow_up") {
            Some(f) => self.follow_up(f).map(Some),
            None => Some(None),
        };
        let justifications = self.justifications(map);
        let order = match Self::field(map, "order") {
            Some(o) => self.order(o).map(Some),
            None => Some(None),
        };
        // The regimen needs the patient's dosing weight for its plausibility checks.
        let regimen = self
            .required("", map, "regimen")
            .and_then(|r| self.regimen(r, patient.as_ref()));
        Some(Case {
            schema: CASE_SCHEMA.to_string(),
            patient: patient?,
            condition: condition?,
            condition_detail: condition_detail?,
            screening: screening?,
            screening_no: screening_no?,
            risk_scores,
            regimen: regimen?,
            history: history?,
            follow_up: follow_up?,
            justifications: justifications?,
            order: order?,
        })
    }

    fn patient(&mut self, value: &Value) -> Option<Patient> {
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

    fn condition(&mut self, map: &Map<String, Value>) -> Option<String> {
        let value = self.required("", map, "condition")?;
        let s = self.text("condition", value)?;
        if self.protocol.condition(&s).is_none() {
            let all: Vec<&str> = self
                .pack
                .conditions
                .iter()
                .map(|c| c.code.as_str())
                .collect();
            self.error(
                "condition",
                format!("\"{s}\" is not one of: {}", all.join(", ")),
            );
            return None;
        }
        Some(s)
    }

    fn condition_detail(&mut self, map: &Map<String, Value>) -> Option<Option<String>> {
        let Some(value) = Self::field(map, "condition_detail") else {
            return Some(None);
        };
        let s = self.text("condition_detail", value)?;
        let max = self.pack.input_limits.condition_detail_max_chars.value;
        if s.chars().count() as f64 > max {
            self.error(
                "condition_detail",
                format!("must be at most {} characters", fmt_num(max)),
            );
            return None;
        }
        if let Some(why) = super::order_fields::condition_detail_error(&s) {
            self.error("condition_detail", why);
            return None;
        }
        Some(Some(s))
    }

    fn code_list(&mut self, key: &str, value: &Value) -> Option<Vec<String>> {
        let Value::Array(items) = value else {
            self.error(
                key,
                format!("must be a list of codes, not {}", type_name(value)),
            );
            return None;
        };
        let mut out: Vec<String> = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let path = format!("{key}[{i}]");
            let Some(code) = self.text(&path, item) else {
                ok = false;
                continue;
            };
            if !self.protocol.is_screening_code(&code) {
                self.error(&path, format!("unknown screening code \"{code}\""));
                ok = false;
            } else if out.contains(&code) {
                self.error(&path, format!("\"{code}\" is listed twice"));
                ok = false;
            } else {
                out.push(code);
            }
        }
        ok.then_some(out)
    }

    #[allow(clippy::type_complexity)]
    fn screening(
        &mut self,
        map: &Map<String, Value>,
    ) -> (Option<Vec<String>>, Option<Vec<String>>) {
        // Absent means nothing answered Yes yet; every code is then unanswered, which keeps
        // the order unprintable.
        let yes = match Self::field(map, "screening") {
            Some(v) => self.code_list("screening", v),
            None => Some(Vec::new()),
        };
        let no = match Self::field(map, "screening_no") {
            Some(v) => self.code_list("screening_no", v),
            None => Some(Vec::new()),
        };
        if let (Some(yes), Some(Value::Array(items))) = (&yes, Self::field(map, "screening_no")) {
            for (i, item) in items.iter().enumerate() {
                if let Some(code) = item.as_str()
                    && yes.iter().any(|y| y == code)
                {
                    self.error(
                        &format!("screening_no[{i}]"),
                        format!("\"{code}\" is answered both Yes (screening) and No"),
                    );
                    return (Some(yes.clone()), None);
                }
            }
        }
        (yes, no)
    }

    fn risk_scores(&mut self, value: &Value) -> Option<RiskScores> {
        let (ort_max, soapp_max) = (
            self.pack.input_limits.ort_max.value,
            self.pack.input_limits.soapp_r_max.value,
        );
        let map = self.object("risk_scores", value, &["ort", "soapp_r"])?;
        let ort =
            Self::field(map, "ort").and_then(|v| self.integer("risk_scores.ort", v, 0.0, ort_max));
        let soapp_r = Self::field(map, "soapp_r")
            .and_then(|v| self.integer("risk_scores.soapp_r", v, 0.0, soapp_max));
        Some(RiskScores { ort, soapp_r })
    }

    fn history(&mut self, value: &Value) -> Option<History> {
        let map = self.object(
            "history",
            value,
            &["treatments_past_12_months", "lft_raised_unresolved"],
        )?;
        let count = match Self::field(map, "treatments_past_12_months") {
            Some(v) => self.integer(
                "history.treatments_past_12_months",
                v,
                0.0,
                f64::from(u16::MAX),
            )?,
            None => 0,
        };
        let lft_raised_unresolved = match Self::field(map, "lft_raised_unresolved") {
            Some(v) => self.boolean("history.lft_raised_unresolved", v)?,
            None => false,
        };
        Some(History {
            treatments_past_12_months: count,
            lft_raised_unresolved,
        })
    }

    fn follow_up(&mut self, value: &Value) -> Option<FollowUp> {
        let il = &self.pack.input_limits;
        let (pain_max, odi_max) = (il.pain_score_max.value, il.odi_max.value);
        let map = self.object(
            "follow_up",
            value,
            &[
                "pain_before",
                "pain_after",
                "satisfied",
                "relief_ongoing",
                "odi_before",
                "odi_after",
                "opioid_mme_before",
                "opioid_mme_after",
                "weeks_of_relief",
                "setting",
                "course",
            ],
        )?;
        let mut ok = true;
        let mut num = |v: &mut Self, key: &str, max: f64, unit: &str| -> Option<f64> {
            let value = Self::field(map, key)?;
            let r = v.ranged(&format!("follow_up.{key}"), value, 0.0, true, max, unit);
            if r.is_none() {
                ok = false;
            }
            r
        };
        let pain_before = num(self, "pain_before", pain_max, "");
        let pain_after = num(self, "pain_after", pain_max, "");
        let odi_before = num(self, "odi_before", odi_max, "");
        let odi_after = num(self, "odi_after", odi_max, "");
        let opioid_mme_before = num(self, "opioid_mme_before", f64::MAX, "mg");
        let opioid_mme_after = num(self, "opioid_mme_after", f64::MAX, "mg");
        let weeks_of_relief = num(self, "weeks_of_relief", f64::MAX, "weeks");
        let mut flag = |v: &mut Self, key: &str| -> Option<bool> {
            let value = Self::field(map, key)?;
            let r = v.boolean(&format!("follow_up.{key}"), value);
            if r.is_none() {
                ok = false;
            }
            r
        };
        let satisfied = flag(self, "satisfied");
        let relief_ongoing = flag(self, "relief_ongoing");
        let setting = Self::field(map, "setting").and_then(|s| {
            self.choice(
                "follow_up.setting",
                s,
                Setting::parse,
                &["outpatient", "inpatient", "icu"],
            )
        });
        let course = Self::field(map, "course").and_then(|s| {
            self.choice(
                "follow_up.course",
                s,
                Course::parse,
                &["single", "series", "continuous"],
            )
        });
        if (Self::field(map, "setting").is_some() && setting.is_none())
            || (Self::field(map, "course").is_some() && course.is_none())
        {
            ok = false;
        }
        ok.then_some(FollowUp {
            pain_before,
            pain_after,
            satisfied,
            relief_ongoing,
            odi_before,
            odi_after,
            opioid_mme_before,
            opioid_mme_after,
            weeks_of_relief,
            setting,
            course,
        })
    }

    fn justifications(&mut self, map: &Map<String, Value>) -> Option<BTreeMap<String, String>> {
        let Some(value) = Self::field(map, "justifications") else {
            return Some(BTreeMap::new());
        };
        let Value::Object(entries) = value else {
            self.error(
                "justifications",
                format!(
                    "must be a map from finding code to reason, not {}",
                    type_name(value)
                ),
            );
            return None;
        };
        let min = self.pack.input_limits.justification_min_chars.value;
        let mut out = BTreeMap::new();
        let mut ok = true;
        for (code, text) in entries {
            let path = format!("justifications.{code}");
            if text.is_null() {
                continue;
            }
            let Some(text) = self.text(&path, text) else {
                ok = false;
                continue;
            };
            if (text.trim().chars().count() as f64) < min {
                self.error(
                    &path,
                    format!("a reason must be at least {} characters long", fmt_num(min)),
                );
                ok = false;
                continue;
            }
            let errors = super::order_fields::reason_errors(self.pack, &text);
            if !errors.is_empty() {
                for e in errors {
                    self.error(&path, e);
                }
                ok = false;
                continue;
            }
            out.insert(code.clone(), text);
        }
        ok.then_some(out)
    }

    fn order(&mut self, value: &Value) -> Option<OrderInfo> {
        let map = self.object(
            "order",
            value,
            &[
                "patient_name",
                "mrn",
                "date_of_birth",
                "weighed_on",
                "allergies",
                "prescriber",
                "clinic",
                "clinic_phone",
                "order_number",
                "supervising_physician_name",
                "administering_clinician_name",
                "airway_clinician_name",
                "attest",
            ],
        )?;
        let mut ok = true;
        let mut text = |v: &mut Self, key: &str, is_date: bool| -> Option<String> {
            let value = Self::field(map, key)?;
            let path = format!("order.{key}");
            let s = v.text(&path, value);
            match &s {
                None => ok = false,
                Some(s) if is_date && parse_date(s).is_none() => {
                    v.error(
                        &path,
                        format!("must be a date written YYYY-MM-DD, not \"{s}\""),
                    );
                    ok = false;
                }
                Some(s) => {
                    let errors = super::order_fields::order_field_errors(v.pack, key, s);
                    ok &= errors.is_empty();
                    for e in errors {
                        v.error(&path, e);
                    }
                }
            }
            s
        };
        let info = OrderInfo {
            patient_name: text(self, "patient_name", false),
            mrn: text(self, "mrn", false),
            date_of_birth: text(self, "date_of_birth", true),
            weighed_on: text(self, "weighed_on", true),
            allergies: text(self, "allergies", false),
            prescriber: text(self, "prescriber", false),
            clinic: text(self, "clinic", false),
            clinic_phone: text(self, "clinic_phone", false),
            order_number: text(self, "order_number", false),
            supervising_physician_name: text(self, "supervising_physician_name", false),
            administering_clinician_name: text(self, "administering_clinician_name", false),
            airway_clinician_name: text(self, "airway_clinician_name", false),
            attest: None,
        };
        let attest = match Self::field(map, "attest") {
            Some(a) => self.attest(a),
            None => Some(Attestations::default()),
        };
        let attest = attest?;
        ok.then_some(OrderInfo {
            attest: Some(attest),
            ..info
        })
    }

    fn attest(&mut self, value: &Value) -> Option<Attestations> {
        let map = self.object(
            "order.attest",
            value,
            &[
                "supervising_physician",
                "administering_clinician",
                "resuscitation_ready",
                "airway_clinician_available",
            ],
        )?;
        let mut ok = true;
        let mut flag = |v: &mut Self, key: &str| -> Option<bool> {
            let value = Self::field(map, key)?;
            let r = v.boolean(&format!("order.attest.{key}"), value);
            if r.is_none() {
                ok = false;
            }
            r
        };
        let a = Attestations {
            supervising_physician: flag(self, "supervising_physician"),
            administering_clinician: flag(self, "administering_clinician"),
            resuscitation_ready: flag(self, "resuscitation_ready"),
            airway_clinician_available: flag(self, "airway_clinician_available"),
        };
        ok.then_some(a)
    }

    fn regimen(&mut self, value: &Value, patient: Option<&Patient>) -> Option<Regimen> {
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
