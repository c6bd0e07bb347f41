//! The bedside flowsheet of each session: the editor's copy, recording it on the session
//! (audited), the monitoring chart and "what was given" from it.

use super::*;

impl CourseState {
    /// The flowsheet editor's copy of a session's bedside record.
    pub fn sheet_mut(&mut self, session: &Session) -> &mut Flowsheet {
        self.flowsheets
            .entry(session.id)
            .or_insert_with(|| Flowsheet::from_bedside(session.bedside.as_ref()))
    }

    /// The bedside record of a session as it stands (edits not yet recorded included).
    pub fn sheet(&self, session: &Session) -> Flowsheet {
        self.flowsheets
            .get(&session.id)
            .cloned()
            .unwrap_or_else(|| Flowsheet::from_bedside(session.bedside.as_ref()))
    }

    /// The session with the bedside entries on screen (recorded or not).
    pub fn session_as_shown(&self, id: u32) -> Option<Session> {
        let session = self.session(id)?;
        let mut shown = session.clone();
        if let Some(sheet) = self.flowsheets.get(&id) {
            shown.bedside = bedside_value(sheet, session.bedside.as_ref());
        }
        Some(shown)
    }

    /// The session's monitoring chart with what is on screen, printed now on `paper`: the
    /// printable view shows its text, and the PDF export (after recording the entries)
    /// renders the same sheet.
    pub fn monitoring_chart(
        &self,
        protocol: &Protocol,
        session_id: u32,
        paper: crate::order::Paper,
    ) -> Option<crate::order::OrderSheet> {
        let doc = self.doc.as_ref()?;
        let session = self.session_as_shown(session_id)?;
        Some(crate::order::chart::monitoring_chart(
            protocol,
            doc,
            &session,
            self.now(),
            paper,
        ))
    }

    /// Edits in the flowsheet editor that are not on their session yet.
    pub fn has_pending_bedside(&self) -> bool {
        self.flowsheets.iter().any(|(id, sheet)| {
            self.session(*id)
                .is_some_and(|s| bedside_value(sheet, s.bedside.as_ref()) != s.bedside)
        })
    }

    /// Record the flowsheet editor's entries on the session (one audited update). Returns
    /// whether anything changed.
    pub fn commit_bedside(&mut self, session_id: u32) -> bool {
        let Some(sheet) = self.flowsheets.get(&session_id) else {
            return false;
        };
        let Some(session) = self.session(session_id) else {
            return false;
        };
        let record = bedside_value(sheet, session.bedside.as_ref());
        if record == session.bedside {
            return false;
        }
        let mut updated = session.clone();
        updated.bedside = record;
        let (now, by) = (self.now(), self.acting_user.clone());
        self.doc
            .as_mut()
            .is_some_and(|doc| doc.update_session(updated, now, by.as_deref()))
    }

    /// Record every pending flowsheet edit (before a save or an autosave).
    pub fn commit_all_bedside(&mut self) {
        let ids: Vec<u32> = self.flowsheets.keys().copied().collect();
        for id in ids {
            self.commit_bedside(id);
        }
    }

    /// Fill the session's "what was given" from its flowsheet (audited).
    pub fn fill_given(&mut self, protocol: &Protocol, session_id: u32) -> Result<(), Vec<String>> {
        // The record the numbers come from is on the session first.
        self.commit_bedside(session_id);
        let Some(session) = self.session(session_id).cloned() else {
            return Err(vec!["No such session.".into()]);
        };
        let sheet = self.sheet(&session);
        // The dosing weight the order used; older sessions without it are planned again.
        let weight = session
            .ordered
            .dosing_weight_kg
            .unwrap_or_else(|| crate::domain::plan(protocol, &session.case).dosing_weight_kg);
        let given = sheet.given(crate::domain::units::Kilograms(weight))?;
        let mut updated = session;
        updated.given = Some(given);
        let (now, by) = (self.now(), self.acting_user.clone());
        if let Some(doc) = self.doc.as_mut() {
            doc.update_session(updated, now, by.as_deref());
        }
        self.notify(
            CourseNoticeKind::Done,
            "What was given is filled from the bedside record.",
        );
        Ok(())
    }
}

/// What the session's `bedside` becomes from the editor: an editor left empty on a
/// session without a record adds none.
fn bedside_value(sheet: &Flowsheet, current: Option<&BedsideRecord>) -> Option<BedsideRecord> {
    if sheet.is_empty() && current.is_none() {
        None
    } else {
        Some(sheet.to_bedside())
    }
}
