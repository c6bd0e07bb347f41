//! What a justification depends on: the inputs it was written against (its fingerprint), and
//! dropping a reason once those inputs change.

use super::{CaseDraft, JustificationScope};
use crate::domain::case::RateUnit;
use crate::domain::findings::DoseField;
use crate::domain::protocol::{EscalationWhen, Protocol};

impl CaseDraft {
    /// The inputs a justification for `code` depends on. When this string changes, the
    /// clinician's reason no longer refers to what is on screen and is dropped.
    pub fn fingerprint(
        &self,
        protocol: &Protocol,
        code: &str,
        scope: &JustificationScope,
    ) -> String {
        let rate = |v: &str, u: RateUnit| format!("{}|{}", v.trim(), u.as_str());
        let weight = format!(
            "{}|{}|{:?}|{}|{:?}",
            self.weight.trim(),
            self.weight_unit.as_str(),
            self.dosing_weight,
            self.height.trim(),
            self.sex
        );
        match scope {
            JustificationScope::Dose(DoseField::Bolus) => format!(
                "bolus:{}|{}|{}|{:?}|{weight}",
                self.bolus_on,
                self.bolus_value.trim(),
                self.bolus_unit.as_str(),
                self.bolus_minutes.trim()
            ),
            JustificationScope::Dose(DoseField::Infusion) => format!(
                "infusion:{}|{}|{}|{:?}|{weight}",
                rate(&self.infusion_value, self.infusion_unit),
                self.ceiling_on,
                rate(&self.ceiling_value, self.ceiling_unit),
                self.setting
            ),
            JustificationScope::Dose(DoseField::Pump) => format!(
                "pump:{}|{}|{}|{}|{weight}",
                rate(&self.infusion_value, self.infusion_unit),
                self.ceiling_on,
                rate(&self.ceiling_value, self.ceiling_unit),
                self.concentration_mg_per_ml.trim()
            ),
            JustificationScope::Dose(DoseField::Concentration) => format!(
                "concentration:{}|{}|{}|{}|{weight}",
                rate(&self.infusion_value, self.infusion_unit),
                self.ceiling_on,
                rate(&self.ceiling_value, self.ceiling_unit),
                self.concentration_mg_per_ml.trim()
            ),
            JustificationScope::Dose(DoseField::Weight) => {
                format!("weight:{}|{weight}", self.age_years.trim())
            }
            JustificationScope::Finding => {
                let mut parts = vec![format!("answer:{:?}", self.answer(code))];
                if let Some(esc) = protocol.finding(code).and_then(|d| d.escalation.as_ref()) {
                    match &esc.when {
                        EscalationWhen::WithCode(other) => {
                            parts.push(format!("{other}:{:?}", self.answer(other)));
                        }
                        EscalationWhen::SerialOrRepeated => {
                            parts.push(format!(
                                "course:{:?}|{}",
                                self.course,
                                self.treatments_past_12_months.trim()
                            ));
                        }
                        EscalationWhen::PriorExposure => {
                            parts.push(format!(
                                "prior:{}|{:?}|{:?}",
                                self.treatments_past_12_months.trim(),
                                self.answer("history_substance_abuse"),
                                self.answer("active_substance_abuse")
                            ));
                        }
                        EscalationWhen::AtMonitoredDose => {
                            // The dose decides the severity: any dose change re-asks.
                            parts.push(self.fingerprint(
                                protocol,
                                code,
                                &JustificationScope::Dose(DoseField::Bolus),
                            ));
                            parts.push(self.fingerprint(
                                protocol,
                                code,
                                &JustificationScope::Dose(DoseField::Infusion),
                            ));
                            parts.push(format!("age:{}", self.age_years.trim()));
                        }
                    }
                }
                if protocol.is_screening_code(code) {
                    parts.join("|")
                } else {
                    // Rule-made findings (evidence, annual count…): the inputs of those rules.
                    format!(
                        "rule:{:?}|{}|{:?}|{:?}",
                        self.condition,
                        self.treatments_past_12_months.trim(),
                        self.setting,
                        self.course
                    )
                }
            }
        }
    }

    /// Drop every justification whose inputs changed since it was written.
    /// Returns the codes whose reason was dropped, so the app can say so.
    pub fn clear_stale_justifications(&mut self, protocol: &Protocol) -> Vec<String> {
        let stale: Vec<String> = self
            .justifications
            .iter()
            .filter(|(code, j)| self.fingerprint(protocol, code, &j.scope) != j.fingerprint)
            .map(|(code, _)| code.clone())
            .collect();
        for code in &stale {
            self.justifications.remove(code);
        }
        stale
    }
}
