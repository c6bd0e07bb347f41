//! The case's clinical picture: the condition (and its detail), the screening answers, the
//! risk scores and the treatment history.

use super::reader::{Validator, fmt_num, type_name};
use crate::domain::case::order_fields;
use crate::domain::case::{History, RiskScores};
use serde_json::{Map, Value};

impl Validator<'_> {
    pub(super) fn condition(&mut self, map: &Map<String, Value>) -> Option<String> {
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

    pub(super) fn condition_detail(&mut self, map: &Map<String, Value>) -> Option<Option<String>> {
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
        if let Some(why) = order_fields::condition_detail_error(&s) {
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
    pub(super) fn screening(
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

    pub(super) fn risk_scores(&mut self, value: &Value) -> Option<RiskScores> {
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

    pub(super) fn history(&mut self, value: &Value) -> Option<History> {
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
}
