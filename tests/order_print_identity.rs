//! The print identity on the order sheet: the date the order is valid for, the COPY mark on
//! every page of a reprint (header banner and footer, text and PDF), and "Supersedes order".

#[path = "order_common.rs"]
mod common;

use common::*;
use ketaplan::domain::order_identity::{OrderLedger, PrintIdentity, order_number};
use ketaplan::order::text::render;
use ketaplan::order::{OrderOptions, Paper, pdf};

fn with_identity(copy: bool, supersedes: Option<&str>) -> OrderOptions {
    let mut o = options(Paper::A4, Some(ICU_JUSTIFICATION));
    o.identity = Some(PrintIdentity {
        order_number: "KP-20261120-0A1B2C3D".to_string(),
        copy,
        supersedes: supersedes.map(str::to_string),
    });
    o
}

fn pdf_pages(opts: &OrderOptions) -> Vec<String> {
    let (_, s) = sheet(&icu_multi_page(), opts);
    let bytes = match pdf::render(&s) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    let d = match lopdf::Document::load_mem(&bytes) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    d.get_pages()
        .keys()
        .map(|n| normalise(&d.extract_text(&[*n]).unwrap_or_default()))
        .collect()
}

#[test]
fn the_valid_for_date_is_on_every_page_and_in_the_order_section() {
    let opts = options(Paper::A4, Some(ICU_JUSTIFICATION));
    let (_, s) = sheet(&icu_multi_page(), &opts);
    assert_eq!(s.frame.valid_for, "Valid for 2026-11-20 only");
    let text = render(&s);
    let number = derived_number(&icu_multi_page());
    assert!(text.contains(&format!(
        "Order number: {number} | Valid for 2026-11-20 only"
    )));
    assert!(text.contains("Valid for: 2026-11-20 only (the order date)"));
    let pages = pdf_pages(&opts);
    assert!(pages.len() >= 4);
    for (i, p) in pages.iter().enumerate() {
        assert!(p.contains("Valid for 2026-11-20 only"), "page {}", i + 1);
    }
}

#[test]
fn a_reprint_says_copy_on_every_page_in_text_and_pdf() {
    let opts = with_identity(true, None);
    let (_, s) = sheet(&icu_multi_page(), &opts);
    assert_eq!(s.frame.order_number, "KP-20261120-0A1B2C3D");
    let text = render(&s);
    let lines: Vec<&str> = text.lines().collect();
    // Header banner (the first line after the rule) and footer (the last lines).
    assert!(lines[1].starts_with("*** COPY: a reprint of order KP-20261120-0A1B2C3D."));
    assert!(
        lines
            .iter()
            .rev()
            .take(3)
            .any(|l| l.starts_with("*** COPY"))
    );
    assert!(text.contains("COPY. Not valid without signature"));
    let pages = pdf_pages(&opts);
    assert!(pages.len() >= 4);
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains("COPY COPY: a reprint of order KP-20261120-0A1B2C3D"),
            "page {}: {p}",
            i + 1
        );
        assert!(
            p.contains("COPY. Not valid without signature"),
            "page {} footer",
            i + 1
        );
        assert!(
            p.contains("Order number: KP-20261120-0A1B2C3D"),
            "page {}",
            i + 1
        );
    }
}

#[test]
fn an_original_print_never_says_copy() {
    for opts in [
        options(Paper::A4, Some(ICU_JUSTIFICATION)),
        with_identity(false, None),
    ] {
        let (_, s) = sheet(&icu_multi_page(), &opts);
        assert!(s.frame.copy.is_none());
        assert!(!render(&s).contains("COPY"));
        for p in pdf_pages(&opts) {
            assert!(!p.contains("COPY"), "{p}");
        }
    }
}

#[test]
fn a_superseding_order_names_the_order_it_replaces() {
    let opts = with_identity(false, Some("KP-20261120-99887766"));
    let (_, s) = sheet(&icu_multi_page(), &opts);
    let text = normalise(&render(&s));
    assert!(
        text.contains("| Supersedes order KP-20261120-99887766"),
        "{text}"
    );
    assert!(text.contains(
        "Supersedes order KP-20261120-99887766: that order is no longer valid; remove it from the chart."
    ));
    for (i, p) in pdf_pages(&opts).iter().enumerate() {
        assert!(
            p.contains("Supersedes order KP-20261120-99887766"),
            "page {}",
            i + 1
        );
    }
    let (_, plain) = sheet(
        &icu_multi_page(),
        &options(Paper::A4, Some(ICU_JUSTIFICATION)),
    );
    assert!(!render(&plain).contains("Supersedes"));
}

#[test]
fn the_ledger_labels_a_reprint_and_a_changed_order() {
    // The identity the app's ledger gives: the same content is a COPY, a change supersedes.
    let p = protocol();
    let doc = standard();
    let mut doc_no_number = doc.clone();
    doc_no_number["order"]["order_number"] = serde_json::Value::Null;
    let case = to_case(&p, &doc_no_number);
    let day = order_date();
    let number = order_number(&p, &case, day);
    let mut ledger = OrderLedger::default();
    let first = ledger.record(&number, "000123", day, printed_at());
    let again = ledger.record(&number, "000123", day, printed_at());
    let mut opts = options(Paper::A4, None);
    opts.identity = Some(first);
    let (_, s) = sheet(&doc_no_number, &opts);
    assert_eq!(s.frame.order_number, number);
    assert!(s.frame.copy.is_none());
    opts.identity = Some(again);
    let (_, s) = sheet(&doc_no_number, &opts);
    assert!(render(&s).contains(&format!("*** COPY: a reprint of order {number}.")));
}

#[test]
fn cli_copy_and_supersedes() {
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", &standard());
    let out = dir.path().join("order.txt");
    let out_s = out.to_string_lossy().into_owned();
    let base = [
        "order",
        case.as_str(),
        "--out",
        out_s.as_str(),
        "--on",
        ORDER_DATE,
        "--text",
    ];
    let run = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let (code, _, stderr) = cli(&args);
        (
            code,
            stderr,
            std::fs::read_to_string(&out).unwrap_or_default(),
        )
    };
    let (code, stderr, text) = run(&[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!text.contains("COPY") && !text.contains("Supersedes"));
    assert!(text.contains("Valid for 2026-11-20 only"));
    let (code, stderr, text) = run(&["--copy"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        text.contains(&format!(
            "*** COPY: a reprint of order {}.",
            derived_number(&standard())
        )),
        "{text}"
    );
    let (code, stderr, text) = run(&["--supersedes", "K-2026-0041"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("Supersedes order K-2026-0041"));
    assert!(!text.contains("COPY"));
    // An order cannot supersede itself; an empty number is an error; both exit 2.
    let _ = std::fs::remove_file(&out);
    let own = derived_number(&standard());
    let (code, stderr, _) = run(&["--supersedes", own.as_str()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot supersede itself"), "{stderr}");
    assert!(!out.exists());
    let (code, _, _) = run(&["--supersedes", " "]);
    assert_eq!(code, 2);
    // Only `order` takes them.
    let (code, _, stderr) = cli(&["plan", case.as_str(), "--copy"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--copy is an option of ketaplan order only"));
}
