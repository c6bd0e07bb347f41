//! The order's own dating refusals: valid for no earlier day than it is printed, not too far ahead, and its number its own.

use super::{OrderOptions, Refusal, RefusalReason, given};
use crate::domain::case::Case;
use crate::domain::protocol::Protocol;
use crate::order::format as f;

/// Why an order cannot be printed for its date or with its number (empty when it can).
pub fn dating_refusals(protocol: &Protocol, case: &Case, options: &OrderOptions) -> Vec<Refusal> {
    let mut out = Vec::new();
    let valid_on = options.order_date;
    let printed_on = options.printed_at.date();
    let ahead_max = protocol.pack.order.valid_for_max_days_ahead.value;
    let days_ahead = (valid_on - printed_on).num_days();
    // A COPY reprints an order printed before (the CLI checks its ledger knows it).
    let copy = options.identity.as_ref().is_some_and(|i| i.copy);
    if days_ahead < 0 && !copy {
        out.push(Refusal {
            reason: RefusalReason::OrderDate,
            message: format!(
                "The order would be valid for {}, before the print date {}: a new original is never printed for an earlier day. A reprint of an earlier order is a COPY from the order ledger (--copy).",
                f::date(valid_on),
                f::date(printed_on)
            ),
        });
    } else if days_ahead as f64 > ahead_max {
        out.push(Refusal {
            reason: RefusalReason::OrderDate,
            message: format!(
                "The order would be valid for {}, {} days after the print date {} (at most {} days ahead, order.valid_for_max_days_ahead): print it nearer the day.",
                f::date(valid_on),
                f::number(days_ahead as f64),
                f::date(printed_on),
                f::number(ahead_max)
            ),
        });
    }
    let own = case.order.as_ref().and_then(|o| given(&o.order_number));
    if let Some(own) = own {
        let derived = crate::domain::order_identity::order_number(protocol, case, valid_on);
        if own != derived {
            out.push(Refusal {
                reason: RefusalReason::OrderNumber,
                message: format!(
                    "order.order_number {own} is not this order's number ({derived}, made from its content and date): remove it, and the number is given when the order is printed."
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::case_from_value;
    use crate::order::Paper;
    use chrono::NaiveDate;

    fn setup() -> (Protocol, Case) {
        let p = match Protocol::built_in() {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        let doc = serde_json::json!({
            "schema": "ketaplan.case/1",
            "patient": {"age_years": 54, "weight": {"value": 80, "unit": "kg"}},
            "condition": "crps", "screening": [],
            "regimen": {"setting": "outpatient", "course": "single",
                "infusion": {"value": 0.5, "unit": "mg/kg/h"}, "duration_h": 4,
                "concentration_mg_per_ml": 1},
            "order": {"mrn": "1"}
        });
        match case_from_value(&p, &doc) {
            Ok(c) => (p, c),
            Err(e) => panic!("{e:?}"),
        }
    }

    fn options(valid_on: NaiveDate, printed_on: NaiveDate) -> OrderOptions {
        OrderOptions {
            order_date: valid_on,
            printed_at: printed_on.and_hms_opt(9, 0, 0).unwrap_or_default(),
            extra_justification: None,
            paper: Paper::A4,
            identity: None,
            signatures: Vec::new(),
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 1)
            .and_then(|n| n.checked_add_days(chrono::Days::new(u64::from(d))))
            .unwrap_or_default()
    }

    #[test]
    fn the_day_before_is_refused_the_same_day_and_30_ahead_are_not() {
        let (p, case) = setup();
        let r = dating_refusals(&p, &case, &options(day(9), day(10)));
        assert_eq!(r.len(), 1);
        assert!(r[0].message.contains("COPY"), "{}", r[0].message);
        assert!(dating_refusals(&p, &case, &options(day(10), day(10))).is_empty());
        assert!(dating_refusals(&p, &case, &options(day(40), day(10))).is_empty());
        let r = dating_refusals(&p, &case, &options(day(41), day(10)));
        assert_eq!(r.len(), 1);
        assert!(r[0].message.contains("31 days after"), "{}", r[0].message);
    }

    #[test]
    fn a_case_number_must_be_the_derived_one() {
        let (p, mut case) = setup();
        let derived = crate::domain::order_identity::order_number(&p, &case, day(10));
        if let Some(o) = case.order.as_mut() {
            o.order_number = Some(derived.clone());
        }
        assert!(dating_refusals(&p, &case, &options(day(10), day(10))).is_empty());
        if let Some(o) = case.order.as_mut() {
            o.order_number = Some("K-2026-0042".into());
        }
        let r = dating_refusals(&p, &case, &options(day(10), day(10)));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].reason, RefusalReason::OrderNumber);
        assert!(r[0].message.contains(&derived));
    }
}
