//! User accounts, their sessions and sign-in bookkeeping. Passwords and session tokens are
//! stored only as hashes produced by the caller (the web crate owns hashing and token
//! generation); the store never sees a password or a live token.
//!
//! An account's role and root decide its capability: `Store::grant` turns an account into a
//! [`Grant`], the only way to obtain a scoped handle for a signed-in person.

use crate::Scope;
use crate::error::map_unique;
use crate::kernel::sql::{all, exec, get, one};
use crate::kernel::{Audit, Versioned};
use crate::member::load_member_unscoped;
use crate::org::load_org_unscoped;
use crate::{Result, Scoped, Store, StoreError};
use chibo_domain::account::audit::AccountAction;
use chibo_domain::account::{Role, parse_login};
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::member::MemberId;
use chibo_domain::org::{OrgId, OrgPath};
use chibo_domain::scope::{Actor, Reach, Rights};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};
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
    /// What the account is for.
    pub role: Role,
    /// Root of the account's scope (None for the system administrator and members).
    pub org_id: Option<OrgId>,
    /// The member a member account belongs to.
    pub member_id: Option<MemberId>,
    /// Whether it may sign in.
    pub active: bool,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

impl Account {
    /// The actor recorded in the audit log for this account's actions.
    pub fn actor(&self) -> Actor {
        Actor::User { id: self.id, login: self.login.clone() }
    }
}

const ACCOUNT_COLS: &str = "a.id, a.login, a.display_name, a.role, a.org_id, a.member_id, a.active, a.version";

/// An account from a row; `id_col` and `org_col` name its key and root columns (joins rename
/// them).
pub(crate) fn account_from_row(r: &QueryResult, id_col: &str, org_col: &str) -> Result<Account> {
    let role: String = get(r, "role")?;
    Ok(Account {
        id: get(r, id_col)?,
        login: get(r, "login")?,
        display_name: get(r, "display_name")?,
        role: Role::from_code(&role).ok_or_else(|| StoreError::Db(sea_orm::DbErr::Custom(format!("unknown role {role}"))))?,
        org_id: get(r, org_col)?,
        member_id: get(r, "member_id")?,
        active: get(r, "active")?,
        version: get(r, "version")?,
    })
}

fn account_row(r: &QueryResult) -> Result<Account> {
    account_from_row(r, "id", "org_id")
}

/// Input for a new account.
pub struct NewAccount {
    /// Login name (validated here).
    pub login: String,
    /// Name shown in the interface.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Scope root for organization roles.
    pub org_id: Option<OrgId>,
    /// The member, for member accounts.
    pub member_id: Option<MemberId>,
}

/// What a signed-in account may do: a scoped handle over a subtree, or its own member record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// Organization roles: a scope to pass to [`Store::within`].
    Org(Scope),
    /// A member: only their own record, through [`Store::own`].
    OwnRecord(OwnGrant),
}

/// A member account's capability: its own record and nothing else. Sealed like [`Scope`]:
/// only [`Store::grant`] and [`Store::token_grant`] make one, so no caller can name another
/// member's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnGrant {
    pub(crate) actor: Actor,
    pub(crate) member_id: MemberId,
}

impl OwnGrant {
    /// Who acts.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The member's own record.
    pub fn member_id(&self) -> MemberId {
        self.member_id
    }

    /// A grant made of its parts, for tests that play a member without an account.
    #[cfg(feature = "testing")]
    pub fn for_tests(actor: Actor, member_id: MemberId) -> Self {
        Self { actor, member_id }
    }
}

/// A live session as read back for a request.
#[derive(Debug, Clone)]
pub struct Session {
    /// The signed-in account.
    pub account: Account,
    /// The token forms must echo (synchronizer-token CSRF protection).
    pub csrf_token: String,
    /// When the session began (for the absolute timeout).
    pub created_at: DateTime<Utc>,
}

/// How long sessions live.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    /// Ended after this long without a request.
    pub idle: Duration,
    /// Ended this long after sign-in, however active.
    pub absolute: Duration,
}

/// How sign-in tries of one key (a login from an address, or an address) are spaced.
#[derive(Debug, Clone, Copy)]
pub struct SignInPace {
    /// Tries counted before any wait.
    pub free: i64,
    /// The wait after the first try beyond them; the n-th waits n² times as long.
    pub first: Duration,
    /// The longest wait.
    pub longest: Duration,
}

/// The throttle's key for every login tried from one address.
const ANY_LOGIN: &str = "*";

/// A login as accounts store it (and the throttle counts it).
fn fold_login(login: &str) -> String {
    login.trim().to_lowercase()
}

fn unique_login(e: StoreError, login: &str) -> StoreError {
    match e {
        StoreError::Db(db) => {
            let taken = FieldError::new("login", ErrorCode::LoginTaken).with("value", login);
            map_unique(db, &[("account.login", taken.clone()), ("ux_account_login", taken)])
        }
        other => other,
    }
}

/// The organization path an account sits in, for scope checks and the audit log.
async fn account_path<C: sea_orm::ConnectionTrait>(c: &C, org_id: Option<OrgId>, member_id: Option<MemberId>) -> Result<Option<OrgPath>> {
    if let Some(o) = org_id {
        return Ok(Some(load_org_unscoped(c, o).await?.path));
    }
    if let Some(m) = member_id {
        let cell = load_member_unscoped(c, m).await?.org_id;
        return Ok(Some(load_org_unscoped(c, cell).await?.path));
    }
    Ok(None)
}

/// An account rooted inside the scope (NotFound otherwise).
async fn load_account<C: ConnectionTrait>(c: &C, s: &Scoped<'_>, id: i64) -> Result<Account> {
    let r = one(c, &format!("SELECT {ACCOUNT_COLS} FROM account a WHERE a.id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
    let a = account_row(&r)?;
    let in_scope = match account_path(c, a.org_id, a.member_id).await? {
        Some(p) => s.scope.covers(&p),
        None => s.scope.reach == Reach::All,
    };
    if in_scope { Ok(a) } else { Err(StoreError::NotFound) }
}

impl Scoped<'_> {
    /// Creates an account inside the caller's scope, for a role the caller may manage.
    pub async fn create_account(&self, new: NewAccount) -> Result<Account> {
        let ch = self.change(Rights::Full).await?;
        let login = parse_login(&new.login).map_err(StoreError::field)?;
        self.check_manageable(new.role)?;
        let (org_id, member_id) = match new.role {
            Role::Admin => (None, None),
            Role::Member => (None, Some(new.member_id.ok_or_else(|| role_needs_org(new.role))?)),
            _ => (Some(new.org_id.ok_or_else(|| role_needs_org(new.role))?), None),
        };
        // The account's root must be inside the caller's own scope.
        if let Some(o) = org_id {
            crate::org::load_org(&*ch, o, self).await?;
        }
        if let Some(m) = member_id {
            crate::member::load_member(&*ch, m, self).await?;
        }
        let display_name = match new.display_name.split_whitespace().collect::<Vec<_>>().join(" ") {
            n if n.is_empty() => login.clone(),
            n => n,
        };
        let path = account_path(&*ch, org_id, member_id).await?;
        let row = one(
            &*ch,
            "INSERT INTO account (login, display_name, password_hash, role, org_id, member_id, active, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) RETURNING id",
            vec![
                login.clone().into(),
                display_name.clone().into(),
                new.password_hash.into(),
                new.role.code().into(),
                org_id.into(),
                member_id.into(),
                true.into(),
                ch.now().into(),
            ],
        )
        .await
        .map_err(|e| unique_login(e, &login))?
        .ok_or(StoreError::NotFound)?;
        let account = Account { id: get(&row, "id")?, login, display_name, role: new.role, org_id, member_id, active: true, version: 1 };
        ch.audit(Audit::of(AccountAction::Create, Some(account.id)).at_maybe(path.as_ref()).after(&account)).await?;
        ch.commit().await?;
        Ok(account)
    }

    /// Accounts rooted inside the scope (organization accounts by their root, member accounts
    /// by the member's cell), by login.
    pub async fn accounts(&self, offset: i64, limit: i64) -> Result<crate::member::Page<Account>> {
        let from = format!(
            "FROM account a LEFT JOIN member m ON m.id = a.member_id LEFT JOIN org o ON o.id = COALESCE(a.org_id, m.org_id) WHERE 1=1{}",
            self.scope_filter("o.path", 1)
        );
        let total =
            one(&self.store.db, &format!("SELECT COUNT(*) AS n {from}"), self.scope_values()).await?.map(|r| get::<i64>(&r, "n")).transpose()?.unwrap_or(0);
        let (offset, limit) = (offset.max(0), limit.clamp(1, 500));
        let rows = all(&self.store.db, &format!("SELECT {ACCOUNT_COLS} {from} ORDER BY a.login LIMIT {limit} OFFSET {offset}"), self.scope_values()).await?;
        Ok(crate::member::Page { items: rows.iter().map(account_row).collect::<Result<_>>()?, total, offset })
    }

    /// One account inside the scope.
    pub async fn account(&self, id: i64) -> Result<Account> {
        load_account(&self.store.db, self, id).await
    }

    /// Replaces an account's password hash (an administrator resetting it) and ends its
    /// sessions.
    pub async fn set_password(&self, id: i64, version: i64, password_hash: String) -> Result<Account> {
        self.change_account(id, version, AccountAction::Password, "password_hash", password_hash.into()).await
    }

    /// Enables or disables sign-in for an account; disabling ends its sessions.
    pub async fn set_account_active(&self, id: i64, version: i64, active: bool) -> Result<Account> {
        let action = if active { AccountAction::Enable } else { AccountAction::Disable };
        self.change_account(id, version, action, "active", active.into()).await
    }

    /// Sets one column of an account (`column` is one of this module's, never input).
    async fn change_account(&self, id: i64, version: i64, action: AccountAction, column: &'static str, value: Value) -> Result<Account> {
        let ch = self.change(Rights::Full).await?;
        let txn = &*ch;
        let before = load_account(txn, self, id).await?;
        self.check_manageable(before.role)?;
        if matches!(action, AccountAction::Disable) && before.role == Role::Admin && before.active {
            // Inside the write transaction (SQLite's write lock, or after the other's claim on
            // PostgreSQL): two administrators disabling each other cannot both pass.
            let others = "SELECT COUNT(*) AS n FROM account WHERE role = $1 AND active = TRUE AND id <> $2";
            let r = one(txn, others, vec![Role::Admin.code().into(), id.into()]).await?;
            if r.map(|r| get::<i64>(&r, "n")).transpose()?.unwrap_or(0) == 0 {
                return Err(StoreError::field(FieldError::new("active", ErrorCode::LastAdmin)));
            }
        }
        ch.claim(Versioned::Account, id, version).await?;
        exec(txn, &format!("UPDATE account SET {column} = $2 WHERE id = $1"), vec![id.into(), value]).await?;
        exec(txn, "DELETE FROM session WHERE account_id = $1", vec![id.into()]).await?;
        let r = one(txn, &format!("SELECT {ACCOUNT_COLS} FROM account a WHERE a.id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
        let after = account_row(&r)?;
        let path = account_path(txn, after.org_id, after.member_id).await?;
        ch.audit(Audit::of(action, Some(id)).at_maybe(path.as_ref()).before(&before).after(&after)).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Lifts the sign-in delay of an account inside the scope (every address), audited. Returns
    /// how many addresses were waiting; nothing is written when none was.
    pub async fn lift_account_sign_in_lock(&self, id: i64) -> Result<u64> {
        let ch = self.change(Rights::Full).await?;
        let txn = &*ch;
        let account = load_account(txn, self, id).await?;
        self.check_manageable(account.role)?;
        let n = exec(txn, "DELETE FROM sign_in_throttle WHERE login = $1", vec![fold_login(&account.login).into()]).await?;
        if n == 0 {
            return Ok(0);
        }
        let path = account_path(txn, account.org_id, account.member_id).await?;
        ch.audit(Audit::of(AccountAction::Unlock, Some(id)).at_maybe(path.as_ref()).after(&account)).await?;
        ch.commit().await?;
        Ok(n)
    }

    /// Which of these logins must wait before their next sign-in try (from some address).
    pub async fn sign_in_delayed(&self, logins: &[&str]) -> Result<std::collections::HashSet<String>> {
        let now = self.store.clock().now().timestamp_millis();
        let folded: Vec<String> = logins.iter().map(|l| fold_login(l)).collect();
        let mut delayed = std::collections::HashSet::new();
        for chunk in folded.chunks(200) {
            let marks = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
            let mut values: Vec<Value> = vec![now.into()];
            values.extend(chunk.iter().map(|l| Value::from(l.clone())));
            let sql = format!("SELECT DISTINCT login FROM sign_in_throttle WHERE next_at > $1 AND login IN ({marks})");
            for r in all(&self.store.db, &sql, values).await? {
                delayed.insert(get::<String>(&r, "login")?);
            }
        }
        Ok(logins.iter().filter(|l| delayed.contains(&fold_login(l))).map(|l| (*l).to_owned()).collect())
    }

    /// Refuses managing a role above the caller's own (an organization administrator cannot
    /// make a system administrator).
    fn check_manageable(&self, role: Role) -> Result<()> {
        let caller = if self.scope.reach == Reach::All { Role::Admin } else { Role::OrgAdmin };
        if caller.may_manage(role) { Ok(()) } else { Err(StoreError::field(FieldError::new("role", ErrorCode::RoleNotAllowed).with("role", role.label_vi()))) }
    }
}

fn role_needs_org(role: Role) -> StoreError {
    StoreError::field(FieldError::new("role", ErrorCode::RoleNeedsOrg).with("role", role.label_vi()))
}

impl Store {
    /// The password hash and account of a login, for authentication (before any scope exists).
    pub async fn account_for_login(&self, login: &str) -> Result<Option<(Account, String)>> {
        let r = one(&self.db, &format!("SELECT {ACCOUNT_COLS}, a.password_hash FROM account a WHERE a.login = $1"), vec![login.trim().to_lowercase().into()])
            .await?;
        r.map(|r| Ok((account_row(&r)?, get(&r, "password_hash")?))).transpose()
    }

    /// What an account may do. The subtree comes from the account's root organization as it
    /// stands today.
    pub async fn grant(&self, account: &Account) -> Result<Grant> {
        let actor = account.actor();
        let subtree = |org: OrgId, path: OrgPath, rights: Rights| Grant::Org(Scope::new(actor.clone(), Reach::Subtree { org, path }, rights));
        match (account.role, account.org_id, account.member_id) {
            (Role::Admin, _, _) => Ok(Grant::Org(Scope::new(actor, Reach::All, Rights::Full))),
            (Role::Member, _, Some(member_id)) => Ok(Grant::OwnRecord(OwnGrant { actor, member_id })),
            (role, Some(org), _) => {
                let path = load_org_unscoped(&self.db, org).await?.path;
                Ok(subtree(org, path, role.rights().unwrap_or(Rights::Read)))
            }
            // An account without its root cannot do anything.
            _ => Err(StoreError::NotFound),
        }
    }

    /// Number of accounts (zero: the installation still needs its first administrator).
    pub async fn account_count(&self) -> Result<i64> {
        let r = one(&self.db, "SELECT COUNT(*) AS n FROM account", vec![]).await?;
        Ok(r.map(|r| get::<i64>(&r, "n")).transpose()?.unwrap_or(0))
    }

    /// Stores the hash of a new session token.
    pub async fn create_session(&self, account_id: i64, token_hash: &str, csrf_token: &str) -> Result<()> {
        let now = self.clock().now();
        exec(
            &self.db,
            "INSERT INTO session (token_hash, account_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)",
            vec![token_hash.into(), account_id.into(), csrf_token.into(), now.into()],
        )
        .await?;
        Ok(())
    }

    /// The live session of a token hash, or None when unknown, expired (idle or absolute) or
    /// its account is disabled. Refreshes the idle clock (at most once a minute, to spare
    /// writes, and at least four times per idle timeout, so activity always extends a
    /// session however short the timeout).
    pub async fn session(&self, token_hash: &str, limits: SessionLimits) -> Result<Option<Session>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLS}, s.csrf_token, s.created_at, s.last_seen_at FROM session s JOIN account a ON a.id = s.account_id WHERE s.token_hash = $1"
        );
        let Some(r) = one(&self.db, &sql, vec![token_hash.into()]).await? else { return Ok(None) };
        let account = account_row(&r)?;
        let created_at: DateTime<Utc> = get(&r, "created_at")?;
        let last_seen_at: DateTime<Utc> = get(&r, "last_seen_at")?;
        let now = self.clock().now();
        if !account.active || now - last_seen_at > limits.idle || now - created_at > limits.absolute {
            self.end_session(token_hash).await?;
            return Ok(None);
        }
        if now - last_seen_at > (limits.idle / 4).min(Duration::seconds(60)) {
            exec(&self.db, "UPDATE session SET last_seen_at = $2 WHERE token_hash = $1", vec![token_hash.into(), now.into()]).await?;
        }
        Ok(Some(Session { account, csrf_token: get(&r, "csrf_token")?, created_at }))
    }

    /// Ends a session (logout, expiry).
    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        exec(&self.db, "DELETE FROM session WHERE token_hash = $1", vec![token_hash.into()]).await?;
        Ok(())
    }

    /// Removes sessions idle longer than `idle`, failed-login records older than `keep` and
    /// old import jobs, and fails jobs left by a dead process (housekeeping, run periodically
    /// by the server under [`crate::Chore::Housekeeping`]).
    pub async fn purge_expired(&self, limits: SessionLimits, keep: Duration) -> Result<u64> {
        let now = self.clock().now();
        let mut n =
            exec(&self.db, "DELETE FROM session WHERE last_seen_at < $1 OR created_at < $2", vec![(now - limits.idle).into(), (now - limits.absolute).into()])
                .await?;
        n += exec(&self.db, "DELETE FROM login_failure WHERE at < $1", vec![(now - keep).into()]).await?;
        // Paces whose wait ended long ago start again from nothing.
        n += exec(&self.db, "DELETE FROM sign_in_throttle WHERE next_at < $1", vec![(now - keep).timestamp_millis().into()]).await?;
        // Import jobs of dead processes are failed, and old ones (each holds a file) go.
        n += crate::import_job::purge(&self.db, self.clock().now()).await?;
        Ok(n)
    }

    /// Claims one sign-in try of `login` from `addr`, before its password is checked:
    /// `None` to go on, or how long to wait. Each try is counted as it is claimed, by one
    /// conditional UPDATE per key, so guesses sent in parallel are counted and refused one by
    /// one; after `pace.free` tries each further one waits longer (growing with the square of
    /// the tries beyond, up to `pace.longest`). The address alone is paced too (`per_addr`,
    /// guesses spread over many logins). A success forgets the login's tries from that
    /// address ([`Store::sign_in_succeeded`]); the owner signing in from elsewhere is never
    /// kept out by someone else's guesses.
    pub async fn claim_sign_in(&self, login: &str, addr: &str, per_login: SignInPace, per_addr: SignInPace) -> Result<Option<Duration>> {
        let now = self.clock().now().timestamp_millis();
        let txn = crate::db::begin_write(&self.db).await?;
        for (key, pace) in [(ANY_LOGIN.to_owned(), per_addr), (fold_login(login), per_login)] {
            exec(
                &txn,
                "INSERT INTO sign_in_throttle (login, addr, failures, next_at) VALUES ($1, $2, 0, 0) ON CONFLICT (login, addr) DO NOTHING",
                vec![key.clone().into(), addr.into()],
            )
            .await?;
            let beyond = "(failures + 2 - $4) * (failures + 2 - $4) * $5";
            let sql = format!(
                "UPDATE sign_in_throttle SET failures = failures + 1, \
                 next_at = $3 + CASE WHEN failures + 1 < $4 THEN 0 WHEN {beyond} > $6 THEN $6 ELSE {beyond} END \
                 WHERE login = $1 AND addr = $2 AND next_at <= $3"
            );
            let values = vec![
                key.clone().into(),
                addr.into(),
                now.into(),
                pace.free.into(),
                pace.first.num_milliseconds().into(),
                pace.longest.num_milliseconds().into(),
            ];
            if exec(&txn, &sql, values).await? == 0 {
                let r = one(&txn, "SELECT next_at FROM sign_in_throttle WHERE login = $1 AND addr = $2", vec![key.into(), addr.into()]).await?;
                let next: i64 = r.map(|r| get(&r, "next_at")).transpose()?.unwrap_or(now);
                // Dropping the transaction undoes the address's count of a refused try.
                return Ok(Some(Duration::milliseconds((next - now).max(1))));
            }
        }
        txn.commit().await?;
        Ok(None)
    }

    /// Forgets the tries of a login from an address after it signed in (and takes its own
    /// try off the address's count).
    pub async fn sign_in_succeeded(&self, login: &str, addr: &str) -> Result<()> {
        let txn = crate::db::begin_write(&self.db).await?;
        exec(&txn, "DELETE FROM sign_in_throttle WHERE login = $1 AND addr = $2", vec![fold_login(login).into(), addr.into()]).await?;
        exec(&txn, "UPDATE sign_in_throttle SET failures = failures - 1 WHERE login = $1 AND addr = $2 AND failures > 0", vec![ANY_LOGIN.into(), addr.into()])
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Lifts the sign-in delay of a login from every address (an administrator's
    /// `chibo user unlock`, or the accounts page). Returns how many addresses were waiting.
    pub async fn lift_sign_in_lock(&self, login: &str) -> Result<u64> {
        exec(&self.db, "DELETE FROM sign_in_throttle WHERE login = $1", vec![fold_login(login).into()]).await
    }

    /// Stores the hash of the one-time set-up token printed when an empty installation starts
    /// (replacing any earlier one).
    pub async fn replace_setup_token(&self, token_hash: &str) -> Result<()> {
        let txn = crate::db::begin_write(&self.db).await?;
        exec(&txn, "DELETE FROM setup_token", vec![]).await?;
        exec(&txn, "INSERT INTO setup_token (token_hash, created_at) VALUES ($1, $2)", vec![token_hash.into(), self.clock().now().into()]).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Whether a set-up token is the live one (and the installation still has no account).
    pub async fn setup_token_valid(&self, token_hash: &str) -> Result<bool> {
        let r = one(&self.db, "SELECT COUNT(*) AS n FROM setup_token WHERE token_hash = $1", vec![token_hash.into()]).await?;
        let n: i64 = r.map(|r| get(&r, "n")).transpose()?.unwrap_or(0);
        Ok(n == 1 && self.account_count().await? == 0)
    }

    /// Creates the first system administrator with the one-time token: in one transaction the
    /// token is consumed, so it works once, and only while no account exists.
    pub async fn create_first_admin(&self, token_hash: &str, login: &str, display_name: &str, password_hash: String) -> Result<Account> {
        let login = parse_login(login).map_err(StoreError::field)?;
        let txn = crate::db::begin_write(&self.db).await?;
        let used = exec(&txn, "DELETE FROM setup_token WHERE token_hash = $1", vec![token_hash.into()]).await?;
        let existing = one(&txn, "SELECT COUNT(*) AS n FROM account", vec![]).await?.map(|r| get::<i64>(&r, "n")).transpose()?.unwrap_or(0);
        if used != 1 || existing != 0 {
            return Err(StoreError::NotFound);
        }
        txn.commit().await?;
        self.within(&Scope::new(Actor::System { what: "setup".into() }, Reach::All, Rights::Full))
            .create_account(NewAccount { login, display_name: display_name.to_owned(), password_hash, role: Role::Admin, org_id: None, member_id: None })
            .await
    }
}
