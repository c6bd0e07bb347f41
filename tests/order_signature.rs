//! Electronic signatures on the printed order (step 12), read back from the PDF: the
//! prescriber's, the pharmacist's and the double check print where the ink lines were, with
//! the signed content's order number and sha256; the footer of every page says the order is
//! electronically signed. Unsigned lines stay for ink.

#[path = "order_common.rs"]
mod common;

use common::*;
use ketaplan::domain::order_identity::{order_content_sha256, order_number};
use ketaplan::domain::roles::Role;
use ketaplan::domain::signature::{OrderSignature, SignatureKind};
use ketaplan::order::{OrderOptions, Paper, pdf, text};

fn signature(kind: SignatureKind, name: &str, role: Role, minute: u32) -> OrderSignature {
    let doc = standard();
    let case = to_case(&protocol(), &doc);
    OrderSignature {
        kind,
        order_number: order_number(&protocol(), &case, order_date()),
        content_sha256: order_content_sha256(&protocol(), &case, order_date()),
        login: name.to_lowercase().replace(' ', "."),
        full_name: name.to_string(),
        role,
        signed_at: order_date().and_hms_opt(8, minute, 0).unwrap_or_default(),
    }
}

fn signed(kinds: &[SignatureKind]) -> OrderOptions {
    let mut o = options(Paper::A4, None);
    for kind in kinds {
        o.signatures.push(match kind {
            SignatureKind::Order => signature(*kind, "Dr A. Example", Role::Physician, 5),
            SignatureKind::PharmacyCheck => {
                signature(*kind, "Phil Pharmacist", Role::Pharmacist, 20)
            }
            SignatureKind::DoubleCheck => signature(*kind, "Nina Nurse", Role::Nurse, 45),
        });
    }
    o
}

fn pdf_pages(opts: &OrderOptions) -> Vec<String> {
    let (_, s) = sheet(&standard(), opts);
    let bytes = pdf::render(&s).unwrap_or_else(|e| panic!("{e}"));
    let d = lopdf::Document::load_mem(&bytes).unwrap_or_else(|e| panic!("{e}"));
    d.get_pages()
        .keys()
        .map(|n| normalise(&d.extract_text(&[*n]).unwrap_or_default()))
        .collect()
}

#[test]
fn the_signed_order_prints_who_signed_when_and_what_on_the_pdf() {
    let opts = signed(&SignatureKind::ALL);
    let pages = pdf_pages(&opts);
    let all = pages.join("\n");
    for line in [
        "Ordering physician: Dr A. Example",
        "Electronically signed by Dr A. Example (physician) at 2026-11-20 08:05",
        "Pharmacist verification: Phil Pharmacist",
        "Electronically signed by Phil Pharmacist (pharmacist) at 2026-11-20 08:20",
        "Electronically signed by Nina Nurse (nurse) at 2026-11-20 08:45",
    ] {
        assert!(all.contains(line), "{line}:\n{all}");
    }
    let s = &opts.signatures[0];
    assert_eq!(s.content_sha256.len(), 64);
    assert!(
        s.content_sha256
            .starts_with(&s.order_number[12..].to_lowercase())
    );
    assert!(
        all.contains(&format!(
            "Signed content: order {}, sha256 {}",
            s.order_number, s.content_sha256
        )),
        "{all}"
    );
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains("Electronically signed by Dr A. Example at 2026-11-20 08:05"),
            "footer of page {}",
            i + 1
        );
        assert!(
            !page.contains("Not valid without signature"),
            "page {}",
            i + 1
        );
    }
}

#[test]
fn unsigned_lines_stay_for_ink() {
    let opts = signed(&[SignatureKind::Order]);
    let (_, s) = sheet(&standard(), &opts);
    let printed = text::render(&s);
    assert!(printed.contains("Electronically signed by Dr A. Example (physician)"));
    // The pharmacist and the double check sign in ink.
    let ink_lines = printed.matches("Signature ______").count();
    assert_eq!(ink_lines, 3, "pharmacist, double check, nurse:\n{printed}");
    let unsigned = options(Paper::A4, None);
    let (_, s) = sheet(&standard(), &unsigned);
    let printed = text::render(&s);
    assert_eq!(printed.matches("Signature ______").count(), 4);
    assert!(printed.contains("Not valid without signature"));
    assert!(!printed.contains("Electronically signed"));
}
