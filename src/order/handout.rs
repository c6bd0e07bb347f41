//! The discharge handout: one page for the patient, in plain language, from the pack's
//! patient instructions (`plan.patient_instructions`). Rendered as text (`lines`, `render`)
//! and as a one-page PDF (`order::pdf::render_handout`).
//!
//! It carries the patient's name, the date, the clinic and its telephone number (a blank to fill in when the case names none),
//! and the instructions in two groups: what to do after the infusion, and when to call ("Call
//! us if…": every instruction that tells the patient to call). Sources are for clinicians and
//! stay on the order sheet, never on the handout; so do medical abbreviations.

use crate::domain::Case;
use crate::domain::plan::Plan;
use crate::domain::protocol::Protocol;
use crate::order::format as f;
use chrono::NaiveDate;

/// One instruction: a short plain label and the sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoutItem {
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HandoutSection {
    pub title: String,
    pub items: Vec<HandoutItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Handout {
    pub title: String,
    /// First, before anything about the clinic: "For chest pain, trouble breathing, fainting
    /// or a seizure: call the emergency number (911) now."
    pub emergency: String,
    /// What was given today: the drug, the dose ordered, and lines for the dose given and
    /// the time the infusion ended.
    pub given: String,
    /// "For: Jane Example"
    pub patient: String,
    /// "Date of your infusion: 2026-11-20"
    pub date: String,
    /// "Your clinic: Pain Clinic" (a blank to fill in when the case names none).
    pub clinic: String,
    /// "Clinic telephone, day and night: 555 0100" (a blank to write it in by hand when the
    /// case names none).
    pub telephone: String,
    pub sections: Vec<HandoutSection>,
    pub closing: String,
    /// The date, as a date (the PDF's creation date).
    pub on: NaiveDate,
}

/// A blank to fill in by hand.
const BLANK: &str = "______________________________";

fn given(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Handout {
    /// The handout for this case and plan, dated `date` (the day of the infusion).
    pub fn build(protocol: &Protocol, case: &Case, plan: &Plan, date: NaiveDate) -> Handout {
        let order = case.order.clone().unwrap_or_default();
        let mut after = Vec::new();
        let mut call = Vec::new();
        for line in plan.patient_instructions.iter() {
            let item = HandoutItem {
                label: line.label.trim().to_string(),
                text: line.text.trim().to_string(),
            };
            // An instruction that tells the patient to call belongs in "Call us if…".
            if item.text.to_lowercase().contains("call") {
                call.push(item);
            } else {
                after.push(item);
            }
        }
        let mut sections = Vec::new();
        if !after.is_empty() {
            sections.push(HandoutSection {
                title: "After your infusion".to_string(),
                items: after,
            });
        }
        if !call.is_empty() {
            sections.push(HandoutSection {
                title: "Call us if…".to_string(),
                items: call,
            });
        }
        let emergency = format!(
            "Chest pain, trouble breathing, fainting or a seizure: call the emergency number ({}) now.",
            protocol.pack.sheet.emergency.number.trim()
        );
        Handout {
            title: "After your ketamine infusion".to_string(),
            emergency,
            given: given_today(plan),
            patient: format!("For: {}", given(&order.patient_name).unwrap_or(BLANK)),
            date: format!("Date of your infusion: {}", f::date(date)),
            clinic: format!("Your clinic: {}", given(&order.clinic).unwrap_or(BLANK)),
            telephone: format!(
                "Clinic telephone, day and night: {}",
                given(&order.clinic_phone).unwrap_or(BLANK)
            ),
            sections,
            closing: "Keep this sheet and bring it to your next visit.".to_string(),
            on: date,
        }
    }

    /// Every string on the handout (for checks such as forbidden abbreviations).
    pub fn all_text(&self) -> Vec<&str> {
        let mut out = vec![
            self.title.as_str(),
            &self.emergency,
            &self.given,
            &self.patient,
            &self.date,
            &self.clinic,
            &self.telephone,
            &self.closing,
        ];
        for s in &self.sections {
            out.push(&s.title);
            for i in &s.items {
                out.extend([i.label.as_str(), i.text.as_str()]);
            }
        }
        out
    }
}

/// "Today: ketamine by drip into a vein, up to 263.4 milligrams over 4 hours. Given: ______
/// milligrams, ended at ____:____."
fn given_today(plan: &Plan) -> String {
    let most = plan.max_total_mg.max(plan.delivered_total_mg);
    format!(
        "Today: ketamine by drip into a vein, up to {} milligrams over {}. Given: ______ milligrams, ended at ____:____.",
        f::decimals(most, 1),
        hours_words(plan.duration_h)
    )
}

/// "4 hours", "1 hour", "1.5 hours" (no abbreviations on the handout).
fn hours_words(h: f64) -> String {
    let n = f::number(h);
    if n == "1" {
        "1 hour".to_string()
    } else {
        format!("{n} hours")
    }
}

/// Why no handout can be printed for this case: the clinic's 24-hour telephone is required
/// (the handout tells the patient to call it).
pub fn refusals(case: &Case) -> Vec<crate::order::Refusal> {
    let order = case.order.clone().unwrap_or_default();
    if given(&order.clinic_phone).is_some() {
        return Vec::new();
    }
    vec![crate::order::Refusal {
        reason: crate::order::RefusalReason::MissingOrderField,
        message: "The handout needs the clinic's 24-hour telephone number: add order.clinic_phone (the patient is told to call it).".to_string(),
    }]
}

/// Characters per line of the text handout.
pub const HANDOUT_WIDTH: usize = 72;

/// The handout as lines of text.
pub fn lines(h: &Handout) -> Vec<String> {
    use crate::order::text::wrap_to;
    let rule = "=".repeat(HANDOUT_WIDTH);
    let mut out = vec![rule.clone(), h.title.to_uppercase(), rule.clone()];
    wrap_to(
        &mut out,
        &format!("!! {}", h.emergency),
        "",
        "   ",
        HANDOUT_WIDTH,
    );
    for l in [&h.patient, &h.date, &h.clinic, &h.telephone, &h.given] {
        wrap_to(&mut out, l, "", "  ", HANDOUT_WIDTH);
    }
    for s in &h.sections {
        out.push(String::new());
        out.push(s.title.to_uppercase());
        for i in &s.items {
            wrap_to(
                &mut out,
                &format!("* {}: {}", i.label, i.text),
                "",
                "  ",
                HANDOUT_WIDTH,
            );
        }
    }
    out.push(String::new());
    out.push(h.closing.clone());
    out.push(rule);
    out
}

/// The handout as one string with a final newline.
pub fn render(h: &Handout) -> String {
    let mut s = lines(h).join("\n");
    s.push('\n');
    s
}
