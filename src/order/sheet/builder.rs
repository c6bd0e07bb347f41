//! The Builder: writes the sheet's frame and its sections, in print order, from the protocol, case and plan.

use super::{Block, OrderOptions, OrderSheet, PageFrame, Section, Style, given};
use crate::domain::case::{Case, Course, Setting};
use crate::domain::findings::MonitoringTier;
use crate::domain::plan::Plan;
use crate::domain::protocol::Protocol;
use crate::order::format as f;

mod medication;
mod monitoring;
mod orders;
mod preparation;
mod pump;
mod titration;
mod wording;

pub(super) struct Builder<'a> {
    pub(super) protocol: &'a Protocol,
    pub(super) case: &'a Case,
    pub(super) plan: &'a Plan,
    pub(super) options: &'a OrderOptions,
}

fn row(label: &str, value: impl Into<String>) -> Block {
    Block::Row {
        label: label.to_string(),
        value: value.into(),
    }
}

fn para(text: impl Into<String>, style: Style) -> Block {
    Block::Paragraph {
        text: text.into(),
        style,
    }
}

fn check(text: impl Into<String>, ticked: bool) -> Block {
    Block::Check {
        text: text.into(),
        ticked,
    }
}

fn section(title: &str, blocks: Vec<Block>) -> Section {
    Section {
        title: title.to_string(),
        blocks,
    }
}

/// A blank to fill in by hand.
const BLANK: &str = "____________________";
/// A shorter blank, for a table column.
const SHORT_BLANK: &str = "____________";

impl Builder<'_> {
    fn order(&self) -> crate::domain::case::OrderInfo {
        self.case.order.clone().unwrap_or_default()
    }

    /// The number printed on every page: the print identity's, else the case's own, else the
    /// content-derived one (the same content, the same number).
    fn order_number(&self) -> String {
        if let Some(n) = self
            .options
            .identity
            .as_ref()
            .map(|i| i.order_number.trim())
            .filter(|n| !n.is_empty())
        {
            return n.to_string();
        }
        given(&self.order().order_number).map_or_else(
            || {
                crate::domain::order_identity::order_number(
                    self.protocol,
                    self.case,
                    self.options.order_date,
                )
            },
            str::to_string,
        )
    }

    /// "69.9 kg (actual body weight)".
    fn dosing_weight_short(&self) -> String {
        let basis = match self.case.regimen.dosing_weight {
            crate::domain::case::DosingWeightBasis::Actual => "actual body weight",
            crate::domain::case::DosingWeightBasis::Ideal => "ideal body weight",
            crate::domain::case::DosingWeightBasis::Adjusted => "adjusted body weight",
        };
        format!("{} ({basis})", f::kg(self.plan.dosing_weight_kg))
    }

    fn text(&self, field: &Option<String>, missing: &str) -> String {
        given(field).unwrap_or(missing).to_string()
    }

    /// An electronically signed order says so on every page; an unsigned one needs ink.
    fn footer(&self, copy: bool) -> String {
        let signed = self
            .options
            .signatures
            .iter()
            .find(|s| s.kind == crate::domain::signature::SignatureKind::Order);
        let validity = match signed {
            Some(s) => format!(
                "Electronically signed by {} at {}",
                s.full_name.trim(),
                s.signed_at.format("%Y-%m-%d %H:%M")
            ),
            None => "Not valid without signature".to_string(),
        };
        if copy {
            format!("COPY. {validity}")
        } else {
            validity
        }
    }

    pub(super) fn sheet(&self) -> OrderSheet {
        let o = self.order();
        let pack = &self.protocol.pack;
        let identity = self.options.identity.as_ref();
        let order_number = self.order_number();
        let copy = identity.is_some_and(|i| i.copy);
        let frame = PageFrame {
            title: "Ketamine infusion order (IV, chronic pain)".to_string(),
            banner: format!(
                "HIGH-ALERT medication: {}, intravenous. Independent double check of the pump programming required.",
                pack.product
            ),
            clinic: self.text(&o.clinic, "clinic not given"),
            patient_name: self.text(&o.patient_name, "—"),
            mrn: self.text(&o.mrn, "—"),
            date_of_birth: self.text(&o.date_of_birth, "—"),
            allergies: Some(self.text(&o.allergies, "—")),
            dosing_weight: Some(self.dosing_weight_short()),
            clinic_phone: given(&o.clinic_phone).map(str::to_string),
            order_number: order_number.clone(),
            valid_for: format!("Valid for {} only", f::date(self.options.order_date)),
            copy: copy.then(|| {
                format!(
                    "COPY: a reprint of order {order_number}. Do not prepare or give a second infusion from this copy."
                )
            }),
            supersedes: identity
                .and_then(|i| given(&i.supersedes))
                .map(|n| format!("Supersedes order {n}")),
            printed_at: f::date_time(self.options.printed_at),
            protocol: format!(
                "{} version {}, sha256 {}",
                pack.id,
                pack.version,
                self.protocol.short_sha256()
            ),
            protocol_provenance: self.protocol.provenance_mark(),
            footer: self.footer(copy),
        };
        // The drug order first (what the nurse and the pharmacist act on) and the ordering
        // physician's signature; the administrative sections follow.
        let mut sections = vec![
            self.medication(),
            self.prescriber_signature(),
            self.patient(),
            self.findings(),
            self.checklist(),
            self.preparation(),
            self.titration(),
            self.monitoring(),
            self.stop_criteria(),
            self.personnel(),
            self.rescue(),
            self.premedication(),
            self.adverse_effects(),
            self.discharge(),
            self.indication(),
            self.signatures(),
            self.order_section(),
        ];
        self.finish_wording(&mut sections);
        OrderSheet {
            paper: self.options.paper,
            frame,
            sections,
        }
    }
}

/// "1 vial", "3 vials".
fn count(n: u32, noun: &str) -> String {
    format!("{} {}", f::number(f64::from(n)), plural(noun, n))
}

fn plural(noun: &str, n: u32) -> String {
    if n == 1 {
        noun.to_string()
    } else {
        format!("{noun}s")
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn setting_text(s: Setting) -> &'static str {
    match s {
        Setting::Outpatient => "outpatient",
        Setting::Inpatient => "inpatient",
        Setting::Icu => "intensive care unit",
    }
}

fn course_text(c: Course) -> &'static str {
    match c {
        Course::Single => "single session",
        Course::Series => "one session of a series",
        Course::Continuous => "continuous multi-day infusion",
    }
}

fn tier_text(t: MonitoringTier) -> &'static str {
    match t {
        MonitoringTier::Standard => "standard",
        MonitoringTier::Monitored => "monitored",
        MonitoringTier::Icu => "intensive care (ICU)",
    }
}

fn test_name(code: &str) -> String {
    match code {
        "ecg" => "12-lead ECG".to_string(),
        "lft_baseline" => "Liver function tests, baseline".to_string(),
        "lft_post" => "Liver function tests, after the infusion".to_string(),
        other => other.replace('_', " "),
    }
}
