//! Layout: measuring and wrapping text, blocks into chunks of lines, and pagination.

use super::draw::{footer_strips, header_strips};
use super::{
    BODY_PT, BOLD_TTF, CELL_PAD_PT, HEADING_PT, INDENT_PT, LABEL_COLUMN_PT, LINE_FACTOR,
    MARGIN_BOTTOM_PT, MARGIN_TOP_PT, MARGIN_X_PT, PANEL_PT, PT_PER_MM, REGULAR_TTF,
    SIGNATURE_LABEL_PT, SMALL_PT,
};
use crate::order::sheet::{Block, OrderSheet, Style};
use crate::order::text::words;
use printpdf::ParsedFont;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Weight {
    Regular,
    Bold,
}

/// Advance widths of the two faces, for measuring text.
pub(super) struct Metrics {
    pub(super) regular: ParsedFont,
    pub(super) bold: ParsedFont,
    cache: HashMap<(char, Weight), f32>,
}

impl Metrics {
    pub(super) fn load() -> Result<Metrics, String> {
        let mut warnings = Vec::new();
        let regular = ParsedFont::from_bytes(REGULAR_TTF, 0, &mut warnings)
            .ok_or("the embedded regular font could not be read")?;
        let bold = ParsedFont::from_bytes(BOLD_TTF, 0, &mut warnings)
            .ok_or("the embedded bold font could not be read")?;
        Ok(Metrics {
            regular,
            bold,
            cache: HashMap::new(),
        })
    }

    /// Advance of one character, in em.
    fn advance_em(&mut self, c: char, weight: Weight) -> f32 {
        if let Some(w) = self.cache.get(&(c, weight)) {
            return *w;
        }
        let font = match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        let upem = f32::from(font.font_metrics.units_per_em.max(1));
        let gid = font.lookup_glyph_index(c as u32).unwrap_or(0);
        let w = f32::from(font.get_horizontal_advance(gid)) / upem;
        self.cache.insert((c, weight), w);
        w
    }

    pub(super) fn width(&mut self, text: &str, weight: Weight, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance_em(c, weight))
            .sum::<f32>()
            * size
    }

    /// Wrap to `width` points; a word wider than the line is broken between characters.
    pub(super) fn wrap(
        &mut self,
        text: &str,
        weight: Weight,
        size: f32,
        width: f32,
    ) -> Vec<String> {
        let space = self.width(" ", weight, size);
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in words(text) {
            let word_w = self.width(&word, weight, size);
            if word_w > width {
                // Too wide on its own (a hash, a long code): break it up.
                for c in word.chars() {
                    let cw = self.advance_em(c, weight) * size;
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
                continue;
            }
            let needed = if line.is_empty() {
                word_w
            } else {
                space + word_w
            };
            if !line.is_empty() && line_w + needed > width {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            if !line.is_empty() {
                line.push(' ');
                line_w += space;
            }
            line.push_str(&word);
            line_w += word_w;
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

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

impl Layout<'_> {
    /// Lines of wrapped text at indent `x`.
    fn paragraph(&mut self, text: &str, x: f32, weight: Weight, size: f32) -> Vec<Strip> {
        self.m
            .wrap(text, weight, size, self.width - x)
            .into_iter()
            .map(|l| text_strip(x, l, weight, size))
            .collect()
    }

    /// Two columns side by side, line by line.
    fn columns(&mut self, left: Vec<Strip>, right: Vec<Strip>) -> Vec<Strip> {
        let n = left.len().max(right.len());
        let mut out = Vec::with_capacity(n);
        let mut left = left.into_iter();
        let mut right = right.into_iter();
        for _ in 0..n {
            let mut s = Strip::default();
            for part in [left.next(), right.next()].into_iter().flatten() {
                s.height = s.height.max(part.height);
                s.draws.extend(part.draws);
            }
            out.push(s);
        }
        out
    }

    /// Bold text in a framed box, one strip (kept whole).
    fn boxed(&mut self, text: &str, size: f32) -> Vec<Strip> {
        let pad = 4.0;
        let lines = self
            .m
            .wrap(text, Weight::Bold, size, self.width - 2.0 * pad);
        let lh = line_height(size);
        let h = lines.len() as f32 * lh + 2.0 * pad;
        let mut draws = vec![Draw::Box {
            x: 0.0,
            y: 0.0,
            w: self.width,
            h,
            fill: Some(0.93),
            stroke: true,
        }];
        for (i, l) in lines.into_iter().enumerate() {
            draws.push(Draw::Text {
                x: pad,
                baseline: pad + i as f32 * lh + size * 0.95,
                text: l,
                weight: Weight::Bold,
                size,
                white: false,
            });
        }
        vec![gap(2.0), Strip { height: h, draws }, gap(4.0)]
    }

    /// A panel: a heavy frame, a title, and "label  value" lines in a larger type, kept
    /// together on one page.
    fn panel(&mut self, title: &str, rows: &[(String, String)]) -> Vec<Strip> {
        let pad = 5.0;
        let size = PANEL_PT;
        let lh = line_height(size);
        let label_w = 34.0 * PT_PER_MM;
        let inner = self.width - 2.0 * pad;
        let mut draws = Vec::new();
        let mut y = pad;
        for l in self.m.wrap(title, Weight::Bold, HEADING_PT, inner) {
            draws.push(Draw::Text {
                x: pad,
                baseline: y + HEADING_PT,
                text: l,
                weight: Weight::Bold,
                size: HEADING_PT,
                white: false,
            });
            y += line_height(HEADING_PT);
        }
        y += 2.0;
        for (label, value) in rows {
            draws.push(Draw::Rule {
                x1: pad,
                y1: y,
                x2: self.width - pad,
                y2: y,
                thickness: 0.3,
            });
            y += 1.5;
            let left = self.m.wrap(label, Weight::Bold, size, label_w - 6.0);
            let right = self.m.wrap(value, Weight::Regular, size, inner - label_w);
            let n = left.len().max(right.len());
            for (i, l) in left.into_iter().enumerate() {
                draws.push(Draw::Text {
                    x: pad,
                    baseline: y + i as f32 * lh + size,
                    text: l,
                    weight: Weight::Bold,
                    size,
                    white: false,
                });
            }
            for (i, l) in right.into_iter().enumerate() {
                draws.push(Draw::Text {
                    x: pad + label_w,
                    baseline: y + i as f32 * lh + size,
                    text: l,
                    weight: Weight::Regular,
                    size,
                    white: false,
                });
            }
            y += n as f32 * lh + 1.0;
        }
        let h = y + pad;
        let (w, t) = (self.width, 1.6);
        for (x1, y1, x2, y2) in [
            (0.0, 0.0, w, 0.0),
            (0.0, h, w, h),
            (0.0, 0.0, 0.0, h),
            (w, 0.0, w, h),
        ] {
            draws.push(Draw::Rule {
                x1,
                y1,
                x2,
                y2,
                thickness: t,
            });
        }
        vec![gap(4.0), Strip { height: h, draws }, gap(5.0)]
    }

    fn heading(&mut self, number: usize, title: &str) -> Chunk {
        let size = HEADING_PT;
        let mut strips = vec![gap(5.0)];
        let mut lines = self.paragraph(&format!("{number}. {title}"), 0.0, Weight::Bold, size);
        if let Some(last) = lines.last_mut() {
            last.height += 2.5;
            last.draws.push(Draw::Rule {
                x1: 0.0,
                y1: line_height(size) + 0.5,
                x2: self.width,
                y2: line_height(size) + 0.5,
                thickness: 0.6,
            });
        }
        strips.extend(lines);
        strips.push(gap(2.0));
        Chunk {
            strips,
            keep_with_next: true,
            repeat_header: None,
        }
    }

    fn block(&mut self, b: &Block) -> Vec<Chunk> {
        let single = |strips: Vec<Strip>| {
            vec![Chunk {
                strips,
                ..Chunk::default()
            }]
        };
        match b {
            Block::Row { label, value } => {
                let left = self
                    .m
                    .wrap(label, Weight::Bold, BODY_PT, LABEL_COLUMN_PT - 6.0);
                let left = left
                    .into_iter()
                    .map(|l| text_strip(0.0, l, Weight::Bold, BODY_PT))
                    .collect();
                let right = self
                    .m
                    .wrap(
                        value,
                        Weight::Regular,
                        BODY_PT,
                        self.width - LABEL_COLUMN_PT,
                    )
                    .into_iter()
                    .map(|l| text_strip(LABEL_COLUMN_PT, l, Weight::Regular, BODY_PT))
                    .collect();
                let mut strips = self.columns(left, right);
                strips.push(gap(1.2));
                single(strips)
            }
            Block::Paragraph { text, style } => {
                let (weight, size) = match style {
                    Style::Normal => (Weight::Regular, BODY_PT),
                    Style::Strong | Style::Alert | Style::Heading => (Weight::Bold, BODY_PT),
                    Style::Small => (Weight::Regular, SMALL_PT),
                };
                if *style == Style::Alert {
                    return single(self.boxed(text, HEADING_PT));
                }
                let mut strips = Vec::new();
                if matches!(style, Style::Strong | Style::Heading) {
                    // A strong paragraph often opens a group of rows: set it apart.
                    strips.push(gap(2.5));
                }
                strips.extend(self.paragraph(text, 0.0, weight, size));
                strips.push(gap(1.5));
                vec![Chunk {
                    strips,
                    keep_with_next: *style == Style::Heading,
                    repeat_header: None,
                }]
            }
            Block::Item { label, text, note } => {
                let mut strips = self.paragraph(label, 0.0, Weight::Bold, BODY_PT);
                strips.extend(self.paragraph(text, INDENT_PT, Weight::Regular, BODY_PT));
                if let Some(n) = note {
                    let mut note_lines = self.paragraph(n, INDENT_PT + 4.0, Weight::Bold, BODY_PT);
                    // A bar in the margin marks the justification as the answer to the finding.
                    let h: f32 = note_lines.iter().map(|s| s.height).sum();
                    if let Some(first) = note_lines.first_mut() {
                        first.draws.push(Draw::Box {
                            x: INDENT_PT,
                            y: 1.0,
                            w: 1.6,
                            h: h - 1.0,
                            fill: Some(0.0),
                            stroke: false,
                        });
                    }
                    strips.extend(note_lines);
                }
                strips.push(gap(2.5));
                single(strips)
            }
            Block::Check { text, ticked } => {
                let mut strips = self.paragraph(text, 14.0, Weight::Regular, BODY_PT);
                if let Some(first) = strips.first_mut() {
                    let s = 7.5;
                    first.draws.push(Draw::Box {
                        x: 1.0,
                        y: 1.2,
                        w: s,
                        h: s,
                        fill: None,
                        stroke: true,
                    });
                    if *ticked {
                        first.draws.push(Draw::Rule {
                            x1: 2.5,
                            y1: 5.0,
                            x2: 4.5,
                            y2: 7.5,
                            thickness: 1.2,
                        });
                        first.draws.push(Draw::Rule {
                            x1: 4.5,
                            y1: 7.5,
                            x2: 8.0,
                            y2: 2.0,
                            thickness: 1.2,
                        });
                    }
                }
                strips.push(gap(1.5));
                single(strips)
            }
            Block::Signature { role, name } => {
                let heading = match name {
                    Some(n) => format!("{role}: {n}"),
                    None => role.clone(),
                };
                let mut strips = vec![gap(4.0)];
                strips.extend(self.paragraph(&heading, 0.0, Weight::Bold, BODY_PT));
                let half = self.width / 2.0;
                let pair = |a: &str, b: &str| -> Strip {
                    let h = 20.0;
                    let base = h - 5.0;
                    let mut draws = Vec::new();
                    for (x, label, end) in [(0.0, a, half - 10.0), (half, b, self.width)] {
                        draws.push(Draw::Text {
                            x,
                            baseline: base,
                            text: label.to_string(),
                            weight: Weight::Regular,
                            size: SMALL_PT,
                            white: false,
                        });
                        draws.push(Draw::Rule {
                            x1: x + SIGNATURE_LABEL_PT,
                            y1: base + 1.0,
                            x2: end,
                            y2: base + 1.0,
                            thickness: 0.5,
                        });
                    }
                    Strip { height: h, draws }
                };
                strips.push(pair("Signature", "Printed name"));
                strips.push(pair("Date (YYYY-MM-DD)", "Time (24-hour)"));
                single(strips)
            }
            Block::Table {
                header,
                rows,
                widths,
            } => self.table(header, rows, widths),
            Block::Panel { title, rows } => single(self.panel(title, rows)),
        }
    }

    fn table_row(&mut self, cells: &[String], xs: &[(f32, f32)], header: bool) -> Chunk {
        let weight = if header {
            Weight::Bold
        } else {
            Weight::Regular
        };
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(xs)
            .map(|(c, (_, w))| self.m.wrap(c, weight, BODY_PT, w - 2.0 * CELL_PAD_PT))
            .collect();
        let n = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        let lh = line_height(BODY_PT);
        let height = n as f32 * lh + 2.0 * CELL_PAD_PT;
        if height > self.body_height * 0.8 {
            // Too tall for a page as one row: print the cells one after another, so
            // that the row can continue on the next page instead of running off it.
            let mut strips = Vec::new();
            for cell in cells {
                strips.extend(self.paragraph(cell, 0.0, weight, BODY_PT));
            }
            strips.push(Strip {
                height: 3.0,
                draws: vec![Draw::Rule {
                    x1: 0.0,
                    y1: 1.5,
                    x2: self.width,
                    y2: 1.5,
                    thickness: 0.5,
                }],
            });
            return Chunk {
                strips,
                ..Chunk::default()
            };
        }
        let mut draws = Vec::new();
        for ((x, w), lines) in xs.iter().zip(&wrapped) {
            draws.push(Draw::Box {
                x: *x,
                y: 0.0,
                w: *w,
                h: height,
                fill: header.then_some(0.9),
                stroke: true,
            });
            for (i, l) in lines.iter().enumerate() {
                draws.push(Draw::Text {
                    x: x + CELL_PAD_PT,
                    baseline: CELL_PAD_PT + i as f32 * lh + BODY_PT,
                    text: l.clone(),
                    weight,
                    size: BODY_PT,
                    white: false,
                });
            }
        }
        Chunk {
            strips: vec![Strip { height, draws }],
            ..Chunk::default()
        }
    }

    fn table(&mut self, header: &[String], rows: &[Vec<String>], widths: &[f32]) -> Vec<Chunk> {
        let total: f32 = widths.iter().sum::<f32>().max(f32::EPSILON);
        let mut x = 0.0;
        let xs: Vec<(f32, f32)> = header
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let w = widths.get(i).copied().unwrap_or(0.0) / total * self.width;
                let start = x;
                x += w;
                (start, w)
            })
            .collect();
        let head = self.table_row(header, &xs, true);
        let mut out = vec![Chunk {
            keep_with_next: true,
            ..head.clone()
        }];
        for r in rows {
            let mut row = self.table_row(r, &xs, false);
            row.repeat_header = Some(Box::new(head.clone()));
            out.push(row);
        }
        out.push(Chunk {
            strips: vec![gap(3.0)],
            ..Chunk::default()
        });
        // A short table is kept whole on one page.
        let total_h: f32 = out.iter().map(Chunk::height).sum();
        if total_h < self.body_height / 3.0 {
            let strips = out.into_iter().flat_map(|c| c.strips).collect();
            return vec![Chunk {
                strips,
                ..Chunk::default()
            }];
        }
        out
    }
}

/// Place chunks on pages of `body_height` points; returns, per page, strips with their
/// y offset from the top of the body.
fn paginate(chunks: &[Chunk], body_height: f32) -> Vec<Vec<(f32, Strip)>> {
    let mut pages: Vec<Vec<(f32, Strip)>> = vec![Vec::new()];
    let mut y = 0.0_f32;
    let new_page = |pages: &mut Vec<Vec<(f32, Strip)>>, y: &mut f32| {
        pages.push(Vec::new());
        *y = 0.0;
    };
    for (i, chunk) in chunks.iter().enumerate() {
        let h = chunk.height();
        // A heading needs room for the first lines of what follows it.
        let next_h = if chunk.keep_with_next {
            chunks
                .get(i + 1)
                .map(|n| n.height().min(body_height / 3.0))
                .unwrap_or(0.0)
        } else {
            0.0
        };
        if y > 0.0 && y + h + next_h > body_height {
            new_page(&mut pages, &mut y);
            if let Some(head) = &chunk.repeat_header {
                for s in &head.strips {
                    if let Some(page) = pages.last_mut() {
                        page.push((y, s.clone()));
                    }
                    y += s.height;
                }
            }
        }
        for s in &chunk.strips {
            // Only a chunk taller than a whole page gets here without room: split it.
            if y > 0.0 && y + s.height > body_height {
                new_page(&mut pages, &mut y);
            }
            if let Some(page) = pages.last_mut() {
                page.push((y, s.clone()));
            }
            y += s.height;
        }
    }
    pages
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
