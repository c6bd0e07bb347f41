//! The regimen a case orders: setting, course, dosing-weight basis, bolus, infusion and its
//! ceiling, duration and concentration, with the units each dose may be entered in.

use crate::domain::patient::DosingWeightBasis;
use crate::domain::str_enum::str_enum;
use crate::domain::units::{Kilograms, MgPerHour, MgPerKg, MgPerKgPerHour, Milligrams};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Setting {
    Outpatient,
    Inpatient,
    Icu,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Course {
    Single,
    Series,
    Continuous,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum BolusUnit {
    MgPerKg,
    Mg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum RateUnit {
    MgPerKgPerHour,
    McgPerKgPerMin,
    MgPerHour,
}

str_enum!(Setting {
    Outpatient = "outpatient",
    Inpatient = "inpatient",
    Icu = "icu"
});
str_enum!(Course {
    Single = "single",
    Series = "series",
    Continuous = "continuous"
});
str_enum!(BolusUnit {
    MgPerKg = "mg/kg",
    Mg = "mg"
});
str_enum!(RateUnit {
    MgPerKgPerHour = "mg/kg/h",
    McgPerKgPerMin = "mcg/kg/min",
    MgPerHour = "mg/h"
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BolusEntry {
    pub value: f64,
    pub unit: BolusUnit,
    pub minutes: f64,
}

impl BolusEntry {
    /// The bolus per kg of dosing weight, whatever unit it was entered in.
    pub fn mg_per_kg(&self, dosing_weight: Kilograms) -> MgPerKg {
        match self.unit {
            BolusUnit::MgPerKg => MgPerKg(self.value),
            BolusUnit::Mg => Milligrams(self.value).per_weight(dosing_weight),
        }
    }
    pub fn mg(&self, dosing_weight: Kilograms) -> Milligrams {
        match self.unit {
            BolusUnit::MgPerKg => MgPerKg(self.value).times_weight(dosing_weight),
            BolusUnit::Mg => Milligrams(self.value),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateEntry {
    pub value: f64,
    pub unit: RateUnit,
}

impl RateEntry {
    pub fn mg_per_kg_per_h(&self, dosing_weight: Kilograms) -> MgPerKgPerHour {
        match self.unit {
            RateUnit::MgPerKgPerHour => MgPerKgPerHour(self.value),
            RateUnit::McgPerKgPerMin => {
                crate::domain::units::McgPerKgPerMin(self.value).to_mg_per_kg_per_h()
            }
            RateUnit::MgPerHour => MgPerHour(self.value).per_weight(dosing_weight),
        }
    }
    pub fn mg_per_h(&self, dosing_weight: Kilograms) -> MgPerHour {
        match self.unit {
            RateUnit::MgPerHour => MgPerHour(self.value),
            _ => self
                .mg_per_kg_per_h(dosing_weight)
                .times_weight(dosing_weight),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regimen {
    pub setting: Setting,
    pub course: Course,
    #[serde(default)]
    pub dosing_weight: DosingWeightBasis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bolus: Option<BolusEntry>,
    pub infusion: RateEntry,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_infusion: Option<RateEntry>,
    pub duration_h: f64,
    pub concentration_mg_per_ml: f64,
}

impl Regimen {
    /// The bolus to give, if any (a value of 0 means no bolus).
    pub fn given_bolus(&self) -> Option<&BolusEntry> {
        self.bolus.as_ref().filter(|b| b.value > 0.0)
    }
}
