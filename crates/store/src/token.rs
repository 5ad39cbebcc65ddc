//! Personal API tokens: a person creates them for scripts and other systems, each carrying
//! that person's scope, optionally narrowed to a subtree inside it and to reading only. Only
//! the token's hash is stored; revoking is immediate. Requests are counted per token and
//! minute in the database for rate limiting.

use crate::Scope;
use crate::account::{Account, Grant, account_from_row};
use crate::kernel::Audit;
use crate::kernel::sql::{all, exec, get, one};
use crate::org::load_org_unscoped;
use crate::{Result, Store, StoreError};
use chibo_domain::account::audit::TokenAction;
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::org::OrgId;
use chibo_domain::scope::{Reach, Rights};
use chrono::{DateTime, Utc};
use sea_orm::QueryResult;
use serde::Serialize;

/// A token as listed (never with its secret).
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    /// Surrogate key.
    pub id: i64,
    /// The owner.
    pub account_id: i64,
    /// What the owner called it ("Cổng thông tin tỉnh").
    pub name: String,
    /// The subtree it is narrowed to, if any.
    pub org_id: Option<OrgId>,
    /// Reads only.
    pub read_only: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was revoked (it no longer works).
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was last used.
    pub last_used_at: Option<DateTime<Utc>>,
}

const TOKEN_COLS: &str = "t.id, t.account_id, t.name, t.org_id, t.read_only, t.created_at, t.revoked_at, t.last_used_at";

fn token_from_row(r: &QueryResult) -> Result<ApiToken> {
    Ok(ApiToken {
        id: get(r, "id")?,
        account_id: get(r, "account_id")?,
        name: get(r, "name")?,
        org_id: get(r, "org_id")?,
        read_only: get(r, "read_only")?,
        created_at: get(r, "created_at")?,
        revoked_at: get(r, "revoked_at")?,
        last_used_at: get(r, "last_used_at")?,
    })
}

/// What an API request may do: the token's narrowed grant.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    /// The token.
    pub token: ApiToken,
    /// Its owner.
    pub account: Account,
    /// The capability (never wider than the owner's).
    pub grant: Grant,
}

impl Store {
    /// Creates a token for an account. `org_id` narrows it to a subtree that must lie inside
    /// the account's own scope; members' accounts get tokens over their own record only.
    pub async fn create_api_token(&self, account: &Account, name: &str, token_hash: &str, org_id: Option<OrgId>, read_only: bool) -> Result<ApiToken> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(StoreError::field(FieldError::new("name", ErrorCode::Required)));
        }
        if let Some(o) = org_id {
            // Narrowing must stay inside what the account reaches.
            match self.grant(account).await? {
                Grant::Org(scope) => {
                    self.within(&scope).org(o).await?;
                }
                Grant::OwnRecord(_) => return Err(StoreError::NotFound),
            }
        }
        let actor = account.actor();
        let ch = self.own_change(&actor).await?;
        let txn = &*ch;
        let row = one(
            txn,
            "INSERT INTO api_token (account_id, name, token_hash, org_id, read_only, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            vec![account.id.into(), name.clone().into(), token_hash.into(), org_id.into(), read_only.into(), ch.now().into()],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        let id: i64 = get(&row, "id")?;
        let token = self.token_in(txn, id).await?;
        let path = match org_id.or(account.org_id) {
            Some(o) => Some(load_org_unscoped(txn, o).await?.path),
            None => None,
        };
        ch.audit(Audit::of(TokenAction::Create, Some(id)).at_maybe(path.as_ref()).after(&token)).await?;
        ch.commit().await?;
        Ok(token)
    }

    async fn token_in<C: sea_orm::ConnectionTrait>(&self, c: &C, id: i64) -> Result<ApiToken> {
        let r = one(c, &format!("SELECT {TOKEN_COLS} FROM api_token t WHERE t.id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
        token_from_row(&r)
    }

    /// The tokens of an account, newest first.
    pub async fn api_tokens(&self, account_id: i64) -> Result<Vec<ApiToken>> {
        let rows = all(&self.db, &format!("SELECT {TOKEN_COLS} FROM api_token t WHERE t.account_id = $1 ORDER BY t.id DESC"), vec![account_id.into()]).await?;
        rows.iter().map(token_from_row).collect()
    }

    /// Revokes one of the account's tokens (NotFound for another account's token).
    pub async fn revoke_api_token(&self, account: &Account, id: i64) -> Result<ApiToken> {
        let actor = account.actor();
        let ch = self.own_change(&actor).await?;
        let txn = &*ch;
        let before = self.token_in(txn, id).await?;
        if before.account_id != account.id {
            return Err(StoreError::NotFound);
        }
        exec(txn, "UPDATE api_token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", vec![id.into(), ch.now().into()]).await?;
        let after = self.token_in(txn, id).await?;
        let path = match before.org_id.or(account.org_id) {
            Some(o) => Some(load_org_unscoped(txn, o).await?.path),
            None => None,
        };
        ch.audit(Audit::of(TokenAction::Revoke, Some(id)).at_maybe(path.as_ref()).before(&before).after(&after)).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// The grant of a live token (None when unknown, revoked, or its account disabled): the
    /// owner's grant, narrowed to the token's subtree and to reading if it says so.
    pub async fn token_grant(&self, token_hash: &str) -> Result<Option<TokenGrant>> {
        let sql = format!(
            "SELECT {TOKEN_COLS}, a.id AS a_id, a.login, a.display_name, a.role, a.org_id AS a_org_id, a.member_id, a.active, a.version \
             FROM api_token t JOIN account a ON a.id = t.account_id WHERE t.token_hash = $1"
        );
        let Some(r) = one(&self.db, &sql, vec![token_hash.into()]).await? else { return Ok(None) };
        let token = token_from_row(&r)?;
        let account = account_from_row(&r, "a_id", "a_org_id")?;
        if token.revoked_at.is_some() || !account.active {
            return Ok(None);
        }
        let grant = match self.grant(&account).await? {
            Grant::Org(scope) => {
                let reach = match token.org_id {
                    Some(o) => {
                        let path = load_org_unscoped(&self.db, o).await?.path;
                        // A narrowing that no longer lies inside the owner's scope (the
                        // owner was moved) grants nothing.
                        if !scope.covers(&path) {
                            return Ok(None);
                        }
                        Reach::Subtree { org: o, path }
                    }
                    None => scope.reach,
                };
                let rights = if token.read_only { Rights::Read } else { scope.rights };
                Grant::Org(Scope::new(scope.actor, reach, rights))
            }
            own => own,
        };
        if token.last_used_at.is_none_or(|t| self.clock().now() - t > chrono::Duration::seconds(60)) {
            // Noted beside the request, not before its answer: a read never waits for this
            // write (behind a large import, say), and a lost note only shows an older time.
            let (db, id, now) = (self.db.clone(), token.id, self.clock().now());
            tokio::spawn(async move {
                if let Err(e) = exec(&db, "UPDATE api_token SET last_used_at = $2 WHERE id = $1", vec![id.into(), now.into()]).await {
                    tracing::debug!(error = %e, "token: time of last use not noted");
                }
            });
        }
        Ok(Some(TokenGrant { token, account, grant }))
    }
}
