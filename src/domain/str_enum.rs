//! `str_enum!`: a case enum's contract strings (`as_str`, `parse`, `ALL`), and serde through
//! those strings, shared by every module that defines one.

macro_rules! str_enum {
    ($t:ty { $($v:ident = $s:literal),* $(,)? }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            pub fn parse(s: &str) -> Option<$t> {
                match s { $($s => Some(<$t>::$v),)* _ => None }
            }
        }
        // Saved as the contract's strings ("mg/kg/h", "outpatient") in JSON and RON alike.
        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(s: String) -> Result<$t, String> {
                <$t>::parse(&s).ok_or_else(|| format!("\"{s}\" is not one of: {}", [$($s),*].join(", ")))
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.as_str().to_string()
            }
        }
    };
}

pub(crate) use str_enum;
