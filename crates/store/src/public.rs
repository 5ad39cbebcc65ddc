//! Facts any signed-in user may see, whatever their scope: organization names and codes on a
//! path (the heading of a letter, the receiving side of a transfer) and whether a party card
//! number is recorded (an introducer from a shared workplace). One named handle, so that no
//! caller needs a wider scope to read them, and so that what is public is listed in one place.

use crate::kernel::sql::{get, one};
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

    /// The names of organizations, current or dissolved (ids that name none are left out).
    pub async fn org_names(&self, ids: &[OrgId]) -> Result<std::collections::HashMap<OrgId, String>> {
        let mut out = std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            let sql = format!("SELECT id, name FROM org WHERE id IN ({})", crate::kernel::sql::placeholders(1, chunk.len()));
            for r in crate::kernel::sql::all(&self.store.db, &sql, chunk.iter().map(|&i| i.into()).collect()).await? {
                out.insert(get(&r, "id")?, get(&r, "name")?);
            }
        }
        Ok(out)
    }

    /// The names and levels of an organization and its ancestors, root first (for the
    /// heading of a letter the organization issues), in one query.
    pub async fn org_names_on_path(&self, id: OrgId) -> Result<Vec<(String, OrgKind)>> {
        let r = one(&self.store.db, "SELECT path FROM org WHERE id = $1", vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
        let path = OrgPath::from_stored(get(&r, "path")?);
        let ids = path.ids();
        let sql = format!("SELECT id, name, kind FROM org WHERE id IN ({})", crate::kernel::sql::placeholders(1, ids.len()));
        let rows = crate::kernel::sql::all(&self.store.db, &sql, ids.iter().map(|&i| i.into()).collect()).await?;
        let mut by_id = std::collections::HashMap::new();
        for r in &rows {
            let kind: String = get(r, "kind")?;
            by_id.insert(get::<OrgId>(r, "id")?, (get::<String>(r, "name")?, OrgKind::from_code(&kind).ok_or(StoreError::NotFound)?));
        }
        ids.iter().map(|a| by_id.remove(a).ok_or(StoreError::NotFound)).collect()
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
