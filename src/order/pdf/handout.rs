//! The handout's layout: its strips, at the largest body size that fits one page.

use super::PT_PER_MM;
use super::metrics::Metrics;
use super::strip::{Draw, Strip, Weight, boxed_strip, gap, line_height, text_strip};
use crate::order::handout::Handout;
use crate::order::sheet::Paper;

/// Body sizes tried for the handout, largest first: the first at which it fits one page
/// is used (it never flows onto a second page, and never goes below 12 pt).
const HANDOUT_SIZES_PT: [f32; 5] = [15.0, 14.0, 13.0, 12.5, 12.0];

/// The handout laid out at body size `size`: strips from the top of the text area.
fn handout_strips(m: &mut Metrics, h: &Handout, width: f32, size: f32) -> Vec<Strip> {
    let lh = line_height(size);
    let mut strips = Vec::new();
    let para = |m: &mut Metrics, strips: &mut Vec<Strip>, text: &str, x: f32, weight, size| {
        for l in m.wrap(text, weight, size, width - x) {
            strips.push(text_strip(x, l, weight, size));
        }
    };
    let title = size * 1.6;
    para(m, &mut strips, &h.title, 0.0, Weight::Bold, title);
    strips.push(Strip {
        height: 8.0,
        draws: vec![Draw::Rule {
            x1: 0.0,
            y1: 3.0,
            x2: width,
            y2: 3.0,
            thickness: 1.2,
        }],
    });
    // The emergency line first, before anything about the clinic: white on black.
    {
        let pad = 5.0;
        let lines = m.wrap(&h.emergency, Weight::Bold, size, width - 2.0 * pad);
        strips.push(boxed_strip(lines, width, pad, size, true));
        strips.push(gap(lh * 0.4));
    }
    para(m, &mut strips, &h.patient, 0.0, Weight::Bold, size);
    para(m, &mut strips, &h.date, 0.0, Weight::Bold, size);
    // The clinic and its telephone in a box.
    strips.push(gap(lh * 0.4));
    let pad = 5.0;
    let mut lines = Vec::new();
    for t in [&h.clinic, &h.telephone] {
        lines.extend(m.wrap(t, Weight::Bold, size, width - 2.0 * pad));
    }
    strips.push(boxed_strip(lines, width, pad, size, false));
    strips.push(gap(lh * 0.4));
    para(m, &mut strips, &h.given, 0.0, Weight::Regular, size);
    for s in &h.sections {
        strips.push(gap(lh * 0.6));
        let heading = size * 1.25;
        para(m, &mut strips, &s.title, 0.0, Weight::Bold, heading);
        if let Some(last) = strips.last_mut() {
            last.height += 2.0;
            last.draws.push(Draw::Rule {
                x1: 0.0,
                y1: line_height(heading) + 0.5,
                x2: width,
                y2: line_height(heading) + 0.5,
                thickness: 0.6,
            });
        }
        strips.push(gap(3.0));
        for item in &s.items {
            let indent = size * 1.2;
            let start = strips.len();
            para(m, &mut strips, &item.label, indent, Weight::Bold, size);
            if let Some(first) = strips.get_mut(start) {
                // A bullet before the label.
                first.draws.push(Draw::Text {
                    x: 0.0,
                    baseline: size,
                    text: "•".to_string(),
                    weight: Weight::Bold,
                    size,
                    white: false,
                });
            }
            para(m, &mut strips, &item.text, indent, Weight::Regular, size);
            strips.push(gap(lh * 0.35));
        }
    }
    strips.push(gap(lh * 0.5));
    para(m, &mut strips, &h.closing, 0.0, Weight::Regular, size);
    strips
}

/// The handout at the largest size that fits one page: (body size, strips, page width,
/// page height, margin).
pub(super) fn fit_handout(
    m: &mut Metrics,
    h: &Handout,
    paper: Paper,
) -> Result<HandoutFit, String> {
    let (w_mm, h_mm) = paper.size_mm();
    let (page_w, page_h) = (w_mm * PT_PER_MM, h_mm * PT_PER_MM);
    let margin = HANDOUT_MARGIN_MM * PT_PER_MM;
    let width = page_w - 2.0 * margin;
    let room = page_h - 2.0 * margin;
    for size in HANDOUT_SIZES_PT {
        let strips = handout_strips(m, h, width, size);
        if strips.iter().map(|x| x.height).sum::<f32>() <= room {
            return Ok(HandoutFit {
                size,
                strips,
                page_w,
                page_h,
                margin,
            });
        }
    }
    Err(
        "the patient instructions do not fit on one page at 12 pt: shorten them in the protocol pack"
            .to_string(),
    )
}

pub(super) struct HandoutFit {
    pub(super) size: f32,
    pub(super) strips: Vec<Strip>,
    pub(super) page_w: f32,
    pub(super) page_h: f32,
    pub(super) margin: f32,
}

const HANDOUT_MARGIN_MM: f32 = 15.0;
