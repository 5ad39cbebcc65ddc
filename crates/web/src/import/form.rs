//! The import pages' forms and queries.

use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct OrgQuery {
    #[serde(default)]
    pub(super) org: String,
}

#[derive(Deserialize)]
pub(super) struct CommitForm {
    #[serde(default)]
    pub(super) mode: String,
}

/// `format=xlsx|csv` of an export.
#[derive(Deserialize, Default)]
pub(crate) struct FormatQuery {
    #[serde(default)]
    pub(crate) format: String,
}
