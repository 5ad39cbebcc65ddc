//! Who is acting and which part of the tree they may see or change.
//!
//! A `Scope` is the capability the store demands for every read and write: the subtree of
//! organizations a user may reach and whether they may change it. It is built after the role
//! check; the store ANDs its subtree filter into every query.

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rights {
    /// Read only (organization viewer).
    Read,
    /// Read, and keep members' records (cell secretary).
    Members,
    /// Read, keep members, and change the organization tree and accounts (administrators).
    Full,
}

/// The capability handed to the store: actor, reach and rights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Who acts.
    pub actor: Actor,
    /// Where.
    pub reach: Reach,
    /// What may be done there.
    pub rights: Rights,
}

impl Scope {
    /// Full access for the operator's command line.
    pub fn system(what: &str) -> Self {
        Self { actor: Actor::System { what: what.to_owned() }, reach: Reach::All, rights: Rights::Full }
    }

    /// Whether the scope allows at least `needed`.
    pub fn allows(&self, needed: Rights) -> bool {
        self.rights >= needed
    }

    /// The organization the reach is rooted at (None for the whole tree).
    pub fn root(&self) -> Option<OrgId> {
        match &self.reach {
            Reach::All => None,
            Reach::Subtree { org, .. } => Some(*org),
        }
    }

    /// Whether an organization at `path` is inside the scope.
    pub fn covers(&self, path: &OrgPath) -> bool {
        match &self.reach {
            Reach::All => true,
            Reach::Subtree { path: root, .. } => root.contains(path),
        }
    }

    /// The path-prefix range to AND into queries, None for unrestricted.
    pub fn path_range(&self) -> Option<(String, String)> {
        match &self.reach {
            Reach::All => None,
            Reach::Subtree { path, .. } => Some(path.subtree_range()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtree_scope_covers_descendants_not_siblings() {
        let root = OrgPath::root(1).child(20);
        let scope = Scope { actor: Actor::System { what: "t".into() }, reach: Reach::Subtree { org: 20, path: root.clone() }, rights: Rights::Read };
        assert!(scope.covers(&root));
        assert!(scope.covers(&root.child(300)));
        assert!(!scope.covers(&OrgPath::root(1).child(21)));
        assert!(!scope.covers(&OrgPath::root(1).child(200)));
        assert!(!scope.covers(&OrgPath::root(1)));
        assert!(Scope::system("cli").covers(&OrgPath::root(9)));
        assert!(!scope.allows(Rights::Members) && scope.allows(Rights::Read));
        assert!(Scope::system("cli").allows(Rights::Full));
        assert_eq!(scope.root(), Some(20));
    }
}
