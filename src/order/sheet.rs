//! The order sheet as data: one model, built once from the protocol, the case and its plan,
//! and rendered by `text` (plain text, preview, snapshots) and `pdf` (the chart copy).
//!
//! `OrderSheet::build` either returns the sheet or every reason it must not be printed
//! (clinical-rules ORDER-23; cli-contract "Order refusals"). The model is renderer-neutral:
//! sections of rows, paragraphs, labelled items, tables, checkboxes and signature blocks,
//! plus what goes in every page's header and footer. Every number in it was formatted by
//! `order::format`.

use crate::domain::case::{Case, Course, DosingWeightBasis, RateUnit, Setting, WeightUnit};
use crate::domain::findings::{MonitoringTier, Proceed};
use crate::domain::order_identity::PrintIdentity;
use crate::domain::plan::{Plan, RescueMedication};
use crate::domain::protocol::{AlertKind, Protocol, RescueCategory, Severity};
use crate::domain::response::Classification;
use crate::order::format as f;
use chrono::{NaiveDate, NaiveDateTime};

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
    /// Signature, printed name, date and time lines for one role.
    Signature {
        role: String,
        name: Option<String>,
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
    /// "LOCAL PROTOCOL" when the pack is not the built-in one.
    pub local_protocol: Option<String>,
    pub footer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderSheet {
    pub paper: Paper,
    pub frame: PageFrame,
    pub sections: Vec<Section>,
}

/// The attestation at the `monitored` and `icu` tiers only.
const AIRWAY_ATTESTATION: &str = "airway_clinician_available";

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
        for extra in [&fr.local_protocol, &fr.copy, &fr.supersedes]
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
                    Block::Signature { role, name } => {
                        out.push(role);
                        if let Some(n) = name {
                            out.push(n);
                        }
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

/// Every reason the order must not be printed, in the contract's order.
pub fn refusals(
    protocol: &Protocol,
    case: &Case,
    plan: &Plan,
    options: &OrderOptions,
) -> Vec<Refusal> {
    let mut out = Vec::new();
    let mut refuse = |reason: RefusalReason, message: String| {
        out.push(Refusal { reason, message });
    };

    // 1. The plan says no.
    if plan.proceed == Proceed::No {
        let mut blockers: Vec<String> = plan
            .findings
            .iter()
            .filter(|x| x.severity == Severity::Stop)
            .map(|x| format!("[stop] {}", x.code))
            .collect();
        blockers.extend(
            plan.limit_alerts
                .iter()
                .filter(|a| a.kind == AlertKind::Hard)
                .map(|a| format!("hard limit {}", a.code)),
        );
        refuse(
            RefusalReason::ProceedNo,
            format!(
                "The plan's verdict is \"no\" ({}): no order can be printed for this plan.",
                blockers.join(", ")
            ),
        );
    }

    // 2. Every [avoid] finding and soft alert needs a reason.
    let min_chars = protocol.pack.input_limits.justification_min_chars.value;
    let extra = usable_extra(protocol, options);
    let extra_too_short = given(&options.extra_justification).is_some() && extra.is_none();
    let mut lacking = Vec::new();
    for x in plan
        .findings
        .iter()
        .filter(|x| x.severity == Severity::Avoid)
    {
        if justification_for(case, extra, &x.code).is_none() {
            lacking.push(format!("[avoid] finding {}", x.code));
        }
    }
    for a in plan
        .limit_alerts
        .iter()
        .filter(|a| a.kind == AlertKind::Soft)
    {
        if justification_for(case, extra, &a.code).is_none() {
            lacking.push(format!("soft limit alert {}", a.code));
        }
    }
    for what in &lacking {
        let hint = if extra_too_short {
            format!(
                "the --justification text is shorter than {} characters",
                f::number(min_chars)
            )
        } else {
            "add a reason in justifications or with --justification".to_string()
        };
        refuse(
            RefusalReason::MissingJustification,
            format!("No justification for the {what}: {hint}."),
        );
    }

    // 3. Every screening question answered.
    if !plan.unanswered_screening.is_empty() {
        refuse(
            RefusalReason::UnansweredScreening,
            format!(
                "Screening questions not answered (neither in screening nor in screening_no): {}.",
                plan.unanswered_screening.join(", ")
            ),
        );
    }

    // 4. Identifiers and the prescriber.
    let empty = crate::domain::case::OrderInfo::default();
    let order = case.order.as_ref().unwrap_or(&empty);
    let fields: [(&str, &Option<String>, &str); 6] = [
        (
            "patient_name",
            &order.patient_name,
            "the patient's full name",
        ),
        ("mrn", &order.mrn, "the medical record number"),
        ("date_of_birth", &order.date_of_birth, "YYYY-MM-DD"),
        (
            "weighed_on",
            &order.weighed_on,
            "the date the weight was measured, YYYY-MM-DD",
        ),
        (
            "allergies",
            &order.allergies,
            "write \"no known allergies\" explicitly when there are none",
        ),
        (
            "prescriber",
            &order.prescriber,
            "the ordering physician's name",
        ),
    ];
    for (name, value, hint) in fields {
        if given(value).is_none() {
            refuse(
                RefusalReason::MissingOrderField,
                format!("The order block lacks {name} ({hint})."),
            );
        }
    }

    // 5. Attestations.
    let attest = order.attest.clone().unwrap_or_default();
    let mut attestations = vec![
        (
            "supervising_physician",
            attest.supervising_physician,
            "the supervising physician (ACLS, moderate sedation, immediately available)",
        ),
        (
            "administering_clinician",
            attest.administering_clinician,
            "the administering clinician (trained in moderate sedation, ACLS)",
        ),
        (
            "resuscitation_ready",
            attest.resuscitation_ready,
            "resuscitation equipment and staff present",
        ),
    ];
    if plan.monitoring_tier != MonitoringTier::Standard {
        attestations.push((
            AIRWAY_ATTESTATION,
            attest.airway_clinician_available,
            "an airway/ACLS clinician available (required at the monitored and ICU tiers)",
        ));
    }
    for (name, value, what) in attestations {
        let state = match value {
            Some(true) => continue,
            Some(false) => "is false",
            None => "is missing",
        };
        refuse(
            RefusalReason::Attestation,
            format!("The attestation order.attest.{name} {state}: {what}."),
        );
    }

    // 6. Dates judged on the order date.
    let date = options.order_date;
    if let Some(text) = given(&order.weighed_on) {
        let max_days = protocol.pack.order.weight_max_age_days.value;
        match crate::domain::case::parse_date(text) {
            None => refuse(
                RefusalReason::WeightTooOld,
                format!("order.weighed_on {text} is not a YYYY-MM-DD date."),
            ),
            Some(weighed) => {
                let age_days = (date - weighed).num_days();
                if age_days < 0 {
                    refuse(
                        RefusalReason::WeightTooOld,
                        format!(
                            "The weight is dated {} (order.weighed_on), after the order date {}.",
                            f::date(weighed),
                            f::date(date)
                        ),
                    );
                } else if age_days as f64 > max_days {
                    refuse(
                        RefusalReason::WeightTooOld,
                        format!(
                            "The weight was taken on {}, {} days before the order date {} (at most {} days): weigh the patient again.",
                            f::date(weighed),
                            f::number(age_days as f64),
                            f::date(date),
                            f::number(max_days)
                        ),
                    );
                }
            }
        }
    }
    if let Some(text) = given(&order.date_of_birth) {
        match crate::domain::case::parse_date(text) {
            None => refuse(
                RefusalReason::DateOfBirth,
                format!("order.date_of_birth {text} is not a YYYY-MM-DD date."),
            ),
            Some(born) => match date.years_since(born) {
                Some(age) if age == case.patient.age_years => {}
                Some(age) => refuse(
                    RefusalReason::DateOfBirth,
                    format!(
                        "The date of birth {} gives {} on the order date {}, but patient.age_years is {}.",
                        f::date(born),
                        f::years(age),
                        f::date(date),
                        f::number(f64::from(case.patient.age_years))
                    ),
                ),
                None => refuse(
                    RefusalReason::DateOfBirth,
                    format!(
                        "The date of birth {} is after the order date {}.",
                        f::date(born),
                        f::date(date)
                    ),
                ),
            },
        }
    }
    out
}

struct Builder<'a> {
    protocol: &'a Protocol,
    case: &'a Case,
    plan: &'a Plan,
    options: &'a OrderOptions,
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

    fn text(&self, field: &Option<String>, missing: &str) -> String {
        given(field).unwrap_or(missing).to_string()
    }

    fn sheet(&self) -> OrderSheet {
        let o = self.order();
        let local = (!self.protocol.built_in).then(|| "LOCAL PROTOCOL".to_string());
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
            local_protocol: local,
            footer: if copy {
                "COPY. Not valid without signature".to_string()
            } else {
                "Not valid without signature".to_string()
            },
        };
        let sections = vec![
            self.order_section(),
            self.patient(),
            self.indication(),
            self.findings(),
            self.checklist(),
            self.medication(),
            self.preparation(),
            self.titration(),
            self.monitoring(),
            self.stop_criteria(),
            self.personnel(),
            self.rescue(),
            self.premedication(),
            self.adverse_effects(),
            self.discharge(),
            self.signatures(),
        ];
        OrderSheet {
            paper: self.options.paper,
            frame,
            sections,
        }
    }

    fn order_section(&self) -> Section {
        let pack = &self.protocol.pack;
        let mut blocks = Vec::new();
        if let Some(copy) = self.options.identity.as_ref().filter(|i| i.copy) {
            blocks.push(para(
                format!(
                    "COPY: this is a reprint of order {}, printed before. It is not a new order.",
                    copy.order_number.trim()
                ),
                Style::Alert,
            ));
        }
        blocks.push(row("Order number", self.order_number()));
        blocks.push(row(
            "Valid for",
            format!(
                "{} only (the order date); a new order is needed for another day",
                f::date(self.options.order_date)
            ),
        ));
        if let Some(old) = self
            .options
            .identity
            .as_ref()
            .and_then(|i| given(&i.supersedes))
        {
            blocks.push(para(
                format!(
                    "Supersedes order {old}: that order is no longer valid; remove it from the chart."
                ),
                Style::Strong,
            ));
        }
        blocks.push(row("Order date", f::date(self.options.order_date)));
        // Whom to call: beside the clinic named in the page header, when the case gives it.
        if let Some(phone) = given(&self.order().clinic_phone) {
            blocks.push(row("Clinic telephone", phone));
        }
        blocks.extend([
            row(
                "Protocol",
                format!("{} version {} ({})", pack.id, pack.version, pack.title),
            ),
            row("Protocol sha256", self.protocol.sha256.clone()),
        ]);
        if !self.protocol.built_in {
            blocks.push(para(
                "LOCAL PROTOCOL: this order was computed with a protocol pack that is not the built-in one; check that it is the pack approved for this institution.",
                Style::Strong,
            ));
        }
        blocks.push(row(
            "Generated by",
            format!(
                "ketaplan {} on {}",
                env!("CARGO_PKG_VERSION"),
                f::date_time(self.options.printed_at)
            ),
        ));
        blocks.push(para(
            "A decision aid, not a medical device: the ordering physician checks every figure.",
            Style::Small,
        ));
        section("Order", blocks)
    }

    fn patient(&self) -> Section {
        let o = self.order();
        let p = &self.case.patient;
        let plan = self.plan;
        let mut weight = f::kg(plan.weight_kg);
        if p.weight.unit == WeightUnit::Lb {
            weight.push_str(&format!(", entered as {} lb", f::number(p.weight.value)));
        }
        weight.push_str(&format!(", weighed on {}", self.text(&o.weighed_on, "—")));
        let dosing = match self.case.regimen.dosing_weight {
            DosingWeightBasis::Actual => {
                format!("actual body weight, {}", f::kg(plan.dosing_weight_kg))
            }
            DosingWeightBasis::Ideal => format!(
                "ideal body weight (Devine), {} (actual {})",
                f::kg(plan.dosing_weight_kg),
                f::kg(plan.weight_kg)
            ),
            DosingWeightBasis::Adjusted => format!(
                "adjusted body weight, {} (ideal {}, actual {})",
                f::kg(plan.dosing_weight_kg),
                plan.ideal_weight_kg.map_or("—".to_string(), f::kg),
                f::kg(plan.weight_kg)
            ),
        };
        let mut blocks = vec![
            row("Name", self.text(&o.patient_name, "—")),
            row("Medical record number", self.text(&o.mrn, "—")),
            row("Date of birth", self.text(&o.date_of_birth, "—")),
            row(
                "Age",
                format!("{} on the order date", f::years(p.age_years)),
            ),
            row("Sex", p.sex.map_or("not recorded", |s| s.as_str())),
            row("Allergies", self.text(&o.allergies, "—")),
            row("Weight", weight),
        ];
        if let Some(h) = p
            .height_cm
            .filter(|_| self.case.regimen.dosing_weight != DosingWeightBasis::Actual)
        {
            blocks.push(row("Height", format!("{} cm", f::decimals(h, 1))));
        }
        blocks.push(row("Dosing weight", dosing));
        section("Patient", blocks)
    }

    fn indication(&self) -> Section {
        let plan = self.plan;
        let condition = self.protocol.condition(&self.case.condition);
        let name = condition.map_or(self.case.condition.clone(), |c| c.name.clone());
        let mut blocks = vec![row("Indication", name)];
        if let Some(detail) = given(&self.case.condition_detail) {
            blocks.push(row("Condition detail", detail));
        }
        blocks.push(row(
            "Evidence",
            format!(
                "grade {}, {} certainty",
                plan.evidence.grade, plan.evidence.certainty
            ),
        ));
        if let Some(c) = condition {
            blocks.push(para(
                format!("{} (source: {})", c.summary, c.source),
                Style::Small,
            ));
        }
        let r = &self.case.regimen;
        blocks.push(row(
            "Setting and course",
            format!(
                "{}, {}; this is treatment {} in 12 months",
                setting_text(r.setting),
                course_text(r.course),
                f::number(f64::from(plan.treatments_in_12_months))
            ),
        ));
        if let Some(resp) = &plan.response {
            let mut parts = Vec::new();
            if let Some(pct) = resp.pain_reduction_pct {
                parts.push(format!("pain reduced by {}", f::percent(pct)));
            }
            let class = match resp.classification {
                Classification::Positive => "positive",
                Classification::Negative => "negative",
                Classification::InsufficientData => "insufficient data",
            };
            parts.push(format!("classified {class}"));
            if let Some(d) = resp.durable {
                parts.push(if d { "durable" } else { "not durable" }.to_string());
            }
            parts.push(if resp.repeat_supported {
                "a repeat is supported".to_string()
            } else {
                "a repeat is not supported by the response rules".to_string()
            });
            blocks.push(row("Previous session", parts.join("; ")));
        }
        section("Indication and evidence", blocks)
    }

    fn findings(&self) -> Section {
        let plan = self.plan;
        let extra = usable_extra(self.protocol, self.options);
        let prescriber = self.text(&self.order().prescriber, "the prescriber");
        let note_for = |code: &str, needs: bool| -> Option<String> {
            if !needs {
                return None;
            }
            justification_for(self.case, extra, code).map(|(text, from)| {
                format!(
                    "Justification ({from}), accepted by the ordering physician {prescriber}: {text}"
                )
            })
        };
        let mut blocks = Vec::new();
        for x in &plan.findings {
            blocks.push(Block::Item {
                label: format!("[{}] {}", x.severity.as_str().to_uppercase(), x.code),
                text: format!("{} (source: {})", x.message, x.source),
                note: note_for(&x.code, x.severity == Severity::Avoid),
            });
        }
        for a in &plan.limit_alerts {
            blocks.push(Block::Item {
                label: format!("[{} LIMIT] {}", a.kind.as_str().to_uppercase(), a.code),
                text: format!("{} (source: {})", a.message, a.source),
                note: note_for(&a.code, a.kind == AlertKind::Soft),
            });
        }
        if blocks.is_empty() {
            blocks.push(para(
                "No findings and no limit alerts for this plan.",
                Style::Normal,
            ));
        }
        let yes: Vec<&str> = self.case.screening.iter().map(String::as_str).collect();
        let total = self.protocol.screening_codes().count();
        blocks.push(row(
            "Screening",
            format!(
                "all {} questions answered; Yes: {}",
                f::number(total as f64),
                if yes.is_empty() {
                    "none".to_string()
                } else {
                    yes.join(", ")
                }
            ),
        ));
        section("Findings and limit alerts", blocks)
    }

    fn checklist(&self) -> Section {
        let plan = self.plan;
        let mut blocks = Vec::new();
        if plan.preinfusion_tests.is_empty() {
            blocks.push(para(
                "No pre-infusion tests are required for this plan.",
                Style::Normal,
            ));
        } else {
            blocks.push(Block::Table {
                header: vec!["Pre-infusion test".into(), "Date".into(), "Result".into()],
                rows: plan
                    .preinfusion_tests
                    .iter()
                    .map(|t| vec![test_name(t), BLANK.to_string(), BLANK.to_string()])
                    .collect(),
                widths: vec![0.44, 0.2, 0.36],
            });
            blocks.push(para(
                format!("Source: {}", self.protocol.pack.tests.source),
                Style::Small,
            ));
        }
        blocks.push(check("Consent obtained and documented", false));
        let fasting: Vec<String> = plan
            .monitoring
            .fasting
            .iter()
            .map(|l| format!("{}: {}", l.label.to_lowercase(), l.text))
            .collect();
        blocks.push(check(
            format!("Fasting checked ({})", fasting.join("; ")),
            false,
        ));
        blocks.push(check("Screening answers reviewed with the patient", false));
        blocks.push(check(
            "Baseline vital signs recorded (blood pressure, heart rate, respiratory rate, SpO2, sedation score, pain score)",
            false,
        ));
        blocks.push(check("IV access in place and patent", false));
        if self.case.patient.sex != Some(crate::domain::case::Sex::Male) {
            blocks.push(check("Pregnancy status checked", false));
        }
        section("Before the infusion", blocks)
    }

    /// Limits a bolus mg/kg figure is judged against (for limit-aware rounding).
    fn bolus_limits(&self) -> Vec<f64> {
        let pack = &self.protocol.pack;
        let m = &pack.monitoring;
        vec![
            pack.dose_limits.bolus_soft_above_mg_per_kg.value,
            pack.dose_limits.bolus_hard_from_mg_per_kg.value,
            m.bolus_monitored_from_mg_per_kg.value,
            m.bolus_monitored_from_mg_per_kg.value * m.reduced_threshold_factor.value,
        ]
    }

    /// Limits an infusion mg/kg/h figure is judged against.
    fn rate_limits(&self) -> Vec<f64> {
        let pack = &self.protocol.pack;
        let m = &pack.monitoring;
        vec![
            pack.dose_limits.infusion_icu_above_mg_per_kg_per_h.value,
            pack.dose_limits
                .infusion_maximum_above_mg_per_kg_per_h
                .value,
            pack.dose_limits.infusion_studied_from_mg_per_kg_per_h.value,
            m.infusion_monitored_from_mg_per_kg_per_h.value,
            m.infusion_monitored_from_mg_per_kg_per_h.value * m.reduced_threshold_factor.value,
        ]
    }

    /// "0.5 mg/kg/h (8.33 mcg/kg/min)", the entered unit first.
    fn rate_text(&self, mg_per_kg_per_h: f64, mcg_per_kg_per_min: f64) -> String {
        let mgkgh = f::mg_per_kg_per_h_judged(mg_per_kg_per_h, &self.rate_limits());
        let mcg = f::mcg_per_kg_per_min(mcg_per_kg_per_min);
        if self.case.regimen.infusion.unit == RateUnit::McgPerKgPerMin {
            format!("{mcg} ({mgkgh})")
        } else {
            format!("{mgkgh} ({mcg})")
        }
    }

    fn concentration_text(&self) -> String {
        let c = self.plan.concentration_mg_per_ml;
        let standard = self
            .protocol
            .pack
            .concentrations
            .iter()
            .find(|s| (s.mg_per_ml - c).abs() < 1e-9);
        match standard {
            Some(s) => format!("{} per mL: {}", f::mg(c), s.label),
            None => format!(
                "{} per 1 mL ({}): not a standard concentration, preparation to be approved by the pharmacist",
                f::mg(c),
                f::mg_per_ml(c)
            ),
        }
    }

    fn medication(&self) -> Section {
        let plan = self.plan;
        let pack = &self.protocol.pack;
        let c = plan.concentration_mg_per_ml;
        let w = f::kg(plan.dosing_weight_kg);
        let mut blocks = Vec::new();
        let conc = f::mg_per_ml(c);
        let bolus_row = match (plan.bolus_mg, plan.bolus_mg_per_kg, plan.bolus_minutes) {
            (Some(mg), Some(per_kg), Some(minutes)) => vec![
                format!("Bolus, IV over {}", f::minutes(minutes)),
                f::mg_per_kg_judged(per_kg, &self.bolus_limits()),
                f::mg(mg),
                f::ml(mg / c),
            ],
            _ => vec![
                "Bolus".to_string(),
                "No bolus".to_string(),
                "—".to_string(),
                "—".to_string(),
            ],
        };
        let pump = |ml: f64, delivered: f64| {
            format!("{}, delivers {}", f::ml_per_h(ml), f::mg_per_h(delivered))
        };
        let titrated = plan.titration.is_some();
        let ceiling_row = if titrated {
            vec![
                "Maximum rate (ceiling)".to_string(),
                self.rate_text(
                    plan.max_infusion_mg_per_kg_per_h,
                    plan.max_infusion_mcg_per_kg_per_min,
                ),
                f::mg_per_h(plan.max_infusion_mg_per_h),
                pump(plan.max_pump_ml_per_h, plan.max_pump_delivered_mg_per_h),
            ]
        } else {
            vec![
                "Maximum rate (ceiling)".to_string(),
                "the starting rate: no titration".to_string(),
                f::mg_per_h(plan.infusion_mg_per_h),
                pump(plan.pump_ml_per_h, plan.pump_delivered_mg_per_h),
            ]
        };
        blocks.push(Block::Table {
            header: vec![
                "Order".to_string(),
                format!("Per kg ({w} dosing weight)"),
                "Dose".to_string(),
                format!("Pump at {conc}"),
            ],
            rows: vec![
                bolus_row,
                vec![
                    "Infusion, starting rate".to_string(),
                    self.rate_text(
                        plan.infusion_mg_per_kg_per_h,
                        plan.infusion_mcg_per_kg_per_min,
                    ),
                    f::mg_per_h(plan.infusion_mg_per_h),
                    pump(plan.pump_ml_per_h, plan.pump_delivered_mg_per_h),
                ],
                ceiling_row,
            ],
            widths: vec![0.22, 0.3, 0.17, 0.31],
        });
        let max_ml = if titrated {
            plan.max_pump_ml_per_h
        } else {
            plan.pump_ml_per_h
        };
        blocks.push(para(
            format!(
                "Program the pump at {} ({conc}); never above {}.",
                f::ml_per_h(plan.pump_ml_per_h),
                f::ml_per_h(max_ml)
            ),
            Style::Alert,
        ));
        blocks.push(para(
            format!(
                "{}, intravenous. Not esketamine.",
                capitalise(&pack.product)
            ),
            Style::Strong,
        ));
        blocks.push(row("Concentration", self.concentration_text()));
        blocks.push(row("Duration", f::hours(plan.duration_h)));
        blocks.push(row(
            "Start",
            format!("date {BLANK} time ____:____ (24-hour)"),
        ));
        blocks.push(row(
            "Stop",
            format!("date {BLANK} time ____:____ (24-hour)"),
        ));
        let min_total = pack.first_infusion.min_total_mg.value;
        let bolus_mg = plan.bolus_mg.unwrap_or(0.0);
        let total_detail = if plan.bolus_mg.is_some() {
            format!(
                "bolus {} and {} for {}",
                f::mg(bolus_mg),
                f::mg_per_h(plan.infusion_mg_per_h),
                f::hours(plan.duration_h)
            )
        } else {
            format!(
                "{} for {}",
                f::mg_per_h(plan.infusion_mg_per_h),
                f::hours(plan.duration_h)
            )
        };
        blocks.push(row(
            "Total ketamine, ordered",
            format!(
                "{} ({total_detail})",
                f::mg_judged(plan.total_mg, &[min_total])
            ),
        ));
        blocks.push(row(
            "Total ketamine, as the pump delivers",
            f::mg_judged(plan.delivered_total_mg, &[min_total]),
        ));
        let bolus_ml = bolus_mg / c;
        let volume = bolus_ml + plan.pump_ml_per_h * plan.duration_h;
        if titrated {
            blocks.push(row(
                "Total ketamine at the maximum rate",
                format!("at most {}", f::mg(plan.max_total_mg)),
            ));
            let max_volume = bolus_ml + plan.max_pump_ml_per_h * plan.duration_h;
            blocks.push(row(
                "Total volume",
                format!(
                    "{} at the starting rate, at most {} at the maximum rate",
                    f::ml(volume),
                    f::ml(max_volume)
                ),
            ));
        } else {
            blocks.push(row("Total volume", f::ml(volume)));
        }
        let dl = &pack.dose_limits;
        blocks.push(row(
            "Guideline limits",
            format!(
                "bolus up to {}; infusion up to {} outside the ICU and never above {}",
                f::mg_per_kg(dl.bolus_soft_above_mg_per_kg.value),
                f::mg_per_kg_per_h(dl.infusion_icu_above_mg_per_kg_per_h.value),
                f::mg_per_kg_per_h(dl.infusion_maximum_above_mg_per_kg_per_h.value)
            ),
        ));
        section("Ketamine orders", blocks)
    }

    /// Preparation from the pack's standard preparation (or by the pharmacy for a custom
    /// concentration), the witnessed waste of the Schedule III remainder, and the pump box.
    fn preparation(&self) -> Section {
        let plan = self.plan;
        let c = plan.concentration_mg_per_ml;
        let bolus_ml = plan.bolus_mg.map_or(0.0, |mg| mg / c);
        let mut blocks = Vec::new();
        let prep = crate::domain::preparation::preparation(self.protocol, plan);
        match &prep {
            Some(prep) => {
                let r = &prep.recipe;
                let one = r.container.as_str();
                let many = plural(one, prep.containers);
                blocks.push(para(
                    format!("Preparation, each {one} (standard preparation)"),
                    Style::Heading,
                ));
                blocks.push(row(
                    "Vials",
                    format!(
                        "{} of {} ({} each) for each {one}; {} for the session",
                        count(r.vials, "vial"),
                        f::mg_per_ml(r.vial_mg_per_ml),
                        f::ml(r.vial_ml),
                        count(r.vials.saturating_mul(prep.containers), "vial")
                    ),
                ));
                blocks.push(row(
                    "Draw",
                    format!(
                        "{} ({}) from the vials",
                        f::ml(r.drawn_ml),
                        f::mg(r.drug_mg)
                    ),
                ));
                blocks.push(row(
                    "Diluent",
                    format!(
                        "{} {}, to a total of {} in the {one}",
                        f::ml(r.diluent_ml),
                        r.diluent,
                        f::ml(r.container_ml)
                    ),
                ));
                blocks.push(row(
                    &format!("Each {one} holds"),
                    format!(
                        "{} in {} = {}; never infuse a vial undiluted",
                        f::mg(r.drug_mg),
                        f::ml(r.container_ml),
                        f::mg_per_ml(c)
                    ),
                ));
                blocks.push(row(
                    "Beyond-use time",
                    format!(
                        "use within {} of preparation; label each {one} with the time it was prepared",
                        f::hours(r.beyond_use_hours)
                    ),
                ));
                blocks.push(row(
                    "For the session",
                    format!(
                        "{} ({}), planned for the maximum rate over {}{}: at most {}",
                        count(prep.containers, one),
                        count(prep.bag_changes, &format!("{one} change")),
                        f::hours(plan.duration_h),
                        if plan.bolus_mg.is_some() {
                            ", bolus included"
                        } else {
                            ""
                        },
                        f::ml(prep.max_volume_ml)
                    ),
                ));
                let last = prep.vtbi_ml.len();
                blocks.push(Block::Table {
                    header: vec![
                        capitalise(one),
                        "Volume to be infused (VTBI)".into(),
                        "Prepared at".into(),
                        "Prepared by".into(),
                        "Hung at".into(),
                    ],
                    rows: prep
                        .vtbi_ml
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut vtbi = f::ml(*v);
                            if i == 0 && bolus_ml > 0.0 {
                                vtbi.push_str(&format!(", the {} bolus included", f::ml(bolus_ml)));
                            }
                            if i + 1 == last && last > 1 && *v < r.container_ml {
                                vtbi.push_str(" (partial)");
                            }
                            vec![
                                format!(
                                    "{} of {}",
                                    f::number((i + 1) as f64),
                                    f::number(last as f64)
                                ),
                                vtbi,
                                "____:____".into(),
                                BLANK.into(),
                                "____:____".into(),
                            ]
                        })
                        .collect(),
                    widths: vec![0.1, 0.36, 0.14, 0.26, 0.14],
                });
                blocks.push(para(format!("Source: {}", r.source), Style::Small));

                blocks.push(para(
                    "Witnessed waste (Schedule III controlled substance)",
                    Style::Heading,
                ));
                let start_mg = prep.volume_ml.min(prep.max_volume_ml) * c;
                let left_at_start_rate = (prep.prepared_mg - start_mg).max(0.0);
                let varies = (left_at_start_rate - prep.expected_waste_mg).abs() >= 1e-9;
                let left = if varies {
                    format!(
                        "{} to {}",
                        f::mg(prep.expected_waste_mg),
                        f::mg(left_at_start_rate)
                    )
                } else {
                    f::mg(prep.expected_waste_mg)
                };
                let mut rows = Vec::new();
                if r.vial_remainder_mg > 0.0 {
                    for i in 0..prep.containers {
                        rows.push(vec![
                            format!("Vials for {one} {}", f::number(f64::from(i + 1))),
                            f::mg(r.vial_remainder_mg),
                            "______ mg".into(),
                            SHORT_BLANK.into(),
                            "____:____".into(),
                        ]);
                    }
                }
                rows.push(vec![
                    format!("Left in the {many} at the end"),
                    left,
                    "______ mg".into(),
                    SHORT_BLANK.into(),
                    "____:____".into(),
                ]);
                blocks.push(Block::Table {
                    header: vec![
                        "Remainder".into(),
                        "Expected".into(),
                        "Wasted".into(),
                        "Witness".into(),
                        "Time".into(),
                    ],
                    rows,
                    widths: vec![0.27, 0.27, 0.13, 0.2, 0.13],
                });
                if varies {
                    blocks.push(para(
                        format!(
                            "Left at the end: {} if the infusion runs at the maximum rate throughout, up to {} at the starting rate.",
                            f::mg(prep.expected_waste_mg),
                            f::mg(left_at_start_rate)
                        ),
                        Style::Small,
                    ));
                }
            }
            None => {
                blocks.push(para(
                    format!(
                        "Prepared by pharmacy: no standard preparation for {}.",
                        f::mg_per_ml(c)
                    ),
                    Style::Strong,
                ));
                blocks.push(row(
                    "Vial strength used",
                    format!("{BLANK} mg/mL (never infuse a vial undiluted)"),
                ));
                blocks.push(row(
                    "Container and volume",
                    format!("{BLANK}; prepared by {BLANK} at ____:____"),
                ));
                blocks.push(row(
                    "Beyond-use time",
                    "as labelled by the pharmacy: use by ____:____",
                ));
                blocks.push(para(
                    "Witnessed waste (Schedule III controlled substance)",
                    Style::Heading,
                ));
                blocks.push(Block::Table {
                    header: vec![
                        "Remainder".into(),
                        "Expected".into(),
                        "Wasted".into(),
                        "Witness".into(),
                        "Time".into(),
                    ],
                    rows: vec![vec![
                        "Vials and containers".into(),
                        "as calculated by the pharmacy".into(),
                        "______ mg".into(),
                        SHORT_BLANK.into(),
                        "____:____".into(),
                    ]],
                    widths: vec![0.27, 0.27, 0.13, 0.2, 0.13],
                });
            }
        }
        blocks.push(self.pump_box(prep.as_ref(), bolus_ml));
        section("Preparation and pump programming", blocks)
    }

    /// What to enter on the pump, in the pump's own terms.
    fn pump_box(
        &self,
        prep: Option<&crate::domain::preparation::Preparation>,
        bolus_ml: f64,
    ) -> Block {
        let plan = self.plan;
        let program = crate::domain::preparation::pump_program(self.protocol, plan);
        let c = program.concentration_mg_per_ml;
        let mut rows = vec![
            ("Mode".to_string(), program.mode.to_string()),
            ("Drug".to_string(), format!("ketamine {}", f::mg_per_ml(c))),
            ("Rate".to_string(), f::ml_per_h(program.rate_ml_per_h)),
            (
                "Never above".to_string(),
                if plan.titration.is_some() {
                    format!(
                        "{} (the titration ceiling)",
                        f::ml_per_h(program.max_rate_ml_per_h)
                    )
                } else {
                    format!("{} (no titration)", f::ml_per_h(program.rate_ml_per_h))
                },
            ),
        ];
        let vtbi = match (prep, program.vtbi_ml) {
            (Some(prep), Some(first)) => {
                let one = prep.recipe.container.as_str();
                let mut text = format!("{} ({one} 1", f::ml(first));
                if bolus_ml > 0.0 {
                    text.push_str(&format!(", the {} bolus included", f::ml(bolus_ml)));
                }
                text.push(')');
                if prep.vtbi_ml.len() > 1 {
                    let rest: Vec<String> = prep.vtbi_ml[1..].iter().map(|v| f::ml(*v)).collect();
                    text.push_str(&format!("; at each {one} change: {}", rest.join(", ")));
                }
                text
            }
            _ => {
                let max = bolus_ml + plan.max_pump_ml_per_h * plan.duration_h;
                format!(
                    "as labelled by the pharmacy for each container (the session needs at most {})",
                    f::ml(max)
                )
            }
        };
        rows.push(("VTBI".to_string(), vtbi));
        match (
            program.bolus_ml,
            program.bolus_rate_ml_per_h,
            program.bolus_minutes,
        ) {
            (Some(ml), Some(rate), Some(minutes)) => {
                rows.push(("Bolus volume".to_string(), f::ml(ml)));
                rows.push((
                    "Bolus rate".to_string(),
                    format!("{} (over {})", f::ml_per_h(rate), f::minutes(minutes)),
                ));
            }
            _ => rows.push(("Bolus".to_string(), "none".to_string())),
        }
        rows.push((
            "Dose mode".to_string(),
            format!(
                "If the pump is programmed in dose mode, enter the dosing weight {} (concentration {}, dose {})",
                f::kg(program.dosing_weight_kg),
                f::mg_per_ml(c),
                f::mg_per_kg_per_h_judged(plan.infusion_mg_per_kg_per_h, &self.rate_limits())
            ),
        ));
        Block::Panel {
            title: "Pump programming, as the pump shows it".to_string(),
            rows,
        }
    }

    fn titration(&self) -> Section {
        let plan = self.plan;
        let rules = &self.protocol.pack.titration;
        let hold = f::percent(rules.hold_reduction_fraction.value * 100.0);
        let mut blocks = Vec::new();
        match &plan.titration {
            Some(t) => {
                blocks.push(para(t.instruction.clone(), Style::Normal));
                blocks.push(row(
                    "Step",
                    format!(
                        "up by {} at most every {}, up to the maximum rate",
                        f::mg_per_kg_per_h(t.step_mg_per_kg_per_h),
                        f::minutes(t.interval_min)
                    ),
                ));
                let last = t.steps.len().saturating_sub(1);
                let limits = self.rate_limits();
                blocks.push(Block::Table {
                    header: vec![
                        "Step".into(),
                        "mg/kg/h".into(),
                        "mcg/kg/min".into(),
                        "mg/h".into(),
                        "Pump mL/h".into(),
                        "Time started".into(),
                    ],
                    rows: t
                        .steps
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let name = match i {
                                0 => "start".to_string(),
                                i if i == last => "maximum".to_string(),
                                i => f::number(i as f64),
                            };
                            vec![
                                name,
                                f::significant_judged(s.mg_per_kg_per_h, 3, &limits),
                                f::significant(s.mcg_per_kg_per_min, 3),
                                f::decimals(s.mg_per_h, 1),
                                f::decimals(s.pump_ml_per_h, 1),
                                "____:____".to_string(),
                            ]
                        })
                        .collect(),
                    widths: vec![0.14, 0.16, 0.17, 0.16, 0.17, 0.2],
                });
                blocks.push(para(format!("Source: {}", t.source), Style::Small));
            }
            None => blocks.push(para(
                "No titration: the rate stays at the starting rate.",
                Style::Normal,
            )),
        }
        blocks.push(para(
            format!(
                "Rate changes only on the physician's order. For adverse effects or a hold criterion, reduce the rate by {hold} or stop, and call the physician."
            ),
            Style::Strong,
        ));
        section("Titration", blocks)
    }

    fn monitoring(&self) -> Section {
        let m = &self.plan.monitoring;
        let mut blocks = vec![
            row(
                "Monitoring tier",
                format!("{}: {}", tier_text(m.tier), m.tier_meaning),
            ),
            row(&m.sedation_scale.label, m.sedation_scale.text.clone()),
        ];
        blocks.extend(m.items.iter().map(|i| row(&i.name, i.detail.clone())));
        blocks.push(para("How often", Style::Heading));
        blocks.extend(m.frequencies.iter().map(|l| row(&l.label, l.text.clone())));
        blocks.push(row(&m.oxygen.label, m.oxygen.text.clone()));
        blocks.push(para(format!("Source: {}", m.tier_source), Style::Small));
        section("Monitoring", blocks)
    }

    fn stop_criteria(&self) -> Section {
        let m = &self.plan.monitoring;
        let mut blocks = vec![para("Do not start", Style::Heading)];
        blocks.extend(m.do_not_start.iter().map(|l| row(&l.label, l.text.clone())));
        blocks.push(para("Hold, stop and call", Style::Heading));
        blocks.extend(
            m.stop_criteria
                .iter()
                .map(|l| row(&l.label, l.text.clone())),
        );
        section("Do not start, hold and call", blocks)
    }

    fn personnel(&self) -> Section {
        let o = self.order();
        let attest = o.attest.clone().unwrap_or_default();
        let mut blocks = Vec::new();
        for p in &self.plan.personnel {
            let role = p.role.to_lowercase();
            let name = if role.contains("supervising") {
                Some(self.text(&o.supervising_physician_name, BLANK))
            } else if role.contains("administering") {
                Some(self.text(&o.administering_clinician_name, BLANK))
            } else if role.contains("airway") {
                Some(self.text(&o.airway_clinician_name, BLANK))
            } else {
                None
            };
            let note = name.map(|n| {
                if role.contains("supervising") {
                    format!("Name: {n}. Contact while the infusion runs: {BLANK}")
                } else {
                    format!("Name: {n}. Credentials: {BLANK}")
                }
            });
            blocks.push(Block::Item {
                label: p.role.clone(),
                text: p.requirement.clone(),
                note,
            });
        }
        blocks.push(check(
            "Supervising physician attests: ACLS certified, meets the moderate-sedation requirements, immediately available",
            attest.supervising_physician == Some(true),
        ));
        blocks.push(check(
            "Administering clinician attests: trained in moderate sedation and ketamine, ACLS certified",
            attest.administering_clinician == Some(true),
        ));
        blocks.push(check(
            "Resuscitation equipment and staff present",
            attest.resuscitation_ready == Some(true),
        ));
        if self.plan.monitoring_tier != MonitoringTier::Standard {
            blocks.push(check(
                "Airway/ACLS clinician available",
                attest.airway_clinician_available == Some(true),
            ));
        }
        blocks.push(check(
            "Rescue drugs at the bedside (ticked by the nurse before the start)",
            false,
        ));
        section("Personnel and readiness", blocks)
    }

    fn dose_text(&self, r: &RescueMedication) -> String {
        let mut dose = r.dose.clone();
        if let Some(mg) = r.calculated_dose_mg {
            dose.push_str(&format!(
                " = {} for {}",
                f::mg(mg),
                f::kg(self.plan.dosing_weight_kg)
            ));
        }
        if r.age_adjusted {
            dose.push_str(&format!(
                " (dose for age {} or older)",
                f::number(self.protocol.pack.monitoring.elderly_from_age_years.value)
            ));
        }
        dose
    }

    fn rescue(&self) -> Section {
        let mut blocks = Vec::new();
        let groups = [
            (
                RescueCategory::Rescue,
                "For adverse effects (lower the rate or stop first)",
            ),
            (RescueCategory::Seizure, "Seizure"),
            (RescueCategory::Reversal, "Reversal"),
        ];
        for (category, title) in groups {
            let drugs: Vec<&RescueMedication> = self
                .plan
                .rescue_medications
                .iter()
                .filter(|r| r.category == category)
                .collect();
            if drugs.is_empty() {
                continue;
            }
            blocks.push(para(title, Style::Heading));
            blocks.push(Block::Table {
                header: vec![
                    "Drug".into(),
                    "For".into(),
                    "Dose and route".into(),
                    "Repeat".into(),
                    "Maximum".into(),
                ],
                rows: drugs
                    .iter()
                    .map(|r| {
                        vec![
                            r.drug.clone(),
                            r.indication.clone(),
                            self.dose_text(r),
                            r.repeat.clone(),
                            r.max.clone(),
                        ]
                    })
                    .collect(),
                widths: vec![0.17, 0.29, 0.2, 0.18, 0.16],
            });
            for r in drugs {
                for w in &r.warnings {
                    blocks.push(para(
                        format!("{}: {} (source: {})", r.drug, w.text, w.source),
                        Style::Strong,
                    ));
                }
            }
        }
        if self
            .case
            .answered_yes(crate::domain::plan::BENZODIAZEPINE_CONTRAINDICATION)
        {
            blocks.push(para(
                "Benzodiazepines are contraindicated for this patient: none is listed.",
                Style::Strong,
            ));
        }
        section("Rescue medications", blocks)
    }

    fn premedication(&self) -> Section {
        let mut blocks = vec![para(
            "Optional: the physician ticks what is to be given.",
            Style::Normal,
        )];
        for r in &self.plan.premedication {
            blocks.push(check(
                format!(
                    "{} {}, {}; maximum {}",
                    r.drug,
                    self.dose_text(r),
                    r.repeat,
                    r.max
                ),
                false,
            ));
        }
        section("Premedication", blocks)
    }

    fn adverse_effects(&self) -> Section {
        section(
            "Adverse effects to watch for",
            self.plan
                .adverse_effects
                .iter()
                .map(|a| row(&a.effect, a.detail.clone()))
                .collect(),
        )
    }

    fn discharge(&self) -> Section {
        let plan = self.plan;
        let m = &plan.monitoring;
        let mut blocks = vec![para("Discharge criteria", Style::Heading)];
        blocks.extend(
            m.discharge_criteria
                .iter()
                .map(|l| check(format!("{}: {}", l.label, l.text), false)),
        );
        blocks.push(para(
            "Instructions for the patient (give in writing)",
            Style::Heading,
        ));
        blocks.extend(
            plan.patient_instructions
                .iter()
                .map(|l| row(&l.label, l.text.clone())),
        );
        let rules = &self.protocol.pack.response;
        let r = &self.case.regimen;
        let weeks = if r.setting == Setting::Outpatient && r.course == Course::Single {
            rules.durable_single_outpatient_above_weeks.value
        } else {
            rules.durable_other_above_weeks.value
        };
        blocks.push(para("Follow-up", Style::Heading));
        blocks.push(row(
            "When",
            format!("at least {} weeks after this session", f::number(weeks)),
        ));
        blocks.push(row(
            "Record",
            "pain score (NRS 0–10) before and after, satisfaction, ODI and opioid MME, weeks of relief, urinary and liver symptoms",
        ));
        blocks.push(row(
            "Treatments in 12 months",
            format!(
                "{}, this one included",
                f::number(f64::from(plan.treatments_in_12_months))
            ),
        ));
        section("Discharge and follow-up", blocks)
    }

    fn signatures(&self) -> Section {
        let o = self.order();
        section(
            "Signatures",
            vec![
                Block::Signature {
                    role: "Ordering physician".to_string(),
                    name: given(&o.prescriber).map(str::to_string),
                },
                Block::Signature {
                    role: "Pharmacist verification".to_string(),
                    name: None,
                },
                Block::Signature {
                    role: "Independent double check of the pump programming (high-alert IV anesthetic agent)".to_string(),
                    name: None,
                },
                Block::Signature {
                    role: "Administering nurse".to_string(),
                    name: given(&o.administering_clinician_name).map(str::to_string),
                },
            ],
        )
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
