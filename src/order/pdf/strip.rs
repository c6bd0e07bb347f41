//! The page-strip types: one measured line of the sheet and what to draw in it, in points
//! from the top of the line, with the helpers that build common strips.

use super::LINE_FACTOR;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Weight {
    Regular,
    Bold,
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
