//! User accounts: login, role and the organization their scope is rooted at. Passwords are
//! stored only as argon2id hashes, produced by the caller (the web crate owns hashing).

use crate::audit::{self, Entry};
use crate::db::{all, get, one};
use crate::error::map_unique;
use crate::{Result, Scoped, StoreError};
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::org::OrgId;
use sea_orm::TransactionTrait;
use serde::Serialize;

/// An account without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Surrogate key.
    pub id: i64,
    /// Login name.
    pub login: String,
    /// Name shown in the interface.
    pub display_name: String,
    /// Role code (`admin`, `org_admin`, `org_viewer`, `secretary`, `member`).
    pub role: String,
    /// Root of the account's scope (None for the system administrator).
    pub org_id: Option<OrgId>,
    /// Whether it may log in.
    pub active: bool,
}

/// Input for a new account.
pub struct NewAccount {
    /// Login name.
    pub login: String,
    /// Name shown in the interface.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role code.
    pub role: String,
    /// Scope root.
    pub org_id: Option<OrgId>,
}

impl Scoped<'_> {
    /// Creates an account rooted inside the caller's scope.
    pub async fn create_account(&self, new: NewAccount) -> Result<Account> {
        self.require_write()?;
        let login = new.login.trim().to_lowercase();
        if login.is_empty() {
            return Err(StoreError::field(FieldError::new("login", ErrorCode::Required)));
        }
        let path = match new.org_id {
            Some(o) => Some(self.org(o).await?.path),
            None if self.scope.reach == chibo_domain::scope::Reach::All => None,
            None => return Err(StoreError::NotFound),
        };
        let txn = self.store.db.begin().await?;
        let row = one(
            &txn,
            "INSERT INTO account (login, display_name, password_hash, role, org_id, member_id, active, version, created_at) VALUES ($1, $2, $3, $4, $5, NULL, $6, 1, $7) RETURNING id",
            vec![login.clone().into(), new.display_name.clone().into(), new.password_hash.into(), new.role.clone().into(), new.org_id.into(), true.into(), chrono::Utc::now().into()],
        )
        .await
        .map_err(|e| match e {
            StoreError::Db(db) => {
                let taken = FieldError::new("login", ErrorCode::LoginTaken).with("value", &login);
                map_unique(db, &[("account.login", taken.clone()), ("ux_account_login", taken)])
            }
            other => other,
        })?
        .ok_or(StoreError::NotFound)?;
        let account = Account { id: get(&row, "id")?, login, display_name: new.display_name, role: new.role, org_id: new.org_id, active: true };
        let after = serde_json::to_value(&account).unwrap_or_default();
        audit::append(
            &txn,
            Entry {
                actor: &self.scope.actor,
                action: "account.create",
                entity: "account",
                entity_id: Some(account.id),
                org_path: path.as_ref(),
                before: None,
                after: Some(after),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(account)
    }

    /// Accounts rooted inside the scope.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let sql = format!(
            "SELECT a.id, a.login, a.display_name, a.role, a.org_id, a.active FROM account a LEFT JOIN org o ON o.id = a.org_id WHERE 1=1{} ORDER BY a.login",
            self.scope_filter("o.path", 1)
        );
        let rows = all(&self.store.db, &sql, self.scope_values()).await?;
        rows.iter()
            .map(|r| {
                Ok(Account {
                    id: get(r, "id")?,
                    login: get(r, "login")?,
                    display_name: get(r, "display_name")?,
                    role: get(r, "role")?,
                    org_id: get(r, "org_id")?,
                    active: get(r, "active")?,
                })
            })
            .collect()
    }
}

impl crate::Store {
    /// The password hash and account of a login, for authentication (before any scope exists).
    pub async fn account_for_login(&self, login: &str) -> Result<Option<(Account, String)>> {
        let r = one(
            &self.db,
            "SELECT id, login, display_name, role, org_id, active, password_hash FROM account WHERE login = $1",
            vec![login.trim().to_lowercase().into()],
        )
        .await?;
        r.map(|r| {
            Ok((
                Account {
                    id: get(&r, "id")?,
                    login: get(&r, "login")?,
                    display_name: get(&r, "display_name")?,
                    role: get(&r, "role")?,
                    org_id: get(&r, "org_id")?,
                    active: get(&r, "active")?,
                },
                get(&r, "password_hash")?,
            ))
        })
        .transpose()
    }
}
