//! `ketaplan pk CASE [--model ID] [--protocol PACK]`: the predicted plasma concentration of the
//! case's regimen as JSON (`ketaplan.pk/1`), every minute to the end plus the washout, with
//! a second curve at the titration ceiling when there is one.

use super::plan::load_case;
use super::{Args, EXIT_REJECTED, USAGE, print_json, protocol_or_rejected};
use crate::domain::pk::{Curve, PkPreview, Point, preview};
use crate::domain::plan::plan;
use std::io::Write;
use std::path::Path;

/// 0 computed; 2 a rejected case (as `plan`), an unknown model.
pub(super) fn pk_command(args: &Args, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let [case_path] = args.positional.as_slice() else {
        let _ = writeln!(stderr, "ketaplan: pk needs exactly one CASE file\n{USAGE}");
        return EXIT_REJECTED;
    };
    let protocol = match protocol_or_rejected(args, stdout, stderr) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let case = match load_case(&protocol, Path::new(case_path), stdout, stderr) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let planned = plan(&protocol, &case);
    match preview(
        &protocol.pack.pharmacokinetics,
        &planned,
        args.model.as_deref(),
    ) {
        Ok(p) => print_json(&preview_json(&p), stdout, stderr),
        Err(e) => {
            let _ = writeln!(stderr, "ketaplan: {e}");
            EXIT_REJECTED
        }
    }
}

/// The contract's JSON: `ketaplan.pk/1`.
fn preview_json(p: &PkPreview) -> serde_json::Value {
    let point = |p: &Point| serde_json::json!({"t_min": p.t_min, "cp_ng_per_ml": p.cp_ng_per_ml});
    let points = |c: &Curve| c.points.iter().map(point).collect::<Vec<_>>();
    serde_json::json!({
        "schema": "ketaplan.pk/1",
        "model": {
            "id": p.model.id,
            "name": p.model.name,
            "source": p.model.source,
            "population": p.model.population,
        },
        "weight_kg": p.weight_kg,
        "points": points(&p.curve),
        "peak": point(&p.curve.peak),
        "at_end": point(&p.curve.at_end),
        "ceiling_points": p.ceiling.as_ref().map(points),
    })
}
