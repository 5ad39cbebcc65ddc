//! The token form as typed.

use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct TokenInput {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) org: String,
    pub(super) read_only: Option<String>,
}
