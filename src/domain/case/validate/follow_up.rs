//! The case's follow-up of the last infusion: pain, function and opioid figures before and
//! after, satisfaction, relief, and that infusion's setting and course.

use super::reader::Validator;
use crate::domain::case::{Course, FollowUp, Setting};
use serde_json::Value;

impl Validator<'_> {
    pub(super) fn follow_up(&mut self, value: &Value) -> Option<FollowUp> {
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
}
