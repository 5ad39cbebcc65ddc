//! Member imports in the store: what a file may be checked against (the cells of the target,
//! members it probably repeats, the files already imported) and the commit itself, one
//! transaction that writes every member, its "imported" event and spans, one audit entry and
//! the record of the import. A crash in the middle leaves nothing.
//!
//! Reading files and validating rows is `chibo-import`'s; this module trusts the rows it gets
//! as validated profiles but checks again that every cell is a cell inside the scope.

use crate::bulk::{Cell, MemberRow};
use crate::kernel::Audit;
use crate::kernel::sql::{all, exec, get, one, placeholders};
use crate::org::Org;
use crate::{Backend, Result, Scoped, StoreError};
use chibo_domain::calendar::format_date;
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::member::audit::ImportAction;
use chibo_domain::member::{MemberChange, MemberEvent, MemberId, MemberProfile, MemberStatus, replay};
use chibo_domain::org::{OrgId, OrgKind, OrgPath};
use chibo_domain::scope::Rights;
use chibo_domain::text::fold;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, TransactionSession, TransactionTrait, Value};
use serde::Serialize;
use std::collections::HashMap;

/// A cell that imported members may join.
#[derive(Debug, Clone, Serialize)]
pub struct ImportCell {
    /// Key.
    pub id: OrgId,
    /// Official code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Founding date: the earliest date a member can be recorded in it.
    pub founded_on: NaiveDate,
}

/// Where an import goes: an organization inside the scope and the cells below it.
#[derive(Debug, Clone)]
pub struct ImportTarget {
    /// The organization chosen.
    pub org: Org,
    /// Its active cells (itself, if it is one).
    pub cells: Vec<ImportCell>,
}

/// One validated row ready to be written.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// Row number in the file (1 = header row), for messages.
    pub line: usize,
    /// Personal fields.
    pub profile: MemberProfile,
    /// Cell.
    pub cell: OrgId,
    /// Status (probationary, official, exempt or suspended).
    pub status: MemberStatus,
    /// Ngày vào Đảng, as recorded in the file.
    pub admitted_on: Option<NaiveDate>,
    /// Ngày chính thức, as recorded in the file.
    pub official_on: Option<NaiveDate>,
}

/// The file an import came from.
#[derive(Debug, Clone)]
pub struct ImportFile {
    /// The file's name as uploaded.
    pub name: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Data rows in the file.
    pub rows: usize,
}

/// A member already recorded that an imported row probably repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingMember {
    /// The member, when inside the caller's scope (None: recorded elsewhere, not shown).
    pub id: Option<MemberId>,
    /// How to name them in a message.
    pub label: String,
}

/// Members already recorded, keyed by what an import row is compared on.
#[derive(Debug, Clone, Default)]
pub struct ExistingMembers {
    /// By CCCD (the whole database: the number is unique everywhere).
    pub by_cccd: HashMap<String, ExistingMember>,
    /// By party card number (the whole database).
    pub by_card: HashMap<String, ExistingMember>,
    /// By folded name and birth date (inside the target organization).
    pub by_name_birth: HashMap<(String, NaiveDate), ExistingMember>,
}

/// A finished import, as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRecord {
    /// Key.
    pub id: i64,
    /// Target organization.
    pub org_id: OrgId,
    /// File name.
    pub file_name: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Data rows in the file.
    pub row_count: i64,
    /// Members written.
    pub imported: i64,
    /// Rows left out.
    pub rejected: i64,
    /// Who imported it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

/// Members written per progress report.
const BATCH: usize = 5_000;
/// Values per `IN (...)` list when looking up existing members.
const LOOKUP_CHUNK: usize = 500;

fn record_from_row(r: &sea_orm::QueryResult) -> Result<ImportRecord> {
    Ok(ImportRecord {
        id: get(r, "id")?,
        org_id: get(r, "org_id")?,
        file_name: get(r, "file_name")?,
        sha256: get(r, "sha256")?,
        row_count: get(r, "row_count")?,
        imported: get(r, "imported")?,
        rejected: get(r, "rejected")?,
        recorded_by: get(r, "recorded_by")?,
        recorded_at: get(r, "recorded_at")?,
    })
}

/// The events that record an imported member's standing: "imported" as probationary or
/// official, then the exemption or suspension the file states. A member whose «Ngày chính
/// thức» comes after the day the history starts is imported probationary and made official
/// on that day, so the figures of the days between count a probationary member (the
/// exemption or suspension then follows the recognition).
pub fn import_events(row: &ImportRow, on: NaiveDate) -> Vec<MemberEvent> {
    let recognized = row.official_on.is_some() || row.status == MemberStatus::Official;
    let recognized_later = row.official_on.filter(|o| recognized && *o > on);
    let base = if recognized && recognized_later.is_none() { MemberStatus::Official } else { MemberStatus::Probationary };
    let mut events = vec![MemberEvent { on, change: MemberChange::Imported { cell: row.cell, status: base } }];
    let mut last = on;
    if let Some(o) = recognized_later {
        events.push(MemberEvent { on: o, change: MemberChange::MadeOfficial });
        last = o;
    }
    match row.status {
        MemberStatus::Exempt => events.push(MemberEvent { on: last, change: MemberChange::Exempted }),
        MemberStatus::Suspended => events.push(MemberEvent { on: last, change: MemberChange::Suspended }),
        _ => {}
    }
    events
}

/// The date an imported member's history starts: the admission date if the file gives one,
/// else today, never before the cell was founded or the member was born.
pub fn import_date(row: &ImportRow, cell_founded: NaiveDate, today: NaiveDate) -> NaiveDate {
    row.admitted_on.unwrap_or(today).max(cell_founded).max(row.profile.birth_date).min(today)
}

impl Scoped<'_> {
    /// The organization an import goes to and its cells; refused without the right to keep
    /// member records.
    pub async fn import_target(&self, org: OrgId) -> Result<ImportTarget> {
        self.may(Rights::Members)?;
        let org = self.org(org).await?;
        let cells = self.cells_under(&org).await?;
        Ok(ImportTarget { org, cells })
    }

    /// The active cells of an organization read inside the scope (itself, if it is one), in
    /// Vietnamese order.
    pub async fn cells_under(&self, org: &Org) -> Result<Vec<ImportCell>> {
        let (lo, hi) = org.path.subtree_range();
        let kinds: Vec<&str> = [OrgKind::GrassrootsCell, OrgKind::Cell].iter().filter(|k| k.holds_members()).map(|k| k.code()).collect();
        let sql = format!(
            "SELECT id, code, name, founded_on FROM org WHERE path >= $1 AND path < $2 AND dissolved_on IS NULL AND kind IN ({}) ORDER BY sort_key, id",
            placeholders(3, kinds.len())
        );
        let mut vals: Vec<Value> = vec![lo.into(), hi.into()];
        vals.extend(kinds.iter().map(|k| Value::from(*k)));
        all(&self.store.db, &sql, vals)
            .await?
            .iter()
            .map(|r| Ok(ImportCell { id: get(r, "id")?, code: get(r, "code")?, name: get(r, "name")?, founded_on: get(r, "founded_on")? }))
            .collect()
    }

    /// Members already recorded with one of these CCCDs or card numbers (anywhere), or with one
    /// of these folded names and birth dates (inside the target).
    pub async fn existing_members(&self, target: &Org, cccds: &[String], cards: &[String], names: &[(String, NaiveDate)]) -> Result<ExistingMembers> {
        let mut out = ExistingMembers::default();
        let select = "SELECT m.id, m.full_name, m.name_folded, m.birth_date, m.cccd, m.card_number, o.name AS org_name, o.path AS org_path \
                      FROM member m JOIN org o ON o.id = m.org_id WHERE";
        for (col, keys) in [("cccd", cccds), ("card_number", cards)] {
            let map = if col == "cccd" { &mut out.by_cccd } else { &mut out.by_card };
            for chunk in keys.chunks(LOOKUP_CHUNK) {
                let sql = format!("{select} m.{col} IN ({})", placeholders(1, chunk.len()));
                for r in all(&self.store.db, &sql, chunk.iter().map(|k| Value::from(k.clone())).collect()).await? {
                    let key: String = get(&r, col)?;
                    map.insert(key, self.existing_from_row(&r)?);
                }
            }
        }
        let (lo, hi) = target.path.subtree_range();
        let mut folded: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
        folded.sort_unstable();
        folded.dedup();
        let wanted: std::collections::HashSet<&(String, NaiveDate)> = names.iter().collect();
        for chunk in folded.chunks(LOOKUP_CHUNK) {
            let sql = format!("{select} o.path >= $1 AND o.path < $2 AND m.name_folded IN ({})", placeholders(3, chunk.len()));
            let mut vals: Vec<Value> = vec![lo.clone().into(), hi.clone().into()];
            vals.extend(chunk.iter().map(|k| Value::from(*k)));
            for r in all(&self.store.db, &sql, vals).await? {
                let key: (String, NaiveDate) = (get(&r, "name_folded")?, get(&r, "birth_date")?);
                if wanted.contains(&key) {
                    let m = self.existing_from_row(&r)?;
                    out.by_name_birth.insert(key, m);
                }
            }
        }
        Ok(out)
    }

    fn existing_from_row(&self, r: &sea_orm::QueryResult) -> Result<ExistingMember> {
        let path = OrgPath::from_stored(get(r, "org_path")?);
        if !self.scope.covers(&path) {
            return Ok(ExistingMember { id: None, label: "một đảng viên ngoài phạm vi của bạn".to_owned() });
        }
        let name: String = get(r, "full_name")?;
        let birth: NaiveDate = get(r, "birth_date")?;
        let org: String = get(r, "org_name")?;
        Ok(ExistingMember { id: Some(get(r, "id")?), label: format!("{name}, sinh {}, {org}", format_date(birth)) })
    }

    /// The import of a file (by its SHA-256) into an organization, if it was done before.
    pub async fn previous_import(&self, org: OrgId, sha256: &str) -> Result<Option<ImportRecord>> {
        self.org(org).await?;
        let r = one(&self.store.db, "SELECT * FROM member_import WHERE org_id = $1 AND sha256 = $2", vec![org.into(), sha256.into()]).await?;
        r.map(|r| record_from_row(&r)).transpose()
    }

    /// The imports into an organization, newest first.
    pub async fn imports(&self, org: OrgId) -> Result<Vec<ImportRecord>> {
        self.org(org).await?;
        let rows = all(&self.store.db, "SELECT * FROM member_import WHERE org_id = $1 ORDER BY id DESC", vec![org.into()]).await?;
        rows.iter().map(record_from_row).collect()
    }

    /// The column mapping remembered for a header row, as the JSON it was saved as.
    pub async fn import_mapping(&self, header_key: &str) -> Result<Option<String>> {
        let r = one(&self.store.db, "SELECT mapping FROM import_mapping WHERE header_key = $1", vec![header_key.into()]).await?;
        r.map(|r| get(&r, "mapping")).transpose()
    }

    /// Remembers the column mapping a user chose for a header row.
    pub async fn save_import_mapping(&self, header_key: &str, mapping: &str) -> Result<()> {
        // A preference shared by the scope's users, not a record: no audit entry.
        let ch = self.change(Rights::Members).await?;
        let label = ch.actor().label();
        let now: Value = ch.now().into();
        let n = exec(
            &*ch,
            "UPDATE import_mapping SET mapping = $2, recorded_by = $3, recorded_at = $4 WHERE header_key = $1",
            vec![header_key.into(), mapping.into(), label.clone().into(), now.clone()],
        )
        .await?;
        if n == 0 {
            exec(
                &*ch,
                "INSERT INTO import_mapping (header_key, mapping, recorded_by, recorded_at) VALUES ($1, $2, $3, $4)",
                vec![header_key.into(), mapping.into(), label.into(), now],
            )
            .await?;
        }
        ch.commit().await
    }

    /// Writes the rows as new members of the target, all in one transaction with one audit
    /// entry (`member.import`: file name, rows, SHA-256) and the record of the import.
    /// `progress(done, total)` is called as batches are written. Refused, with nothing
    /// written, if this file was already imported into the organization, or if a row names
    /// a cell outside it.
    pub async fn commit_import(&self, org: OrgId, file: &ImportFile, rows: &[&ImportRow], progress: &(dyn Fn(u64, u64) + Sync)) -> Result<ImportRecord> {
        self.may(Rights::Members)?;
        let target = self.import_target(org).await?;
        if let Some(prev) = self.previous_import(org, &file.sha256).await? {
            return Err(already_done(&prev, &target.org));
        }
        let cells: HashMap<OrgId, NaiveDate> = target.cells.iter().map(|c| (c.id, c.founded_on)).collect();
        if let Some(row) = rows.iter().find(|r| !cells.contains_key(&r.cell)) {
            return Err(StoreError::field(FieldError::new("org", ErrorCode::ImportUnknownCell).with("value", row.cell).with("org", &target.org.name)));
        }
        let mut ch = self.bulk_change(Rights::Members).await?;
        let (today, now, actor_label) = (ch.today(), ch.now(), ch.actor().label());
        // The import's own row first: on SQLite this write takes the database's write lock
        // before the ids are read.
        let import_id = ch
            .loader
            .query_ids(
                "INSERT INTO member_import (org_id, file_name, sha256, row_count, imported, rejected, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                vec![
                    org.into(),
                    file.name.as_str().into(),
                    file.sha256.as_str().into(),
                    (file.rows as i64).into(),
                    (rows.len() as i64).into(),
                    (file.rows.saturating_sub(rows.len()) as i64).into(),
                    actor_label.as_str().into(),
                    Cell::Ts(now),
                ],
            )
            .await
            .map_err(|e| match e {
                StoreError::Sqlx(sqlx::Error::Database(d)) if d.is_unique_violation() => StoreError::field(
                    FieldError::new("file", ErrorCode::ImportAlreadyDone)
                        .with("file", &file.name)
                        .with("org", &target.org.name)
                        .with("date", format_date(today))
                        .with("rows", rows.len()),
                ),
                other => other,
            })?
            .first()
            .copied()
            .ok_or(StoreError::NotFound)?;
        let ids = reserve_member_ids(&mut ch.loader, rows.len()).await?;
        if let (Some(first), Some(last)) = (ids.iter().min(), ids.iter().max()) {
            // Which members the figures' facts are still owed for (see `repair_import_facts`).
            ch.loader
                .query_ids(
                    "UPDATE member_import SET first_member_id = $1, last_member_id = $2, facts_pending = TRUE WHERE id = $3 RETURNING id",
                    vec![(*first).into(), (*last).into(), import_id.into()],
                )
                .await?;
        }
        let total = rows.len() as u64;
        progress(0, total);
        let mut done = 0u64;
        // Rows become member rows a batch at a time: memory holds one batch beside the file.
        for (chunk, ids) in rows.chunks(BATCH).zip(ids.chunks(BATCH)) {
            let mut batch: Vec<MemberRow> = Vec::with_capacity(chunk.len());
            for (row, id) in chunk.iter().zip(ids) {
                let events = import_events(row, import_date(row, cells[&row.cell], today));
                let mut history = replay(row.profile.birth_date, &events, today)?;
                history.state.admitted_on = row.admitted_on;
                history.state.official_on = row.official_on;
                batch.push(MemberRow { id: *id, profile: row.profile.clone(), events: events.into_iter().map(|e| (e, None)).collect(), history });
            }
            ch.loader.add_members(&batch).await?;
            done += batch.len() as u64;
            progress(done, total);
        }
        let after = serde_json::json!({ "file_name": file.name, "rows": file.rows, "imported": rows.len(), "sha256": file.sha256, "import_id": import_id });
        ch.audit(Audit::of(ImportAction::Import, Some(import_id)).at(&target.org.path).after(&after)).await?;
        ch.loader.commit().await?;
        // The figures' facts, after the load's transaction (which is not a sea-orm one), in
        // short transactions of their own: others' writes and the rate of a reader never wait
        // behind more than one of them. A crash in between leaves the import marked, and the
        // next start derives the rest (`repair_import_facts`).
        if !ids.is_empty() {
            derive_owed_facts(&self.store.db, import_id).await?;
        }
        let r = one(&self.store.db, "SELECT * FROM member_import WHERE id = $1", vec![import_id.into()]).await?.ok_or(StoreError::NotFound)?;
        record_from_row(&r)
    }
}

/// Members whose figures' facts one short transaction derives.
const FACTS_CHUNK: i64 = 2_000;

/// Derives the figures' facts an import still owes, a chunk of members per transaction.
/// `first_member_id` is the first member still owed (it moves up as chunks are done) and
/// `facts_pending` falls when none is; each chunk takes the import's row first (the row
/// lock on PostgreSQL, the write lock on SQLite), so an import's own refresh and a repair
/// by another process never derive the same chunk twice.
async fn derive_owed_facts<C: ConnectionTrait + TransactionTrait>(db: &C, import_id: i64) -> Result<()> {
    loop {
        let txn = crate::db::begin_write(db).await?;
        let claimed =
            exec(&txn, "UPDATE member_import SET facts_pending = facts_pending WHERE id = $1 AND facts_pending = TRUE", vec![import_id.into()]).await?;
        let owed = match claimed {
            0 => None,
            _ => one(&txn, "SELECT first_member_id, last_member_id FROM member_import WHERE id = $1", vec![import_id.into()]).await?,
        };
        let Some(r) = owed else {
            txn.commit().await?;
            return Ok(());
        };
        let (first, last): (Option<i64>, Option<i64>) = (get(&r, "first_member_id")?, get(&r, "last_member_id")?);
        let (first, last) = (first.unwrap_or(1), last.unwrap_or(0));
        // The range may hold members written by others in between (PostgreSQL's sequence):
        // deriving their facts again changes nothing.
        let ids: Vec<i64> =
            all(&txn, "SELECT id FROM member WHERE id >= $1 AND id <= $2 ORDER BY id LIMIT $3", vec![first.into(), last.into(), FACTS_CHUNK.into()])
                .await?
                .iter()
                .map(|r| get(r, "id"))
                .collect::<Result<_>>()?;
        crate::stats::refresh_members(&txn, &ids).await?;
        let next = ids.last().map_or(last + 1, |l| l + 1);
        exec(
            &txn,
            "UPDATE member_import SET first_member_id = $2, facts_pending = $3 WHERE id = $1",
            vec![import_id.into(), next.into(), (next <= last).into()],
        )
        .await?;
        txn.commit().await?;
    }
}

/// Derives the figures' facts of imports whose load committed but whose facts were not all
/// written (a crash in between). Run at every start; returns how many imports it repaired.
pub(crate) async fn repair_import_facts<C: ConnectionTrait + TransactionTrait>(db: &C) -> Result<usize> {
    let pending = all(db, "SELECT id FROM member_import WHERE facts_pending = TRUE ORDER BY id", vec![]).await?;
    for r in &pending {
        derive_owed_facts(db, get(r, "id")?).await?;
    }
    Ok(pending.len())
}

/// The refusal of a file imported before.
pub fn already_done(prev: &ImportRecord, org: &Org) -> StoreError {
    StoreError::field(
        FieldError::new("file", ErrorCode::ImportAlreadyDone)
            .with("file", &prev.file_name)
            .with("org", &org.name)
            .with("date", format_date(prev.recorded_at.with_timezone(&chibo_domain::calendar::VIETNAM).date_naive()))
            .with("rows", prev.imported),
    )
}

/// Draws `n` member ids inside the load's transaction: from the sequence on PostgreSQL, after
/// the largest id on SQLite (whose write lock the transaction already holds).
async fn reserve_member_ids(loader: &mut crate::bulk::BulkLoader, n: usize) -> Result<Vec<MemberId>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    match loader.backend() {
        Backend::Postgres => {
            loader.query_ids("SELECT nextval(pg_get_serial_sequence('member', 'id')) FROM generate_series(1, $1)", vec![(n as i64).into()]).await
        }
        Backend::Sqlite => {
            let first = loader.query_ids("SELECT COALESCE(MAX(id), 0) + 1 FROM member", vec![]).await?.first().copied().unwrap_or(1);
            Ok((first..first + n as i64).collect())
        }
    }
}

/// The key a folded full name and birth date are compared on.
pub fn name_birth_key(full_name: &str, birth: NaiveDate) -> (String, NaiveDate) {
    (fold(full_name), birth)
}
