//! Order numbers: the same content gives the same number; reprints are COPY; a changed case
//! gets a new number that names the one it supersedes.

use chrono::NaiveDate;
use ketaplan::domain::Protocol;
use ketaplan::domain::case::{CaseFormat, parse_case};
use ketaplan::domain::order_identity::{OrderLedger, order_number};

#[test]
fn numbers_reprints_and_superseding() {
    let p = Protocol::built_in().unwrap_or_else(|e| panic!("{e}"));
    let text = include_str!("cases/p01-crps-contract-example-lb-positive.case.json");
    let case = parse_case(&p, text, CaseFormat::Json).unwrap_or_else(|e| panic!("{e:?}"));
    let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
    let at = day.and_hms_opt(9, 15, 0).unwrap_or_default();
    let first = order_number(&p, &case, day);
    assert!(first.starts_with("KP-20261126-"));
    assert_eq!(first, order_number(&p, &case, day));
    let next_day = day.succ_opt().unwrap_or_default();
    assert_ne!(first, order_number(&p, &case, next_day));

    let mut ledger = OrderLedger::default();
    let printed = ledger.record(&first, "000123", day, at);
    assert!(!printed.copy);
    assert_eq!(printed.supersedes, None);
    let reprint = ledger.record(&first, "000123", day, at);
    assert!(reprint.copy);

    let mut changed = case.clone();
    changed.regimen.duration_h = 3.0;
    let second = order_number(&p, &changed, day);
    assert_ne!(first, second);
    let new = ledger.record(&second, "000123", day, at);
    assert!(!new.copy);
    assert_eq!(new.supersedes.as_deref(), Some(first.as_str()));
    assert_eq!(ledger.printed.len(), 2);
}
