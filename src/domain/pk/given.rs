//! What a recorded session gave, as rates the model can take (step 13): the flowsheet's rows
//! (each row's rate runs until the next row's time, past midnight counting on; the last row
//! is the end) and the charted bolus, which runs on top of the infusion — the model is
//! linear, so the two curves add.

use super::{Curve, Disposition, RateChange, simulate, summarize};
use crate::domain::course::BedsideRecord;
use crate::domain::flowsheet::parse_time;

/// The session's rates, minutes from its first row.
#[derive(Debug, Clone, PartialEq)]
pub struct GivenRates {
    pub infusion: Vec<RateChange>,
    pub bolus: Vec<RateChange>,
    pub end_min: f64,
}

/// The rates charted in `record`; the bolus over `bolus_min` minutes (the order's). `Err`
/// says what keeps the record from giving a curve (fewer than two rows, a row that cannot
/// be read); the flowsheet names the row itself.
pub fn given_rates(record: &BedsideRecord, bolus_min: f64) -> Result<GivenRates, String> {
    let mut rows = Vec::new();
    for row in &record.rows {
        let (Some(time), Ok(rate)) = (
            parse_time(&row.time),
            row.rate_mg_per_h.trim().parse::<f64>(),
        ) else {
            return Err("a flowsheet row has no readable time or rate".into());
        };
        if !(rate.is_finite() && rate >= 0.0) {
            return Err("a flowsheet row has no readable rate".into());
        }
        rows.push((time, rate));
    }
    let Some(&(start, _)) = rows.first() else {
        return Err("no flowsheet rows yet".into());
    };
    if rows.len() < 2 {
        return Err("one flowsheet row: the curve needs the start and a later time".into());
    }
    let minutes_from_start = |t: chrono::NaiveTime| {
        let m = (t - start).num_minutes();
        (if m < 0 { m + 24 * 60 } else { m }) as f64
    };
    let mut infusion = Vec::new();
    let mut previous = -1.0;
    for &(time, rate_mg_per_h) in &rows {
        let at_min = minutes_from_start(time);
        if at_min <= previous {
            return Err("flowsheet rows do not go forward in time".into());
        }
        previous = at_min;
        infusion.push(RateChange {
            at_min,
            mg_per_min: rate_mg_per_h / 60.0,
        });
    }
    let end_min = previous;
    // The last row marks the end of the infusion.
    if let Some(last) = infusion.last_mut() {
        last.mg_per_min = 0.0;
    }
    let mut bolus = Vec::new();
    let bolus_mg = record.bolus_mg.trim();
    if !bolus_mg.is_empty() {
        let mg: f64 = bolus_mg
            .parse()
            .map_err(|_| "the charted bolus is not a number of mg".to_string())?;
        let at = parse_time(&record.bolus_at)
            .map(minutes_from_start)
            .ok_or_else(|| "the charted bolus has no HH:MM time".to_string())?;
        let minutes = if bolus_min > 0.0 { bolus_min } else { 1.0 };
        if mg > 0.0 {
            bolus.push(RateChange {
                at_min: at,
                mg_per_min: mg / minutes,
            });
            bolus.push(RateChange {
                at_min: at + minutes,
                mg_per_min: 0.0,
            });
        }
    }
    Ok(GivenRates {
        infusion,
        bolus,
        end_min,
    })
}

impl GivenRates {
    /// The predicted curve of what was given, every minute to the end plus the washout.
    pub fn curve(&self, d: &Disposition, washout_min: f64) -> Curve {
        let until = self.end_min + washout_min;
        let mut points = simulate(d, &self.infusion, until, 1.0);
        if !self.bolus.is_empty() {
            for (p, b) in points.iter_mut().zip(simulate(d, &self.bolus, until, 1.0)) {
                p.cp_ng_per_ml += b.cp_ng_per_ml;
            }
        }
        summarize(points, self.end_min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::course::FlowsheetRow;

    fn record(rows: &[(&str, &str)], bolus: (&str, &str)) -> BedsideRecord {
        BedsideRecord {
            rows: rows
                .iter()
                .map(|(time, rate)| FlowsheetRow {
                    time: time.to_string(),
                    rate_mg_per_h: rate.to_string(),
                    ..FlowsheetRow::default()
                })
                .collect(),
            bolus_mg: bolus.0.into(),
            bolus_at: bolus.1.into(),
            ..BedsideRecord::default()
        }
    }

    #[test]
    fn rows_become_rates_from_the_first_row_and_the_last_row_ends_it() {
        let r = record(
            &[("23:30", "40"), ("00:30", "60"), ("01:00", "60")],
            ("23:30", ""),
        );
        let bad = given_rates(&r, 5.0);
        assert!(bad.is_err(), "a bolus of no mg at a time that is not one");
        let r = record(
            &[("23:30", "40"), ("00:30", "60"), ("01:00", "60")],
            ("8", "23:30"),
        );
        let g = given_rates(&r, 5.0).unwrap_or_else(|e| panic!("{e}"));
        let at: Vec<(f64, f64)> = g
            .infusion
            .iter()
            .map(|c| (c.at_min, c.mg_per_min))
            .collect();
        assert_eq!(at, vec![(0.0, 40.0 / 60.0), (60.0, 1.0), (90.0, 0.0)]);
        assert_eq!(g.end_min, 90.0);
        assert_eq!(g.bolus.len(), 2);
        assert_eq!(g.bolus[0].mg_per_min, 8.0 / 5.0);
    }

    #[test]
    fn the_bolus_adds_to_the_infusion() {
        let protocol =
            crate::domain::protocol::Protocol::built_in().unwrap_or_else(|e| panic!("{e}"));
        let model = protocol.pack.pharmacokinetics.model(None).cloned();
        let model = model.unwrap_or_else(|| panic!("no model"));
        let d = Disposition::new(&model, 70.0).unwrap_or_else(|e| panic!("{e}"));
        let rows = [("09:00", "35"), ("13:00", "0")];
        let with = given_rates(&record(&rows, ("7", "09:00")), 5.0)
            .unwrap_or_else(|e| panic!("{e}"))
            .curve(&d, 120.0);
        let without = given_rates(&record(&rows, ("", "")), 5.0)
            .unwrap_or_else(|e| panic!("{e}"))
            .curve(&d, 120.0);
        assert!(with.points[5].cp_ng_per_ml > without.points[5].cp_ng_per_ml + 50.0);
        assert_eq!(with.points.len(), 240 + 120 + 1);
        assert!(given_rates(&record(&[("09:00", "35")], ("", "")), 5.0).is_err());
        assert!(given_rates(&record(&[("09:00", "x"), ("10:00", "1")], ("", "")), 5.0).is_err());
    }
}
