//! Duplicate keys and a byte-order mark in case, course and pack files, through the binary
//! (item 1 of the pharmacist's review; V4-23).

use std::path::{Path, PathBuf};
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

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn p01() -> String {
    read(&root().join("tests/cases/p01-crps-contract-example-lb-positive.case.json"))
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    if let Err(e) = std::fs::write(&path, text) {
        panic!("write: {e}");
    }
    path.to_string_lossy().into_owned()
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn pack() -> String {
    read(&root().join("protocols/asra-aapm-asa-2018.ron"))
}

fn course() -> String {
    read(&root().join("tests/courses/v4-lft-raised-urinary.ketaplan"))
}

/// p01 with a second weight, in kg, right after the first (154 lb would become 154 kg).
fn p01_second_weight() -> String {
    let text = p01();
    let Some(at) = text.find("\"weight\"") else {
        panic!("p01 has no weight");
    };
    let mut out = text.clone();
    out.insert_str(
        at,
        "\"weight\": { \"value\": 154, \"unit\": \"kg\" },\n    ",
    );
    out
}

#[test]
fn json_case_with_a_second_weight_is_rejected_naming_key_and_position() {
    let dir = tempdir();
    let text = p01_second_weight();
    let path = write(&dir, "dup.case.json", &text);
    let out = run(&["plan", &path]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(doc["status"], "rejected");
    assert_eq!(doc["errors"][0]["field"], "patient.weight");
    let message = doc["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("duplicate key \"weight\""), "{message}");
    // The second "weight" is on the line after the first.
    let line = text
        .lines()
        .position(|l| l.contains("\"weight\""))
        .map_or(0, |i| i + 2);
    assert!(
        message.contains(&format!(" at {line}:")),
        "{message} (line {line})"
    );
    // `order` rejects it the same way, and writes nothing.
    let out_file = dir.path().join("o.txt");
    let o = out_file.to_string_lossy().into_owned();
    let out = run(&["order", &path, "--out", &o, "--text"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!out_file.exists());
}

#[test]
fn ron_case_with_a_key_twice_is_rejected() {
    let dir = tempdir();
    let text = "#![enable(implicit_some)]\n(\n    schema: \"ketaplan.case/1\",\n    patient: (age_years: 54, weight: (value: 176, unit: \"lb\"), weight: (value: 176, unit: \"kg\")),\n    condition: \"crps\",\n    screening: [],\n    regimen: (setting: \"outpatient\", course: \"single\", infusion: (value: 0.5, unit: \"mg/kg/h\"), duration_h: 4, concentration_mg_per_ml: 1),\n)\n";
    let path = write(&dir, "dup.case.ron", text);
    let out = run(&["plan", &path]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("patient.weight") && err.contains("duplicate key \"weight\""),
        "{err}"
    );
    assert!(err.contains(" at 4:"), "{err}");
}

#[test]
fn json_justification_given_twice_is_rejected() {
    let dir = tempdir();
    let text = p01().replacen(
        "\"justifications\": {}",
        "\"justifications\": {\"weak_evidence\": \"a reason long enough to count\", \"weak_evidence\": \"another reason long enough\"}",
        1,
    );
    assert!(
        text.contains("weak_evidence"),
        "p01 has no empty justifications"
    );
    let path = write(&dir, "dup.case.json", &text);
    let out = run(&["plan", &path]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("justifications.weak_evidence"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn pack_with_a_field_twice_is_invalid() {
    let dir = tempdir();
    let text = pack().replacen(
        "    order: (\n",
        "    order: (\n        weight_max_age_days: (value: 300, source: \"x\"),\n",
        1,
    );
    assert_ne!(text, pack(), "the pack's order section moved");
    let path = write(&dir, "dup.ron", &text);
    let out = run(&["protocol", "check", &path]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("duplicate key \"weight_max_age_days\""),
        "{err}"
    );
    assert!(err.contains("order.weight_max_age_days"), "{err}");
    // As --protocol of plan, too.
    let case = write(&dir, "p01.case.json", &p01());
    let out = run(&["plan", &case, "--protocol", &path]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn course_with_a_key_twice_is_rejected() {
    let dir = tempdir();
    let text = course().replacen(
        "patient_name: \"Jane Example\",",
        "patient_name: \"Jane Example\",\n        patient_name: \"John Other\",",
        1,
    );
    assert_ne!(text, course());
    let path = write(&dir, "dup.ketaplan", &text);
    let out = run(&["course", "summary", &path, "--on", "2026-11-20"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("duplicate key \"patient_name\""), "{err}");
    assert!(err.contains(" 6:"), "{err}");
}

#[test]
fn byte_order_mark_is_accepted_in_every_file_kind() {
    let dir = tempdir();
    let bom = "\u{feff}";
    // JSON case
    let json = write(&dir, "bom.case.json", &format!("{bom}{}", p01()));
    let plain = write(&dir, "plain.case.json", &p01());
    let out = run(&["plan", &json]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plain_out = run(&["plan", &plain]);
    assert_eq!(
        out.stdout, plain_out.stdout,
        "read as if the mark were absent"
    );
    // RON case
    let ron_case = "#![enable(implicit_some)]\n(schema: \"ketaplan.case/1\", patient: (age_years: 54, weight: (value: 176, unit: \"lb\")), condition: \"crps\", screening: [], regimen: (setting: \"outpatient\", course: \"single\", infusion: (value: 0.5, unit: \"mg/kg/h\"), duration_h: 4, concentration_mg_per_ml: 1))\n";
    let ron = write(&dir, "bom.case.ron", &format!("{bom}{ron_case}"));
    let out = run(&["plan", &ron]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Pack (the sha256 stays that of the exact bytes)
    let pack_path = write(&dir, "bom.ron", &format!("{bom}{}", pack()));
    let out = run(&["protocol", "check", &pack_path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let built_in = run(&[
        "protocol",
        "check",
        &root()
            .join("protocols/asra-aapm-asa-2018.ron")
            .to_string_lossy(),
    ]);
    let plain_doc: serde_json::Value = serde_json::from_slice(&built_in.stdout).unwrap_or_default();
    assert_eq!(doc["id"], plain_doc["id"]);
    assert_ne!(doc["sha256"], plain_doc["sha256"]);
    // Course
    let course_path = write(&dir, "bom.ketaplan", &format!("{bom}{}", course()));
    let out = run(&["course", "summary", &course_path, "--on", "2026-11-20"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn byte_order_mark_inside_the_text_is_not_dropped() {
    let dir = tempdir();
    let path = write(&dir, "mid.case.json", &format!("\n\u{feff}{}", p01()));
    let out = run(&["plan", &path]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
