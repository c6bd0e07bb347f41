//! A session's follow-up as typed (numbers stay text until the engine's validator reads
//! them) and recording it on the session.

use super::*;

/// The follow-up of one session as typed (numbers stay text until the validator reads them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FollowUpDraft {
    pub session_id: u32,
    pub pain_before: String,
    pub pain_after: String,
    pub satisfied: Option<bool>,
    pub odi_before: String,
    pub odi_after: String,
    pub mme_before: String,
    pub mme_after: String,
    pub weeks_of_relief: String,
    pub relief_ongoing: Option<bool>,
    pub errors: Vec<FieldError>,
}

fn number_text(x: Option<f64>) -> String {
    x.map(|v| crate::order::format::number(v).replace(',', ""))
        .unwrap_or_default()
}

fn number_value(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => serde_json::Number::from_f64(x).map(Value::Number),
        // Text goes in as text so the validator names the field.
        _ => Some(Value::String(t.to_string())),
    }
}

impl FollowUpDraft {
    pub fn from_session(session: &Session) -> Self {
        let f = session.follow_up.clone().unwrap_or_default();
        Self {
            session_id: session.id,
            pain_before: number_text(f.pain_before),
            pain_after: number_text(f.pain_after),
            satisfied: f.satisfied,
            odi_before: number_text(f.odi_before),
            odi_after: number_text(f.odi_after),
            mme_before: number_text(f.opioid_mme_before),
            mme_after: number_text(f.opioid_mme_after),
            weeks_of_relief: number_text(f.weeks_of_relief),
            relief_ongoing: f.relief_ongoing,
            errors: Vec::new(),
        }
    }

    /// The follow-up as the contract's `follow_up` object.
    pub fn to_value(&self) -> Value {
        let mut m = serde_json::Map::new();
        for (key, text) in [
            ("pain_before", &self.pain_before),
            ("pain_after", &self.pain_after),
            ("odi_before", &self.odi_before),
            ("odi_after", &self.odi_after),
            ("opioid_mme_before", &self.mme_before),
            ("opioid_mme_after", &self.mme_after),
            ("weeks_of_relief", &self.weeks_of_relief),
        ] {
            if let Some(v) = number_value(text) {
                m.insert(key.into(), v);
            }
        }
        if let Some(s) = self.satisfied {
            m.insert("satisfied".into(), Value::Bool(s));
        }
        if let Some(r) = self.relief_ongoing {
            m.insert("relief_ongoing".into(), Value::Bool(r));
        }
        Value::Object(m)
    }
}

impl CourseState {
    /// Record the typed follow-up on its session (audited). The engine's validator checks
    /// every value; on errors nothing changes and they are kept beside the entries.
    pub fn save_follow_up(&mut self, protocol: &Protocol) -> bool {
        let Some(draft) = self.follow_up.as_mut() else {
            return false;
        };
        let Some(doc) = self.doc.as_ref() else {
            return false;
        };
        let Some(session) = doc.sessions.iter().find(|s| s.id == draft.session_id) else {
            return false;
        };
        let mut value = serde_json::to_value(&session.case).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.insert("follow_up".into(), draft.to_value());
        }
        match case_from_value(protocol, &value) {
            Ok(case) => {
                draft.errors.clear();
                let mut updated = session.clone();
                updated.follow_up = case.follow_up;
                let (now, by) = (self.now(), self.acting_user.clone());
                if let Some(doc) = self.doc.as_mut() {
                    doc.update_session(updated, now, by.as_deref());
                }
                self.notify(CourseNoticeKind::Done, "Follow-up recorded.");
                true
            }
            Err(errors) => {
                draft.errors = errors;
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_up_text_goes_to_the_validator_as_text() {
        let d = FollowUpDraft {
            pain_before: "8".into(),
            pain_after: "x".into(),
            satisfied: Some(true),
            ..FollowUpDraft::default()
        };
        let v = d.to_value();
        assert_eq!(v["pain_before"], serde_json::json!(8.0));
        assert_eq!(v["pain_after"], serde_json::json!("x"));
        assert_eq!(v["satisfied"], serde_json::json!(true));
        assert!(v.get("odi_before").is_none());
    }
}
