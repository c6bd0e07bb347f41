//! `ketaplan pk CASE [--model ID]` (step 13): the predicted concentration as
//! `ketaplan.pk/1` JSON — a point every minute from 0 to the end plus the washout, the peak
//! and the value at the end read off the points, the ceiling curve when the plan titrates —
//! and exit 2 for a rejected case or an unknown model.

#[path = "order_common.rs"]
mod common;

use common::{cli, tempdir, write_case};
use serde_json::Value;

const P01: &str = "tests/cases/p01-crps-contract-example-lb-positive.case.json";

fn pk(args: &[&str]) -> Value {
    let mut full = vec!["pk"];
    full.extend_from_slice(args);
    let (code, out, err) = cli(&full);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn points(v: &Value) -> Vec<(f64, f64)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p["t_min"].as_f64().unwrap_or(f64::NAN),
                        p["cp_ng_per_ml"].as_f64().unwrap_or(f64::NAN),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_curve_runs_every_minute_to_two_hours_after_the_end() {
    let doc = pk(&[P01]);
    assert_eq!(doc["schema"], "ketaplan.pk/1");
    assert_eq!(doc["model"]["id"], "domino-1984");
    assert!(
        doc["model"]["source"]
            .as_str()
            .unwrap_or_default()
            .contains("PMID 6488686")
    );
    let plan = {
        let (_, out, _) = cli(&["plan", P01]);
        serde_json::from_str::<Value>(&out).unwrap_or_default()
    };
    // The model's volume is per kg of actual weight.
    assert_eq!(doc["weight_kg"], plan["weight_kg"]);
    let end = plan["bolus_minutes"].as_f64().unwrap_or(0.0)
        + plan["duration_h"].as_f64().unwrap_or(0.0) * 60.0;
    let pts = points(&doc["points"]);
    assert_eq!(pts.len() as f64, end + 120.0 + 1.0);
    for (i, (t, cp)) in pts.iter().enumerate() {
        assert_eq!(*t, i as f64);
        assert!(cp.is_finite() && *cp >= 0.0);
    }
    let highest = pts.iter().map(|p| p.1).fold(0.0, f64::max);
    assert_eq!(doc["peak"]["cp_ng_per_ml"].as_f64(), Some(highest));
    assert_eq!(doc["at_end"]["t_min"].as_f64(), Some(end));
    // p01 titrates to a ceiling: that curve lies above the starting one once the rates differ.
    let ceiling = points(&doc["ceiling_points"]);
    assert_eq!(ceiling.len(), pts.len());
    let at = end as usize;
    assert!(
        ceiling[at].1 > pts[at].1,
        "{:?} vs {:?}",
        ceiling[at],
        pts[at]
    );
    // During the bolus both are the same.
    assert_eq!(ceiling[3], pts[3]);
}

#[test]
fn a_case_without_titration_has_no_ceiling_curve_and_a_long_infusion_is_flat() {
    let dir = tempdir();
    let mut doc: Value = common::vignette("p01");
    doc["regimen"]["max_infusion"] = Value::Null;
    doc["regimen"]["bolus"] = Value::Null;
    doc["regimen"]["duration_h"] = 100.into();
    doc["regimen"]["setting"] = "inpatient".into();
    let case = write_case(dir.path(), "long.case.json", &doc);
    let (code, out, err) = cli(&["pk", &case]);
    assert_eq!(code, 0, "{err}");
    let pk: Value = serde_json::from_str(&out).unwrap_or_default();
    assert!(pk["ceiling_points"].is_null(), "{}", pk["ceiling_points"]);
    let pts = points(&pk["points"]);
    assert_eq!(pts.len(), 100 * 60 + 120 + 1);
    // After 90 hours the curve has flattened to its steady state (within 1 %).
    let (a, b) = (pts[90 * 60].1, pts[100 * 60].1);
    assert!((a - b).abs() / b < 0.01, "{a} vs {b}");
}

#[test]
fn a_rejected_case_or_an_unknown_model_is_exit_2() {
    let (code, _, err) = cli(&["pk", P01, "--model", "clements"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--model clements") && err.contains("domino-1984"),
        "{err}"
    );
    let dir = tempdir();
    let mut doc: Value = common::vignette("p01");
    doc["patient"]["weight"]["value"] = (-3).into();
    let case = write_case(dir.path(), "bad.case.json", &doc);
    let (code, out, _) = cli(&["pk", &case]);
    assert_eq!(code, 2);
    assert!(out.contains("patient.weight.value"), "{out}");
    let (code, _, _) = cli(&["pk"]);
    assert_eq!(code, 2);
}
