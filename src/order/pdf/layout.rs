//! Layout: blocks into chunks of lines, and pagination (metrics, blocks, tables and pages in submodules).

use super::draw::{footer_strips, header_strips};
use super::{LINE_FACTOR, MARGIN_BOTTOM_PT, MARGIN_TOP_PT, MARGIN_X_PT, PT_PER_MM};
use crate::order::sheet::OrderSheet;

mod blocks;
mod metrics;
mod paginate;
mod table;

pub(super) use metrics::{Metrics, Weight};
use paginate::paginate;

/// Something to draw, placed relative to the top of its line (y grows downwards here).
#[derive(Debug, Clone)]
pub(super) enum Draw {
    Text {
        x: f32,
        /// Baseline below the top of the line.
        baseline: f32,
        text: String,
        weight: Weight,
        size: f32,
        white: bool,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        thickness: f32,
    },
    Box {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<f32>,
        stroke: bool,
    },
}

/// One line of layout: a height and what to draw in it.
#[derive(Debug, Clone, Default)]
pub(super) struct Strip {
    pub(super) height: f32,
    pub(super) draws: Vec<Draw>,
}

/// Lines that belong together (a row, a table row, a signature block).
#[derive(Debug, Clone, Default)]
struct Chunk {
    strips: Vec<Strip>,
    /// A heading: never the last thing on a page.
    keep_with_next: bool,
    /// For a table row: the header row to repeat at the top of a new page.
    repeat_header: Option<Box<Chunk>>,
}

impl Chunk {
    fn height(&self) -> f32 {
        self.strips.iter().map(|s| s.height).sum()
    }
}

pub(super) fn line_height(size: f32) -> f32 {
    size * LINE_FACTOR
}

pub(super) fn text_strip(x: f32, text: String, weight: Weight, size: f32) -> Strip {
    Strip {
        height: line_height(size),
        draws: vec![Draw::Text {
            x,
            baseline: size,
            text,
            weight,
            size,
            white: false,
        }],
    }
}

/// Bold lines in a box the full `width`: grey and framed, or black with white text (the
/// handout's emergency line). One strip, kept whole.
pub(super) fn boxed_strip(
    lines: Vec<String>,
    width: f32,
    pad: f32,
    size: f32,
    black: bool,
) -> Strip {
    let lh = line_height(size);
    let height = lines.len() as f32 * lh + 2.0 * pad;
    let mut draws = vec![Draw::Box {
        x: 0.0,
        y: 0.0,
        w: width,
        h: height,
        fill: Some(if black { 0.0 } else { 0.93 }),
        stroke: !black,
    }];
    for (i, l) in lines.into_iter().enumerate() {
        draws.push(Draw::Text {
            x: pad,
            baseline: pad + i as f32 * lh + size * 0.95,
            text: l,
            weight: Weight::Bold,
            size,
            white: black,
        });
    }
    Strip { height, draws }
}

pub(super) fn gap(height: f32) -> Strip {
    Strip {
        height,
        draws: Vec::new(),
    }
}

struct Layout<'m> {
    m: &'m mut Metrics,
    /// Text width between the margins.
    width: f32,
    /// Height available for the body on each page.
    body_height: f32,
}

type Pages = Vec<Vec<(f32, Strip)>>;

/// Lay the sheet out: header height and the body strips of each page.
pub(super) fn lay_out(m: &mut Metrics, sheet: &OrderSheet) -> (f32, Pages, f32, f32) {
    let (w_mm, h_mm) = sheet.paper.size_mm();
    let (page_w, page_h) = (w_mm * PT_PER_MM, h_mm * PT_PER_MM);
    let width = page_w - 2.0 * MARGIN_X_PT;
    // The header is as tall on every page; measure it with the widest page label.
    let header_h: f32 = header_strips(m, sheet, width, "Page 999 of 999")
        .iter()
        .map(|s| s.height)
        .sum();
    let footer_h: f32 = footer_strips(m, sheet, width)
        .iter()
        .map(|s| s.height)
        .sum();
    let body_h = page_h - MARGIN_TOP_PT - MARGIN_BOTTOM_PT - header_h - footer_h - 4.0;
    let mut layout = Layout {
        m,
        width,
        body_height: body_h,
    };
    let mut chunks = Vec::new();
    for (i, s) in sheet.sections.iter().enumerate() {
        chunks.push(layout.heading(i + 1, &s.title));
        for b in &s.blocks {
            chunks.extend(layout.block(b));
        }
    }
    (header_h, paginate(&chunks, body_h), page_w, page_h)
}
