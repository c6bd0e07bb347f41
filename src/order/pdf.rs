//! PDF rendering of the order sheet (printpdf 0.12, embedded DejaVu Sans, subset on save).
//!
//! Layout: every block becomes a chunk of measured lines; chunks flow down the page and onto
//! new pages, never off the page (a chunk taller than a page is split line by line; a table
//! repeats its header row after a page break). Every page carries the same header (banner,
//! title, patient identifiers, clinic, order number, printed time, protocol, "page x of y")
//! and footer ("Not valid without signature"). Text is wrapped by measuring it with the
//! font's advance widths, with a number kept on the line of its unit.
//!
//! Output is byte-for-byte deterministic for a given sheet: the font ids, the creation date
//! (the injected print time) and the trailer /ID (a hash of the content) are all fixed.

use crate::order::handout::Handout;
use crate::order::sheet::{Block, OrderSheet, Paper, Style};
use crate::order::text::words;
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem,
};
use std::collections::HashMap;

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Points per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;
const MARGIN_X_PT: f32 = 15.0 * PT_PER_MM;
const MARGIN_TOP_PT: f32 = 10.0 * PT_PER_MM;
const MARGIN_BOTTOM_PT: f32 = 10.0 * PT_PER_MM;

const BODY_PT: f32 = 8.5;
const SMALL_PT: f32 = 7.5;
const HEADING_PT: f32 = 10.5;
const TITLE_PT: f32 = 12.0;
const HEADER_PT: f32 = 8.0;
/// The pump box: read at the bedside, larger than the body.
const PANEL_PT: f32 = 10.0;
const LINE_FACTOR: f32 = 1.28;
/// Width of the label column of a "label: value" row.
const LABEL_COLUMN_PT: f32 = 40.0 * PT_PER_MM;
const CELL_PAD_PT: f32 = 2.5;
const INDENT_PT: f32 = 12.0;
/// Room for "Date (YYYY-MM-DD)" before a signature-block line starts.
const SIGNATURE_LABEL_PT: f32 = 78.0;

/// Font ids double as the PDF subset tag, which must be six capital letters; fixed
/// ids (rather than printpdf's random ones) keep the output deterministic.
const REGULAR_ID: &str = "KPREGU";
const BOLD_ID: &str = "KPBOLD";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Weight {
    Regular,
    Bold,
}

/// Advance widths of the two faces, for measuring text.
struct Metrics {
    regular: ParsedFont,
    bold: ParsedFont,
    cache: HashMap<(char, Weight), f32>,
}

impl Metrics {
    fn load() -> Result<Metrics, String> {
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

    fn width(&mut self, text: &str, weight: Weight, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance_em(c, weight))
            .sum::<f32>()
            * size
    }

    /// Wrap to `width` points; a word wider than the line is broken between characters.
    fn wrap(&mut self, text: &str, weight: Weight, size: f32, width: f32) -> Vec<String> {
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
enum Draw {
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
struct Strip {
    height: f32,
    draws: Vec<Draw>,
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

fn line_height(size: f32) -> f32 {
    size * LINE_FACTOR
}

fn text_strip(x: f32, text: String, weight: Weight, size: f32) -> Strip {
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

fn gap(height: f32) -> Strip {
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

/// The header drawn on every page; only the page number differs between pages.
fn header_strips(m: &mut Metrics, sheet: &OrderSheet, width: f32, page: &str) -> Vec<Strip> {
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
    for text in [patient, number] {
        for l in m.wrap(&text, Weight::Bold, HEADER_PT, width) {
            strips.push(text_strip(0.0, l, Weight::Bold, HEADER_PT));
        }
    }
    let mut info = format!(
        "Clinic: {}  |  Printed: {}  |  Protocol: {}",
        fr.clinic, fr.printed_at, fr.protocol
    );
    if let Some(local) = &fr.local_protocol {
        info.push_str(&format!("  |  {local}"));
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

fn footer_strips(m: &mut Metrics, sheet: &OrderSheet, width: f32) -> Vec<Strip> {
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
    if let Some(local) = &fr.local_protocol {
        text.push_str(&format!("  |  {local}"));
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

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level, None))
}

fn point(x: f32, y: f32) -> Point {
    Point { x: Pt(x), y: Pt(y) }
}

/// PDF operations for strips placed with their top at `top` (PDF y, from the bottom).
fn emit(ops: &mut Vec<Op>, strips: &[(f32, Strip)], left: f32, top: f32, fonts: &[FontId; 2]) {
    for (offset, strip) in strips {
        let y0 = top - offset;
        for d in &strip.draws {
            match d {
                Draw::Text {
                    x,
                    baseline,
                    text,
                    weight,
                    size,
                    white,
                } => {
                    if text.is_empty() {
                        continue;
                    }
                    let font = match weight {
                        Weight::Regular => fonts[0].clone(),
                        Weight::Bold => fonts[1].clone(),
                    };
                    ops.push(Op::SetFillColor {
                        col: grey(if *white { 1.0 } else { 0.0 }),
                    });
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(font),
                        size: Pt(*size),
                    });
                    ops.push(Op::SetTextCursor {
                        pos: point(left + x, y0 - baseline),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(text.clone())],
                    });
                    ops.push(Op::EndTextSection);
                }
                Draw::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    thickness,
                } => {
                    ops.push(Op::SetOutlineColor { col: grey(0.0) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*thickness) });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: point(left + x1, y0 - y1),
                                    bezier: false,
                                },
                                LinePoint {
                                    p: point(left + x2, y0 - y2),
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    });
                }
                Draw::Box {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    stroke,
                } => {
                    let mode = match (fill, stroke) {
                        (Some(_), true) => PaintMode::FillStroke,
                        (Some(_), false) => PaintMode::Fill,
                        (None, _) => PaintMode::Stroke,
                    };
                    if let Some(level) = fill {
                        ops.push(Op::SetFillColor { col: grey(*level) });
                    }
                    ops.push(Op::SetOutlineColor { col: grey(0.0) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: Pt(left + x),
                            y: Pt(y0 - y - h),
                            width: Pt(*w),
                            height: Pt(*h),
                            mode: Some(mode),
                            winding_order: None,
                        },
                    });
                }
            }
        }
    }
}

fn pdf_date(dt: chrono::NaiveDateTime) -> printpdf::OffsetDateTime {
    use chrono::{Datelike, Timelike};
    printpdf::OffsetDateTime {
        date: printpdf::Date {
            year: dt.year(),
            month: dt.month() as u8,
            day: dt.day() as u8,
        },
        time: printpdf::Time {
            hour: dt.hour() as u8,
            minute: dt.minute() as u8,
            second: dt.second() as u8,
            millisecond: 0,
        },
        offset: printpdf::Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    }
}

/// The number of pages `render` produces for this sheet.
pub fn page_count(sheet: &OrderSheet) -> Result<usize, String> {
    let mut m = Metrics::load()?;
    Ok(lay_out(&mut m, sheet).1.len())
}

type Pages = Vec<Vec<(f32, Strip)>>;

/// Lay the sheet out: header height and the body strips of each page.
fn lay_out(m: &mut Metrics, sheet: &OrderSheet) -> (f32, Pages, f32, f32) {
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

/// Render the sheet as PDF bytes.
pub fn render(sheet: &OrderSheet) -> Result<Vec<u8>, String> {
    let mut m = Metrics::load()?;
    let (header_h, pages, page_w, page_h) = lay_out(&mut m, sheet);
    let min_body_pt = 0.5 * page_h;
    if page_h - header_h < min_body_pt {
        // Identifiers so long that the header would fill the page: refuse to print
        // rather than squeeze or clip them.
        return Err("the patient identifiers are too long for the page header".to_string());
    }
    let width = page_w - 2.0 * MARGIN_X_PT;
    let fonts = [FontId(REGULAR_ID.to_string()), FontId(BOLD_ID.to_string())];
    let mut doc = PdfDocument::new(&format!(
        "Ketamine infusion order {} {}",
        sheet.frame.patient_name, sheet.frame.order_number
    ));
    for (id, font) in [(&fonts[0], &m.regular), (&fonts[1], &m.bold)] {
        doc.resources
            .fonts
            .map
            .insert(id.clone(), printpdf::PdfFont::new(font.clone()));
    }
    let info = &mut doc.metadata.info;
    info.creation_date = pdf_date_from_frame(sheet);
    info.modification_date = info.creation_date;
    info.metadata_date = info.creation_date;
    info.creator = format!("ketaplan {}", env!("CARGO_PKG_VERSION"));
    info.producer = "ketaplan (printpdf)".to_string();
    info.identifier = sheet.frame.order_number.clone();

    let total = pages.len();
    let footer = footer_strips(&mut m, sheet, width);
    let footer_h: f32 = footer.iter().map(|s| s.height).sum();
    let mut pdf_pages = Vec::with_capacity(total);
    for (i, body) in pages.iter().enumerate() {
        let label = format!("Page {} of {}", i + 1, total);
        let header = header_strips(&mut m, sheet, width, &label);
        let mut ops = Vec::new();
        let top = page_h - MARGIN_TOP_PT;
        let placed: Vec<(f32, Strip)> = header
            .iter()
            .scan(0.0, |y, s| {
                let at = *y;
                *y += s.height;
                Some((at, s.clone()))
            })
            .collect();
        emit(&mut ops, &placed, MARGIN_X_PT, top, &fonts);
        emit(&mut ops, body, MARGIN_X_PT, top - header_h, &fonts);
        let footer_placed: Vec<(f32, Strip)> = footer
            .iter()
            .scan(0.0, |y, s| {
                let at = *y;
                *y += s.height;
                Some((at, s.clone()))
            })
            .collect();
        emit(
            &mut ops,
            &footer_placed,
            MARGIN_X_PT,
            MARGIN_BOTTOM_PT + footer_h,
            &fonts,
        );
        pdf_pages.push(PdfPage::new(
            printpdf::Mm(page_w / PT_PER_MM),
            printpdf::Mm(page_h / PT_PER_MM),
            ops,
        ));
    }
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(pdf_pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    Ok(fix_trailer_id(bytes))
}

fn pdf_date_from_frame(sheet: &OrderSheet) -> printpdf::OffsetDateTime {
    // The frame holds the formatted print time; parse it back (it was made by format).
    let parsed = chrono::NaiveDateTime::parse_from_str(&sheet.frame.printed_at, "%Y-%m-%d %H:%M");
    pdf_date(parsed.unwrap_or_default())
}

/// printpdf writes a random trailer /ID; replace both strings (same length, so no offset
/// moves) with a hash of the rest of the file, making the output deterministic.
fn fix_trailer_id(mut bytes: Vec<u8>) -> Vec<u8> {
    let Some(start) = find_last(&bytes, b"/ID[(").or_else(|| find_last(&bytes, b"/ID [(")) else {
        return bytes;
    };
    let open = start + bytes[start..].iter().position(|&b| b == b'(').unwrap_or(0);
    let mut spans = Vec::new();
    let mut i = open;
    while spans.len() < 2 && i < bytes.len() {
        if bytes[i] == b'('
            && let Some(len) = bytes[i + 1..].iter().position(|&b| b == b')')
        {
            spans.push((i + 1, i + 1 + len));
            i += len + 2;
            continue;
        }
        if bytes[i] == b']' {
            break;
        }
        i += 1;
    }
    let mut hashed = bytes.clone();
    for &(a, b) in &spans {
        hashed[a..b].fill(b'0');
    }
    let digest = crate::domain::protocol::sha256_hex(&hashed);
    let digest = digest.as_bytes();
    for &(a, b) in &spans {
        for (k, byte) in bytes[a..b].iter_mut().enumerate() {
            *byte = digest[k % digest.len()];
        }
    }
    bytes
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

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
    para(m, &mut strips, &h.patient, 0.0, Weight::Bold, size);
    para(m, &mut strips, &h.date, 0.0, Weight::Bold, size);
    // The clinic and its telephone in a box.
    strips.push(gap(lh * 0.4));
    let pad = 5.0;
    let mut lines = Vec::new();
    for t in [&h.clinic, &h.telephone] {
        lines.extend(m.wrap(t, Weight::Bold, size, width - 2.0 * pad));
    }
    let bh = lines.len() as f32 * lh + 2.0 * pad;
    let mut draws = vec![Draw::Box {
        x: 0.0,
        y: 0.0,
        w: width,
        h: bh,
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
    strips.push(Strip { height: bh, draws });
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
fn fit_handout(m: &mut Metrics, h: &Handout, paper: Paper) -> Result<HandoutFit, String> {
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

struct HandoutFit {
    size: f32,
    strips: Vec<Strip>,
    page_w: f32,
    page_h: f32,
    margin: f32,
}

const HANDOUT_MARGIN_MM: f32 = 20.0;

/// Render the discharge handout as a one-page PDF, in the order sheet's font. The type
/// shrinks a step at a time (down to 12 pt) until it fits one page; if it does not fit at
/// 12 pt, it is refused rather than printed smaller or on two pages.
pub fn render_handout(h: &Handout, paper: Paper) -> Result<Vec<u8>, String> {
    let mut m = Metrics::load()?;
    let fit = fit_handout(&mut m, h, paper)?;
    let fonts = [FontId(REGULAR_ID.to_string()), FontId(BOLD_ID.to_string())];
    let mut doc = PdfDocument::new("Instructions after your ketamine infusion");
    for (id, font) in [(&fonts[0], &m.regular), (&fonts[1], &m.bold)] {
        doc.resources
            .fonts
            .map
            .insert(id.clone(), printpdf::PdfFont::new(font.clone()));
    }
    let info = &mut doc.metadata.info;
    info.creation_date = pdf_date(h.on.and_hms_opt(0, 0, 0).unwrap_or_default());
    info.modification_date = info.creation_date;
    info.metadata_date = info.creation_date;
    info.creator = format!("ketaplan {}", env!("CARGO_PKG_VERSION"));
    info.producer = "ketaplan (printpdf)".to_string();
    let placed: Vec<(f32, Strip)> = fit
        .strips
        .iter()
        .scan(0.0, |y, s| {
            let at = *y;
            *y += s.height;
            Some((at, s.clone()))
        })
        .collect();
    let mut ops = Vec::new();
    emit(
        &mut ops,
        &placed,
        fit.margin,
        fit.page_h - fit.margin,
        &fonts,
    );
    let page = PdfPage::new(
        printpdf::Mm(fit.page_w / PT_PER_MM),
        printpdf::Mm(fit.page_h / PT_PER_MM),
        ops,
    );
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(vec![page])
        .save(&PdfSaveOptions::default(), &mut warnings);
    Ok(fix_trailer_id(bytes))
}

/// The body size, in points, the handout is printed at on this paper.
pub fn handout_font_size(h: &Handout, paper: Paper) -> Result<f32, String> {
    let mut m = Metrics::load()?;
    Ok(fit_handout(&mut m, h, paper)?.size)
}
