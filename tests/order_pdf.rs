//! The PDF read back with lopdf: text (through the subset font's ToUnicode map), page
//! sizes, page headers and footers, determinism, and that nothing is placed off the page.

#[path = "order_common.rs"]
mod common;

use common::*;
use ketaplan::order::format as f;
use ketaplan::order::{Paper, pdf};
use lopdf::Document;

fn render(
    doc: &serde_json::Value,
    paper: Paper,
    extra: Option<&str>,
) -> (ketaplan::domain::Plan, Vec<u8>) {
    let (plan, s) = sheet(doc, &options(paper, extra));
    match pdf::render(&s) {
        Ok(bytes) => (plan, bytes),
        Err(e) => panic!("render failed: {e}"),
    }
}

fn load(bytes: &[u8]) -> Document {
    match Document::load_mem(bytes) {
        Ok(d) => d,
        Err(e) => panic!("lopdf cannot read the PDF: {e}"),
    }
}

/// Text of each page, in page order.
fn pages_text(d: &Document) -> Vec<String> {
    d.get_pages()
        .keys()
        .map(|n| match d.extract_text(&[*n]) {
            Ok(t) => t,
            Err(e) => panic!("page {n}: {e}"),
        })
        .collect()
}

#[test]
fn the_reader_reads_a_subset_font_page() {
    // Prove the reader first: one page with the embedded, subset DejaVu font, including
    // characters outside ASCII.
    let mut doc = standard();
    doc["order"]["patient_name"] = serde_json::json!("Zoë Ångström-Núñez");
    let (_, bytes) = render(&doc, Paper::A4, None);
    let d = load(&bytes);
    let text = pages_text(&d).join("\n");
    assert!(text.contains("Zoë Ångström-Núñez"), "{text}");
    assert!(text.contains("HIGH-ALERT medication"));
    // The font is embedded as a subset (tagged XXXXXX+Name).
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("KPREGU+") && raw.contains("KPBOLD+"));
}

#[test]
fn contains_the_patient_rates_hash_and_every_finding() {
    for doc in [standard(), monitored()] {
        let (plan, bytes) = render(&doc, Paper::A4, None);
        let d = load(&bytes);
        let pages = pages_text(&d);
        let all = normalise(&pages.join("\n"));
        for needle in [
            "Jane Example".to_string(),
            "000123".to_string(),
            f::mg_per_h(plan.infusion_mg_per_h),
            f::ml_per_h(plan.pump_ml_per_h),
            f::ml_per_h(plan.max_pump_ml_per_h),
            f::mg_per_h(plan.pump_delivered_mg_per_h),
            plan.protocol.sha256.to_string(),
            plan.protocol.sha256[..12].to_string(),
        ] {
            assert!(all.contains(&needle), "missing {needle}");
        }
        for x in &plan.findings {
            assert!(
                all.contains(&normalise(&x.message)),
                "finding {} missing",
                x.code
            );
        }
        for a in &plan.limit_alerts {
            assert!(
                all.contains(&normalise(&a.message)),
                "alert {} missing",
                a.code
            );
        }
        assert!(!all.contains("µg") && !all.contains("μg"));
        assert!(!all.contains(".0 mg"), "trailing zero");
    }
}

#[test]
fn every_page_has_the_header_and_footer() {
    let (_, bytes) = render(&icu_multi_page(), Paper::A4, Some(ICU_JUSTIFICATION));
    let d = load(&bytes);
    let pages = pages_text(&d);
    let n = pages.len();
    assert!(n >= 4, "expected several pages, got {n}");
    for (i, t) in pages.iter().enumerate() {
        let t = normalise(t);
        for needle in [
            format!("Page {} of {n}", i + 1),
            "Patient: Jane Example".to_string(),
            "MRN: 000123".to_string(),
            "Date of birth: 1997-01-15".to_string(),
            format!("Order number: {}", derived_number(&icu_multi_page())),
            "Clinic: Pain Clinic".to_string(),
            "Printed: 2026-11-20 08:30".to_string(),
            format!(
                "{} version {}, sha256 {}",
                protocol().pack.id,
                protocol().pack.version,
                protocol().short_sha256()
            ),
            "Not valid without signature".to_string(),
            "HIGH-ALERT medication".to_string(),
        ] {
            assert!(t.contains(&needle), "page {}: missing {needle}", i + 1);
        }
    }
    assert_eq!(
        pdf::page_count(
            &sheet(
                &icu_multi_page(),
                &options(Paper::A4, Some(ICU_JUSTIFICATION))
            )
            .1
        )
        .ok(),
        Some(n)
    );
}

/// Media box of each page, in points.
fn media_boxes(d: &Document) -> Vec<(f32, f32)> {
    d.get_pages()
        .values()
        .map(|id| {
            let page = d.get_dictionary(*id).ok();
            let b = page
                .and_then(|p| p.get(b"MediaBox").ok())
                .and_then(|o| o.as_array().ok())
                .cloned()
                .unwrap_or_default();
            let num = |i: usize| b.get(i).and_then(|o| o.as_float().ok()).unwrap_or(-1.0);
            (num(2) - num(0), num(3) - num(1))
        })
        .collect()
}

#[test]
fn a4_and_us_letter() {
    let (_, a4) = render(&standard(), Paper::A4, None);
    let (_, letter) = render(&standard(), Paper::Letter, None);
    for (w, h) in media_boxes(&load(&a4)) {
        assert!(
            (w - 595.28).abs() < 0.5 && (h - 841.89).abs() < 0.5,
            "{w}x{h}"
        );
    }
    for (w, h) in media_boxes(&load(&letter)) {
        assert!(
            (w - 612.0).abs() < 0.5 && (h - 792.0).abs() < 0.5,
            "{w}x{h}"
        );
    }
}

#[test]
fn output_is_deterministic_when_the_print_time_is_injected() {
    let (_, a) = render(&monitored(), Paper::A4, None);
    let (_, b) = render(&monitored(), Paper::A4, None);
    assert!(a == b, "two renders differ");
    let d = load(&a);
    let info = d
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|id| d.get_dictionary(id));
    let created = info
        .and_then(|i| i.get(b"CreationDate"))
        .and_then(|o| o.as_str())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .unwrap_or_default();
    assert!(
        created.contains("20261120083000"),
        "creation date {created}"
    );
}

/// Every text position of every page lies inside the page, with the margins kept.
fn assert_on_page(bytes: &[u8]) {
    let d = load(bytes);
    let sizes = media_boxes(&d);
    for ((n, id), (w, h)) in d.get_pages().into_iter().zip(sizes) {
        let content = match d.get_and_decode_page_content(id) {
            Ok(c) => c,
            Err(e) => panic!("page {n}: {e}"),
        };
        let mut texts = 0;
        for op in content.operations {
            if op.operator == "Td" || op.operator == "Tm" {
                let nums: Vec<f32> = op
                    .operands
                    .iter()
                    .filter_map(|o| o.as_float().ok())
                    .collect();
                let (x, y) = match nums.as_slice() {
                    [x, y] | [_, _, _, _, x, y] => (*x, *y),
                    _ => continue,
                };
                texts += 1;
                assert!(x >= 20.0 && x <= w - 20.0, "page {n}: text at x={x}");
                assert!(y >= 20.0 && y <= h - 20.0, "page {n}: text at y={y}");
            }
        }
        assert!(texts > 0, "page {n} has no text");
    }
}

#[test]
fn long_content_flows_onto_more_pages_and_never_off_the_page() {
    let mut doc = monitored();
    // Two reasons near the pack's justification_max_chars (1,000).
    let long =
        "This reason was discussed at length with the patient, the family and the pain team. "
            .repeat(11);
    doc["justifications"]["hyperthyroidism"] = serde_json::json!(long);
    doc["justifications"]["bolus_above_guideline"] = serde_json::json!(long);
    doc["order"]["patient_name"] =
        serde_json::json!("Maximiliana Theodora Wilhelmina Fitzgerald-Oyelaran-Vandenberghe");
    doc["order"]["allergies"] = serde_json::json!(
        "penicillin (rash), sulfonamides (hives), latex (contact dermatitis), iodinated contrast (urticaria), codeine (vomiting)"
    );
    let (_, short) = render(&monitored(), Paper::A4, None);
    for paper in [Paper::A4, Paper::Letter] {
        let (_, bytes) = render(&doc, paper, None);
        assert!(load(&bytes).get_pages().len() > load(&short).get_pages().len());
        assert_on_page(&bytes);
        let all = normalise(&pages_text(&load(&bytes)).join("\n"));
        assert!(all.contains("Maximiliana Theodora"));
        assert!(all.contains("codeine (vomiting)"));
    }
    let (_, bytes) = render(&icu_multi_page(), Paper::Letter, Some(ICU_JUSTIFICATION));
    assert_on_page(&bytes);
    // The 24-row titration table repeats its header row on the next page when it breaks.
    let pages = pages_text(&load(&bytes));
    let with_header = pages.iter().filter(|t| t.contains("Started at")).count();
    assert!(with_header >= 1);
}

#[test]
fn header_identifiers_too_long_for_a_page_are_refused_not_clipped() {
    let mut doc = standard();
    doc["order"]["clinic"] = serde_json::json!("Pain Clinic ".repeat(400));
    // With the built-in pack such a clinic name is an input error (identifier_max_chars)…
    let built_in = protocol();
    let errors = ketaplan::domain::case::case_from_value(&built_in, &doc).err();
    assert!(
        errors.is_some_and(|e| e.iter().any(|e| e.field == "order.clinic")),
        "a 4,800-character clinic name must be rejected"
    );
    // …and should a pack allow it, the PDF still refuses rather than clips it.
    let text = ketaplan::domain::protocol::BUILT_IN_PACK.replacen(
        "identifier_max_chars: (value: 120,",
        "identifier_max_chars: (value: 100000,",
        1,
    );
    let lenient = match ketaplan::domain::Protocol::from_ron_str(&text) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let case = match ketaplan::domain::case::case_from_value(&lenient, &doc) {
        Ok(c) => c,
        Err(e) => panic!("{e:?}"),
    };
    let plan = ketaplan::domain::plan(&lenient, &case);
    let s =
        match ketaplan::order::OrderSheet::build(&lenient, &case, &plan, &options(Paper::A4, None))
        {
            Ok(s) => s,
            Err(r) => panic!("{r:?}"),
        };
    assert!(pdf::render(&s).is_err());
}
