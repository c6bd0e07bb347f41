//! Flowsheet values past the order's stop criteria (SpO2, respiratory rate, blood pressure,
//! heart rate, sedation): the bedside row names each one, from the pack's numbers.

use crate::domain::course::FlowsheetRow;
use crate::domain::protocol::VitalLimits;
use crate::domain::units::cmp_value;

fn number(text: &str) -> Option<f64> {
    let t = text.trim().trim_end_matches('%').trim();
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// `190/115` → (190, 115).
fn blood_pressure(text: &str) -> Option<(f64, f64)> {
    let (sys, dia) = text.split_once('/')?;
    Some((number(sys)?, number(dia)?))
}

/// Each value of the row past a stop criterion, in words ("SpO2 88 % (below 90 %)").
/// Cells that are empty or not numbers are left to the row's own validation.
pub fn row_flags(limits: &VitalLimits, row: &FlowsheetRow) -> Vec<String> {
    let mut out = Vec::new();
    let n = |x: f64| crate::domain::number_format::number(cmp_value(x));
    if let Some(spo2) = number(&row.spo2)
        && spo2 < limits.spo2_below_pct.value
    {
        out.push(format!(
            "SpO2 {} % (below {} %)",
            n(spo2),
            n(limits.spo2_below_pct.value)
        ));
    }
    if let Some(rr) = number(&row.rr) {
        if rr < limits.rr_below_per_min.value {
            out.push(format!(
                "RR {} (below {})",
                n(rr),
                n(limits.rr_below_per_min.value)
            ));
        } else if rr > limits.rr_above_per_min.value {
            out.push(format!(
                "RR {} (above {})",
                n(rr),
                n(limits.rr_above_per_min.value)
            ));
        }
    }
    if let Some((sys, dia)) = blood_pressure(&row.bp) {
        if sys >= limits.systolic_from_mmhg.value || dia >= limits.diastolic_from_mmhg.value {
            out.push(format!(
                "BP {}/{} (at or above {}/{})",
                n(sys),
                n(dia),
                n(limits.systolic_from_mmhg.value),
                n(limits.diastolic_from_mmhg.value)
            ));
        } else if sys < limits.systolic_below_mmhg.value {
            out.push(format!(
                "BP {}/{} (systolic below {})",
                n(sys),
                n(dia),
                n(limits.systolic_below_mmhg.value)
            ));
        }
    }
    if let Some(hr) = number(&row.hr) {
        if hr >= limits.heart_rate_from_per_min.value {
            out.push(format!(
                "HR {} (at or above {})",
                n(hr),
                n(limits.heart_rate_from_per_min.value)
            ));
        } else if hr < limits.heart_rate_below_per_min.value {
            out.push(format!(
                "HR {} (below {})",
                n(hr),
                n(limits.heart_rate_below_per_min.value)
            ));
        }
    }
    if let Some(rass) = number(&row.sedation.replace('+', "")) {
        // RASS −2 or lower (deep sedation) or +2 or higher (agitation).
        let low = -limits.rass_sedation_from_minus.value;
        let high = limits.rass_agitation_from.value;
        if rass <= low || rass >= high {
            out.push(format!(
                "RASS {} (stop at {} or lower, +{} or higher)",
                row.sedation.trim(),
                n(low).replace('-', "−"),
                n(high)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::protocol::Protocol;

    fn limits() -> VitalLimits {
        match Protocol::built_in() {
            Ok(p) => p.pack.monitoring_plan.vital_limits,
            Err(e) => panic!("{e}"),
        }
    }

    fn row(bp: &str, hr: &str, rr: &str, spo2: &str, sedation: &str) -> FlowsheetRow {
        FlowsheetRow {
            bp: bp.into(),
            hr: hr.into(),
            rr: rr.into(),
            spo2: spo2.into(),
            sedation: sedation.into(),
            ..FlowsheetRow::default()
        }
    }

    #[test]
    fn each_stop_criterion_at_its_boundary() {
        let l = limits();
        assert!(row_flags(&l, &row("120/80", "80", "14", "96", "0")).is_empty());
        assert!(row_flags(&l, &row("179/109", "119", "8", "90", "-1")).is_empty());
        assert!(row_flags(&l, &row("90/60", "50", "30", "90 %", "+1")).is_empty());
        let flagged = row_flags(&l, &row("190/115", "120", "7", "89", "-2"));
        assert_eq!(flagged.len(), 5, "{flagged:?}");
        assert!(flagged.iter().any(|f| f.starts_with("BP 190/115")));
        assert!(flagged.iter().any(|f| f.starts_with("SpO2 89 %")));
        assert_eq!(row_flags(&l, &row("89/50", "49", "31", "", "+2")).len(), 4);
        // Not numbers: left to the row's validation, never a guess.
        assert!(row_flags(&l, &row("high", "?", "", "n/a", "calm")).is_empty());
    }
}
