//! Layout: blocks into chunks of lines, and pagination (blocks, tables and pages in submodules).

use super::frame::{footer_strips, header_strips};
use super::metrics::Metrics;
use super::strip::Strip;
use super::{MARGIN_BOTTOM_PT, MARGIN_TOP_PT, MARGIN_X_PT, PT_PER_MM};
use crate::order::sheet::OrderSheet;

mod blocks;
mod paginate;
mod table;

use paginate::paginate;

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
