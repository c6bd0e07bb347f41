//! Drawing: the PDF operations for placed strips, shaped text included.

use super::strip::{Draw, Strip, Weight};
use printpdf::{
    Codepoint, Color, FontId, Greyscale, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Pt,
    Rect, TextItem,
};

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level, None))
}

fn point(x: f32, y: f32) -> Point {
    Point { x: Pt(x), y: Pt(y) }
}

/// PDF operations for strips placed with their top at `top` (PDF y, from the bottom).
pub(super) fn emit(
    ops: &mut Vec<Op>,
    strips: &[(f32, Strip)],
    left: f32,
    top: f32,
    fonts: &[FontId; 2],
) {
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
                    let at = (left + x, y0 - baseline);
                    if super::shape::needs_shaping(text)
                        && let Some(glyphs) = super::shape::shape(text, *weight)
                    {
                        shaped_text_ops(ops, &font, *size, at, &glyphs);
                    } else {
                        let item = TextItem::Text(text.clone());
                        text_section(ops, &font, *size, at, vec![item]);
                    }
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

fn text_section(ops: &mut Vec<Op>, font: &FontId, size: f32, at: (f32, f32), items: Vec<TextItem>) {
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(font.clone()),
        size: Pt(size),
    });
    ops.push(Op::SetTextCursor {
        pos: point(at.0, at.1),
    });
    ops.push(Op::ShowText { items });
    ops.push(Op::EndTextSection);
}

/// Shaped glyphs at their places: runs of glyphs set one after another in one text
/// section (each told how far to move when the shaped advance differs from the font's),
/// and a mark that sits off the pen in its own section at its own position.
fn shaped_text_ops(
    ops: &mut Vec<Op>,
    font: &FontId,
    size: f32,
    at: (f32, f32),
    glyphs: &[super::shape::Glyph],
) {
    let mut pen_em = 0.0;
    let mut run_start_em = 0.0;
    let mut run: Vec<Codepoint> = Vec::new();
    let flush = |ops: &mut Vec<Op>, run: &mut Vec<Codepoint>, start_em: f32| {
        if !run.is_empty() {
            let items = vec![TextItem::GlyphIds(std::mem::take(run))];
            text_section(ops, font, size, (at.0 + start_em * size, at.1), items);
        }
    };
    for g in glyphs {
        let cid = (!g.text.is_empty()).then(|| g.text.clone());
        if g.dx_em != 0.0 || g.dy_em != 0.0 {
            flush(ops, &mut run, run_start_em);
            let place = (at.0 + (pen_em + g.dx_em) * size, at.1 + g.dy_em * size);
            let glyph = Codepoint {
                gid: g.gid,
                offset: 0.0,
                cid,
            };
            text_section(
                ops,
                font,
                size,
                place,
                vec![TextItem::GlyphIds(vec![glyph])],
            );
            pen_em += g.advance_em;
            run_start_em = pen_em;
            continue;
        }
        // A TJ adjustment is subtracted from the advance, in thousandths of an em.
        let offset = (g.nominal_em - g.advance_em) * 1000.0;
        run.push(Codepoint {
            gid: g.gid,
            offset,
            cid,
        });
        pen_em += g.advance_em;
    }
    flush(ops, &mut run, run_start_em);
}
