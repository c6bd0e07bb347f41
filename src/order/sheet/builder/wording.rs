//! The last pass over the sheet's words: benzodiazepine-free wording and tall-man lettering.

use super::Builder;
use crate::domain::plan::BENZODIAZEPINE_CONTRAINDICATION;
use crate::domain::protocol::apply_tall_man;
use crate::order::sheet::{Block, Section};

impl Builder<'_> {
    /// Rewrites every string of the sections: when benzodiazepines are contraindicated, the
    /// pack's benzodiazepine-free phrases; then the pack's tall-man spellings.
    pub(super) fn finish_wording(&self, sections: &mut [Section]) {
        let rules = &self.protocol.pack.sheet;
        let no_benzo = self.case.answered_yes(BENZODIAZEPINE_CONTRAINDICATION);
        let fix = |s: &mut String| {
            let mut text = std::mem::take(s);
            if no_benzo {
                for r in &rules.benzodiazepine_free {
                    if !r.from.is_empty() {
                        text = text.replace(&r.from, &r.to);
                    }
                }
            }
            *s = apply_tall_man(&text, &rules.tall_man.names);
        };
        for section in sections {
            fix(&mut section.title);
            for block in &mut section.blocks {
                match block {
                    Block::Row { label, value } => {
                        fix(label);
                        fix(value);
                    }
                    Block::Paragraph { text, .. } | Block::Check { text, .. } => fix(text),
                    Block::Item { label, text, note } => {
                        fix(label);
                        fix(text);
                        if let Some(n) = note {
                            fix(n);
                        }
                    }
                    Block::Table { header, rows, .. } => {
                        header.iter_mut().for_each(&fix);
                        rows.iter_mut().flatten().for_each(&fix);
                    }
                    Block::Panel { title, rows } => {
                        fix(title);
                        for (l, v) in rows {
                            fix(l);
                            fix(v);
                        }
                    }
                    Block::Signature { role, signed, .. } => {
                        fix(role);
                        if let Some(s) = signed {
                            fix(s);
                        }
                    }
                }
            }
        }
    }
}
