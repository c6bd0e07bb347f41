//! Unsaved edits carried onto a course someone else saved meanwhile: what was opened
//! (`base`), what this workstation has (`mine`) and what is stored now (`theirs`). Nothing
//! is merged silently where both changed the same session: theirs is kept and the session
//! named, so the user sees it and enters the change again.

use super::CourseDocument;

/// The course after reapplying, and the sessions whose own edits could not be kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Reapplied {
    pub doc: CourseDocument,
    /// Sessions added here, under their new numbers.
    pub added: Vec<u32>,
    /// Sessions changed here and left unchanged there: this workstation's version.
    pub kept: Vec<u32>,
    /// Sessions changed on both: theirs is kept; the change here must be entered again.
    pub both_changed: Vec<u32>,
}

/// Carry `mine`'s changes since `base` onto `theirs`.
pub fn reapply_edits(
    base: &CourseDocument,
    mine: &CourseDocument,
    theirs: &CourseDocument,
) -> Reapplied {
    let mut doc = theirs.clone();
    let (mut added, mut kept, mut both_changed) = (Vec::new(), Vec::new(), Vec::new());
    for session in &mine.sessions {
        let opened = base.sessions.iter().find(|s| s.id == session.id);
        let stored = theirs.sessions.iter().find(|s| s.id == session.id);
        match (opened, stored) {
            // New here: added after theirs, under the next free number.
            (None, _) => added.push(doc.add_session(session.clone())),
            (Some(o), _) if o == session => {}
            (Some(o), Some(t)) if o == t => {
                if let Some(slot) = doc.sessions.iter_mut().find(|s| s.id == session.id) {
                    *slot = session.clone();
                    kept.push(session.id);
                }
            }
            (Some(_), _) => both_changed.push(session.id),
        }
    }
    // Field changes recorded here since opening follow theirs.
    for entry in mine.audit.iter().skip(base.audit.len()) {
        if !doc.audit.contains(entry) {
            doc.audit.push(entry.clone());
        }
    }
    Reapplied {
        doc,
        added,
        kept,
        both_changed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::course::{CourseIdentity, parse_course};

    fn course() -> CourseDocument {
        let text = include_str!("../../../tests/courses/v4-twelve-sessions-3000mg.ketaplan");
        parse_course(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn own_new_and_changed_sessions_are_kept_and_a_session_changed_on_both_is_named() {
        let base = course();
        assert!(base.sessions.len() >= 3);
        let mut theirs = base.clone();
        theirs.sessions[0]
            .justifications
            .insert("note".into(), "theirs".into());
        let mut mine = base.clone();
        mine.sessions[0]
            .justifications
            .insert("note".into(), "mine".into());
        mine.sessions[1]
            .justifications
            .insert("note".into(), "only mine".into());
        let mut extra = base.sessions[2].clone();
        extra.id = 0;
        mine.add_session(extra.clone());
        // Theirs also added a session meanwhile, taking the next number.
        theirs.add_session(extra);
        let out = reapply_edits(&base, &mine, &theirs);
        assert_eq!(out.both_changed, [base.sessions[0].id]);
        assert_eq!(out.kept, [base.sessions[1].id]);
        let next = theirs.sessions.iter().map(|s| s.id).max().unwrap_or(0) + 1;
        assert_eq!(
            out.added,
            [next],
            "a new session takes the next free number"
        );
        let note = |doc: &CourseDocument, id: u32| {
            doc.sessions
                .iter()
                .find(|s| s.id == id)
                .and_then(|s| s.justifications.get("note").cloned())
        };
        assert_eq!(
            note(&out.doc, base.sessions[0].id).as_deref(),
            Some("theirs")
        );
        assert_eq!(
            note(&out.doc, base.sessions[1].id).as_deref(),
            Some("only mine")
        );
        assert_eq!(out.doc.sessions.len(), theirs.sessions.len() + 1);
    }

    #[test]
    fn with_no_edits_theirs_is_the_result() {
        let base = course();
        let mut theirs = base.clone();
        theirs.identity = CourseIdentity {
            patient_name: base.identity.patient_name.clone(),
            ..base.identity.clone()
        };
        theirs.sessions.pop();
        let out = reapply_edits(&base, &base, &theirs);
        assert_eq!(out.doc, theirs);
        assert!(out.added.is_empty() && out.kept.is_empty() && out.both_changed.is_empty());
    }
}
