//! The account forms as typed.

use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct NewInput {
    #[serde(default)]
    pub(super) login: String,
    #[serde(default)]
    pub(super) display_name: String,
    #[serde(default)]
    pub(super) role: String,
    #[serde(default)]
    pub(super) org: String,
    #[serde(default)]
    pub(super) member: String,
    #[serde(default)]
    pub(super) password: String,
}

#[derive(Deserialize, Default)]
pub(super) struct PasswordInput {
    #[serde(default)]
    pub(super) version: i64,
    #[serde(default)]
    pub(super) password: String,
}

#[derive(Deserialize, Default)]
pub(super) struct ActiveInput {
    #[serde(default)]
    pub(super) version: i64,
    #[serde(default)]
    pub(super) active: String,
}

/// Lifting a sign-in wait carries nothing but the form's token.
#[derive(Deserialize, Default)]
pub(super) struct UnlockInput {}
