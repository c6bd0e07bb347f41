//! Order identity: a number derived from the exact content of the order, so a reprint of
//! the same order is recognised (and marked COPY) and a changed case gets a new number that
//! names the one it supersedes.

use crate::domain::Case;
use crate::domain::protocol::{Protocol, sha256_hex};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The order number for a case on a date: `KP-YYYYMMDD-XXXXXXXX`, where the last part is
/// the start of the sha256 of the case (as the engine reads it), the pack's sha256 and the
/// date the order is valid for. The same content always gives the same number.
pub fn order_number(protocol: &Protocol, case: &Case, valid_on: NaiveDate) -> String {
    let digest = order_content_sha256(protocol, case, valid_on);
    format!(
        "KP-{}-{}",
        valid_on.format("%Y%m%d"),
        digest.get(..8).unwrap_or(&digest).to_uppercase()
    )
}

/// The full sha256 of an order's content: the case (as the engine reads it, without its
/// order number), the pack's sha256 and the date it is valid for. An electronic signature
/// covers this hash; the order number is its first eight digits.
pub fn order_content_sha256(protocol: &Protocol, case: &Case, valid_on: NaiveDate) -> String {
    let mut content = case.clone();
    // The number identifies the clinical content, not the number written into it.
    if let Some(order) = content.order.as_mut() {
        order.order_number = None;
    }
    let canonical = serde_json::to_string(&content).unwrap_or_default();
    sha256_hex(format!("{canonical}\n{}\n{valid_on}", protocol.sha256).as_bytes())
}

/// One printed order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintedOrder {
    pub order_number: String,
    pub mrn: String,
    pub valid_on: NaiveDate,
    pub printed_at: NaiveDateTime,
    #[serde(default)]
    pub supersedes: Option<String>,
}

/// The orders printed at this workstation (kept by the app in its data folder, 0600).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderLedger {
    pub printed: Vec<PrintedOrder>,
}

/// How a print is labelled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrintIdentity {
    pub order_number: String,
    /// A reprint of an order printed before: the sheet says COPY.
    pub copy: bool,
    /// The last different order for this patient on the same date that this one replaces.
    pub supersedes: Option<String>,
}

impl OrderLedger {
    /// What a print of this order would be labelled, without recording it.
    pub fn identify(&self, order_number: &str, mrn: &str, valid_on: NaiveDate) -> PrintIdentity {
        let earlier = self.printed.iter().find(|p| p.order_number == order_number);
        if let Some(first) = earlier {
            return PrintIdentity {
                order_number: order_number.to_string(),
                copy: true,
                supersedes: first.supersedes.clone(),
            };
        }
        let supersedes = self
            .printed
            .iter()
            .filter(|p| p.mrn == mrn && p.valid_on == valid_on)
            .max_by_key(|p| p.printed_at)
            .map(|p| p.order_number.clone());
        PrintIdentity {
            order_number: order_number.to_string(),
            copy: false,
            supersedes,
        }
    }

    /// Record a print; returns its label.
    pub fn record(
        &mut self,
        order_number: &str,
        mrn: &str,
        valid_on: NaiveDate,
        printed_at: NaiveDateTime,
    ) -> PrintIdentity {
        let identity = self.identify(order_number, mrn, valid_on);
        if !identity.copy {
            self.printed.push(PrintedOrder {
                order_number: order_number.to_string(),
                mrn: mrn.to_string(),
                valid_on,
                printed_at,
                supersedes: identity.supersedes.clone(),
            });
        }
        identity
    }
}
