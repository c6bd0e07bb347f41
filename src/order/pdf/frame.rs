//! The page frame: the header drawn on every page, the footer and the COPY mark of a
//! reprint, as measured strips.

use super::metrics::{Metrics, Weight};
use super::strip::{Draw, Strip, gap, line_height, text_strip};
use super::{HEADER_PT, SMALL_PT, TITLE_PT};
use crate::order::sheet::OrderSheet;

/// The header drawn on every page; only the page number differs between pages.
pub(super) fn header_strips(
    m: &mut Metrics,
    sheet: &OrderSheet,
    width: f32,
    page: &str,
) -> Vec<Strip> {
    let fr = &sheet.frame;
    let mut strips = Vec::new();
    if let Some(copy) = &fr.copy {
        strips.push(copy_mark(m, copy, width));
        strips.push(gap(2.0));
    }
    // Banner: white bold text on black.
    let banner = m.wrap(&fr.banner, Weight::Bold, HEADER_PT + 0.5, width - 8.0);
    let lh = line_height(HEADER_PT + 0.5);
    let bh = banner.len() as f32 * lh + 5.0;
    let mut draws = vec![Draw::Box {
        x: 0.0,
        y: 0.0,
        w: width,
        h: bh,
        fill: Some(0.0),
        stroke: false,
    }];
    for (i, l) in banner.into_iter().enumerate() {
        draws.push(Draw::Text {
            x: 4.0,
            baseline: 2.5 + i as f32 * lh + HEADER_PT + 0.5,
            text: l,
            weight: Weight::Bold,
            size: HEADER_PT + 0.5,
            white: true,
        });
    }
    strips.push(Strip { height: bh, draws });
    strips.push(gap(3.0));
    // Title on the left, page number on the right.
    let page_w = m.width(page, Weight::Bold, HEADER_PT + 1.0);
    let mut title = text_strip(0.0, fr.title.clone(), Weight::Bold, TITLE_PT);
    title.draws.push(Draw::Text {
        x: width - page_w,
        baseline: TITLE_PT,
        text: page.to_string(),
        weight: Weight::Bold,
        size: HEADER_PT + 1.0,
        white: false,
    });
    strips.push(title);
    let patient = format!(
        "Patient: {}  |  MRN: {}  |  Date of birth: {}",
        fr.patient_name, fr.mrn, fr.date_of_birth
    );
    let mut number = format!("Order number: {}  |  {}", fr.order_number, fr.valid_for);
    if let Some(old) = &fr.supersedes {
        number.push_str(&format!("  |  {old}"));
    }
    let texts = [Some(patient), fr.safety_line(), Some(number)];
    for text in texts.into_iter().flatten() {
        for l in m.wrap(&text, Weight::Bold, HEADER_PT, width) {
            strips.push(text_strip(0.0, l, Weight::Bold, HEADER_PT));
        }
    }
    let mut info = format!(
        "{}  |  Printed: {}  |  Protocol: {}",
        fr.clinic_line(),
        fr.printed_at,
        fr.protocol
    );
    if let Some(provenance) = &fr.protocol_provenance {
        info.push_str(&format!("  |  {provenance}"));
    }
    for l in m.wrap(&info, Weight::Regular, HEADER_PT, width) {
        strips.push(text_strip(0.0, l, Weight::Regular, HEADER_PT));
    }
    strips.push(Strip {
        height: 6.0,
        draws: vec![Draw::Rule {
            x1: 0.0,
            y1: 2.5,
            x2: width,
            y2: 2.5,
            thickness: 1.0,
        }],
    });
    strips
}

pub(super) fn footer_strips(m: &mut Metrics, sheet: &OrderSheet, width: f32) -> Vec<Strip> {
    let fr = &sheet.frame;
    let mut strips = vec![Strip {
        height: 4.0,
        draws: vec![Draw::Rule {
            x1: 0.0,
            y1: 1.0,
            x2: width,
            y2: 1.0,
            thickness: 0.6,
        }],
    }];
    let mut text = format!("{}.  Protocol: {}", fr.footer, fr.protocol);
    if let Some(provenance) = &fr.protocol_provenance {
        text.push_str(&format!("  |  {provenance}"));
    }
    for l in m.wrap(&text, Weight::Bold, SMALL_PT, width) {
        strips.push(text_strip(0.0, l, Weight::Bold, SMALL_PT));
    }
    if let Some(copy) = &fr.copy {
        for l in m.wrap(copy, Weight::Bold, HEADER_PT + 1.0, width) {
            strips.push(text_strip(0.0, l, Weight::Bold, HEADER_PT + 1.0));
        }
    }
    strips
}

/// The COPY mark of a reprint: "COPY" in large type in a heavy frame, with the sentence
/// that says what it is.
fn copy_mark(m: &mut Metrics, text: &str, width: f32) -> Strip {
    let big = 18.0;
    let pad = 3.0;
    let word_w = m.width("COPY", Weight::Bold, big);
    let lines = m.wrap(
        text,
        Weight::Bold,
        HEADER_PT + 0.5,
        width - word_w - 4.0 * pad,
    );
    let lh = line_height(HEADER_PT + 0.5);
    let h = (lines.len() as f32 * lh).max(big) + 2.0 * pad;
    let mut draws = vec![Draw::Text {
        x: pad,
        baseline: (h + big * 0.7) / 2.0,
        text: "COPY".to_string(),
        weight: Weight::Bold,
        size: big,
        white: false,
    }];
    let text_h = lines.len() as f32 * lh;
    for (i, l) in lines.into_iter().enumerate() {
        draws.push(Draw::Text {
            x: word_w + 3.0 * pad,
            baseline: (h - text_h) / 2.0 + i as f32 * lh + HEADER_PT + 0.5,
            text: l,
            weight: Weight::Bold,
            size: HEADER_PT + 0.5,
            white: false,
        });
    }
    for (x1, y1, x2, y2) in [
        (0.0, 0.0, width, 0.0),
        (0.0, h, width, h),
        (0.0, 0.0, 0.0, h),
        (width, 0.0, width, h),
    ] {
        draws.push(Draw::Rule {
            x1,
            y1,
            x2,
            y2,
            thickness: 2.0,
        });
    }
    Strip { height: h, draws }
}
