//! Every worked vignette in `tests/cases/` through `ketaplan plan`, checked with the same
//! keys and tolerances as `check_cases.py` (0.5 % relative; ±0.05 mL/h for pump rates).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const REL_TOL: f64 = 0.005;
const SPECIAL: [&str; 10] = [
    "why",
    "error_fields",
    "error_line_column",
    "findings_include",
    "findings_exclude",
    "limit_alerts_include",
    "limit_alerts_exclude",
    "rescue_medications_include_drug",
    "rescue_medications_exclude_drug",
    "item_fields",
];

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

fn compare(path: &str, expected: &Value, actual: &Value, errors: &mut Vec<String>) {
    let key = path.rsplit('.').next().unwrap_or(path);
    match expected {
        Value::Null => {
            if !actual.is_null() {
                errors.push(format!("{path}: expected null, got {actual}"));
            }
        }
        Value::Bool(b) => {
            if actual.as_bool() != Some(*b) {
                errors.push(format!("{path}: expected {b}, got {actual}"));
            }
        }
        Value::Number(n) => {
            let want = n.as_f64().unwrap_or(f64::NAN);
            let Some(got) = actual.as_f64().filter(|g| g.is_finite()) else {
                errors.push(format!("{path}: expected number {want}, got {actual}"));
                return;
            };
            let tol = if key == "pump_ml_per_h" || key == "max_pump_ml_per_h" {
                0.05 + 1e-9
            } else if want == 0.0 {
                1e-9
            } else {
                REL_TOL * want.abs()
            };
            if (got - want).abs() > tol {
                errors.push(format!("{path}: expected {want} (±{tol}), got {got}"));
            }
        }
        Value::String(_) | Value::Array(_) => {
            if expected != actual {
                errors.push(format!("{path}: expected {expected}, got {actual}"));
            }
        }
        Value::Object(map) => {
            let Some(actual_map) = actual.as_object() else {
                errors.push(format!("{path}: expected an object, got {actual}"));
                return;
            };
            for (k, v) in map {
                match actual_map.get(k) {
                    Some(a) => compare(&format!("{path}.{k}"), v, a, errors),
                    None => errors.push(format!("{path}.{k}: missing")),
                }
            }
        }
    }
}

fn field_named(want: &str, fields: &[String]) -> bool {
    if want.is_empty() {
        return fields.iter().any(|f| f.is_empty());
    }
    fields.iter().any(|f| {
        f == want
            || f.strip_prefix(want)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    })
}

fn match_items(
    plan: &Value,
    list_key: &str,
    attr: &str,
    include: Option<&Value>,
    exclude: Option<&Value>,
    errors: &mut Vec<String>,
) {
    let items = plan[list_key].as_array().cloned().unwrap_or_default();
    for want in include.and_then(Value::as_array).into_iter().flatten() {
        let code = &want["code"];
        let found = items.iter().any(|item| {
            &item["code"] == code && (want.get(attr).is_none() || item.get(attr) == want.get(attr))
        });
        if !found {
            errors.push(format!("{list_key}: no item matches {want}"));
        }
    }
    for code in exclude.and_then(Value::as_array).into_iter().flatten() {
        if items.iter().any(|item| &item["code"] == code) {
            errors.push(format!("{list_key}: {code} must not appear"));
        }
    }
}

fn check_rescue(plan: &Value, expected: &Value, errors: &mut Vec<String>) {
    let drugs: Vec<String> = plan["rescue_medications"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["drug"].as_str().map(str::to_lowercase))
        .collect();
    for want in expected["rescue_medications_include_drug"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let alternatives: Vec<String> = match want {
            Value::String(s) => vec![s.to_lowercase()],
            Value::Array(a) => a
                .iter()
                .filter_map(|s| s.as_str().map(str::to_lowercase))
                .collect(),
            _ => Vec::new(),
        };
        if !alternatives
            .iter()
            .any(|alt| drugs.iter().any(|d| d.contains(alt)))
        {
            errors.push(format!(
                "rescue_medications: none of {alternatives:?} in {drugs:?}"
            ));
        }
    }
    for bad in expected["rescue_medications_exclude_drug"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if drugs.iter().any(|d| d.contains(&bad.to_lowercase())) {
            errors.push(format!("rescue_medications: {bad} must not appear"));
        }
    }
}

fn check_item_fields(plan: &Value, spec: &Value, errors: &mut Vec<String>) {
    for (list_key, fields) in spec.as_object().into_iter().flatten() {
        let Some(items) = plan[list_key].as_array() else {
            errors.push(format!("{list_key}: not a list"));
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            for field in fields
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if item[field].as_str().is_none_or(str::is_empty) {
                    errors.push(format!("{list_key}[{i}].{field}: not a non-empty string"));
                }
            }
        }
    }
}

fn check_case(case_path: &Path, expected_path: &Path) -> Vec<String> {
    let mut errors = Vec::new();
    let expected: Value = match std::fs::read_to_string(expected_path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => return vec![format!("expected file unreadable: {e}")],
    };
    let output = match Command::new(env!("CARGO_BIN_EXE_ketaplan"))
        .arg("plan")
        .arg(case_path)
        .output()
    {
        Ok(o) => o,
        Err(e) => return vec![format!("could not run ketaplan: {e}")],
    };
    let rejected = expected["status"] == "rejected";
    let want_code = if rejected { 2 } else { 0 };
    if output.status.code() != Some(want_code) {
        errors.push(format!(
            "exit code {:?}, expected {want_code}; stderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let plan: Value = match serde_json::from_slice(&output.stdout) {
        Ok(v) => v,
        Err(e) => {
            errors.push(format!("stdout is not JSON: {e}"));
            return errors;
        }
    };
    for (key, want) in expected.as_object().into_iter().flatten() {
        if SPECIAL.contains(&key.as_str()) {
            continue;
        }
        match plan.get(key) {
            Some(got) => compare(key, want, got, &mut errors),
            None => errors.push(format!("{key}: missing from plan")),
        }
    }
    if rejected {
        let plan_errors = plan["errors"].as_array().cloned().unwrap_or_default();
        if plan_errors.is_empty() {
            errors.push("errors: expected a non-empty list".into());
        }
        let fields: Vec<String> = plan_errors
            .iter()
            .filter_map(|e| e["field"].as_str().map(str::to_string))
            .collect();
        for want in expected["error_fields"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !field_named(want, &fields) {
                errors.push(format!(
                    "errors: field {want:?} not named (fields: {fields:?})"
                ));
            }
        }
        if expected["error_line_column"] == true {
            let has_position = plan_errors.iter().any(|e| {
                e["message"].as_str().is_some_and(|m| {
                    m.split(|c: char| !(c.is_ascii_digit() || c == ':'))
                        .any(|tok| {
                            let mut parts = tok.split(':');
                            matches!((parts.next(), parts.next()), (Some(a), Some(b)) if !a.is_empty() && !b.is_empty())
                        })
                })
            });
            if !has_position {
                errors.push("errors: no message gives line:column".into());
            }
        }
    }
    if expected.get("findings_include").is_some() || expected.get("findings_exclude").is_some() {
        match_items(
            &plan,
            "findings",
            "severity",
            expected.get("findings_include"),
            expected.get("findings_exclude"),
            &mut errors,
        );
    }
    if expected.get("limit_alerts_include").is_some()
        || expected.get("limit_alerts_exclude").is_some()
    {
        match_items(
            &plan,
            "limit_alerts",
            "kind",
            expected.get("limit_alerts_include"),
            expected.get("limit_alerts_exclude"),
            &mut errors,
        );
    }
    check_rescue(&plan, &expected, &mut errors);
    if let Some(spec) = expected.get("item_fields") {
        check_item_fields(&plan, spec, &mut errors);
    }
    errors
}

#[test]
fn every_vignette_matches_its_expected_plan() {
    let dir = cases_dir();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    names.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in names.iter().filter(|p| {
        let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        n.ends_with(".case.json") || n.ends_with(".case.ron")
    }) {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let stem = name
            .trim_end_matches(".case.json")
            .trim_end_matches(".case.ron");
        let expected = dir.join(format!("{stem}.expected.json"));
        let errors = check_case(case, &expected);
        checked += 1;
        if !errors.is_empty() {
            failures.push(format!("FAIL {stem}: {}", errors.join("; ")));
        }
    }
    assert!(checked >= 40, "only {checked} vignettes found in {dir:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
