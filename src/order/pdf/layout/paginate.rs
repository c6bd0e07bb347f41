//! Pagination: chunks placed on pages, headings kept with what follows them.

use super::Chunk;
use crate::order::pdf::strip::Strip;

/// Place chunks on pages of `body_height` points; returns, per page, strips with their
/// y offset from the top of the body.
pub(super) fn paginate(chunks: &[Chunk], body_height: f32) -> Vec<Vec<(f32, Strip)>> {
    let mut pages: Vec<Vec<(f32, Strip)>> = vec![Vec::new()];
    let mut y = 0.0_f32;
    let new_page = |pages: &mut Vec<Vec<(f32, Strip)>>, y: &mut f32| {
        pages.push(Vec::new());
        *y = 0.0;
    };
    for (i, chunk) in chunks.iter().enumerate() {
        let h = chunk.height();
        // A heading needs room for the first lines of what follows it.
        // A chain of them (a section heading, a sub-heading, a table's header row) moves
        // together with the first lines after it: never stranded at a page bottom.
        let next_h = if chunk.keep_with_next {
            let mut need = 0.0;
            for n in &chunks[i + 1..] {
                if n.keep_with_next {
                    need += n.height();
                } else {
                    need += n.height().min(body_height / 3.0);
                    break;
                }
            }
            need.min(body_height - h)
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
