//! Predicted plasma concentration (step 13): a mammillary model with first-order rate
//! constants, solved exactly for piecewise-constant infusion rates. The central
//! concentration after a unit dose is a sum of exponentials (the model's modes); each mode
//! obeys dm/dt = -λ·m + A·R(t), whose solution over a step of constant rate R is closed form,
//! so the curve is exact at every sample (no small-step integrator).

use crate::domain::protocol::PkModel;

mod given;
mod preview;
#[cfg(test)]
mod tests;

pub use given::{GivenRates, given_rates};
pub use preview::{PkPreview, preview};

/// The model for one patient: per mode, its decay rate (per minute) and its share of the
/// central concentration per mg given (per litre). `Σ share = 1 / V1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disposition {
    pub decay_per_min: [f64; 3],
    pub share_per_l: [f64; 3],
    pub v1_l: f64,
}

impl Disposition {
    /// The model for a patient of `weight_kg` (actual body weight: the models' volumes are
    /// per kg of actual weight).
    pub fn new(model: &PkModel, weight_kg: f64) -> Result<Disposition, String> {
        if !(weight_kg.is_finite() && weight_kg > 0.0) {
            return Err(format!(
                "weight {weight_kg} kg: no concentration can be predicted"
            ));
        }
        let v1_l = model.v1_l_per_kg * weight_kg;
        let (k10, k12, k21, k13, k31) = (
            model.k10_per_min,
            model.k12_per_min,
            model.k21_per_min,
            model.k13_per_min,
            model.k31_per_min,
        );
        // The characteristic polynomial λ³ − a2·λ² + a1·λ − a0 of the rate matrix; its roots
        // are the decay rates of the three modes (real and non-negative for this model).
        let a2 = k10 + k12 + k13 + k21 + k31;
        let a1 = k10 * k21 + k10 * k31 + k12 * k31 + k13 * k21 + k21 * k31;
        let a0 = k10 * k21 * k31;
        let decay = cubic_roots(a2, a1, a0)?;
        // Partial fractions of (s + k21)(s + k31) / Π(s + λ): the central response.
        let mut share = [0.0; 3];
        for i in 0..3 {
            let l = decay[i];
            let others: f64 = (0..3).filter(|&j| j != i).map(|j| decay[j] - l).product();
            let numerator = (k21 - l) * (k31 - l);
            share[i] = if numerator == 0.0 {
                0.0
            } else if others == 0.0 {
                return Err(format!(
                    "model {}: two modes have the same rate; give distinct rate constants",
                    model.id
                ));
            } else {
                numerator / others / v1_l
            };
        }
        if share.iter().chain(&decay).any(|x| !x.is_finite()) {
            return Err(format!(
                "model {}: the rate constants give no finite curve",
                model.id
            ));
        }
        Ok(Disposition {
            decay_per_min: decay,
            share_per_l: share,
            v1_l,
        })
    }

    /// Clearance from the central compartment, L/min.
    pub fn clearance_l_per_min(&self, model: &PkModel) -> f64 {
        model.k10_per_min * self.v1_l
    }
}

/// The three real roots of λ³ − a2·λ² + a1·λ − a0 (trigonometric form), polished by Newton
/// steps, smallest first.
fn cubic_roots(a2: f64, a1: f64, a0: f64) -> Result<[f64; 3], String> {
    // No third (or second) compartment: a zero root, and the quadratic that is left.
    if a0 == 0.0 {
        let disc = a2 * a2 - 4.0 * a1;
        if disc < 0.0 {
            return Err("the rate constants give complex modes".into());
        }
        let root = disc.sqrt();
        let mut roots = [0.0, (a2 - root) / 2.0, (a2 + root) / 2.0];
        roots.sort_by(f64::total_cmp);
        return Ok(roots);
    }
    let p = a1 - a2 * a2 / 3.0;
    let q = -2.0 * a2.powi(3) / 27.0 + a2 * a1 / 3.0 - a0;
    let shift = a2 / 3.0;
    let mut roots = if p.abs() < 1e-300 {
        [shift - q.cbrt(); 3]
    } else {
        if p > 0.0 {
            return Err("the rate constants give complex modes".into());
        }
        let m = 2.0 * (-p / 3.0).sqrt();
        let cos_arg = (3.0 * q / (p * m)).clamp(-1.0, 1.0);
        let theta = cos_arg.acos() / 3.0;
        let mut r = [0.0; 3];
        for (k, root) in r.iter_mut().enumerate() {
            *root = shift + m * (theta - 2.0 * std::f64::consts::PI * k as f64 / 3.0).cos();
        }
        r
    };
    for root in &mut roots {
        for _ in 0..3 {
            let f = ((*root - a2) * *root + a1) * *root - a0;
            let df = (3.0 * *root - 2.0 * a2) * *root + a1;
            if df.abs() > 1e-300 {
                *root -= f / df;
            }
        }
        // A zero root (no peripheral compartment) can come out a hair below zero.
        if *root < 0.0 && *root > -1e-12 {
            *root = 0.0;
        }
    }
    roots.sort_by(f64::total_cmp);
    if roots[0] < 0.0 {
        return Err("the rate constants give a growing mode".into());
    }
    Ok(roots)
}

/// From `at_min` on, the drug runs at `mg_per_min` (until the next change).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateChange {
    pub at_min: f64,
    pub mg_per_min: f64,
}

/// A predicted concentration.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Point {
    pub t_min: f64,
    pub cp_ng_per_ml: f64,
}

/// The concentration every `step_min` from 0 to `end_min` for these rate changes (sorted by
/// time; the rate is 0 before the first).
pub fn simulate(
    d: &Disposition,
    changes: &[RateChange],
    end_min: f64,
    step_min: f64,
) -> Vec<Point> {
    let mut changes: Vec<RateChange> = changes.to_vec();
    changes.sort_by(|a, b| a.at_min.total_cmp(&b.at_min));
    let steps = if step_min > 0.0 && end_min >= 0.0 {
        (end_min / step_min).floor() as usize
    } else {
        0
    };
    let mut modes = [0.0_f64; 3];
    let mut rate = 0.0;
    let mut now = 0.0;
    let mut next_change = 0;
    let mut points = Vec::with_capacity(steps + 1);
    // Most intervals are exactly one step: their decay factors are computed once.
    let step_keep = d.decay_per_min.map(|l| (-l * step_min).exp());
    for n in 0..=steps {
        let sample_at = n as f64 * step_min;
        while next_change < changes.len() && changes[next_change].at_min <= sample_at {
            let change = changes[next_change];
            advance(d, &mut modes, rate, change.at_min - now);
            now = change.at_min.max(now);
            rate = change.mg_per_min;
            next_change += 1;
        }
        let dt = sample_at - now;
        if dt == step_min {
            advance_by(d, &mut modes, rate, dt, &step_keep);
        } else {
            advance(d, &mut modes, rate, dt);
        }
        now = sample_at;
        // mg/L is mcg/mL: × 1000 for ng/mL.
        let cp: f64 = modes.iter().sum::<f64>() * 1000.0;
        points.push(Point {
            t_min: sample_at,
            cp_ng_per_ml: cp.max(0.0),
        });
    }
    points
}

/// Carry the modes `dt_min` forward at a constant rate: the exact solution of
/// dm/dt = −λ·m + A·R.
fn advance(d: &Disposition, modes: &mut [f64; 3], mg_per_min: f64, dt_min: f64) {
    let keep = d.decay_per_min.map(|l| (-l * dt_min).exp());
    advance_by(d, modes, mg_per_min, dt_min, &keep);
}

/// `advance` with each mode's decay factor over `dt_min`, `keep = exp(−λ·dt)`, given.
fn advance_by(
    d: &Disposition,
    modes: &mut [f64; 3],
    mg_per_min: f64,
    dt_min: f64,
    keep: &[f64; 3],
) {
    if dt_min <= 0.0 {
        return;
    }
    for (((mode, &l), &a), &keep) in modes
        .iter_mut()
        .zip(&d.decay_per_min)
        .zip(&d.share_per_l)
        .zip(keep)
    {
        if l * dt_min < 1e-12 {
            *mode += mg_per_min * a * dt_min;
        } else {
            *mode = *mode * keep + mg_per_min * a * (1.0 - keep) / l;
        }
    }
}

/// What a regimen gives: a bolus over its minutes, then the starting rate for the duration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Regimen {
    pub bolus_mg: f64,
    pub bolus_min: f64,
    pub infusion_mg_per_h: f64,
    pub infusion_h: f64,
}

impl Regimen {
    /// The rate changes: the bolus's rate over its minutes (on top of nothing: the infusion
    /// starts after it), the infusion, and zero at the end.
    pub fn rate_changes(&self) -> Vec<RateChange> {
        let mut out = Vec::new();
        let mut t = 0.0;
        if self.bolus_mg > 0.0 && self.bolus_min > 0.0 {
            out.push(RateChange {
                at_min: 0.0,
                mg_per_min: self.bolus_mg / self.bolus_min,
            });
            t = self.bolus_min;
        }
        out.push(RateChange {
            at_min: t,
            mg_per_min: self.infusion_mg_per_h / 60.0,
        });
        out.push(RateChange {
            at_min: t + self.infusion_h * 60.0,
            mg_per_min: 0.0,
        });
        out
    }

    /// When the infusion ends, minutes from the start.
    pub fn end_min(&self) -> f64 {
        let bolus = if self.bolus_mg > 0.0 {
            self.bolus_min.max(0.0)
        } else {
            0.0
        };
        bolus + self.infusion_h * 60.0
    }
}

/// The predicted curve of a regimen: every minute to the end plus the washout; its peak and
/// its value when the infusion ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub points: Vec<Point>,
    pub peak: Point,
    pub at_end: Point,
}

pub fn curve(d: &Disposition, regimen: &Regimen, washout_min: f64) -> Curve {
    let end = regimen.end_min();
    let points = simulate(d, &regimen.rate_changes(), end + washout_min, 1.0);
    summarize(points, end)
}

/// A curve's peak, and its value when the infusion ends (`end_min`).
pub fn summarize(points: Vec<Point>, end_min: f64) -> Curve {
    let zero = Point {
        t_min: 0.0,
        cp_ng_per_ml: 0.0,
    };
    let peak = points
        .iter()
        .copied()
        .max_by(|a, b| a.cp_ng_per_ml.total_cmp(&b.cp_ng_per_ml))
        .unwrap_or(zero);
    // The end falls on a sample when it is a whole minute; else the last sample before it.
    let at_end = points
        .iter()
        .copied()
        .take_while(|p| p.t_min <= end_min + 1e-9)
        .last()
        .unwrap_or(zero);
    Curve {
        points,
        peak,
        at_end,
    }
}
