//! Pack rules for the printed order sheet: drug-library entry, titration goal, emergency number, tall-man names.

use super::sourced::Threshold;
use crate::domain::kinds::MonitoringTier;
use serde::{Deserialize, Serialize};

/// What the order sheet prints beyond the dose rules (issue 20, Step 9b).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetRules {
    pub drug_library: DrugLibrary,
    pub titration_goal: TitrationGoal,
    pub emergency: EmergencyNumber,
    pub tall_man: TallMan,
    /// Phrases rewritten on the sheet when benzodiazepines are contraindicated.
    pub benzodiazepine_free: Vec<Rewrite>,
}

/// The smart pump's drug-library entry and its care area per monitoring tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrugLibrary {
    pub care_area_standard: String,
    pub care_area_monitored: String,
    pub care_area_icu: String,
    /// Why the plain mL/h mode is only the fallback, and when it may be used.
    pub fallback: String,
    pub source: String,
    #[serde(default)]
    pub institution_default: bool,
}

impl DrugLibrary {
    pub fn care_area(&self, tier: MonitoringTier) -> &str {
        match tier {
            MonitoringTier::Standard => &self.care_area_standard,
            MonitoringTier::Monitored => &self.care_area_monitored,
            MonitoringTier::Icu => &self.care_area_icu,
        }
    }
}

/// The clinical endpoint of a titration and who may change the rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitrationGoal {
    /// Titrate toward a pain score (0–10) at or below this.
    pub pain_score_at_most: Threshold,
    /// The sedation ceiling, in the words of the institution's sedation scale.
    pub sedation_ceiling: String,
    /// When to stop increasing (besides the ceiling rate).
    pub stop_increasing: String,
    pub who_may_titrate: String,
    pub source: String,
}

/// The emergency number the handout tells the patient to call first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyNumber {
    /// The clinic's own emergency number, e.g. "911".
    pub number: String,
    pub source: String,
}

/// Look-alike drug names and their tall-man spelling, applied when the sheet is built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TallMan {
    pub names: Vec<String>,
    pub source: String,
}

/// A phrase and what replaces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rewrite {
    pub from: String,
    pub to: String,
}

/// `text` with every whole-word, case-insensitive occurrence of a listed name in its
/// tall-man spelling ("clonidine" → "cloNIDine").
pub fn apply_tall_man(text: &str, names: &[String]) -> String {
    let mut out = text.to_string();
    for name in names.iter().filter(|n| !n.is_empty() && n.is_ascii()) {
        let pattern = name.as_bytes();
        let bytes = out.as_bytes();
        let mut result = String::with_capacity(out.len());
        let mut last = 0;
        let mut i = 0;
        while i + pattern.len() <= bytes.len() {
            let end = i + pattern.len();
            let matches = out.is_char_boundary(i)
                && bytes[i..end].eq_ignore_ascii_case(pattern)
                && out[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
                && out[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
            if matches {
                result.push_str(&out[last..i]);
                result.push_str(name);
                last = end;
                i = end;
            } else {
                i += 1;
            }
        }
        result.push_str(&out[last..]);
        out = result;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::apply_tall_man;

    #[test]
    fn whole_words_only_any_case() {
        let names = vec!["cloNIDine".to_string(), "LORazepam".to_string()];
        assert_eq!(
            apply_tall_man("Clonidine or lorazepam; clonidines", &names),
            "cloNIDine or LORazepam; clonidines"
        );
        assert_eq!(apply_tall_man("Zoë clonidine", &names), "Zoë cloNIDine");
    }
}
