//! The draft as a `ketaplan.case/1` value for the engine's validator (draft → case value).

use super::{AllergyAnswer, CaseDraft, NO_KNOWN_ALLERGIES, content_key, non_empty, number_value};
use crate::domain::case::RateUnit;
use crate::domain::protocol::Protocol;
use chrono::NaiveDate;
use serde_json::{Map, Value, json};

impl CaseDraft {
    /// The draft as a `ketaplan.case/1` value. Empty optional fields are left out.
    pub fn to_value(&self, protocol: &Protocol, today: NaiveDate) -> Value {
        let mut case = self.value_without_order_number(protocol, today);
        if let Some(number) = &self.order_number
            && self.order_number_content.as_deref() == Some(content_key(&case).as_str())
            && let Some(Value::Object(order)) = case.get_mut("order")
        {
            order.insert("order_number".into(), json!(number));
        }
        Value::Object(case)
    }

    /// The case as it is saved: [`to_value`](Self::to_value) with every reason typed,
    /// including those still too short to count (the validator flags them beside their
    /// box when the file is opened again). The live plan never counts a short reason.
    pub fn to_saved_value(&self, protocol: &Protocol, today: NaiveDate) -> Value {
        let mut value = self.to_value(protocol, today);
        if let Some(Value::Object(saved)) = value.get_mut("justifications") {
            for (code, j) in &self.justifications {
                if !j.text.trim().is_empty() && !saved.contains_key(code) {
                    saved.insert(code.clone(), json!(j.text));
                }
            }
        }
        value
    }

    /// The order number the case carries as it stands: the loaded one while nothing has
    /// changed, else none (a new number is derived from the new content).
    pub fn order_number_in_force(&self, protocol: &Protocol, today: NaiveDate) -> Option<String> {
        let case = self.value_without_order_number(protocol, today);
        self.order_number
            .clone()
            .filter(|_| self.order_number_content.as_deref() == Some(content_key(&case).as_str()))
    }

    pub(super) fn value_without_order_number(
        &self,
        protocol: &Protocol,
        today: NaiveDate,
    ) -> Map<String, Value> {
        let mut patient = Map::new();
        if let Some(age) = self.age_value(today) {
            patient.insert("age_years".into(), age);
        }
        let mut weight = Map::new();
        if let Some(w) = number_value(&self.weight) {
            weight.insert("value".into(), w);
        }
        weight.insert("unit".into(), json!(self.weight_unit.as_str()));
        patient.insert("weight".into(), Value::Object(weight));
        if let Some(h) = self.height_cm_value() {
            patient.insert("height_cm".into(), h);
        }
        if let Some(sex) = self.sex {
            patient.insert("sex".into(), json!(sex.as_str()));
        }

        let mut case = Map::new();
        case.insert("schema".into(), json!(crate::domain::case::CASE_SCHEMA));
        case.insert("patient".into(), Value::Object(patient));
        if let Some(c) = &self.condition {
            case.insert("condition".into(), json!(c));
        }
        // Exactly as typed (the validator counts its length as typed).
        if !self.condition_detail.trim().is_empty() {
            case.insert("condition_detail".into(), json!(self.condition_detail));
        }
        // Answers in the loaded file's order, then in pack order, so error paths
        // (`screening[i]`) are stable and an opened case is written back as it was.
        let mut codes: Vec<&str> = protocol
            .screening_codes()
            .map(|d| d.code.as_str())
            .collect();
        codes.sort_by_key(|c| {
            self.answer_order
                .iter()
                .position(|o| o == c)
                .unwrap_or(usize::MAX)
        });
        let yes: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| self.answer(c) == Some(true))
            .collect();
        let no: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| self.answer(c) == Some(false))
            .collect();
        case.insert("screening".into(), json!(yes));
        case.insert("screening_no".into(), json!(no));
        // Scores typed are kept whatever the answer (the engine reads them as the CLI does;
        // the Screening page shows them whenever there are any).
        let mut scores = Map::new();
        if let Some(v) = number_value(&self.ort) {
            scores.insert("ort".into(), v);
        }
        if let Some(v) = number_value(&self.soapp_r) {
            scores.insert("soapp_r".into(), v);
        }
        if !scores.is_empty() || self.risk_scores_in_file {
            case.insert("risk_scores".into(), Value::Object(scores));
        }

        let mut regimen = Map::new();
        if let Some(s) = self.setting {
            regimen.insert("setting".into(), json!(s.as_str()));
        }
        if let Some(c) = self.course {
            regimen.insert("course".into(), json!(c.as_str()));
        }
        regimen.insert("dosing_weight".into(), json!(self.dosing_weight.as_str()));
        if self.bolus_on {
            let mut bolus = Map::new();
            if let Some(v) = number_value(&self.bolus_value) {
                bolus.insert("value".into(), v);
            }
            bolus.insert("unit".into(), json!(self.bolus_unit.as_str()));
            if let Some(m) = number_value(&self.bolus_minutes) {
                bolus.insert("minutes".into(), m);
            }
            regimen.insert("bolus".into(), Value::Object(bolus));
        }
        regimen.insert(
            "infusion".into(),
            rate_value(&self.infusion_value, self.infusion_unit),
        );
        if self.ceiling_on {
            regimen.insert(
                "max_infusion".into(),
                rate_value(&self.ceiling_value, self.ceiling_unit),
            );
        }
        if let Some(d) = number_value(&self.duration_h) {
            regimen.insert("duration_h".into(), d);
        }
        if let Some(c) = number_value(&self.concentration_mg_per_ml) {
            regimen.insert("concentration_mg_per_ml".into(), c);
        }
        case.insert("regimen".into(), Value::Object(regimen));
        let mut history = Map::new();
        if let Some(n) = number_value(&self.treatments_past_12_months) {
            history.insert("treatments_past_12_months".into(), n);
        }
        if self.lft_raised_unresolved {
            history.insert("lft_raised_unresolved".into(), Value::Bool(true));
        }
        case.insert("history".into(), Value::Object(history));
        if let Some(f) = &self.follow_up {
            case.insert("follow_up".into(), f.clone());
        }

        // Only reasons long enough go in; shorter ones are flagged beside their box.
        let min_chars = protocol.pack.input_limits.justification_min_chars.value;
        let mut justifications = Map::new();
        for (code, j) in &self.justifications {
            if j.text.trim().chars().count() as f64 >= min_chars {
                justifications.insert(code.clone(), json!(j.text));
            }
        }
        case.insert("justifications".into(), Value::Object(justifications));

        let mut order = Map::new();
        let texts = [
            ("patient_name", &self.patient_name),
            ("mrn", &self.mrn),
            ("date_of_birth", &self.date_of_birth),
            ("weighed_on", &self.weighed_on),
            ("prescriber", &self.prescriber),
            ("clinic", &self.clinic),
            ("clinic_phone", &self.clinic_phone),
            (
                "supervising_physician_name",
                &self.supervising_physician_name,
            ),
            (
                "administering_clinician_name",
                &self.administering_clinician_name,
            ),
            ("airway_clinician_name", &self.airway_clinician_name),
        ];
        for (key, text) in texts {
            if let Some(v) = non_empty(text) {
                order.insert(key.into(), v);
            }
        }
        match self.allergy_answer {
            AllergyAnswer::Unanswered => {}
            AllergyAnswer::NoneKnown => {
                order.insert("allergies".into(), json!(NO_KNOWN_ALLERGIES));
            }
            AllergyAnswer::Listed => {
                if let Some(v) = non_empty(&self.allergies) {
                    order.insert("allergies".into(), v);
                }
            }
        }
        let mut attest = Map::new();
        for (key, flag) in [
            ("supervising_physician", self.attest_supervising_physician),
            (
                "administering_clinician",
                self.attest_administering_clinician,
            ),
            ("resuscitation_ready", self.attest_resuscitation_ready),
            (
                "airway_clinician_available",
                self.attest_airway_clinician_available,
            ),
        ] {
            if let Some(given) = flag {
                attest.insert(key.into(), json!(given));
            }
        }
        if !attest.is_empty() {
            order.insert("attest".into(), Value::Object(attest));
        }
        // A case that never had an order block gets one only when something is entered.
        if !order.is_empty() || self.order_in_file {
            case.insert("order".into(), Value::Object(order));
        }
        case
    }
}

fn rate_value(text: &str, unit: RateUnit) -> Value {
    let mut m = Map::new();
    if let Some(v) = number_value(text) {
        m.insert("value".into(), v);
    }
    m.insert("unit".into(), json!(unit.as_str()));
    Value::Object(m)
}
