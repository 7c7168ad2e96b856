//! Standard codes of card companies and banks (KFTC).

use super::de::{absent, lenient};
use serde::{Deserialize, Serialize};

/// A card company or bank and its standard code (spec: `StandardCodeAnnotation`).
#[serde_with::apply(_ => #[serde(default = "absent", deserialize_with = "lenient")])]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct StandardCode {
    /// Standard code.
    #[serde(deserialize_with = "crate::model::de::token")]
    #[serde_with(skip_apply)]
    pub code: String,
    /// Name of the institution.
    pub name: String,
}
