//! Facts any signed-in user may see, whatever their scope: organization names and codes on a
//! path (the heading of a letter, the receiving side of a transfer) and whether a party card
//! number is recorded (an introducer from a shared workplace). One named handle, so that no
//! caller needs a wider scope to read them, and so that what is public is listed in one place.

use crate::db::{get, one};
use crate::org::OrgMatch;
use crate::{Result, Scope, Store, StoreError};
use chibo_domain::member::MemberId;
use chibo_domain::org::{OrgId, OrgKind, OrgPath};
use chibo_domain::scope::{Actor, Reach, Rights};

/// The handle on public facts (see the module's documentation).
pub struct Public<'a> {
    store: &'a Store,
}

impl Store {
    /// Facts any signed-in user may see.
    pub fn public(&self) -> Public<'_> {
        Public { store: self }
    }
}

impl Public<'_> {
    /// The name of an organization, current or dissolved.
    pub async fn org_name(&self, id: OrgId) -> Result<String> {
        let r = one(&self.store.db, "SELECT name FROM org WHERE id = $1", vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
        get(&r, "name")
    }

    /// The names and levels of an organization and its ancestors, root first (for the
    /// heading of a letter the organization issues).
    pub async fn org_names_on_path(&self, id: OrgId) -> Result<Vec<(String, OrgKind)>> {
        let r = one(&self.store.db, "SELECT path FROM org WHERE id = $1", vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
        let path = OrgPath::from_stored(get(&r, "path")?);
        let mut out = Vec::new();
        for a in path.ids() {
            let r = one(&self.store.db, "SELECT name, kind FROM org WHERE id = $1", vec![a.into()]).await?.ok_or(StoreError::NotFound)?;
            let kind: String = get(&r, "kind")?;
            out.push((get(&r, "name")?, OrgKind::from_code(&kind).ok_or(StoreError::NotFound)?));
        }
        Ok(out)
    }

    /// Finds an organization anywhere in the instance by code or name, to name the receiving
    /// side of a transfer or a member's residence cell. It reads nothing but organizations.
    pub async fn find_org(&self, query: &str) -> Result<OrgMatch> {
        let everything = Scope::new(Actor::System { what: "public".into() }, Reach::All, Rights::Read);
        self.store.within(&everything).find_org(query).await
    }

    /// The member holding a party card, anywhere in the instance (only the id: an introducer
    /// from a shared workplace is named by card; what a case may show of them is decided when
    /// the case is opened).
    pub async fn member_id_by_card(&self, card: &str) -> Result<Option<MemberId>> {
        let digits: String = card.chars().filter(char::is_ascii_digit).collect();
        let r = one(&self.store.db, "SELECT id FROM member WHERE card_number = $1", vec![digits.into()]).await?;
        r.map(|r| get(&r, "id")).transpose()
    }
}
