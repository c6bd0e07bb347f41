//! One liver function test result as the course file records it, and the enzymes it holds.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One liver function test result (U/L). Every value is optional except the date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LftResult {
    /// `YYYY-MM-DD`
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ast: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alp: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_uln: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ast_uln: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alp_uln: Option<f64>,
}

impl LftResult {
    /// A result with only its date.
    pub fn on(date: NaiveDate) -> Self {
        LftResult {
            date,
            alt: None,
            ast: None,
            alp: None,
            alt_uln: None,
            ast_uln: None,
            alp_uln: None,
        }
    }

    /// The enzyme's value and its upper limit of normal.
    pub fn of(&self, enzyme: Enzyme) -> (Option<f64>, Option<f64>) {
        match enzyme {
            Enzyme::Alt => (self.alt, self.alt_uln),
            Enzyme::Ast => (self.ast, self.ast_uln),
            Enzyme::Alp => (self.alp, self.alp_uln),
        }
    }

    /// Every value with its field name, in file order.
    pub fn values(&self) -> [(&'static str, Option<f64>); 6] {
        [
            ("alt", self.alt),
            ("ast", self.ast),
            ("alp", self.alp),
            ("alt_uln", self.alt_uln),
            ("ast_uln", self.ast_uln),
            ("alp_uln", self.alp_uln),
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Enzyme {
    Alt,
    Ast,
    Alp,
}

impl Enzyme {
    pub const ALL: [Enzyme; 3] = [Enzyme::Alt, Enzyme::Ast, Enzyme::Alp];

    pub fn name(self) -> &'static str {
        match self {
            Enzyme::Alt => "ALT",
            Enzyme::Ast => "AST",
            Enzyme::Alp => "ALP",
        }
    }
}
