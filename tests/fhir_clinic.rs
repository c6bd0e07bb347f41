//! FHIR export with the clinic database, on both backends (step 14): `fhir course --mrn`
//! exports the stored course as its file exports, and `fhir order --db` names the physician
//! who signed the order electronically as the MedicationRequest's requester (an unsigned
//! order has none and says "Not valid without signature").

#[macro_use]
#[path = "support/clinic.rs"]
mod clinic;

use clinic::{Backend, TestDb, printable_p01_for, test_server};
use serde_json::Value;

on_both_backends!(a_stored_course_exports_as_its_file_does);
on_both_backends!(a_signed_order_names_its_signer_as_the_requester);

const FIXTURE: &str = "tests/courses/fhir-flowsheet.ketaplan";

/// The bundle without its timestamp (the time of the export).
fn without_timestamp(mut bundle: Value) -> Value {
    if let Some(b) = bundle.as_object_mut() {
        b.remove("timestamp");
    }
    bundle
}

fn a_stored_course_exports_as_its_file_does(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    // The database's clinic time zone is the machine's here, as for the file.
    let (code, _, err) = db.cli(&["course", "import", FIXTURE]);
    assert_eq!(code, 0, "{err}");
    let stored = without_timestamp(db.json(&["fhir", "course", "--mrn", "000123"]));
    let (code, out, err) = db.cli(&["fhir", "course", FIXTURE]);
    assert_eq!(code, 0, "{err}");
    let from_file = without_timestamp(serde_json::from_str(&out).unwrap_or_default());
    assert_eq!(stored, from_file);
    assert_eq!(stored["identifier"]["value"], "000123");

    let (code, _, err) = db.cli(&["fhir", "course", "--mrn", "999"]);
    assert_ne!(code, 0);
    assert!(err.contains("999"), "{err}");
}

fn requester(db: &TestDb, case: &str) -> (Value, Vec<String>) {
    let bundle = db.json(&["fhir", "order", case, "--on", "2026-12-01"]);
    let request = bundle["entry"]
        .as_array()
        .and_then(|e| {
            e.iter()
                .find(|e| e["resource"]["resourceType"] == "MedicationRequest")
        })
        .map(|e| e["resource"].clone())
        .unwrap_or_default();
    let notes = request["note"]
        .as_array()
        .map(|n| {
            n.iter()
                .filter_map(|n| n["text"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    (request["requester"].clone(), notes)
}

fn a_signed_order_names_its_signer_as_the_requester(backend: &Backend) {
    let Some(db) = TestDb::migrated(backend) else {
        return;
    };
    for (login, name, role, stdin) in [
        ("ada", "Ada Admin", "admin", vec!["admin pass 1"]),
        (
            "dora",
            "Dr A. Example",
            "physician",
            vec!["admin pass 1", "doctor pass 2"],
        ),
    ] {
        let mut args = vec!["user", "add", login, "--name", name, "--role", role];
        if role != "admin" {
            args.extend(["--as", "ada"]);
        }
        let (code, _, err) = db.cli_with_stdin(&args, Some(&stdin));
        assert_eq!(code, 0, "{err}");
    }
    let case = printable_p01_for(db.dir.path(), "F-1", "Fay Fhir");
    let case = case.to_string_lossy().into_owned();
    let (unsigned, notes) = requester(&db, &case);
    assert!(unsigned.is_null(), "{unsigned}");
    assert!(
        notes.iter().any(|n| n == "Not valid without signature"),
        "{notes:?}"
    );

    let sheet = db.path("signed.txt").to_string_lossy().into_owned();
    let (code, _, err) = db.cli_with_stdin(
        &[
            "order",
            &case,
            "--out",
            &sheet,
            "--text",
            "--on",
            "2026-12-01",
            "--sign-as",
            "dora",
        ],
        Some(&["doctor pass 2"]),
    );
    assert_eq!(code, 0, "{err}");
    let (signed, notes) = requester(&db, &case);
    assert_eq!(signed["display"], "Dr A. Example (physician)");
    let bundle = db.json(&["fhir", "order", &case, "--on", "2026-12-01"]);
    let practitioner = bundle["entry"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["fullUrl"] == signed["reference"]))
        .map(|e| e["resource"].clone())
        .unwrap_or_default();
    assert_eq!(practitioner["resourceType"], "Practitioner");
    assert_eq!(practitioner["identifier"][0]["value"], "dora");
    assert_eq!(practitioner["name"][0]["text"], "Dr A. Example");
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("Electronically signed by Dr A. Example at 2026-12-01 ")),
        "{notes:?}"
    );
}
