//! The command line with hostile input: exit 2 naming the field, never a panic.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_ketaplan"))
        .args(args)
        .output()
    {
        Ok(o) => o,
        Err(e) => panic!("could not run ketaplan: {e}"),
    }
}

fn plan_file(contents: &[u8], suffix: &str) -> (Output, Value) {
    let mut file = match tempfile::Builder::new().suffix(suffix).tempfile() {
        Ok(f) => f,
        Err(e) => panic!("tempfile: {e}"),
    };
    if let Err(e) = file.write_all(contents) {
        panic!("write: {e}");
    }
    let path = file.path().to_string_lossy().to_string();
    let out = run(&["plan", &path]);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out, json)
}

fn fields(json: &Value) -> Vec<String> {
    json["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str().map(str::to_string))
        .collect()
}

fn assert_rejected(out: &Output, json: &Value) {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json["status"], "rejected");
    assert!(!fields(json).is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

const VALID: &str = r#"{"patient":{"age_years":40,"weight":{"value":70,"unit":"kg"}},
 "condition":"crps","screening":[],
 "regimen":{"setting":"outpatient","course":"single","infusion":{"value":0.5,"unit":"mg/kg/h"},
  "duration_h":4,"concentration_mg_per_ml":1}}"#;

#[test]
fn a_valid_case_plans() {
    let (out, json) = plan_file(VALID.as_bytes(), ".json");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json["status"], "ok");
    assert_eq!(json["protocol"]["id"], "asra-aapm-asa-2018");
    assert_eq!(json["protocol"]["sha256"].as_str().map(str::len), Some(64));
}

#[test]
fn empty_file_is_rejected_with_position() {
    let (out, json) = plan_file(b"", ".json");
    assert_rejected(&out, &json);
    assert_eq!(fields(&json), vec![""]);
}

#[test]
fn garbage_bytes_are_rejected() {
    let (out, json) = plan_file(&[0xff, 0xfe, 0x00, 0x13, 0x80], ".json");
    assert_rejected(&out, &json);
    let (out, json) = plan_file(&[0xff, 0xfe, 0x00, 0x13, 0x80], ".ron");
    assert_rejected(&out, &json);
}

#[test]
fn deep_nesting_is_rejected() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (out, json) = plan_file(deep.as_bytes(), ".json");
    assert_rejected(&out, &json);
    let deep_ron = format!("{}{}", "(a:".repeat(10_000), ")".repeat(10_000));
    let (out, json) = plan_file(deep_ron.as_bytes(), ".ron");
    assert_rejected(&out, &json);
}

#[test]
fn wrong_types_name_their_field() {
    let text = VALID.replace("\"age_years\":40", "\"age_years\":\"forty\"");
    let (out, json) = plan_file(text.as_bytes(), ".json");
    assert_rejected(&out, &json);
    assert_eq!(fields(&json), vec!["patient.age_years"]);
    let text = VALID.replace("\"screening\":[]", "\"screening\":{}");
    let (out, json) = plan_file(text.as_bytes(), ".json");
    assert_rejected(&out, &json);
    assert_eq!(fields(&json), vec!["screening"]);
}

#[test]
fn huge_and_non_finite_numbers_are_rejected() {
    let text = VALID.replace("\"value\":70", "\"value\":1e400");
    let (out, json) = plan_file(text.as_bytes(), ".json");
    assert_rejected(&out, &json);
    let text = VALID.replace("\"value\":70", "\"value\":1e300");
    let (out, json) = plan_file(text.as_bytes(), ".json");
    assert_rejected(&out, &json);
    assert_eq!(fields(&json), vec!["patient.weight.value"]);
    let ron = "(patient: (age_years: 40, weight: (value: NaN, unit: \"kg\")), condition: \"crps\", screening: [], regimen: (setting: \"outpatient\", course: \"single\", infusion: (value: 0.5, unit: \"mg/kg/h\"), duration_h: 4, concentration_mg_per_ml: 1))";
    let (out, json) = plan_file(ron.as_bytes(), ".ron");
    assert_rejected(&out, &json);
    let ron = ron.replace("NaN", "inf");
    let (out, json) = plan_file(ron.as_bytes(), ".ron");
    assert_rejected(&out, &json);
}

#[test]
fn unknown_keys_and_codes_are_named() {
    let text = VALID.replace(
        "\"condition\":\"crps\"",
        "\"condition\":\"crps\",\"colour\":\"blue\"",
    );
    let (out, json) = plan_file(text.as_bytes(), ".json");
    assert_rejected(&out, &json);
    assert_eq!(fields(&json), vec!["colour"]);
    let text = VALID.replace("\"screening\":[]", "\"screening\":[\"pregnancy\",\"copd\"]");
    let (out, json) = plan_file(text.as_bytes(), ".json");
    assert_rejected(&out, &json);
    assert_eq!(fields(&json), vec!["screening[1]"]);
}

#[test]
fn a_missing_file_is_rejected() {
    let out = run(&["plan", "/nonexistent/case.json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert_rejected(&out, &json);
}

#[test]
fn protocol_check_accepts_the_built_in_pack_and_lists_defaults() {
    let pack = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/protocols/asra-aapm-asa-2018.ron"
    );
    let out = run(&["protocol", "check", pack, "--defaults"]);
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert_eq!(json["id"], "asra-aapm-asa-2018");
    assert!(
        json["institution_defaults"]
            .as_array()
            .is_some_and(|d| !d.is_empty())
    );
}

#[test]
fn protocol_check_rejects_an_inconsistent_pack_with_line_column() {
    let text = ketaplan::domain::protocol::BUILT_IN_PACK.replacen(
        "bolus_hard_from_mg_per_kg: (value: 1,",
        "bolus_hard_from_mg_per_kg: (value: 0.2,",
        1,
    );
    assert_ne!(
        text,
        ketaplan::domain::protocol::BUILT_IN_PACK,
        "pack layout changed"
    );
    let mut file = match tempfile::Builder::new().suffix(".ron").tempfile() {
        Ok(f) => f,
        Err(e) => panic!("tempfile: {e}"),
    };
    if let Err(e) = file.write_all(text.as_bytes()) {
        panic!("write: {e}");
    }
    let path = file.path().to_string_lossy().to_string();
    let out = run(&["protocol", "check", &path]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("dose_limits.bolus_soft_above_mg_per_kg"),
        "{stderr}"
    );
    assert!(
        stderr.split(':').any(|p| p.trim().parse::<u32>().is_ok()),
        "{stderr}"
    );
    // The same pack refused as --protocol for plan.
    let out = run(&["plan", "--protocol", &path, "/dev/null"]);
    assert_eq!(out.status.code(), Some(2));
}
