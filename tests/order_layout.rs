//! Issue 20 (Step 9b) items 4–5, read back from the PDF: page 1 holds the drug order (orders
//! table, pump box, concentration, duration, totals and the order signatures) before any
//! administrative section; body text at least 10 pt and notes 9 pt; allergies and dosing
//! weight on every page; headings never the last line of a page; no patient name in the
//! PDF's title metadata.

#[path = "order_common.rs"]
mod common;

use common::*;
use ketaplan::order::{Paper, pdf};
use lopdf::{Document, Object};

fn render(doc: &serde_json::Value, paper: Paper, extra: Option<&str>) -> Vec<u8> {
    let (_, s) = sheet(doc, &options(paper, extra));
    pdf::render(&s).unwrap_or_else(|e| panic!("render failed: {e}"))
}

fn load(bytes: &[u8]) -> Document {
    Document::load_mem(bytes).unwrap_or_else(|e| panic!("lopdf: {e}"))
}

fn pages_text(d: &Document) -> Vec<String> {
    d.get_pages()
        .keys()
        .map(|n| d.extract_text(&[*n]).unwrap_or_default())
        .collect()
}

/// Font sizes of every text run on every page (the size operand of each `Tf`).
fn font_sizes(d: &Document) -> Vec<f32> {
    let mut out = Vec::new();
    for id in d.get_pages().values() {
        let content = d
            .get_and_decode_page_content(*id)
            .unwrap_or_else(|e| panic!("{e}"));
        for op in content.operations {
            if op.operator == "Tf"
                && let Some(size) = op.operands.get(1).and_then(|o| o.as_float().ok())
            {
                out.push(size);
            }
        }
    }
    out
}

#[test]
fn page_one_starts_with_the_drug_order_and_its_signatures() {
    for doc in [standard(), monitored()] {
        for paper in [Paper::A4, Paper::Letter] {
            let extra = Some(ICU_JUSTIFICATION);
            let pages = pages_text(&load(&render(&doc, paper, extra)));
            let first = normalise(&pages[0]);
            let at = |needle: &str| {
                first
                    .find(needle)
                    .unwrap_or_else(|| panic!("{paper:?}: no {needle:?} on page 1: {first}"))
            };
            // In this order, all on page 1.
            let order = [
                "1. Ketamine orders",
                "Infusion, starting rate",
                "Drug ketamine hydrochloride",
                "Duration",
                "Total ketamine",
                "Total volume",
                "Select ketamine",
                "2. Order signatures",
                "Ordering physician",
                "Pharmacist verification",
            ];
            for pair in order.windows(2) {
                assert!(at(pair[0]) < at(pair[1]), "{pair:?} on page 1: {first}");
            }
            // The administrative sections come later.
            assert!(!first.contains("Protocol sha256"), "{first}");
            assert!(!first.contains("Indication and evidence"), "{first}");
            let all = normalise(&pages.join("\n"));
            assert!(all.find("Order signatures") < all.find("Protocol sha256"));
        }
    }
}

#[test]
fn body_text_is_at_least_10_pt_and_nothing_below_9_pt() {
    let d = load(&render(&monitored(), Paper::A4, None));
    let sizes = font_sizes(&d);
    assert!(!sizes.is_empty());
    let min = sizes.iter().copied().fold(f32::INFINITY, f32::min);
    assert!(min >= 9.0, "smallest text {min} pt");
    let body = sizes.iter().filter(|s| (**s - 10.0).abs() < 0.01).count();
    let small = sizes.iter().filter(|s| **s < 10.0).count();
    assert!(body > 0, "no 10 pt body text: {sizes:?}");
    // Notes and header lines are 9 pt; most text is the body's.
    assert!(body > small / 2, "body {body}, small {small}");
}

#[test]
fn allergies_and_dosing_weight_are_printed_on_every_page() {
    let mut doc = standard();
    doc["order"]["allergies"] = serde_json::json!("penicillin (rash)");
    let (plan, _) = sheet(&doc, &options(Paper::A4, None));
    let pages = pages_text(&load(&render(&doc, Paper::A4, None)));
    assert!(pages.len() > 2);
    let weight = ketaplan::order::format::kg(plan.dosing_weight_kg);
    for (i, t) in pages.iter().enumerate() {
        let t = normalise(t);
        assert!(
            t.contains("Allergies: penicillin (rash)"),
            "page {}: {t}",
            i + 1
        );
        assert!(
            t.contains(&format!("Dosing weight: {weight} (actual body weight)")),
            "page {}: {t}",
            i + 1
        );
    }
}

#[test]
fn no_heading_is_the_last_line_of_a_page() {
    for (doc, extra) in [
        (standard(), None),
        (monitored(), None),
        (icu_multi_page(), Some(ICU_JUSTIFICATION)),
    ] {
        for paper in [Paper::A4, Paper::Letter] {
            let (_, s) = sheet(&doc, &options(paper, extra));
            let headings: Vec<String> = s
                .sections
                .iter()
                .enumerate()
                .map(|(i, sec)| format!("{}. {}", i + 1, sec.title))
                .collect();
            let pages = pages_text(&load(&pdf::render(&s).unwrap_or_default()));
            for (n, page) in pages.iter().enumerate() {
                // The body's last line comes just before the footer.
                let lines: Vec<&str> = page
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                let footer = lines
                    .iter()
                    .rposition(|l| l.starts_with("Not valid without signature"))
                    .unwrap_or(lines.len());
                let last = lines[..footer].last().copied().unwrap_or("");
                assert!(
                    !headings.iter().any(|h| h == last),
                    "{paper:?} page {}: ends with the heading {last:?}",
                    n + 1
                );
            }
        }
    }
}

#[test]
fn the_pdf_title_metadata_has_no_patient_name() {
    let doc = standard();
    let bytes = render(&doc, Paper::A4, None);
    let d = load(&bytes);
    let info = d
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| o.as_reference().ok())
        .and_then(|r| d.get_dictionary(r).ok())
        .unwrap_or_else(|| panic!("no Info dictionary"));
    let title = match info.get(b"Title") {
        Ok(Object::String(bytes, _)) => match bytes.strip_prefix(&[0xfe, 0xff]) {
            // UTF-16BE with its byte-order mark.
            Some(rest) => String::from_utf16_lossy(
                &rest
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                    .collect::<Vec<_>>(),
            ),
            None => String::from_utf8_lossy(bytes).into_owned(),
        },
        other => panic!("no title: {other:?}"),
    };
    assert!(title.starts_with("Ketamine infusion order"), "{title}");
    assert!(!title.contains("Jane"), "{title}");
    assert!(!title.contains("Example"), "{title}");
}
