//! An import's steps as jobs in the database: run on the blocking pool of the process that
//! was asked, at most two at once, their progress written beside them.

use crate::auth::Staff;
use crate::i18n::Lang;
use chibo_import::{Mapping, Mode, Phase, Prepared, export};
use chibo_store::import_job::{HEARTBEAT, ImportJob, JobOutcome, JobState};
use chibo_store::{Backend, Scope, Scoped, Store};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// Steps (checking or writing) running at once in this process; others wait their turn
/// (queued), so memory and cores stay bounded however many people upload at the same time.
const RUNNING: usize = 2;
/// The turns of this process's steps: at most [`RUNNING`] at once, one per person.
static TURNS: std::sync::LazyLock<Turns> = std::sync::LazyLock::new(|| Turns::new(RUNNING));
/// Files one person may have in work (queued or running) at once, in all processes.
pub(super) const IN_WORK_PER_PERSON: i64 = 2;
/// Rows shown in the preview table and error messages shown on the page.
pub(super) const SHOWN_ROWS: usize = 30;
pub(super) const SHOWN_ERRORS: usize = 300;
/// A job's kinds of step, as stored.
pub(super) const CHECK: &str = "check";
pub(super) const WRITE: &str = "write";

pub(super) fn phase_code(p: Phase) -> &'static str {
    match p {
        Phase::Validating => "validating",
        Phase::Writing => "writing",
    }
}

pub(super) fn phase_of(code: Option<&str>) -> Phase {
    if code == Some("writing") { Phase::Writing } else { Phase::Validating }
}

/// A text in both languages of the pages (messages are made once, read in either).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Said {
    pub(super) vi: String,
    pub(super) en: String,
}

impl Said {
    pub(super) fn of(f: impl Fn(Lang) -> String) -> Said {
        Said { vi: f(Lang::Vi), en: f(Lang::En) }
    }

    pub(super) fn get(&self, lang: Lang) -> String {
        if lang == Lang::Vi { self.vi.clone() } else { self.en.clone() }
    }
}

/// What a job's page shows once a step ended: the job's result, as JSON in the database.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct JobResult {
    /// The column mapping of the last check (field codes, "" for an ignored column).
    pub(super) mapping: Option<Vec<String>>,
    /// The last check.
    pub(super) preview: Option<PreviewSummary>,
    /// The import, once written.
    pub(super) record: Option<Imported>,
}

impl JobResult {
    pub(super) fn of(job: &ImportJob) -> JobResult {
        job.result.as_deref().and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default()
    }
}

/// The preview of a checked file, as far as the page shows it.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct PreviewSummary {
    pub(super) rows: usize,
    pub(super) valid: usize,
    pub(super) invalid: usize,
    pub(super) problems: Vec<Said>,
    pub(super) errors: Vec<Said>,
    pub(super) more_errors: usize,
    pub(super) headers: Vec<String>,
    pub(super) shown: Vec<ShownRow>,
}

/// A row of the preview table: None for a valid row, else its errors.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct ShownRow {
    pub(super) line: usize,
    pub(super) cells: Vec<String>,
    pub(super) errors: Option<Said>,
}

/// A written import, for the page's last message.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Imported {
    pub(super) imported: i64,
    pub(super) rejected: i64,
    pub(super) file_name: String,
}

pub(super) fn summary(p: &Prepared) -> PreviewSummary {
    let pv = &p.preview;
    let total_errors = pv.errors().count();
    PreviewSummary {
        rows: pv.rows.len(),
        valid: pv.valid_count(),
        invalid: pv.invalid_count(),
        problems: pv.problems.iter().map(|e| Said::of(|l| e.message(l))).collect(),
        errors: pv.errors().take(SHOWN_ERRORS).map(|e| Said::of(|l| e.message_in(l))).collect(),
        more_errors: total_errors.saturating_sub(SHOWN_ERRORS),
        headers: p.table.headers.clone(),
        shown: pv
            .rows
            .iter()
            .zip(&p.table.rows)
            .take(SHOWN_ROWS)
            .map(|(r, (_, cells))| ShownRow {
                line: r.line,
                cells: cells.clone(),
                errors: (!r.errors.is_empty()).then(|| Said::of(|l| r.errors.iter().map(|e| e.cell_message_in(l)).collect::<Vec<_>>().join("; "))),
            })
            .collect(),
    }
}

/// Who runs next: a step first waits for its person's previous step to end, then for one of
/// the process's slots. A person's steps thus hold one slot at most, and one person's files
/// never keep everybody else's waiting; a step waiting for its person's turn holds no slot.
pub(super) struct Turns {
    slots: Arc<tokio::sync::Semaphore>,
    people: Mutex<std::collections::HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

/// A step's right to run; dropping it gives the turn to the next.
pub(super) struct Turn {
    _slot: tokio::sync::OwnedSemaphorePermit,
    _own: tokio::sync::OwnedMutexGuard<()>,
}

impl Turns {
    pub(super) fn new(slots: usize) -> Turns {
        Turns { slots: Arc::new(tokio::sync::Semaphore::new(slots)), people: Mutex::new(Default::default()) }
    }

    /// Waits for the person's turn, then for a slot; None once the slots are closed.
    pub(super) async fn take(&self, person: i64) -> Option<Turn> {
        let own = {
            let mut people = self.people.lock().unwrap_or_else(|p| p.into_inner());
            // Forget the people no step holds or waits for.
            people.retain(|_, m| Arc::strong_count(m) > 1);
            people.entry(person).or_default().clone()
        };
        let own = own.lock_owned().await;
        let slot = self.slots.clone().acquire_owned().await.ok()?;
        Some(Turn { _slot: slot, _own: own })
    }
}

/// What a step asks.
pub(super) enum Step {
    /// Read and validate, with this mapping (None: the remembered or recognised one).
    Check(Option<Mapping>),
    /// Validate again (members may have been added since the preview) and write.
    Write(Option<Mapping>, Mode),
}

/// How a step ended, for the job's row.
pub(super) struct Ended {
    pub(super) error: Option<String>,
    pub(super) result: Option<(String, Option<Vec<u8>>)>,
}

impl Ended {
    pub(super) fn failed(error: String) -> Ended {
        Ended { error: Some(error), result: None }
    }
}

/// The progress a step reports, read by the task that writes it to the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Live {
    pub(super) state: JobState,
    pub(super) phase: Option<Phase>,
    pub(super) done: u64,
    pub(super) total: u64,
}

/// A running step's progress and the right to write it to the job: held by the task that
/// reports it and by the step when it announces the writing, so the job's row never goes
/// back to an older report.
pub(super) struct Progress {
    pub(super) live: Mutex<Live>,
    pub(super) reporting: tokio::sync::Mutex<()>,
}

impl Progress {
    pub(super) fn set(&self, f: impl FnOnce(&mut Live)) {
        f(&mut self.live.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub(super) fn now(&self) -> Live {
        *self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn report(&self, ph: Phase, done: u64, total: u64) {
        self.set(|l| {
            l.phase = Some(ph);
            l.done = done;
            l.total = total;
        })
    }
}

/// Runs a queued step of a job on the blocking pool with the user's scope; a step that
/// panics ends with an error instead of leaving the page polling forever.
pub(super) fn spawn_step(staff: &Staff, job: ImportJob, step: Step) {
    let store = staff.auth.app.store.clone();
    let scope: Scope = staff.scope.clone();
    let account = staff.auth.session.account.id;
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let progress =
            Arc::new(Progress { live: Mutex::new(Live { state: JobState::Queued, phase: None, done: 0, total: 0 }), reporting: tokio::sync::Mutex::new(()) });
        let beat = handle.spawn(report_progress(store.clone(), scope.clone(), job.id.clone(), progress.clone()));
        let s = store.within(&scope);
        let work = std::panic::AssertUnwindSafe(|| {
            handle.block_on(async {
                let Some(_turn) = TURNS.take(account).await else { return Ended::failed("máy chủ đang dừng".to_owned()) };
                progress.set(|l| l.state = JobState::Running);
                let bytes = match s.import_job_file(&job.id).await {
                    Ok(b) => b,
                    Err(e) => return Ended::failed(e.message(Lang::Vi)),
                };
                run_step(&s, &job, &bytes, step, &progress).await
            })
        });
        let ended =
            std::panic::catch_unwind(work).unwrap_or_else(|_| Ended::failed("không xử lý được tệp này (tệp hỏng hoặc không đúng định dạng)".to_owned()));
        beat.abort();
        handle.block_on(async {
            let _ = beat.await;
            let outcome = JobOutcome { error: ended.error.as_deref(), result: ended.result.as_ref().map(|(json, rej)| (json.as_str(), rej.as_deref())) };
            if let Err(e) = s.end_import_job(&job.id, outcome).await {
                // The job stays "running" until it is taken for dead (STALE_AFTER).
                tracing::warn!(error = %e, "import: the end of a step was not recorded");
            }
        });
    });
}

/// Writes a running step's progress to its job twice a second when it moved, and at least
/// every [`HEARTBEAT`] as a sign of life. On SQLite the load's transaction holds the file's
/// write lock while it writes the members, so a report then would only wait for it: the step
/// announces the writing before it starts ([`announce_writing`]), and the bar shows it at its
/// start until the result.
pub(super) async fn report_progress(store: Store, scope: Scope, id: String, progress: Arc<Progress>) {
    let s = store.within(&scope);
    let mut sent: Option<(Live, std::time::Instant)> = None;
    loop {
        {
            let _turn = progress.reporting.lock().await;
            let now = progress.now();
            let due = match sent {
                Some((last, at)) => last != now || at.elapsed() >= HEARTBEAT,
                None => true,
            };
            let held = store.backend() == Backend::Sqlite && now.phase == Some(Phase::Writing);
            if due && !held {
                match s.report_import_job(&id, now.state, now.phase.map(phase_code), now.done as i64, now.total as i64).await {
                    Ok(_) => sent = Some((now, std::time::Instant::now())),
                    Err(e) => tracing::warn!(error = %e, "import: progress not recorded"),
                }
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

/// Records on the job that the writing starts, before the load takes its locks.
pub(super) async fn announce_writing(s: &Scoped<'_>, id: &str, progress: &Progress, rows: u64) {
    progress.report(Phase::Writing, 0, rows);
    let _turn = progress.reporting.lock().await;
    if let Err(e) = s.report_import_job(id, JobState::Running, Some(phase_code(Phase::Writing)), 0, rows as i64).await {
        tracing::warn!(error = %e, "import: progress not recorded");
    }
}

/// One step: check the file (and write it, when asked); the job's new result and the rows
/// left out, or why it failed.
pub(super) async fn run_step(s: &Scoped<'_>, job: &ImportJob, bytes: &[u8], step: Step, progress: &Progress) -> Ended {
    let mut result = JobResult::of(job);
    let (mapping, mode) = match step {
        Step::Check(m) => (m, None),
        Step::Write(m, mode) => (m, Some(mode)),
    };
    let report = |ph, done, total| progress.report(ph, done, total);
    let p = match chibo_import::prepare(s, job.org_id, &job.file_name, bytes, mapping, &report).await {
        Ok(p) => p,
        Err(e) => return Ended::failed(e.to_string()),
    };
    result.mapping = Some(p.mapping.to_codes());
    result.preview = Some(summary(&p));
    let rejected = if p.preview.invalid_count() > 0 {
        match export::rejected_xlsx(&p.preview, &p.table) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                tracing::warn!(error = %e, "import: the rejected rows' file was not made");
                None
            }
        }
    } else {
        None
    };
    let error = match mode {
        None => None,
        Some(mode) => {
            announce_writing(s, &job.id, progress, p.preview.valid_count() as u64).await;
            match chibo_import::commit(s, &p, mode, &report).await {
                Ok(rec) => {
                    result.record = Some(Imported { imported: rec.imported, rejected: rec.rejected, file_name: rec.file_name });
                    None
                }
                Err(e) => Some(e.to_string()),
            }
        }
    };
    let json = serde_json::to_string(&result).unwrap_or_default();
    Ended { error, result: Some((json, rejected)) }
}

#[cfg(test)]
mod tests {
    use super::Turns;
    use std::time::Duration;

    /// Whether the future is still waiting after the others had time to run.
    async fn waits<F: std::future::Future>(f: F) -> bool {
        tokio::time::timeout(Duration::from_millis(50), f).await.is_err()
    }

    #[tokio::test]
    async fn a_persons_second_step_waits_and_leaves_the_other_slot_to_someone_else() {
        let turns = Turns::new(2);
        let first = turns.take(1).await.expect("a slot");
        // The same person's next step waits for the first, though a slot is free, and holds
        // no slot while it waits…
        assert!(waits(turns.take(1)).await);
        // …which another person gets at once.
        let other = turns.take(2).await.expect("the free slot");
        // Both slots taken: a third person waits.
        assert!(waits(turns.take(3)).await);
        drop(first);
        // The first person's step ended: their next one runs.
        let again = tokio::time::timeout(Duration::from_secs(5), turns.take(1)).await.expect("the turn").expect("a slot");
        drop((other, again));
        assert!(!waits(turns.take(3)).await);
    }
}
