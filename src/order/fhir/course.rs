//! A course as a FHIR Bundle: per session given, a MedicationAdministration (what the
//! bedside record says was given, from its flowsheet), and for every session LOINC-coded
//! Observations of its charted vital signs and pain scores, and the pain scores before and
//! after recorded at follow-up.

use super::resources::{
    AdministrationDosage, Annotation, Bundle, CodeableConcept, Coding, Entry, Identifier,
    MedicationAdministration, Period, Quantity, Reference, Resource,
};
use super::{MRN_SYSTEM, ORDER_NUMBER_SYSTEM, ids, instant, intravenous, patient_entry};
use crate::domain::course::{CourseDocument, FlowsheetRow, Session};
use crate::domain::protocol::Protocol;
use crate::order::format as f;
use chrono::{Duration, NaiveDateTime};
use chrono_tz::Tz;

/// What a course export is made from.
pub struct CourseExport<'a> {
    pub protocol: &'a Protocol,
    pub course: &'a CourseDocument,
    /// The clinic's time zone: session and flowsheet times are its wall-clock times.
    pub zone: Tz,
    /// The bundle's timestamp: an instant with its offset (RFC 3339).
    pub exported_at: &'a str,
}

pub(super) fn vital_signs() -> CodeableConcept {
    category("vital-signs", "Vital Signs")
}

pub(super) fn category(code: &'static str, display: &'static str) -> CodeableConcept {
    CodeableConcept {
        coding: vec![Coding {
            system: "http://terminology.hl7.org/CodeSystem/observation-category",
            code,
            display,
        }],
        text: None,
    }
}

/// The course Bundle, or every charted value that cannot be exported, each naming its
/// session, row and column (nothing is guessed or left out silently).
pub fn course_bundle(x: &CourseExport<'_>) -> Result<Bundle, Vec<String>> {
    let identity = &x.course.identity;
    let sex = x
        .course
        .sessions
        .iter()
        .rev()
        .find_map(|s| s.case.patient.sex);
    let patient = patient_entry(
        &identity.mrn,
        &identity.patient_name,
        sex,
        identity.date_of_birth.as_deref(),
    );
    let mut entries = vec![];
    let mut errors = vec![];
    for session in &x.course.sessions {
        let mut out = SessionOut {
            x,
            session,
            patient_url: &patient.full_url,
            entries: &mut entries,
            errors: &mut errors,
        };
        out.export();
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let bundle_url = ids::urn(&["Bundle", "course", &identity.mrn]);
    let mut entry = vec![patient];
    entry.extend(entries);
    Ok(Bundle {
        resource_type: "Bundle",
        id: ids::id_of(&bundle_url),
        identifier: Identifier {
            kind: None,
            system: MRN_SYSTEM.to_string(),
            value: identity.mrn.clone(),
        },
        kind: "collection",
        timestamp: x.exported_at.to_string(),
        entry,
    })
}

/// One session's entries being written, and the errors found on the way.
pub(super) struct SessionOut<'a, 'b> {
    pub(super) x: &'a CourseExport<'a>,
    pub(super) session: &'a Session,
    pub(super) patient_url: &'a str,
    pub(super) entries: &'b mut Vec<Entry>,
    pub(super) errors: &'b mut Vec<String>,
}

impl<'a> SessionOut<'a, '_> {
    /// "Session 2 (2026-11-20)": how an error names the session.
    pub(super) fn name(&self) -> String {
        format!(
            "Session {} ({})",
            self.session.id,
            f::date(self.session.date())
        )
    }

    pub(super) fn instant(&mut self, at: NaiveDateTime) -> Option<String> {
        let out = instant(self.x.zone, at);
        if out.is_none() {
            let zone = self.x.zone.name();
            self.errors.push(format!(
                "{}: {} does not exist in the clinic's time zone {zone} (the clock skips it)",
                self.name(),
                f::date_time(at)
            ));
        }
        out
    }

    pub(super) fn url(&self, parts: &[&str]) -> String {
        let id = self.session.id.to_string();
        let mut all = vec![self.x.course.identity.mrn.as_str(), id.as_str()];
        all.extend(parts);
        ids::urn(&all)
    }

    fn export(&mut self) {
        let rows = self.charted_rows();
        self.administration(&rows);
        for (i, (at, row)) in rows.iter().enumerate() {
            self.vitals(i + 1, *at, row);
        }
        self.follow_up_pain();
    }

    /// The flowsheet rows with their clinic times (a row earlier than the one before it is
    /// past midnight); rows without a valid time are named as errors.
    fn charted_rows(&mut self) -> Vec<(NaiveDateTime, &'a FlowsheetRow)> {
        let session: &'a Session = self.session;
        let Some(record) = &session.bedside else {
            return Vec::new();
        };
        let mut day = self.session.date();
        let mut previous = None;
        let mut out = Vec::new();
        for (i, row) in record.rows.iter().enumerate() {
            let Some(time) = crate::domain::flowsheet::parse_time(&row.time) else {
                self.errors.push(format!(
                    "{}, flowsheet row {}: time {:?} is not HH:MM (24-hour)",
                    self.name(),
                    i + 1,
                    row.time
                ));
                continue;
            };
            if previous.is_some_and(|p| time < p) {
                day = day.succ_opt().unwrap_or(day);
            }
            previous = Some(time);
            out.push((day.and_time(time), row));
        }
        out
    }

    /// What was given, once the bedside record says so ("Record what was given", from the
    /// flowsheet). A session still being charted has no administration yet: the EHR must
    /// not read a running infusion as completed.
    fn administration(&mut self, rows: &[(NaiveDateTime, &FlowsheetRow)]) {
        let Some(given) = self.session.given.clone() else {
            return;
        };
        let (start, end) = match (rows.first(), rows.last()) {
            (Some((a, _)), Some((b, _))) if rows.len() >= 2 => (*a, *b),
            _ => {
                let start = self.session.started_at;
                let minutes = (given.infusion_hours * 60.0).round() as i64;
                (start, start + Duration::minutes(minutes))
            }
        };
        let (Some(start), Some(end)) = (self.instant(start), self.instant(end)) else {
            return;
        };
        let mut note: Vec<String> = given
            .rate_changes
            .iter()
            .map(|c| {
                let reason = if c.reason.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.reason)
                };
                format!(
                    "Rate changed at {} to {}{reason}",
                    c.at,
                    f::mg_per_kg_per_h(c.mg_per_kg_per_h)
                )
            })
            .collect();
        note.extend(
            given
                .rescue_given
                .iter()
                .map(|r| format!("Rescue drug at {}: {}, {}", r.at, r.drug, r.dose)),
        );
        note.extend(
            given
                .adverse_effects
                .iter()
                .map(|a| format!("Adverse effect: {a}")),
        );
        let full_url = self.url(&["MedicationAdministration"]);
        let product = &self.x.protocol.pack.product;
        let administration = MedicationAdministration {
            id: ids::id_of(&full_url),
            status: "completed",
            medication_codeable_concept: CodeableConcept::text(format!("{product}, intravenous")),
            subject: Reference::to(self.patient_url),
            effective_period: Period { start, end },
            request: self
                .session
                .ordered
                .order_number
                .as_ref()
                .map(|n| Reference {
                    identifier: Some(Identifier {
                        kind: None,
                        system: ORDER_NUMBER_SYSTEM.to_string(),
                        value: n.clone(),
                    }),
                    ..Reference::default()
                }),
            note: note.into_iter().map(|text| Annotation { text }).collect(),
            dosage: AdministrationDosage {
                text: format!(
                    "{} given over {} ({})",
                    f::mg(given.total_mg),
                    f::hours(given.infusion_hours),
                    if rows.is_empty() {
                        "as recorded for the session"
                    } else {
                        "as charted on the bedside flowsheet"
                    }
                ),
                route: intravenous(),
                dose: Quantity::ucum(given.total_mg, "mg", "mg"),
            },
        };
        self.entries.push(Entry {
            resource: Resource::MedicationAdministration(Box::new(administration)),
            full_url,
        });
    }
}
