//! A validated pack with the hash of its exact bytes: loading it (built in or from RON text)
//! and looking up its codes, titles and institution defaults.

use super::approval::PackApproval;
use super::catalogue::{AlertDef, ConditionDef, FindingDef};
pub use super::digest::sha256_hex;
use super::error::ProtocolError;
use super::lines::{LineContext, LineSets, PlanLines};
use super::pack::ProtocolPack;
use super::paths::{format_threshold_value, pack_thresholds, text_sections};
use super::sourced::Threshold;
use super::validate::validate_pack;
use crate::domain::text::Text;

/// The exact bytes of the built-in pack (its sha256 is reported in every plan).
pub const BUILT_IN_PACK: &str = include_str!("../../../protocols/asra-aapm-asa-2018.ron");

/// A validated pack with the hash of its exact bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Protocol {
    pub pack: ProtocolPack,
    pub sha256: Text,
    pub built_in: bool,
    /// Set when the pack's signature verified against a key the clinic trusts.
    pub approval: Option<PackApproval>,
    /// The pack's lines for each tier, exposure and setting, built once at load and shared
    /// by every plan. The pack is read-only after loading: to change it, load a new one.
    lines: LineSets,
}

impl Protocol {
    /// The embedded pack. It is validated by the test suite; should it ever fail, the
    /// error is returned rather than panicking so the app can show it.
    pub fn built_in() -> Result<Protocol, ProtocolError> {
        let mut protocol = Protocol::from_ron_str(BUILT_IN_PACK)?;
        protocol.built_in = true;
        Ok(protocol)
    }

    /// Parse and validate a pack from its exact text.
    /// A leading byte-order mark is ignored (V4-23; the sha256 is still of the exact
    /// text); a key given twice is refused, naming it.
    pub fn from_ron_str(exact: &str) -> Result<Protocol, ProtocolError> {
        let text = crate::domain::file_text::without_bom(exact);
        if let Some(dup) =
            crate::domain::duplicate_keys::ron_duplicate_key(text, &ron::Options::default())
        {
            return Err(ProtocolError {
                field: if dup.within.is_empty() {
                    dup.key.clone()
                } else {
                    format!("{}.{}", dup.within, dup.key)
                },
                line: dup.line,
                column: dup.column,
                message: dup.reason(),
            });
        }
        let pack: ProtocolPack = ron::Options::default().from_str(text).map_err(|e| {
            let field = syntax_error_field(&e.code);
            ProtocolError {
                field,
                line: e.span.start.line,
                column: e.span.start.col,
                message: e.code.to_string(),
            }
        })?;
        validate_pack(&pack, text)?;
        Ok(Protocol {
            lines: LineSets::build(&pack),
            pack,
            sha256: sha256_hex(exact.as_bytes()).into(),
            built_in: exact == BUILT_IN_PACK,
            approval: None,
        })
    }

    /// The same pack, approved by the signature that verified.
    pub fn with_approval(mut self, approval: PackApproval) -> Protocol {
        self.approval = Some(approval);
        self
    }

    /// The trusted key's comment, when the pack's signature verified.
    pub fn approved_by(&self) -> Option<&str> {
        self.approval.as_ref().map(|a| a.approved_by.as_str())
    }

    /// How a pack other than the built-in one is marked wherever it is named:
    /// "approved: KEY COMMENT" once its signature verified, else "LOCAL PROTOCOL".
    pub fn provenance_mark(&self) -> Option<String> {
        match self.approved_by() {
            _ if self.built_in => None,
            Some(by) => Some(format!("approved: {by}")),
            None => Some("LOCAL PROTOCOL".to_string()),
        }
    }

    /// The pack's lines that apply in `context`, shared.
    pub fn lines(&self, context: LineContext) -> PlanLines {
        self.lines.get(&self.pack, context)
    }

    pub fn finding(&self, code: &str) -> Option<&FindingDef> {
        self.pack.findings.iter().find(|f| f.code == code)
    }

    pub fn finding_index(&self, code: &str) -> usize {
        self.pack
            .findings
            .iter()
            .position(|f| f.code == code)
            .unwrap_or(usize::MAX)
    }

    /// The readable name of a preinfusion test code (the code itself when unnamed).
    pub fn test_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.pack
            .tests
            .names
            .iter()
            .find(|t| t.code == code)
            .map_or(code, |t| t.name.as_str())
    }

    pub fn alert(&self, code: &str) -> Option<&AlertDef> {
        self.pack.alerts.iter().find(|a| a.code == code)
    }

    pub fn condition(&self, code: &str) -> Option<&ConditionDef> {
        self.pack.conditions.iter().find(|c| c.code == code)
    }

    /// Screening codes in pack order.
    pub fn screening_codes(&self) -> impl Iterator<Item = &FindingDef> {
        self.pack.findings.iter().filter(|f| f.screening.is_some())
    }

    /// The plain-words title of a finding or alert code (the code itself when unknown).
    pub fn title_for<'a>(&'a self, code: &'a str) -> &'a str {
        self.finding(code)
            .map(|f| f.title.as_str())
            .or_else(|| self.alert(code).map(|a| a.title.as_str()))
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(code)
    }

    /// The label of the reason box for a code, on the Review page and in error lists.
    pub fn reason_label(&self, code: &str) -> String {
        format!("Reason for {} ({code})", self.title_for(code))
    }

    /// Screening codes that must be answered (optional questions left out, V4-15).
    pub fn required_screening_codes(&self) -> impl Iterator<Item = &FindingDef> {
        self.screening_codes()
            .filter(|f| !f.screening.as_ref().is_some_and(|q| q.optional))
    }

    pub fn is_screening_code(&self, code: &str) -> bool {
        self.finding(code).is_some_and(|f| f.screening.is_some())
    }

    /// First 12 hex digits of the sha256, for headers and banners.
    pub fn short_sha256(&self) -> &str {
        self.sha256.get(..12).unwrap_or(&self.sha256)
    }

    /// Every threshold marked as an institution default, with its path.
    pub fn institution_defaults(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (path, t) in self.thresholds() {
            if t.institution_default {
                out.push((path, format_threshold_value(t.value)));
            }
        }
        for c in &self.pack.concentrations {
            if c.institution_default {
                out.push((
                    format!("concentrations[{}]", c.label),
                    format_threshold_value(c.mg_per_ml),
                ));
            }
        }
        for f in &self.pack.findings {
            if f.institution_default {
                out.push((format!("findings[{}]", f.code), f.severity.as_str().into()));
            }
        }
        for a in &self.pack.alerts {
            if a.institution_default {
                out.push((format!("alerts[{}]", a.code), a.kind.as_str().into()));
            }
        }
        for r in &self.pack.rescue_medications {
            if r.institution_default {
                out.push((
                    format!("rescue_medications[{}]", r.drug),
                    r.dose.to_string(),
                ));
            }
        }
        for person in &self.pack.personnel {
            if person.institution_default {
                out.push((
                    format!("personnel[{}]", person.role),
                    person.requirement.to_string(),
                ));
            }
        }
        let mp = &self.pack.monitoring_plan;
        for item in &mp.items {
            if item.institution_default {
                out.push((
                    format!("monitoring_plan.items[{}]", item.name),
                    item.detail.to_string(),
                ));
            }
        }
        let texts = text_sections(&self.pack);
        for (section, items) in texts {
            for (i, t) in items.iter().enumerate() {
                if t.institution_default {
                    out.push((format!("{section}[{i}]"), t.text.to_string()));
                }
            }
        }
        out
    }

    /// Every numeric threshold of the pack with its dotted path.
    pub fn thresholds(&self) -> Vec<(String, &Threshold)> {
        pack_thresholds(&self.pack)
    }
}

fn syntax_error_field(code: &ron::Error) -> String {
    match code {
        ron::Error::MissingStructField { field, .. } => field.to_string(),
        ron::Error::NoSuchStructField { found, .. } => found.clone(),
        ron::Error::DuplicateStructField { field, .. } => field.to_string(),
        _ => String::new(),
    }
}
