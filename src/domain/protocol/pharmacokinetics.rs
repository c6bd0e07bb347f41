//! The pack's pharmacokinetic models and the concentrations reported in studies (step 13):
//! what the predicted-concentration preview computes with and draws beside the curve.

use super::sourced::Threshold;
use crate::domain::text::Text;
use serde::{Deserialize, Serialize};

/// The preview's models, the one used unless another is chosen, and how long after the end
/// of the infusion the curve goes on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PkRules {
    pub default_model: Text,
    pub models: Vec<PkModel>,
    /// Minutes of washout drawn after the end of the infusion.
    pub washout_min: Threshold,
    /// Concentrations studies reported, drawn as labelled bands ("reported in studies",
    /// never targets).
    pub reported_ranges: Vec<ReportedRange>,
}

/// A mammillary model with first-order rate constants (per minute) and a central volume per
/// kg of actual body weight; peripheral compartments are left out with zero rate constants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PkModel {
    pub id: Text,
    pub name: Text,
    /// Where the numbers come from (and what was checked of the citation).
    pub source: Text,
    /// Who the model was fitted in: a prediction outside it is an extrapolation.
    pub population: Text,
    pub v1_l_per_kg: f64,
    pub k10_per_min: f64,
    pub k12_per_min: f64,
    pub k21_per_min: f64,
    pub k13_per_min: f64,
    pub k31_per_min: f64,
}

/// A concentration range a study reported, with what was reported at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportedRange {
    pub label: Text,
    pub low_ng_per_ml: f64,
    pub high_ng_per_ml: f64,
    pub source: Text,
}

impl PkRules {
    /// The model with this id (the default when `None`).
    pub fn model(&self, id: Option<&str>) -> Option<&PkModel> {
        let id = id.unwrap_or(&self.default_model);
        self.models.iter().find(|m| m.id.as_ref() == id)
    }

    /// What is wrong with the pack's models: (field, message).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (i, m) in self.models.iter().enumerate() {
            let at = format!("pharmacokinetics.models[{i}]");
            if !seen.insert(m.id.as_ref()) {
                out.push((format!("{at}.id"), format!("{} is given twice", m.id)));
            }
            let positive = [
                ("v1_l_per_kg", m.v1_l_per_kg),
                ("k10_per_min", m.k10_per_min),
            ];
            for (name, value) in positive {
                if !(value.is_finite() && value > 0.0) {
                    out.push((
                        format!("{at}.{name}"),
                        format!("{value} must be a positive number"),
                    ));
                }
            }
            let pairs = [
                ("k12_per_min", m.k12_per_min, "k21_per_min", m.k21_per_min),
                ("k13_per_min", m.k13_per_min, "k31_per_min", m.k31_per_min),
            ];
            for (out_name, out_k, back_name, back_k) in pairs {
                for (name, value) in [(out_name, out_k), (back_name, back_k)] {
                    if !(value.is_finite() && value >= 0.0) {
                        out.push((
                            format!("{at}.{name}"),
                            format!("{value} must be zero or positive"),
                        ));
                    }
                }
                if (out_k > 0.0) != (back_k > 0.0) {
                    out.push((
                        format!("{at}.{back_name}"),
                        format!("a peripheral compartment needs both {out_name} and {back_name} (or neither)"),
                    ));
                }
            }
            // Rate constants per minute above 100 are a unit error (per second, per hour).
            for (name, value) in [
                ("k10_per_min", m.k10_per_min),
                ("k12_per_min", m.k12_per_min),
                ("k21_per_min", m.k21_per_min),
                ("k13_per_min", m.k13_per_min),
                ("k31_per_min", m.k31_per_min),
            ] {
                if value > 100.0 {
                    out.push((
                        format!("{at}.{name}"),
                        format!(
                            "{value} per minute is not a plausible rate constant (a unit error?)"
                        ),
                    ));
                }
            }
        }
        if self.model(None).is_none() {
            out.push((
                "pharmacokinetics.default_model".into(),
                format!("{} is not one of the models", self.default_model),
            ));
        }
        if !(self.washout_min.value.is_finite()
            && (0.0..=24.0 * 60.0).contains(&self.washout_min.value))
        {
            out.push((
                "pharmacokinetics.washout_min".into(),
                format!("{} must be 0 to 1440 minutes", self.washout_min.value),
            ));
        }
        for (i, r) in self.reported_ranges.iter().enumerate() {
            let ok = r.low_ng_per_ml.is_finite()
                && r.high_ng_per_ml.is_finite()
                && r.low_ng_per_ml > 0.0
                && r.low_ng_per_ml <= r.high_ng_per_ml;
            if !ok {
                out.push((
                    format!("pharmacokinetics.reported_ranges[{i}]"),
                    format!(
                        "{} to {} ng/mL is not a range",
                        r.low_ng_per_ml, r.high_ng_per_ml
                    ),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::protocol::{BUILT_IN_PACK, Protocol};

    fn refusal(from: &str, to: &str) -> String {
        let text = BUILT_IN_PACK.replacen(from, to, 1);
        assert_ne!(text, BUILT_IN_PACK, "{from} is in the pack");
        match Protocol::from_ron_str(&text) {
            Ok(_) => panic!("{to} was accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_built_in_models_are_valid_and_the_default_is_domino() {
        let p = Protocol::built_in().unwrap_or_else(|e| panic!("{e}"));
        let rules = &p.pack.pharmacokinetics;
        assert!(rules.problems().is_empty(), "{:?}", rules.problems());
        let model = rules.model(None).unwrap_or_else(|| panic!("no default"));
        assert_eq!(model.id.as_ref(), "domino-1984");
        assert!(model.source.contains("PMID 6488686") && model.source.contains("7198883"));
        assert!(rules.model(Some("clements")).is_none());
    }

    #[test]
    fn a_bad_model_is_refused_naming_its_field() {
        let e = refusal("k10_per_min: 0.438", "k10_per_min: -0.438");
        assert!(e.contains("pharmacokinetics.models[0].k10_per_min"), "{e}");
        let e = refusal("k31_per_min: 0.0146", "k31_per_min: 0");
        assert!(e.contains("k31_per_min") && e.contains("both"), "{e}");
        let e = refusal("k12_per_min: 0.592", "k12_per_min: 592");
        assert!(e.contains("not a plausible rate constant"), "{e}");
        let e = refusal(
            "default_model: \"domino-1984\"",
            "default_model: \"hijazi\"",
        );
        assert!(e.contains("pharmacokinetics.default_model"), "{e}");
        let e = refusal("low_ng_per_ml: 50", "low_ng_per_ml: 500");
        assert!(e.contains("reported_ranges[0]"), "{e}");
    }
}
