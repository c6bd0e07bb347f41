//! The discharge handout: plain language from the pack, the patient's name, the date, the
//! clinic and whom to call; no sources and no medical abbreviations; one PDF page at 12 pt
//! or more; written next to the order by `ketaplan order --handout`.

#[path = "order_common.rs"]
mod common;

use common::*;
use ketaplan::domain::plan;
use ketaplan::order::format::forbidden_abbreviations;
use ketaplan::order::handout::{self, Handout};
use ketaplan::order::{Paper, pdf};

fn handout_for(doc: &serde_json::Value) -> Handout {
    let p = protocol();
    let case = to_case(&p, doc);
    let pl = plan(&p, &case);
    Handout::build(&p, &case, &pl, order_date())
}

fn one_page(bytes: &[u8]) -> String {
    let d = match lopdf::Document::load_mem(bytes) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let pages: Vec<u32> = d.get_pages().keys().copied().collect();
    assert_eq!(pages.len(), 1, "the handout is one page");
    normalise(&d.extract_text(&pages).unwrap_or_default())
}

#[test]
fn the_handout_says_escort_driving_bladder_and_whom_to_call() {
    let h = handout_for(&standard());
    let text = normalise(&handout::render(&h));
    for needle in [
        "AFTER YOUR KETAMINE INFUSION",
        "For: Jane Example",
        "Date of your infusion: 2026-11-20",
        "Your clinic: Pain Clinic",
        "Clinic telephone, day and night:",
        // Escort.
        "An adult must take you home.",
        // No driving until the next day.
        "Do not drive, cycle, use machinery or make important decisions until the next day",
        // Signs of cystitis.
        "passing urine becomes painful, you see blood in your urine",
        // Whom to call.
        "CALL US IF…",
        "Whom to call:",
        "Call the clinic at once for hallucinations or confusion.",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }
    // Every instruction from the pack, in its own words.
    let p = protocol();
    let pl = plan(&p, &to_case(&p, &standard()));
    for line in pl.patient_instructions.iter() {
        assert!(
            text.contains(&normalise(&line.text)),
            "missing {}",
            line.label
        );
    }
}

#[test]
fn no_sources_and_no_medical_abbreviations_on_the_handout() {
    let p = protocol();
    for doc in [standard(), monitored()] {
        let h = handout_for(&doc);
        let pl = plan(&p, &to_case(&p, &doc));
        let all = h.all_text().join("\n");
        for line in pl.patient_instructions.iter() {
            assert!(
                !all.contains(line.source.as_str()),
                "source {:?} on the handout",
                line.source
            );
        }
        for banned in [
            "Source",
            "source:",
            "Table 4",
            "L324",
            "institution default",
        ] {
            assert!(!all.contains(banned), "{banned:?} on the handout");
        }
        for s in h.all_text() {
            assert!(forbidden_abbreviations(s).is_empty(), "{s}");
            for abbr in [" IV", "IV ", " mg", " mL", " h ", "PRN", "NPO", "SpO2"] {
                assert!(!s.contains(abbr), "{abbr:?} in {s}");
            }
        }
    }
}

#[test]
fn the_pdf_handout_is_one_page_at_12_pt_or_more_on_both_papers() {
    let h = handout_for(&standard());
    for paper in [Paper::A4, Paper::Letter] {
        let size = match pdf::handout_font_size(&h, paper) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert!(size >= 12.0, "{size}");
        let bytes = match pdf::render_handout(&h, paper) {
            Ok(b) => b,
            Err(e) => panic!("{e}"),
        };
        let text = one_page(&bytes);
        assert!(text.contains("Jane Example"));
        assert!(text.contains("An adult must take you home."));
        assert!(text.contains("Your clinic: Pain Clinic"));
        // Deterministic.
        assert_eq!(pdf::render_handout(&h, paper).ok(), Some(bytes));
    }
}

#[test]
fn long_instructions_shrink_the_type_not_flow_and_too_long_is_refused() {
    let mut h = handout_for(&standard());
    let normal = pdf::handout_font_size(&h, Paper::A4).unwrap_or_default();
    // More text, one instruction at a time, until the type steps down: still one page.
    let extra = h.sections[0].items[0].clone();
    let mut smaller = normal;
    while smaller == normal && h.sections[0].items.len() < 40 {
        h.sections[0].items.push(extra.clone());
        smaller = match pdf::handout_font_size(&h, Paper::A4) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
    }
    assert!(smaller < normal && smaller >= 12.0, "{normal} -> {smaller}");
    let bytes = pdf::render_handout(&h, Paper::A4).unwrap_or_default();
    one_page(&bytes);
    // Far too much: refused rather than printed below 12 pt or on two pages.
    for _ in 0..40 {
        h.sections[0].items.push(extra.clone());
    }
    assert!(pdf::render_handout(&h, Paper::A4).is_err());
}

#[test]
fn without_a_clinic_there_is_a_blank_to_fill_in() {
    let mut doc = standard();
    doc["order"]["clinic"] = serde_json::Value::Null;
    let h = handout_for(&doc);
    assert!(h.clinic.starts_with("Your clinic: ____"), "{}", h.clinic);
}

#[test]
fn the_clinic_telephone_is_printed_when_given_and_a_blank_when_not() {
    let mut doc = standard();
    doc["order"]["clinic_phone"] = serde_json::json!("555 0100");
    let h = handout_for(&doc);
    let text = normalise(&handout::render(&h));
    assert!(
        text.contains("Clinic telephone, day and night: 555 0100"),
        "{text}"
    );
    assert!(!h.telephone.contains("____"), "{}", h.telephone);
    let pdf_text = one_page(&pdf::render_handout(&h, Paper::A4).unwrap_or_else(|e| panic!("{e}")));
    assert!(pdf_text.contains("555 0100"), "{pdf_text}");

    // Without it (absent, or only spaces) the line stays, with a blank to write it in.
    for phone in [serde_json::Value::Null, serde_json::json!("   ")] {
        let mut doc = standard();
        doc["order"]["clinic_phone"] = phone;
        let h = handout_for(&doc);
        let text = normalise(&handout::render(&h));
        assert!(
            text.contains("Clinic telephone, day and night: ____"),
            "{text}"
        );
    }
}

#[test]
fn cli_writes_the_order_and_the_handout_together() {
    let dir = tempdir();
    let case = write_case(dir.path(), "case.json", &standard());
    let out = dir.path().join("order.pdf");
    let hand = dir.path().join("handout.pdf");
    let (o, hs) = (
        out.to_string_lossy().into_owned(),
        hand.to_string_lossy().into_owned(),
    );
    let (code, _, stderr) = cli(&[
        "order",
        &case,
        "--out",
        &o,
        "--on",
        ORDER_DATE,
        "--handout",
        &hs,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let text = one_page(&std::fs::read(&hand).unwrap_or_default());
    assert!(text.contains("For: Jane Example"));
    assert!(std::fs::read(&out).unwrap_or_default().starts_with(b"%PDF"));

    // --text writes both as text.
    let (ot, ht) = (dir.path().join("order.txt"), dir.path().join("handout.txt"));
    let (code, _, stderr) = cli(&[
        "order",
        &case,
        "--out",
        &ot.to_string_lossy(),
        "--on",
        ORDER_DATE,
        "--text",
        "--handout",
        &ht.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let handout_text = std::fs::read_to_string(&ht).unwrap_or_default();
    assert!(handout_text.starts_with("====="));
    assert!(handout_text.contains("An adult must take you home."));

    // A refused order writes neither file.
    let mut bad = standard();
    bad["order"]["mrn"] = serde_json::Value::Null;
    let bad_case = write_case(dir.path(), "bad.json", &bad);
    let (o2, h2) = (dir.path().join("o2.pdf"), dir.path().join("h2.pdf"));
    let (code, _, _) = cli(&[
        "order",
        &bad_case,
        "--out",
        &o2.to_string_lossy(),
        "--on",
        ORDER_DATE,
        "--handout",
        &h2.to_string_lossy(),
    ]);
    assert_eq!(code, 3);
    assert!(!o2.exists() && !h2.exists());

    // A handout that cannot be written takes the order back: neither is left.
    let (o3, h3) = (
        dir.path().join("o3.pdf"),
        dir.path().join("no-such-dir/h3.pdf"),
    );
    let (code, _, stderr) = cli(&[
        "order",
        &case,
        "--out",
        &o3.to_string_lossy(),
        "--on",
        ORDER_DATE,
        "--handout",
        &h3.to_string_lossy(),
    ]);
    assert_eq!(code, 4, "{stderr}");
    assert!(!o3.exists() && !h3.exists());

    // The same file for both is refused.
    let (code, _, _) = cli(&[
        "order",
        &case,
        "--out",
        &o,
        "--on",
        ORDER_DATE,
        "--handout",
        &o,
    ]);
    assert_eq!(code, 2);
}

#[test]
fn the_emergency_number_comes_first_before_anything_about_the_clinic() {
    // Issue 20 item 9: chest pain, trouble breathing, fainting or a seizure go to the
    // emergency number (the pack's), first; the clinic comes after.
    let p = protocol();
    let h = handout_for(&standard());
    let number = &p.pack.sheet.emergency.number;
    assert_eq!(
        h.emergency,
        format!(
            "Chest pain, trouble breathing, fainting or a seizure: call the emergency number ({number}) now."
        )
    );
    let text = normalise(&handout::render(&h));
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("no {needle}: {text}"))
    };
    assert!(at("call the emergency number") < at("Your clinic"));
    assert!(at("call the emergency number") < at("Clinic telephone"));
    // No instruction sends chest pain or trouble breathing to the clinic first.
    for s in &h.sections {
        for i in &s.items {
            let t = i.text.to_lowercase();
            if t.contains("chest pain") || t.contains("trouble breathing") {
                panic!(
                    "chest pain or trouble breathing belongs in the emergency line: {}",
                    i.text
                );
            }
        }
    }
    let pdf = one_page(&pdf::render_handout(&h, Paper::A4).unwrap_or_else(|e| panic!("{e}")));
    let at = |needle: &str| {
        pdf.find(needle)
            .unwrap_or_else(|| panic!("no {needle}: {pdf}"))
    };
    assert!(at("call the emergency number") < at("Your clinic"));
}

#[test]
fn the_handout_says_what_was_given_today() {
    let p = protocol();
    let doc = standard();
    let case = to_case(&p, &doc);
    let pl = plan(&p, &case);
    let h = handout_for(&doc);
    assert!(
        h.given.starts_with("Today: ketamine by drip into a vein"),
        "{}",
        h.given
    );
    let mg = ketaplan::order::format::mg(pl.max_total_mg).replace(" mg", " milligrams");
    assert!(
        h.given.contains(&format!("up to {mg} over 4 hours")),
        "{}",
        h.given
    );
    assert!(h.given.contains("ended at ____:____"));
    assert!(forbidden_abbreviations(&h.given).is_empty());
}

#[test]
fn a_handout_without_the_clinic_telephone_is_refused_and_nothing_is_written() {
    let dir = tempdir();
    let mut doc = standard();
    doc["order"]["clinic_phone"] = serde_json::Value::Null;
    let case = write_case(dir.path(), "case.json", &doc);
    let out = dir.path().join("order.pdf");
    let hand = dir.path().join("handout.pdf");
    let (code, stdout, stderr) = cli(&[
        "order",
        &case,
        "--out",
        &out.to_string_lossy(),
        "--on",
        ORDER_DATE,
        "--handout",
        &hand.to_string_lossy(),
    ]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("24-hour telephone"), "{stderr}");
    assert!(!out.exists() && !hand.exists());
    // The order sheet alone still prints, with the telephone beside the clinic when given.
    let (code, _, stderr) = cli(&[
        "order",
        &case,
        "--out",
        &out.to_string_lossy(),
        "--on",
        ORDER_DATE,
    ]);
    assert_eq!(code, 0, "{stderr}");
}
