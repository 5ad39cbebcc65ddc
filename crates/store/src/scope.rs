//! The capability the store demands for every read and write of a signed-in person's work.
//!
//! A [`Scope`] is sealed: its fields are private and it is made only here, by
//! [`Store::grant`](crate::Store::grant) and [`Store::token_grant`](crate::Store::token_grant)
//! for people, and, behind the cargo feature `operator` (the CLI, the demo and the generator
//! enable it; the web crate does not), by [`Store::operator`](crate::Store::operator). The web
//! crate therefore cannot widen what a user reaches: it can only pass on the scope it was given.
//!
//! ```compile_fail
//! use chibo_domain::scope::{Actor, Reach, Rights};
//! // Outside the store a scope cannot be assembled from its parts.
//! let s = chibo_store::Scope { actor: Actor::System { what: "x".into() }, reach: Reach::All, rights: Rights::Full };
//! ```
//!
//! ```compile_fail
//! // Nor made from nothing.
//! let s = chibo_store::Scope::new(chibo_domain::scope::Actor::System { what: "x".into() }, chibo_domain::scope::Reach::All, chibo_domain::scope::Rights::Full);
//! ```

use chibo_domain::org::{OrgId, OrgPath};
use chibo_domain::scope::{Actor, Reach, Rights};

/// Who acts, the subtree they reach, and what they may do there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub(crate) actor: Actor,
    pub(crate) reach: Reach,
    pub(crate) rights: Rights,
}

impl Scope {
    /// Only the store mints scopes.
    pub(crate) fn new(actor: Actor, reach: Reach, rights: Rights) -> Self {
        Self { actor, reach, rights }
    }

    /// Full access for the operator's commands, named after what runs (`system:demo`).
    #[cfg(feature = "operator")]
    pub fn operator(what: &str) -> Self {
        Self::new(Actor::System { what: what.to_owned() }, Reach::All, Rights::Full)
    }

    /// A scope made of its parts, for tests that play a user of some subtree.
    #[cfg(feature = "testing")]
    pub fn for_tests(actor: Actor, reach: Reach, rights: Rights) -> Self {
        Self::new(actor, reach, rights)
    }

    /// The same reach with fewer rights (never more: `rights` above the current ones are
    /// capped).
    pub fn narrowed_to(&self, rights: Rights) -> Self {
        Self { rights: rights.min(self.rights), ..self.clone() }
    }

    /// Who acts.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Where.
    pub fn reach(&self) -> &Reach {
        &self.reach
    }

    /// What may be done there.
    pub fn rights(&self) -> Rights {
        self.rights
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
        let scope = Scope::new(Actor::System { what: "t".into() }, Reach::Subtree { org: 20, path: root.clone() }, Rights::Read);
        let all = Scope::new(Actor::System { what: "t".into() }, Reach::All, Rights::Full);
        assert!(scope.covers(&root));
        assert!(scope.covers(&root.child(300)));
        assert!(!scope.covers(&OrgPath::root(1).child(21)));
        assert!(!scope.covers(&OrgPath::root(1).child(200)));
        assert!(!scope.covers(&OrgPath::root(1)));
        assert!(all.covers(&OrgPath::root(9)));
        assert!(!scope.allows(Rights::Members) && scope.allows(Rights::Read));
        assert!(all.allows(Rights::Full));
        assert_eq!(scope.root(), Some(20));
    }

    #[test]
    fn narrowing_never_widens() {
        let s = Scope::new(Actor::System { what: "t".into() }, Reach::All, Rights::Members);
        assert_eq!(s.narrowed_to(Rights::Read).rights(), Rights::Read);
        assert_eq!(s.narrowed_to(Rights::Full).rights(), Rights::Members);
    }
}
