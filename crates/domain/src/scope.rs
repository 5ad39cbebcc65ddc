//! Who is acting and which part of the tree they may see or change.
//!
//! The parts of a scope: the actor, the reach (a subtree) and the rights. The capability
//! itself (`chibo_store::Scope`) is sealed in the store, which alone builds one after the
//! role check and ANDs its subtree filter into every query.

use crate::org::{OrgId, OrgPath};
use serde::{Deserialize, Serialize};

/// Who performed an action, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    /// A logged-in user account.
    User { id: i64, login: String },
    /// The command line run by the operator of the server (demo loading, imports by script).
    System { what: String },
}

impl Actor {
    /// The text stored in the audit log's actor column.
    pub fn label(&self) -> String {
        match self {
            Actor::User { login, .. } => login.clone(),
            Actor::System { what } => format!("system:{what}"),
        }
    }

    /// The account id, when a user acted.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User { id, .. } => Some(*id),
            Actor::System { .. } => None,
        }
    }
}

/// What part of the tree may be reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reach {
    /// Everything (system administrator, operator CLI).
    All,
    /// One organization and everything under it.
    Subtree { org: OrgId, path: OrgPath },
}

/// What may be done inside the reach. Ordered: each level includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rights {
    /// Read only (organization viewer).
    Read,
    /// Read, and keep members' records (cell secretary).
    Members,
    /// Read, keep members, and change the organization tree and accounts (administrators).
    Full,
}
