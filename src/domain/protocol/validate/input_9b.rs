//! Pack checks for the step 9b input values: text lengths and how far ahead an order may be dated.

use super::checker::PackChecker;
use crate::domain::protocol::ProtocolPack;

pub(super) fn validate_input_values(p: &ProtocolPack, c: &mut PackChecker<'_>) {
    let il = &p.input_limits;
    c.below(
        (
            "input_limits.justification_min_chars",
            &il.justification_min_chars,
        ),
        (
            "input_limits.justification_max_chars",
            &il.justification_max_chars,
        ),
    );
    for (path, t) in [
        (
            "input_limits.identifier_max_chars",
            &il.identifier_max_chars,
        ),
        ("input_limits.allergies_max_chars", &il.allergies_max_chars),
    ] {
        if t.value.fract() != 0.0 || t.value < 20.0 {
            c.error(path, "must be a whole number of characters, 20 or more");
        }
    }
    let ahead = &p.order.valid_for_max_days_ahead;
    if ahead.value.fract() != 0.0 || ahead.value > 366.0 {
        c.error(
            "order.valid_for_max_days_ahead",
            "must be a whole number of days, at most 366",
        );
    }
}
