//! Trusted keys in Preferences (egui_kittest, no GPU): once a clinic's public key is
//! trusted, a clinic pack is used only if its signature verifies, and a verified pack is
//! shown as "approved: KEY COMMENT" in the title, the toolbar, the footer and the Protocol
//! view; an unsigned or changed pack is refused with its name and the reason.

mod common;

use common::*;
use egui_kittest::Harness;
use ketaplan::domain::protocol::BUILT_IN_PACK;
use ketaplan::ui::KetaplanApp;
use std::path::{Path, PathBuf};

const COMMENT: &str = "St Elsewhere P&T committee";

/// The command line in-process; the passphrase (empty: no scrypt, a fast test) on stdin.
fn cli(args: &[&str]) {
    let env = ketaplan::cli::Environment {
        stdin_lines: Some(vec![String::new()]),
        ..Default::default()
    };
    let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = ketaplan::cli::run_with(&args, &env, &mut out, &mut err);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
}

fn s(path: &Path) -> String {
    path.display().to_string()
}

/// The built-in pack as a clinic's own, version `version`.
fn write_pack(dir: &Path, name: &str, version: &str) -> PathBuf {
    let path = dir.join(name);
    let text = BUILT_IN_PACK.replacen("version: \"1.1.0\"", &format!("version: \"{version}\""), 1);
    assert_ne!(text, BUILT_IN_PACK);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn load_pack(h: &mut Harness<'_, KetaplanApp>, pack: &Path) {
    click(h, "Use a clinic pack…");
    type_into(h, "Path of the protocol pack (.ron)", &s(pack));
    click(h, "Load this pack");
}

#[test]
fn a_trusted_key_admits_only_packs_it_signed_and_shows_who_approved_them() {
    let dir = temp_dir();
    let key = dir.path().join("pt.key");
    let public = dir.path().join("pt.key.pub");
    cli(&[
        "protocol",
        "keygen",
        "--out",
        &s(&key),
        "--comment",
        COMMENT,
    ]);
    let signed = write_pack(dir.path(), "clinic.ron", "clinic-2");
    cli(&["protocol", "sign", &s(&signed), "--key", &s(&key)]);
    let unsigned = write_pack(dir.path(), "unsigned.ron", "clinic-3");

    let mut h = harness(new_app());
    click(&mut h, "Preferences");
    assert!(has_label_containing(&h, "No trusted key"));
    type_into(&mut h, "Trusted public key", "no-such-file.pub");
    click(&mut h, "Trust this key");
    assert!(
        has_label_containing(&h, "The key was not added: cannot read no-such-file.pub"),
        "the error names the file"
    );
    type_into(&mut h, "Trusted public key", &s(&public));
    click(&mut h, "Trust this key");
    assert!(has_label_containing(&h, &format!("Trusted: {COMMENT}")));
    assert_eq!(h.state().preferences().trusted_keys.len(), 1);
    type_into(&mut h, "Trusted public key", &s(&public));
    click(&mut h, "Trust this key");
    assert!(has_label_containing(&h, "is already trusted"));
    assert_eq!(h.state().preferences().trusted_keys.len(), 1);

    // An unsigned pack is refused, naming it and why; the built-in pack stays in use.
    load_pack(&mut h, &unsigned);
    click(&mut h, "Cancel");
    assert!(has_label_containing(&h, "unsigned.ron is not approved"));
    assert!(has_label_containing(&h, "unsigned.ron.minisig"));
    assert!(h.state().protocol().is_some_and(|p| p.built_in));

    load_pack(&mut h, &signed);
    let approved = h.state().protocol().cloned();
    assert_eq!(
        approved.as_ref().and_then(|p| p.approved_by()),
        Some(COMMENT)
    );
    let mark = format!("approved: {COMMENT}");
    assert!(h.state().window_title().contains(&mark), "title");
    assert!(has_label_containing(&h, &mark), "toolbar and Preferences");
    assert!(!has_label_containing(&h, "LOCAL PROTOCOL"));
    click(&mut h, "View the protocol");
    assert!(has_label_containing(&h, "its signature verified"));
    click(&mut h, "Back to the case");
    assert!(has_label_containing(&h, &format!("— {mark}")), "footer");

    // After a restart the key and the approved pack come back.
    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let again = KetaplanApp::from_storage(Some(&storage), None);
    assert_eq!(
        again.protocol().and_then(|p| p.approved_by()),
        Some(COMMENT)
    );

    // A pack changed after signing is not used at the next start.
    let text = std::fs::read_to_string(&signed).unwrap_or_default();
    let edited = text.replacen("title: \"IV ketamine", "title: \"Edited IV ketamine", 1);
    std::fs::write(&signed, edited).unwrap_or_else(|e| panic!("{e}"));
    let changed = KetaplanApp::from_storage(Some(&storage), None);
    assert!(changed.protocol().is_some_and(|p| p.built_in));
    let h2 = harness(changed);
    assert!(has_label_containing(&h2, "changed after it was signed"));

    // Without trusted keys the clinic's pack is a local pack again.
    std::fs::write(&signed, text).unwrap_or_else(|e| panic!("{e}"));
    click(&mut h, "Preferences");
    click(&mut h, "Remove");
    assert!(h.state().preferences().trusted_keys.is_empty());
    assert!(h.state().window_title().contains("local protocol"));
    assert!(
        h.state()
            .protocol()
            .is_some_and(|p| p.approval.is_none() && !p.built_in)
    );
}
