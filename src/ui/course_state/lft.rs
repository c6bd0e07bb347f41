//! The LFT result being entered for a session (V4-18): typed text, checked by the engine's
//! rules, recorded on the session (audited) only when every entry is valid.

use super::{CourseNoticeKind, CourseState};
use crate::domain::Protocol;
use crate::domain::case::parse_date;
use crate::domain::course::{LftResult, check_lft_value};

/// The entries of one LFT result (U/L), as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LftDraft {
    pub session_id: u32,
    /// `YYYY-MM-DD`
    pub date: String,
    pub alt: String,
    pub alt_uln: String,
    pub ast: String,
    pub ast_uln: String,
    pub alp: String,
    pub alp_uln: String,
    /// (field as in the course file, message): shown beside the entries.
    pub errors: Vec<(String, String)>,
}

/// The entries in file order: field, label on screen.
pub const LFT_FIELDS: [(&str, &str); 6] = [
    ("alt", "ALT (U/L)"),
    ("alt_uln", "ALT upper limit of normal (U/L)"),
    ("ast", "AST (U/L)"),
    ("ast_uln", "AST upper limit of normal (U/L)"),
    ("alp", "ALP (U/L)"),
    ("alp_uln", "ALP upper limit of normal (U/L)"),
];

impl LftDraft {
    pub fn new(session_id: u32) -> Self {
        LftDraft {
            session_id,
            ..LftDraft::default()
        }
    }

    pub fn text_mut(&mut self, field: &str) -> Option<&mut String> {
        Some(match field {
            "alt" => &mut self.alt,
            "alt_uln" => &mut self.alt_uln,
            "ast" => &mut self.ast,
            "ast_uln" => &mut self.ast_uln,
            "alp" => &mut self.alp,
            "alp_uln" => &mut self.alp_uln,
            _ => return None,
        })
    }

    fn text(&self, field: &str) -> &str {
        match field {
            "alt" => &self.alt,
            "alt_uln" => &self.alt_uln,
            "ast" => &self.ast,
            "ast_uln" => &self.ast_uln,
            "alp" => &self.alp,
            "alp_uln" => &self.alp_uln,
            _ => "",
        }
    }

    /// The result, or every entry's error (field, message).
    pub fn to_result(&self, protocol: &Protocol) -> Result<LftResult, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let date = parse_date(self.date.trim());
        if date.is_none() {
            errors.push(("date".to_string(), "must be a date YYYY-MM-DD".to_string()));
        }
        let mut values = [None; 6];
        for (slot, (field, _)) in values.iter_mut().zip(LFT_FIELDS) {
            let text = self.text(field).trim();
            if text.is_empty() {
                continue;
            }
            match text.replace(',', "").parse::<f64>() {
                Ok(v) => match check_lft_value(protocol, v) {
                    None => *slot = Some(v),
                    Some(message) => errors.push((field.to_string(), message)),
                },
                Err(_) => errors.push((
                    field.to_string(),
                    format!("must be a number of U/L, not \"{text}\""),
                )),
            }
        }
        let [alt, alt_uln, ast, ast_uln, alp, alp_uln] = values;
        if errors.is_empty() && alt.is_none() && ast.is_none() && alp.is_none() {
            errors.push((
                "lft".to_string(),
                "enter at least one of ALT, AST or ALP".to_string(),
            ));
        }
        match date {
            Some(date) if errors.is_empty() => Ok(LftResult {
                date,
                alt,
                ast,
                alp,
                alt_uln,
                ast_uln,
                alp_uln,
            }),
            _ => Err(errors),
        }
    }
}

impl CourseState {
    /// Record the typed LFT result on its session (audited), in date order. On errors
    /// nothing changes and they are kept beside the entries.
    pub fn record_lft(&mut self, protocol: &Protocol) -> bool {
        let Some(draft) = self.lft.as_mut() else {
            return false;
        };
        let result = match draft.to_result(protocol) {
            Ok(r) => r,
            Err(errors) => {
                draft.errors = errors;
                return false;
            }
        };
        let session_id = draft.session_id;
        let Some(mut updated) = self.session(session_id).cloned() else {
            return false;
        };
        updated.lft.push(result);
        updated.lft.sort_by_key(|r| r.date);
        let (now, by) = (self.now(), self.acting_user.clone());
        if let Some(doc) = self.doc.as_mut() {
            doc.update_session(updated, now, by.as_deref());
        }
        self.lft = Some(LftDraft::new(session_id));
        self.notify(CourseNoticeKind::Done, "Liver test result recorded.");
        true
    }

    /// Remove a result typed in error (audited: the old value stays in the audit trail).
    pub fn remove_lft(&mut self, session_id: u32, index: usize) -> bool {
        let Some(mut updated) = self.session(session_id).cloned() else {
            return false;
        };
        if index >= updated.lft.len() {
            return false;
        }
        updated.lft.remove(index);
        let (now, by) = (self.now(), self.acting_user.clone());
        if let Some(doc) = self.doc.as_mut() {
            doc.update_session(updated, now, by.as_deref());
        }
        self.notify(
            CourseNoticeKind::Done,
            "Liver test result removed; the audit trail keeps it.",
        );
        true
    }
}
