//! The pack checker: collects every error, each located at its field's `line:column` in the
//! pack text, with the small checks every section uses (non-empty, below).

use crate::domain::protocol::ProtocolError;
use crate::domain::protocol::paths::format_threshold_value;
use crate::domain::protocol::sourced::Threshold;

/// Find where a dotted field path is written in the pack text, as 1-based line:column.
/// Keys are searched in order, each after the previous one; `[code]` segments search for
/// the quoted code. Falls back to the last position found (1:1 at worst).
fn locate(text: &str, path: &str) -> (usize, usize) {
    let mut pos = 0usize;
    for segment in path.split('.') {
        let (key, bracket) = match segment.split_once('[') {
            Some((k, rest)) => (k, Some(rest.trim_end_matches(']'))),
            None => (segment, None),
        };
        if !key.is_empty()
            && let Some(found) = find_key(text, pos, key)
        {
            pos = found;
        }
        if let Some(inner) = bracket {
            let needle = format!("\"{inner}\"");
            if let Some(found) = text.get(pos..).and_then(|t| t.find(&needle)) {
                pos += found;
            }
        }
    }
    line_column(text, pos)
}

fn find_key(text: &str, from: usize, key: &str) -> Option<usize> {
    let hay = text.get(from..)?;
    let mut offset = 0;
    while let Some(i) = hay.get(offset..)?.find(key) {
        let start = offset + i;
        let before_ok = start == 0
            || !hay[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"');
        let after = hay[start + key.len()..].trim_start();
        if before_ok && after.starts_with(':') {
            return Some(from + start);
        }
        offset = start + key.len();
    }
    None
}

fn line_column(text: &str, pos: usize) -> (usize, usize) {
    let before = text.get(..pos).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

pub(super) struct PackChecker<'a> {
    pub(super) text: &'a str,
    pub(super) errors: Vec<ProtocolError>,
}

impl PackChecker<'_> {
    pub(super) fn error(&mut self, field: &str, message: impl Into<String>) {
        let (line, column) = locate(self.text, field);
        self.errors.push(ProtocolError {
            field: field.to_string(),
            line,
            column,
            message: message.into(),
        });
    }

    pub(super) fn non_empty(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.error(field, "must not be empty");
        }
    }

    /// `lower` must be strictly below `upper` (e.g. a soft limit below its hard limit).
    pub(super) fn below(&mut self, lower: (&str, &Threshold), upper: (&str, &Threshold)) {
        if lower.1.value >= upper.1.value {
            self.error(
                lower.0,
                format!(
                    "{} must be below {} ({})",
                    format_threshold_value(lower.1.value),
                    upper.0,
                    format_threshold_value(upper.1.value)
                ),
            );
        }
    }
}
