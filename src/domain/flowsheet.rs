//! What was given in a session, from its bedside record: mg = Σ rate × interval plus the
//! bolus, the hours the infusion ran, rate changes, rescue drugs and adverse effects.

use crate::domain::course::{BedsideRecord, Given, RateChange, RescueGiven};
use crate::domain::number_format::time_24h;
use crate::domain::units::{Hours, Kilograms, MgPerHour, Milligrams, cmp_value};
use chrono::NaiveTime;

/// A bedside time as charted: `HH:MM` (24-hour).
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

fn parse_rate(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
}

/// What was given, from the rows: each row's rate runs until the next row's time (the
/// last row marks the end; past midnight counts on). Rate changes and rescue drugs are
/// carried over. Errors name the row.
pub fn given(record: &BedsideRecord, dosing_weight: Kilograms) -> Result<Given, Vec<String>> {
    let mut errors = Vec::new();
    if record.rows.len() < 2 {
        errors
            .push("At least two rows are needed: the start and the latest (or stop) time.".into());
    }
    // The bolus counts in what was given (and so in the 12-month total).
    let bolus_mg = match record.bolus_mg.trim() {
        "" => 0.0,
        text => match parse_rate(text) {
            Some(mg) => mg,
            None => {
                errors.push("Bolus given: must be a number of mg, 0 or more.".into());
                0.0
            }
        },
    };
    if !record.bolus_mg.trim().is_empty() && parse_time(&record.bolus_at).is_none() {
        errors.push("Bolus given at: the time must be HH:MM (24-hour).".into());
    }
    let mut parsed = Vec::new();
    for (i, row) in record.rows.iter().enumerate() {
        let time = parse_time(&row.time);
        let rate = parse_rate(&row.rate_mg_per_h);
        if time.is_none() {
            errors.push(format!("Row {}: time must be HH:MM (24-hour).", i + 1));
        }
        if rate.is_none() {
            errors.push(format!(
                "Row {}: rate must be a number of mg/h, 0 or more.",
                i + 1
            ));
        }
        if let (Some(t), Some(r)) = (time, rate) {
            parsed.push((t, r, row));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut total = Milligrams(0.0);
    let mut running = Hours(0.0);
    let mut rate_changes = Vec::new();
    for (i, pair) in parsed.windows(2).enumerate() {
        let (t0, rate, _) = pair[0];
        let (t1, _, _) = pair[1];
        let mut minutes = (t1 - t0).num_minutes();
        if minutes < 0 {
            // Past midnight.
            minutes += 24 * 60;
        }
        if minutes == 0 || minutes > 12 * 60 {
            errors.push(format!(
                "Row {}: the time {} does not follow {} (rows go forward in time).",
                i + 2,
                time_24h(t1),
                time_24h(t0)
            ));
            continue;
        }
        let interval = Hours(minutes as f64 / 60.0);
        total = total + MgPerHour(rate).over(interval);
        if rate > 0.0 {
            running = Hours(running.0 + interval.0);
        }
    }
    for pair in parsed.windows(2) {
        let (_, before, _) = pair[0];
        let (t, after, row) = pair[1];
        if cmp_value(before) != cmp_value(after) {
            rate_changes.push(RateChange {
                at: time_24h(t),
                mg_per_kg_per_h: cmp_value(MgPerHour(after).per_weight(dosing_weight).value()),
                reason: row.note.trim().to_string(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let rescue_given = record
        .rescue
        .iter()
        .filter(|r| !r.drug.trim().is_empty())
        .map(|r| RescueGiven {
            at: r.at.trim().to_string(),
            drug: r.drug.trim().to_string(),
            dose: r.dose.trim().to_string(),
        })
        .collect();
    let adverse_effects = record
        .adverse_effects
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    Ok(Given {
        total_mg: cmp_value(total.value() + bolus_mg),
        infusion_hours: cmp_value(running.value()),
        rate_changes,
        adverse_effects,
        rescue_given,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::course::FlowsheetRow;

    fn row(time: &str, rate: &str) -> FlowsheetRow {
        FlowsheetRow {
            time: time.into(),
            rate_mg_per_h: rate.into(),
            ..FlowsheetRow::default()
        }
    }

    #[test]
    fn the_bolus_counts_in_what_was_given() {
        let mut sheet = BedsideRecord {
            rows: vec![row("09:00", "40"), row("10:00", "0")],
            ..BedsideRecord::default()
        };
        let without = given(&sheet, Kilograms(80.0)).map(|g| g.total_mg);
        assert_eq!(without, Ok(40.0));
        sheet.bolus_mg = "8".into();
        sheet.bolus_at = "08:55".into();
        assert_eq!(given(&sheet, Kilograms(80.0)).map(|g| g.total_mg), Ok(48.0));
        sheet.bolus_at = "soon".into();
        assert!(given(&sheet, Kilograms(80.0)).is_err());
        sheet.bolus_at = "08:55".into();
        sheet.bolus_mg = "-1".into();
        assert!(given(&sheet, Kilograms(80.0)).is_err());
    }

    #[test]
    fn mg_is_rate_times_interval() {
        let sheet = BedsideRecord {
            rows: vec![
                row("09:30", "40"),
                row("09:45", "40"),
                row("10:00", "20"),
                row("10:30", "0"),
            ],
            ..BedsideRecord::default()
        };
        let given = given(&sheet, Kilograms(80.0)).unwrap_or_default();
        // 40 mg/h × 0.5 h + 20 mg/h × 0.5 h = 30 mg over 1 h.
        assert_eq!(given.total_mg, 30.0);
        assert_eq!(given.infusion_hours, 1.0);
        assert_eq!(given.rate_changes.len(), 2);
        assert_eq!(given.rate_changes[0].at, "10:00");
        assert_eq!(given.rate_changes[0].mg_per_kg_per_h, 0.25);
    }

    #[test]
    fn midnight_counts_on_and_bad_rows_are_named() {
        let sheet = BedsideRecord {
            rows: vec![row("23:30", "10"), row("00:30", "0")],
            ..BedsideRecord::default()
        };
        assert_eq!(given(&sheet, Kilograms(70.0)).map(|g| g.total_mg), Ok(10.0));
        let bad = BedsideRecord {
            rows: vec![row("9h", "10"), row("10:00", "x")],
            ..BedsideRecord::default()
        };
        let errors = given(&bad, Kilograms(70.0)).err().unwrap_or_default();
        assert!(errors.iter().any(|e| e.starts_with("Row 1: time")));
        assert!(errors.iter().any(|e| e.starts_with("Row 2: rate")));
    }
}
