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
    pub fn build(_protocol: &Protocol, case: &Case, plan: &Plan, date: NaiveDate) -> Handout {
        let order = case.order.clone().unwrap_or_default();
        let mut after = Vec::new();
        let mut call = Vec::new();
        for line in &plan.patient_instructions {
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
        Handout {
            title: "After your ketamine infusion".to_string(),
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

/// Characters per line of the text handout.
pub const HANDOUT_WIDTH: usize = 72;

/// The handout as lines of text.
pub fn lines(h: &Handout) -> Vec<String> {
    use crate::order::text::wrap_to;
    let rule = "=".repeat(HANDOUT_WIDTH);
    let mut out = vec![rule.clone(), h.title.to_uppercase(), rule.clone()];
    for l in [&h.patient, &h.date, &h.clinic, &h.telephone] {
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
