//! The order sheet as data: one model, built once from the protocol, the case and its plan,
//! and rendered by `text` (plain text, preview, snapshots) and `pdf` (the chart copy).
//!
//! `OrderSheet::build` either returns the sheet or every reason it must not be printed
//! (clinical-rules ORDER-23; cli-contract "Order refusals"). The model is renderer-neutral:
//! sections of rows, paragraphs, labelled items, tables, checkboxes and signature blocks,
//! plus what goes in every page's header and footer. Every number in it was formatted by
//! `order::format`.

use crate::domain::case::Case;
use crate::domain::order_identity::PrintIdentity;
use crate::domain::plan::Plan;
use crate::domain::protocol::Protocol;
use chrono::{NaiveDate, NaiveDateTime};

mod builder;
mod dating;
mod refusals;

use builder::Builder;
pub use refusals::refusals;

/// Paper size of the printed sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// `a4` or `letter` (any case).
    pub fn parse(s: &str) -> Option<Paper> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" | "us-letter" => Some(Paper::Letter),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }
    /// Width and height in millimetres (US Letter is 8.5 × 11 inches).
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

/// What the caller supplies beyond the case: dates are injected so that output is
/// deterministic (tests pass a fixed print time).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderOptions {
    /// The order date: the weight's age and the age from the date of birth are judged on it.
    pub order_date: NaiveDate,
    /// Printed on every page.
    pub printed_at: NaiveDateTime,
    /// `--justification`: a reason for every code that has none in the case.
    pub extra_justification: Option<String>,
    pub paper: Paper,
    /// How this print is labelled (the app's order ledger). `None`: the case's own number or
    /// the content-derived one, not a copy, superseding nothing.
    pub identity: Option<PrintIdentity>,
    /// The order's electronic signatures (clinic database): printed instead of ink lines.
    pub signatures: Vec<crate::domain::signature::OrderSignature>,
}

/// Why an order cannot be printed (contract "Order refusals").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalReason {
    ProceedNo,
    MissingJustification,
    UnansweredScreening,
    MissingOrderField,
    Attestation,
    WeightTooOld,
    DateOfBirth,
    /// Valid for a day before the print date, or too far after it.
    OrderDate,
    /// The case's `order_number` is not the one derived from its content.
    OrderNumber,
}

/// One refusal: its kind and a sentence naming what is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub reason: RefusalReason,
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        out.write_str(&self.message)
    }
}

/// Emphasis of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Normal,
    Strong,
    Small,
    /// Boxed: what must not be missed at the pump.
    Alert,
    /// A sub-heading inside a section: kept on the page of what follows it.
    Heading,
}

/// One element of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// "label: value" (the value may be long and wraps).
    Row {
        label: String,
        value: String,
    },
    Paragraph {
        text: String,
        style: Style,
    },
    /// A labelled entry with an optional note under it (a finding and its justification).
    Item {
        label: String,
        text: String,
        note: Option<String>,
    },
    /// Column widths are fractions of the text width and add up to 1.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Vec<f32>,
    },
    /// A box: ticked when the case attests it, empty for the nurse to tick.
    Check {
        text: String,
        ticked: bool,
    },
    /// A boxed panel of "label: value" lines in large type, read at the bedside (the pump
    /// box: what to enter on the pump, as the pump shows it).
    Panel {
        title: String,
        rows: Vec<(String, String)>,
    },
    /// Signature, printed name, date and time lines for one role; an electronic signature
    /// (`signed`, "Electronically signed by …") prints instead of the ink lines.
    Signature {
        role: String,
        name: Option<String>,
        signed: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// Printed on every page (header and footer).
#[derive(Debug, Clone, PartialEq)]
pub struct PageFrame {
    pub title: String,
    pub banner: String,
    pub clinic: String,
    pub patient_name: String,
    pub mrn: String,
    pub date_of_birth: String,
    /// Printed beside the identifiers on every page (order sheets; `None` on other documents).
    pub allergies: Option<String>,
    /// "69.9 kg (actual body weight)", beside the identifiers on every page.
    pub dosing_weight: Option<String>,
    /// The clinic's 24-hour telephone, beside the clinic's name.
    pub clinic_phone: Option<String>,
    pub order_number: String,
    /// "Valid for 2026-11-20 only"
    pub valid_for: String,
    /// For a reprint: the COPY mark printed in the header banner and the footer of every page.
    pub copy: Option<String>,
    /// "Supersedes order KP-…" when this order replaces an earlier one.
    pub supersedes: Option<String>,
    /// `YYYY-MM-DD HH:MM`
    pub printed_at: String,
    /// "asra-aapm-asa-2018 version 1.0.0, sha256 3b869353c217"
    pub protocol: String,
    /// "LOCAL PROTOCOL", or "approved: KEY COMMENT" for a pack whose signature verified;
    /// `None` for the built-in pack.
    pub protocol_provenance: Option<String>,
    pub footer: String,
}

impl PageFrame {
    /// "Allergies: … | Dosing weight: …" for the header of every page, when known.
    pub fn safety_line(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(a) = &self.allergies {
            parts.push(format!("Allergies: {a}"));
        }
        if let Some(w) = &self.dosing_weight {
            parts.push(format!("Dosing weight: {w}"));
        }
        (!parts.is_empty()).then(|| parts.join("  |  "))
    }

    /// "Clinic: Pain Clinic, 24-hour telephone 555 0100".
    pub fn clinic_line(&self) -> String {
        match &self.clinic_phone {
            Some(phone) => format!("Clinic: {}, 24-hour telephone {phone}", self.clinic),
            None => format!("Clinic: {}", self.clinic),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderSheet {
    pub paper: Paper,
    pub frame: PageFrame,
    pub sections: Vec<Section>,
}

impl OrderSheet {
    /// Build the sheet, or every reason it must not be printed.
    pub fn build(
        protocol: &Protocol,
        case: &Case,
        plan: &Plan,
        options: &OrderOptions,
    ) -> Result<OrderSheet, Vec<Refusal>> {
        let refusals = refusals(protocol, case, plan, options);
        if !refusals.is_empty() {
            return Err(refusals);
        }
        Ok(Builder {
            protocol,
            case,
            plan,
            options,
        }
        .sheet())
    }

    /// Every string on the sheet, frame first (for checks such as forbidden abbreviations).
    pub fn all_text(&self) -> Vec<&str> {
        let fr = &self.frame;
        let mut out: Vec<&str> = vec![
            &fr.title,
            &fr.banner,
            &fr.clinic,
            &fr.patient_name,
            &fr.mrn,
            &fr.date_of_birth,
            &fr.order_number,
            &fr.valid_for,
            &fr.printed_at,
            &fr.protocol,
            &fr.footer,
        ];
        for extra in [
            &fr.protocol_provenance,
            &fr.copy,
            &fr.supersedes,
            &fr.allergies,
            &fr.dosing_weight,
            &fr.clinic_phone,
        ]
        .into_iter()
        .flatten()
        {
            out.push(extra);
        }
        for s in &self.sections {
            out.push(&s.title);
            for b in &s.blocks {
                match b {
                    Block::Row { label, value } => out.extend([label.as_str(), value.as_str()]),
                    Block::Paragraph { text, .. } | Block::Check { text, .. } => out.push(text),
                    Block::Item { label, text, note } => {
                        out.extend([label.as_str(), text.as_str()]);
                        if let Some(n) = note {
                            out.push(n);
                        }
                    }
                    Block::Table { header, rows, .. } => {
                        out.extend(header.iter().map(String::as_str));
                        out.extend(rows.iter().flatten().map(String::as_str));
                    }
                    Block::Panel { title, rows } => {
                        out.push(title);
                        for (label, value) in rows {
                            out.extend([label.as_str(), value.as_str()]);
                        }
                    }
                    Block::Signature { role, name, signed } => {
                        out.push(role);
                        out.extend(name.iter().chain(signed).map(String::as_str));
                    }
                }
            }
        }
        out
    }
}

/// A trimmed, non-empty text field.
fn given(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The reason for `code`: the case's own, else `--justification` when it is long enough.
fn justification_for<'a>(
    case: &'a Case,
    extra: Option<&'a str>,
    code: &str,
) -> Option<(&'a str, &'static str)> {
    case.justifications
        .get(code)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| (s, "from the case"))
        .or_else(|| extra.map(|s| (s, "given when the order was printed")))
}

/// `--justification`, when it meets the same minimum length as the case's reasons.
fn usable_extra<'a>(protocol: &Protocol, options: &'a OrderOptions) -> Option<&'a str> {
    let min = protocol.pack.input_limits.justification_min_chars.value;
    given(&options.extra_justification).filter(|s| s.chars().count() as f64 >= min)
}
