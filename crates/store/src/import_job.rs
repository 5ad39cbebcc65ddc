//! Import jobs: a file uploaded for import, what was last asked of it (check it, or write it),
//! its state and progress, and the result its page shows. They live in the database, not in
//! a process, so that behind a load balancer a poll reaching any `chibo serve` finds the job,
//! and a step can run in any of them (the file is in the row).
//!
//! A job belongs to the account that uploaded it and sits under the organization it imports
//! into: every read and write here goes through the [`Scoped`] handle of that account and
//! finds nothing for anyone else, nor outside the scope (the same "not found" as a job that
//! does not exist).
//!
//! A step that runs reports progress at least every [`HEARTBEAT`]; a job queued or running
//! that has not moved for [`STALE_AFTER`] belonged to a process that died (or lost its
//! database), and is marked failed with a message saying so when it is next read, at the next
//! housekeeping and at start-up. Not at every start-up regardless of age: with several
//! processes, a job running in another one is alive. Finished jobs are deleted after
//! [`KEEP`]: they hold the file, personal data the import has no further use for.

use crate::kernel::sql::{all, exec, get, one};
use crate::{Result, Scoped, StoreError};
use chibo_domain::org::OrgId;
use chibo_domain::scope::Rights;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, Value};

/// How often a running step must at least report (progress or not).
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(20);
/// A job queued or running without any report for this long is failed.
pub const STALE_AFTER: Duration = Duration::minutes(10);
/// Finished jobs (and their files) are kept this long after their last change.
pub const KEEP: Duration = Duration::hours(24);
/// Jobs kept per account; creating one deletes the oldest finished ones beyond it.
const PER_ACCOUNT: i64 = 16;

/// What a job left behind by a dead process says.
pub const INTERRUPTED: &str = "Việc xử lý tệp bị gián đoạn vì máy chủ xử lý nó đã dừng. Việc ghi vào cơ sở dữ liệu là một giao dịch trọn vẹn: \
                               hoặc đã ghi đủ (xem «Các lần nhập trước»), hoặc chưa ghi dòng nào. Hãy chạy lại; tệp đã nhập sẽ được báo.";

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Asked for, waiting for its turn.
    Queued,
    /// A step is running.
    Running,
    /// The last step finished.
    Done,
    /// The last step failed (see the job's error).
    Failed,
}

impl JobState {
    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    fn from_code(code: &str) -> JobState {
        match code {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            _ => JobState::Failed,
        }
    }

    /// Queued or running.
    pub fn in_work(self) -> bool {
        matches!(self, JobState::Queued | JobState::Running)
    }
}

/// A job as its page reads it (the file and the rejected rows are read apart).
#[derive(Debug, Clone)]
pub struct ImportJob {
    /// The job's token.
    pub id: String,
    /// Target organization.
    pub org_id: OrgId,
    /// What was last asked: `check` or `write` (the web's codes).
    pub kind: String,
    /// Where it is.
    pub state: JobState,
    /// The file's name as uploaded.
    pub file_name: String,
    /// The step's phase while it runs (the web's codes).
    pub phase: Option<String>,
    /// Progress: rows done.
    pub done: i64,
    /// Progress: rows in all.
    pub total: i64,
    /// The result (JSON kept for the web: preview, mapping, import record).
    pub result: Option<String>,
    /// Why the last step failed.
    pub error: Option<String>,
    /// Whether the rows left out are kept as a file.
    pub has_rejected: bool,
    /// When uploaded.
    pub created_at: DateTime<Utc>,
    /// When last changed or reported.
    pub updated_at: DateTime<Utc>,
}

/// How a step ended.
#[derive(Debug, Clone, Copy, Default)]
pub struct JobOutcome<'a> {
    /// Why it failed (None: done).
    pub error: Option<&'a str>,
    /// A new result and rows left out, replacing the old ones (None: keep them).
    pub result: Option<(&'a str, Option<&'a [u8]>)>,
}

const COLUMNS: &str = "id, org_id, kind, state, file_name, phase, done, total, result, error, rejected IS NOT NULL AS has_rejected, created_at, updated_at";

fn job_from_row(r: &sea_orm::QueryResult) -> Result<ImportJob> {
    Ok(ImportJob {
        id: get(r, "id")?,
        org_id: get(r, "org_id")?,
        kind: get(r, "kind")?,
        state: JobState::from_code(&get::<String>(r, "state")?),
        file_name: get(r, "file_name")?,
        phase: get(r, "phase")?,
        done: get(r, "done")?,
        total: get(r, "total")?,
        result: get(r, "result")?,
        error: get(r, "error")?,
        has_rejected: get(r, "has_rejected")?,
        created_at: get(r, "created_at")?,
        updated_at: get(r, "updated_at")?,
    })
}

impl Scoped<'_> {
    /// The account acting: jobs belong to accounts (the operator's commands import directly).
    fn job_owner(&self) -> Result<i64> {
        self.scope.actor.user_id().ok_or(StoreError::NotFound)
    }

    /// `WHERE` conditions that find a job of this account inside the scope: `id = $1`, the
    /// owner `$2`, the scope's path range `$3`, `$4`.
    fn job_where(&self, id: &str) -> Result<(String, Vec<Value>)> {
        let mut cond = String::from("id = $1 AND account_id = $2");
        let mut vals: Vec<Value> = vec![id.into(), self.job_owner()?.into()];
        if let Some((lo, hi)) = self.scope.path_range() {
            cond.push_str(" AND org_path >= $3 AND org_path < $4");
            vals.push(lo.into());
            vals.push(hi.into());
        }
        Ok((cond, vals))
    }

    /// Records a new job (queued, kind `kind`) for a file to import into an organization
    /// inside the scope; `id` is its token, chosen by the caller (random, unguessable).
    pub async fn create_import_job(&self, id: &str, org: OrgId, kind: &str, file_name: &str, file: &[u8]) -> Result<ImportJob> {
        self.may(Rights::Members)?;
        let owner = self.job_owner()?;
        let org = self.org(org).await?;
        let now: Value = self.store.clock().now().into();
        exec(
            &self.store.db,
            "INSERT INTO import_job (id, account_id, org_id, org_path, kind, state, file_name, file, phase, done, total, result, error, rejected, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, 0, 0, NULL, NULL, NULL, $9, $9)",
            vec![
                id.into(),
                owner.into(),
                org.id.into(),
                org.path.as_str().into(),
                kind.into(),
                JobState::Queued.code().into(),
                file_name.into(),
                file.to_vec().into(),
                now,
            ],
        )
        .await?;
        // The account's oldest finished jobs beyond the limit go (each holds a file).
        let old = all(
            &self.store.db,
            "SELECT id FROM import_job WHERE account_id = $1 AND state IN ('done', 'failed') ORDER BY updated_at DESC, id LIMIT 1000 OFFSET $2",
            vec![owner.into(), (PER_ACCOUNT - 1).into()],
        )
        .await?;
        for r in old {
            exec(&self.store.db, "DELETE FROM import_job WHERE id = $1 AND account_id = $2", vec![get::<String>(&r, "id")?.into(), owner.into()]).await?;
        }
        self.import_job(id).await
    }

    /// A job of this account inside the scope. One left queued or running by a process that
    /// died is failed first (see the module's notes).
    pub async fn import_job(&self, id: &str) -> Result<ImportJob> {
        let (cond, vals) = self.job_where(id)?;
        let r = one(&self.store.db, &format!("SELECT {COLUMNS} FROM import_job WHERE {cond}"), vals).await?.ok_or(StoreError::NotFound)?;
        let job = job_from_row(&r)?;
        if job.state.in_work() && job.updated_at < self.store.clock().now() - STALE_AFTER {
            // A write that cannot be made now (SQLite's write lock held for long) leaves the
            // job as it reads; the step's own end, if it is alive after all, has the last word.
            if let Err(e) = fail_stale_job(&self.store.db, id, self.store.clock().now()).await {
                tracing::warn!(error = %e, "import job: a stale job could not be marked failed");
                return Ok(job);
            }
            let (cond, vals) = self.job_where(id)?;
            let r = one(&self.store.db, &format!("SELECT {COLUMNS} FROM import_job WHERE {cond}"), vals).await?.ok_or(StoreError::NotFound)?;
            return job_from_row(&r);
        }
        Ok(job)
    }

    /// How many of this account's jobs are queued or running.
    pub async fn import_jobs_in_work(&self) -> Result<i64> {
        let cutoff: Value = (self.store.clock().now() - STALE_AFTER).into();
        let r = one(
            &self.store.db,
            "SELECT COUNT(*) AS n FROM import_job WHERE account_id = $1 AND state IN ('queued', 'running') AND updated_at >= $2",
            vec![self.job_owner()?.into(), cutoff],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        get(&r, "n")
    }

    /// The file of a job.
    pub async fn import_job_file(&self, id: &str) -> Result<Vec<u8>> {
        let (cond, vals) = self.job_where(id)?;
        let r = one(&self.store.db, &format!("SELECT file FROM import_job WHERE {cond}"), vals).await?.ok_or(StoreError::NotFound)?;
        get(&r, "file")
    }

    /// The rows a job's last step left out, as a file (NotFound when there are none).
    pub async fn import_job_rejected(&self, id: &str) -> Result<Vec<u8>> {
        let (cond, vals) = self.job_where(id)?;
        let r = one(&self.store.db, &format!("SELECT rejected FROM import_job WHERE {cond}"), vals).await?.ok_or(StoreError::NotFound)?;
        get::<Option<Vec<u8>>>(&r, "rejected")?.ok_or(StoreError::NotFound)
    }

    /// Asks a finished job for another step (`kind`): queued, its progress and error cleared.
    /// False when a step is queued or running already (a double click starts nothing twice,
    /// in whichever process it lands).
    pub async fn queue_import_job(&self, id: &str, kind: &str) -> Result<bool> {
        self.may(Rights::Members)?;
        self.import_job(id).await?;
        let n = exec(
            &self.store.db,
            "UPDATE import_job SET kind = $3, state = 'queued', phase = NULL, done = 0, total = 0, error = NULL, updated_at = $4 \
             WHERE id = $1 AND account_id = $2 AND state IN ('done', 'failed')",
            vec![id.into(), self.job_owner()?.into(), kind.into(), self.store.clock().now().into()],
        )
        .await?;
        Ok(n == 1)
    }

    /// Reports a queued or running job's state and progress (also the heartbeat that keeps
    /// it from being taken for dead). False when the job is no longer in work (it was failed
    /// as stale meanwhile, or deleted).
    pub async fn report_import_job(&self, id: &str, state: JobState, phase: Option<&str>, done: i64, total: i64) -> Result<bool> {
        let n = exec(
            &self.store.db,
            "UPDATE import_job SET state = $3, phase = $4, done = $5, total = $6, updated_at = $7 \
             WHERE id = $1 AND account_id = $2 AND state IN ('queued', 'running')",
            vec![
                id.into(),
                self.job_owner()?.into(),
                state.code().into(),
                phase.map(str::to_owned).into(),
                done.into(),
                total.into(),
                self.store.clock().now().into(),
            ],
        )
        .await?;
        Ok(n == 1)
    }

    /// Ends a job's step: done, or failed with its error; a new result (and the rows left
    /// out) replaces the old one when given. Whatever the job's state: a step taken for dead
    /// that ends after all records what really happened.
    pub async fn end_import_job(&self, id: &str, outcome: JobOutcome<'_>) -> Result<()> {
        let state = if outcome.error.is_some() { JobState::Failed } else { JobState::Done };
        let mut vals: Vec<Value> =
            vec![id.into(), self.job_owner()?.into(), state.code().into(), outcome.error.map(str::to_owned).into(), self.store.clock().now().into()];
        let mut set = String::from("state = $3, phase = NULL, error = $4, updated_at = $5");
        if let Some((result, rejected)) = outcome.result {
            vals.push(result.into());
            vals.push(rejected.map(<[u8]>::to_vec).into());
            set.push_str(", result = $6, rejected = $7");
        }
        exec(&self.store.db, &format!("UPDATE import_job SET {set} WHERE id = $1 AND account_id = $2"), vals).await?;
        Ok(())
    }
}

async fn fail_stale_job<C: ConnectionTrait>(c: &C, id: &str, now: DateTime<Utc>) -> Result<u64> {
    exec(
        c,
        "UPDATE import_job SET state = 'failed', phase = NULL, error = $2, updated_at = $3 WHERE id = $1 AND state IN ('queued', 'running') AND updated_at < $4",
        vec![id.into(), INTERRUPTED.into(), now.into(), (now - STALE_AFTER).into()],
    )
    .await
}

/// Fails every job queued or running that has not reported for [`STALE_AFTER`] (at start-up
/// and at housekeeping); returns how many.
pub(crate) async fn fail_stale<C: ConnectionTrait>(c: &C, now: DateTime<Utc>) -> Result<u64> {
    exec(
        c,
        "UPDATE import_job SET state = 'failed', phase = NULL, error = $1, updated_at = $2 WHERE state IN ('queued', 'running') AND updated_at < $3",
        vec![INTERRUPTED.into(), now.into(), (now - STALE_AFTER).into()],
    )
    .await
}

/// Housekeeping: fails stale jobs and deletes finished ones older than [`KEEP`].
pub(crate) async fn purge<C: ConnectionTrait>(c: &C, now: DateTime<Utc>) -> Result<u64> {
    let failed = fail_stale(c, now).await?;
    let deleted = exec(c, "DELETE FROM import_job WHERE state IN ('done', 'failed') AND updated_at < $1", vec![(now - KEEP).into()]).await?;
    Ok(failed + deleted)
}
