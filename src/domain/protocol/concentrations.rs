//! The pack's standard concentrations and how each is prepared (container, vials, diluent).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardConcentration {
    pub mg_per_ml: f64,
    pub label: String,
    pub source: String,
    #[serde(default)]
    pub institution_default: bool,
    /// How the pharmacy or nurse makes it; absent = prepared by the pharmacist on request.
    #[serde(default)]
    pub preparation: Option<PreparationDef>,
}

/// A standard preparation: container, vial used, diluent and beyond-use time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreparationDef {
    /// "bag" or "syringe".
    pub container: String,
    pub container_ml: f64,
    pub vial_mg_per_ml: f64,
    pub vial_ml: f64,
    pub diluent: String,
    pub beyond_use_hours: f64,
    pub source: String,
    /// Container sizes stocked (mL), chosen by need; empty: only `container_ml`.
    #[serde(default)]
    pub container_sizes_ml: Vec<f64>,
    /// Vials stocked, chosen by need (fewest vials, then least drug left in them); empty: only
    /// `vial_mg_per_ml` × `vial_ml`.
    #[serde(default)]
    pub vial_options: Vec<VialDef>,
}

/// A vial stocked by the pharmacy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VialDef {
    pub mg_per_ml: f64,
    pub ml: f64,
}
