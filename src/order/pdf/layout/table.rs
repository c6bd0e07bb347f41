//! Tables: a header row repeated after a page break, rows kept whole, a short table kept on one page.

use super::{Chunk, Layout};
use crate::order::pdf::strip::{Draw, Strip, Weight, gap, line_height};
use crate::order::pdf::{BODY_PT, CELL_PAD_PT};

impl Layout<'_> {
    pub(super) fn table_row(&mut self, cells: &[String], xs: &[(f32, f32)], header: bool) -> Chunk {
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

    pub(super) fn table(
        &mut self,
        header: &[String],
        rows: &[Vec<String>],
        widths: &[f32],
    ) -> Vec<Chunk> {
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
