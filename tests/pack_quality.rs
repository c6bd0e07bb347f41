//! Quality of the built-in protocol pack: every code has a message a nurse can act on and a
//! source that names a guideline section or says "institution default"; every institution
//! default is listed by `protocol check --defaults`; inconsistent packs are refused.

use ketaplan::domain::protocol::{
    ALERT_CODES, BUILT_IN_PACK, CONTRACT_SCREENING_CODES, Protocol, RULE_FINDING_CODES,
};

fn protocol() -> Protocol {
    match Protocol::built_in() {
        Ok(p) => p,
        Err(e) => panic!("built-in protocol invalid: {e}"),
    }
}

/// `L123`, `Table 5`, `Q6`, or "institution default" (also S/M practice tags).
fn names_a_source(source: &str) -> bool {
    let lower = source.to_lowercase();
    if lower.contains("institution default") {
        return true;
    }
    let tokens: Vec<&str> = source
        .split(|c: char| !(c.is_ascii_alphanumeric()))
        .filter(|t| !t.is_empty())
        .collect();
    tokens.iter().enumerate().any(|(i, t)| {
        let line = t.len() > 1 && t.starts_with('L') && t[1..].chars().all(|c| c.is_ascii_digit());
        let question =
            t.len() > 1 && t.starts_with('Q') && t[1..].chars().all(|c| c.is_ascii_digit());
        let table = *t == "Table"
            && tokens
                .get(i + 1)
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()));
        line || question || table
    })
}

#[test]
fn source_pattern_recognises_sections() {
    assert!(names_a_source("L358"));
    assert!(names_a_source("Q6 L358; Table 6 Personnel (3)"));
    assert!(names_a_source("Table 5"));
    assert!(names_a_source("institution default; reason"));
    assert!(!names_a_source("the guideline"));
    assert!(!names_a_source("Lancet"));
}

#[test]
fn every_contract_code_has_a_message_and_a_source() {
    let p = protocol();
    let codes = CONTRACT_SCREENING_CODES
        .iter()
        .chain(RULE_FINDING_CODES.iter());
    for code in codes {
        let Some(def) = p.finding(code) else {
            panic!("{code} missing from the pack");
        };
        assert!(
            def.message.chars().count() >= 40,
            "{code}: message too short: {}",
            def.message
        );
        assert!(
            names_a_source(&def.source),
            "{code}: source {:?}",
            def.source
        );
        if let Some(e) = &def.escalation {
            assert!(
                e.message.chars().count() >= 40,
                "{code}: escalation message too short"
            );
            assert!(
                names_a_source(&e.source),
                "{code}: escalation source {:?}",
                e.source
            );
        }
    }
    for (code, _) in ALERT_CODES {
        let Some(def) = p.alert(code) else {
            panic!("{code} missing from the pack");
        };
        assert!(
            def.message.chars().count() >= 40,
            "{code}: message too short"
        );
        assert!(
            names_a_source(&def.source),
            "{code}: source {:?}",
            def.source
        );
    }
}

#[test]
fn every_threshold_and_drug_names_its_source() {
    let p = protocol();
    for (path, t) in p.thresholds() {
        assert!(names_a_source(&t.source), "{path}: source {:?}", t.source);
        if t.source.to_lowercase().starts_with("institution default") {
            assert!(
                t.institution_default,
                "{path} says institution default but is not marked"
            );
        }
    }
    for r in &p.pack.rescue_medications {
        assert!(
            names_a_source(&r.source),
            "{}: source {:?}",
            r.drug,
            r.source
        );
    }
    for c in &p.pack.conditions {
        assert!(
            names_a_source(&c.source),
            "{}: source {:?}",
            c.code,
            c.source
        );
    }
}

#[test]
fn every_institution_default_is_listed_by_protocol_check() {
    let p = protocol();
    let listed: Vec<String> = p
        .institution_defaults()
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    for (path, t) in p.thresholds() {
        if t.institution_default {
            assert!(listed.contains(&path), "{path} not listed");
        }
    }
    for r in p
        .pack
        .rescue_medications
        .iter()
        .filter(|r| r.institution_default)
    {
        assert!(listed.contains(&format!("rescue_medications[{}]", r.drug)));
    }
    // The CLI prints the same list.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ketaplan"))
        .args([
            "protocol",
            "check",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/protocols/asra-aapm-asa-2018.ron"
            ),
            "--defaults",
        ])
        .output();
    let Ok(out) = out else {
        panic!("could not run ketaplan")
    };
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let printed = json["institution_defaults"].as_array().map_or(0, Vec::len);
    assert_eq!(printed, listed.len());
}

#[test]
fn the_embedded_pack_is_the_file_and_is_built_in() {
    let file = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/protocols/asra-aapm-asa-2018.ron"
    ));
    assert_eq!(file.ok().as_deref(), Some(BUILT_IN_PACK));
    let p = protocol();
    assert!(p.built_in);
    assert_eq!(p.sha256.len(), 64);
    assert_eq!(p.pack.product, "ketamine hydrochloride, racemic");
}

fn refused(from: &str, to: &str) -> String {
    let text = BUILT_IN_PACK.replacen(from, to, 1);
    assert_ne!(
        text, BUILT_IN_PACK,
        "pattern {from:?} not found in the pack"
    );
    match Protocol::from_ron_str(&text) {
        Ok(_) => panic!("pack with {to:?} was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn inconsistent_packs_are_refused_naming_field_and_position() {
    let e = refused(
        "pump_soft_tolerance_fraction: (value: 0.05",
        "pump_soft_tolerance_fraction: (value: 0.5",
    );
    assert!(
        e.contains("dose_limits.pump_soft_tolerance_fraction"),
        "{e}"
    );
    let first_line = e.split(':').next().unwrap_or("");
    assert!(first_line.parse::<usize>().is_ok_and(|l| l > 1), "{e}");
    let e = refused("severity: stop", "severity: fatal");
    assert!(e.contains("fatal") || e.contains("variant"), "{e}");
    let e = refused("code: \"pregnancy\"", "code: \"delirium\"");
    assert!(e.contains("duplicate"), "{e}");
    let e = refused("id: \"asra-aapm-asa-2018\"", "id: \"\"");
    assert!(e.contains("id"), "{e}");
}

#[test]
fn a_clinic_pack_is_not_built_in_and_has_its_own_hash() {
    let text = BUILT_IN_PACK.replacen("version: \"1.1.0\"", "version: \"1.1.1-clinic\"", 1);
    let Ok(p) = Protocol::from_ron_str(&text) else {
        panic!("edited pack refused")
    };
    assert!(!p.built_in);
    assert_ne!(p.sha256, protocol().sha256);
}
