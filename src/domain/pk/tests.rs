//! The concentration engine against hand-computed values: the one-compartment limit, the
//! steady state Css = rate / CL, superposition, the modes' shares, and the Domino model.

use super::*;
use crate::domain::protocol::Protocol;
use crate::domain::text::Text;

fn model(k10: f64, k12: f64, k21: f64, k13: f64, k31: f64) -> PkModel {
    PkModel {
        id: Text::from("test"),
        name: Text::from("test"),
        source: Text::from("hand-made"),
        population: Text::from("none"),
        v1_l_per_kg: 0.5,
        k10_per_min: k10,
        k12_per_min: k12,
        k21_per_min: k21,
        k13_per_min: k13,
        k31_per_min: k31,
    }
}

fn domino() -> PkModel {
    let protocol = Protocol::built_in().unwrap_or_else(|e| panic!("{e}"));
    protocol
        .pack
        .pharmacokinetics
        .model(None)
        .cloned()
        .unwrap_or_else(|| panic!("no default model"))
}

fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * b.abs().max(1e-12)
}

#[test]
fn one_compartment_limit_is_a_single_exponential() {
    // 70 kg, V1 = 35 L, k10 = 0.1/min: 10 mg over 1 min, then nothing.
    let d =
        Disposition::new(&model(0.1, 0.0, 0.0, 0.0, 0.0), 70.0).unwrap_or_else(|e| panic!("{e}"));
    let pts = simulate(
        &d,
        &[
            RateChange {
                at_min: 0.0,
                mg_per_min: 10.0,
            },
            RateChange {
                at_min: 1.0,
                mg_per_min: 0.0,
            },
        ],
        30.0,
        1.0,
    );
    // After a 1-min infusion: C(1) = R/(k·V)·(1 − e^−k) mg/L; then C(t) = C(1)·e^−k(t−1).
    let c1 = 10.0 / (0.1 * 35.0) * (1.0 - (-0.1_f64).exp()) * 1000.0;
    assert!(
        close(pts[1].cp_ng_per_ml, c1, 1e-9),
        "{} vs {c1}",
        pts[1].cp_ng_per_ml
    );
    let c20 = c1 * (-0.1_f64 * 19.0).exp();
    assert!(close(pts[20].cp_ng_per_ml, c20, 1e-9));
    assert_eq!(pts.len(), 31);
    assert_eq!(pts[0].cp_ng_per_ml, 0.0);
}

#[test]
fn a_long_infusion_reaches_rate_over_clearance() {
    let m = domino();
    let d = Disposition::new(&m, 80.0).unwrap_or_else(|e| panic!("{e}"));
    // 0.5 mg/kg/h for 100 h: Css = R / CL with CL = k10 · V1.
    let mg_per_min = 0.5 * 80.0 / 60.0;
    let css = mg_per_min / d.clearance_l_per_min(&m) * 1000.0;
    let pts = simulate(
        &d,
        &[RateChange {
            at_min: 0.0,
            mg_per_min,
        }],
        6000.0,
        1.0,
    );
    let last = pts.last().map_or(0.0, |p| p.cp_ng_per_ml);
    assert!(close(last, css, 1e-3), "{last} vs {css}");
    // 0.5 mg/kg/h at 80 kg: CL = 0.438 × 5.04 L/min = 2.2075 L/min; Css = 0.6667/2.2075 mg/L.
    assert!(close(css, 302.0, 0.01), "{css}");
}

#[test]
fn the_modes_share_one_over_v1_and_decay_in_order() {
    let m = domino();
    let d = Disposition::new(&m, 70.0).unwrap_or_else(|e| panic!("{e}"));
    let total: f64 = d.share_per_l.iter().sum();
    assert!(close(total, 1.0 / (0.063 * 70.0), 1e-9), "{total}");
    assert!(d.decay_per_min[0] < d.decay_per_min[1] && d.decay_per_min[1] < d.decay_per_min[2]);
    // The roots satisfy the characteristic polynomial; their sum is the trace.
    let trace = m.k10_per_min + m.k12_per_min + m.k13_per_min + m.k21_per_min + m.k31_per_min;
    assert!(close(d.decay_per_min.iter().sum(), trace, 1e-9));
    // The product is k10·k21·k31.
    let product: f64 = d.decay_per_min.iter().product();
    assert!(close(
        product,
        m.k10_per_min * m.k21_per_min * m.k31_per_min,
        1e-6
    ));
}

#[test]
fn concentrations_add_up_superposition() {
    let d = Disposition::new(&domino(), 70.0).unwrap_or_else(|e| panic!("{e}"));
    let a = [
        RateChange {
            at_min: 0.0,
            mg_per_min: 2.0,
        },
        RateChange {
            at_min: 5.0,
            mg_per_min: 0.0,
        },
    ];
    let b = [
        RateChange {
            at_min: 30.0,
            mg_per_min: 0.5,
        },
        RateChange {
            at_min: 270.0,
            mg_per_min: 0.0,
        },
    ];
    let both = [a[0], a[1], b[0], b[1]];
    let (pa, pb, pboth) = (
        simulate(&d, &a, 400.0, 1.0),
        simulate(&d, &b, 400.0, 1.0),
        simulate(&d, &both, 400.0, 1.0),
    );
    for i in 0..pboth.len() {
        let sum = pa[i].cp_ng_per_ml + pb[i].cp_ng_per_ml;
        assert!(close(pboth[i].cp_ng_per_ml, sum, 1e-9), "t {i}");
    }
    // A step the samples do not fall on is carried exactly: 30.5 min.
    let half = [RateChange {
        at_min: 0.5,
        mg_per_min: 1.0,
    }];
    let fine = simulate(&d, &half, 2.0, 0.5);
    let coarse = simulate(&d, &half, 2.0, 1.0);
    assert!(close(coarse[2].cp_ng_per_ml, fine[4].cp_ng_per_ml, 1e-12));
}

#[test]
fn a_bolus_then_infusion_peaks_at_the_end_of_the_bolus_and_washes_out() {
    let d = Disposition::new(&domino(), 79.8).unwrap_or_else(|e| panic!("{e}"));
    let regimen = Regimen {
        bolus_mg: 8.0,
        bolus_min: 5.0,
        infusion_mg_per_h: 39.9,
        infusion_h: 4.0,
    };
    let c = curve(&d, &regimen, 120.0);
    assert_eq!(c.points.len(), 5 + 240 + 120 + 1);
    assert_eq!(c.at_end.t_min, 245.0);
    assert!(c.peak.t_min <= 245.0);
    let after = c.points.last().map_or(f64::NAN, |p| p.cp_ng_per_ml);
    assert!(after < c.at_end.cp_ng_per_ml / 2.0, "two hours of washout");
    assert!(
        c.points
            .iter()
            .all(|p| p.cp_ng_per_ml.is_finite() && p.cp_ng_per_ml >= 0.0)
    );
    // The bolus rate (1.6 mg/min) over 5 min, then 0.665 mg/min.
    assert_eq!(regimen.rate_changes().len(), 3);
}

#[test]
fn a_nonsense_weight_or_model_is_refused() {
    assert!(Disposition::new(&domino(), 0.0).is_err());
    assert!(Disposition::new(&domino(), f64::NAN).is_err());
    assert!(Disposition::new(&model(0.1, 0.2, 0.2, 0.0, 0.0), 70.0).is_ok());
}
