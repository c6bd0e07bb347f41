//! Blocks into chunks of measured lines: paragraphs, rows, boxes, the pump panel, checks, signatures.

use super::{Chunk, Layout};
use crate::order::pdf::strip::{Draw, Strip, Weight, boxed_strip, gap, line_height, text_strip};
use crate::order::pdf::{
    BODY_PT, HEADING_PT, INDENT_PT, LABEL_COLUMN_PT, PANEL_PT, PT_PER_MM, SMALL_PT,
};
use crate::order::sheet::{Block, Style};

impl Layout<'_> {
    /// Lines of wrapped text at indent `x`.
    pub(super) fn paragraph(
        &mut self,
        text: &str,
        x: f32,
        weight: Weight,
        size: f32,
    ) -> Vec<Strip> {
        self.m
            .wrap(text, weight, size, self.width - x)
            .into_iter()
            .map(|l| text_strip(x, l, weight, size))
            .collect()
    }

    /// Two columns side by side, line by line.
    pub(super) fn columns(&mut self, left: Vec<Strip>, right: Vec<Strip>) -> Vec<Strip> {
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
    pub(super) fn boxed(&mut self, text: &str, size: f32) -> Vec<Strip> {
        let pad = 4.0;
        let lines = self
            .m
            .wrap(text, Weight::Bold, size, self.width - 2.0 * pad);
        vec![
            gap(2.0),
            boxed_strip(lines, self.width, pad, size, false),
            gap(4.0),
        ]
    }

    /// A panel: a heavy frame, a title, and "label  value" lines in a larger type, kept
    /// together on one page.
    pub(super) fn panel(&mut self, title: &str, rows: &[(String, String)]) -> Vec<Strip> {
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

    pub(super) fn heading(&mut self, number: usize, title: &str) -> Chunk {
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

    pub(super) fn block(&mut self, b: &Block) -> Vec<Chunk> {
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
            Block::Signature { role, name, signed } => {
                let heading = match name {
                    Some(n) => format!("{role}: {n}"),
                    None => role.clone(),
                };
                let mut strips = vec![gap(3.0)];
                strips.extend(self.paragraph(&heading, 0.0, Weight::Bold, BODY_PT));
                if let Some(line) = signed {
                    strips.extend(self.paragraph(line, 8.0, Weight::Regular, BODY_PT));
                    strips.push(gap(1.5));
                    return single(strips);
                }
                // One line: signature, printed name, date and time, each with its own rule.
                let h = 18.0;
                let base = h - 4.0;
                let mut draws = Vec::new();
                let mut x = 0.0;
                for (label, share) in [
                    ("Signature", 0.3),
                    ("Printed name", 0.3),
                    ("Date (YYYY-MM-DD), time", 0.4),
                ] {
                    let w = self.width * share;
                    let label_w = self.m.width(label, Weight::Regular, SMALL_PT) + 4.0;
                    draws.push(Draw::Text {
                        x,
                        baseline: base,
                        text: label.to_string(),
                        weight: Weight::Regular,
                        size: SMALL_PT,
                        white: false,
                    });
                    draws.push(Draw::Rule {
                        x1: x + label_w,
                        y1: base + 1.0,
                        x2: x + w - 8.0,
                        y2: base + 1.0,
                        thickness: 0.5,
                    });
                    x += w;
                }
                strips.push(Strip { height: h, draws });
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
}
