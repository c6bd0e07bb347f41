//! An error in a pack: the field, its `line:column` in the file, and what is wrong.

use std::fmt;

/// An error in a pack: the field, where it is in the file, and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ProtocolError {
    pub field: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}:{}: {}", self.line, self.column, self.message)
        } else {
            write!(
                f,
                "{}:{}: {}: {}",
                self.line, self.column, self.field, self.message
            )
        }
    }
}
