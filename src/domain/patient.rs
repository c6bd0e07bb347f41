//! The patient's body as a case records it (age, weight, height, sex) and the weight the doses
//! are based on; below both `case` and `weight`, so neither imports the other.

use crate::domain::str_enum::str_enum;
use crate::domain::units::{Kilograms, Pounds};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum WeightUnit {
    Kg,
    Lb,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Sex {
    Female,
    Male,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum DosingWeightBasis {
    #[default]
    Actual,
    Ideal,
    Adjusted,
}

str_enum!(WeightUnit { Kg = "kg", Lb = "lb" });
str_enum!(Sex {
    Female = "female",
    Male = "male"
});
str_enum!(DosingWeightBasis {
    Actual = "actual",
    Ideal = "ideal",
    Adjusted = "adjusted"
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightEntry {
    pub value: f64,
    pub unit: WeightUnit,
}

impl WeightEntry {
    pub fn kilograms(&self) -> Kilograms {
        match self.unit {
            WeightUnit::Kg => Kilograms(self.value),
            WeightUnit::Lb => Pounds(self.value).to_kg(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    pub age_years: u32,
    pub weight: WeightEntry,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_cm: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
}
