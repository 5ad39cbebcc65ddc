//! Bulk loading for the demo and the national generator: COPY on PostgreSQL, large multi-row
//! INSERTs on SQLite, all in one transaction (a crash leaves nothing half-loaded). Secondary
//! indexes are dropped at the start and rebuilt at the end, inside the same transaction.
//!
//! Only for an empty database and only for the operator (no scope): the rows are derived by
//! the same domain functions (`attr_spans`, `replay`) the interactive path uses.

#[cfg(feature = "operator")]
use crate::StoreError;
use crate::{Backend, Result, Store};
use chibo_domain::member::{MemberEvent, MemberHistory, MemberId, MemberProfile};
use chibo_domain::org::{OrgCategory, OrgId, OrgKind, OrgPath};
use chibo_domain::text::{fold, person_sort_key, text_sort_key};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
// Every dynamic statement here is built from constant table and column names and from
// index definitions read back from the database's own catalogue: nothing from users.
use sqlx::{AssertSqlSafe, Postgres, Sqlite, Transaction};
use std::fmt::Write as _;

/// An organization founded once and never changed (generated data).
#[derive(Debug, Clone)]
pub struct OrgRow {
    /// Key, assigned by the generator.
    pub id: OrgId,
    /// Official code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Level.
    pub kind: OrgKind,
    /// Category.
    pub category: OrgCategory,
    /// Parent.
    pub parent_id: Option<OrgId>,
    /// Path (parent's path + id).
    pub path: OrgPath,
    /// Founding date.
    pub founded_on: NaiveDate,
    /// Founding decision.
    pub decision_no: Option<String>,
}

/// A member with events and the history replayed from them.
#[derive(Debug, Clone)]
pub struct MemberRow {
    /// Key, assigned by the generator.
    pub id: MemberId,
    /// Personal fields.
    pub profile: MemberProfile,
    /// Events in order, each with its decision number.
    pub events: Vec<(MemberEvent, Option<String>)>,
    /// `replay` of the events.
    pub history: MemberHistory,
}

pub(crate) enum Cell {
    I(i64),
    T(String),
    D(NaiveDate),
    Null,
    /// A NULL bound as an integer: PostgreSQL types a parameter by what is bound.
    NullInt,
    Ts(DateTime<Utc>),
    B(bool),
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::I(v)
    }
}
impl From<i32> for Cell {
    fn from(v: i32) -> Self {
        Cell::I(v.into())
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::B(v)
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::T(v)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::T(v.to_owned())
    }
}
impl From<NaiveDate> for Cell {
    fn from(v: NaiveDate) -> Self {
        Cell::D(v)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Cell::Null)
    }
}

/// PostgreSQL COPY text format: backslash escapes and \N for NULL.
fn copy_escape(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

struct TableBuf {
    table: &'static str,
    cols: Vec<&'static str>,
    copy: String,
    cells: Vec<Cell>,
    rows: usize,
}

impl TableBuf {
    fn new(table: &'static str, cols: &[&'static str]) -> Self {
        Self { table, cols: cols.to_vec(), copy: String::new(), cells: Vec::new(), rows: 0 }
    }

    fn push(&mut self, backend: Backend, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.cols.len());
        self.rows += 1;
        match backend {
            Backend::Postgres => {
                for (i, c) in row.into_iter().enumerate() {
                    if i > 0 {
                        self.copy.push('\t');
                    }
                    match c {
                        Cell::I(v) => {
                            let _ = write!(self.copy, "{v}");
                        }
                        Cell::T(s) => copy_escape(&mut self.copy, &s),
                        Cell::D(d) => {
                            let _ = write!(self.copy, "{}", d.format("%Y-%m-%d"));
                        }
                        Cell::Ts(t) => {
                            let _ = write!(self.copy, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f+00"));
                        }
                        Cell::B(v) => self.copy.push(if v { 't' } else { 'f' }),
                        Cell::Null | Cell::NullInt => self.copy.push_str("\\N"),
                    }
                }
                self.copy.push('\n');
            }
            Backend::Sqlite => self.cells.extend(row),
        }
    }

    /// Rows per SQLite statement: SQLite allows 32,766 bound values per statement.
    fn sqlite_rows_per_stmt(&self) -> usize {
        (32_000 / self.cols.len()).max(1)
    }

    fn is_full(&self, backend: Backend) -> bool {
        match backend {
            Backend::Postgres => self.copy.len() > 4 << 20,
            Backend::Sqlite => self.rows >= self.sqlite_rows_per_stmt(),
        }
    }
}

enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

const ORG_COLS: &[&str] =
    &["id", "code", "name", "name_folded", "sort_key", "kind", "category", "parent_id", "path", "depth", "founded_on", "dissolved_on", "version", "updated_at"];
const ORG_EVENT_COLS: &[&str] = &["org_id", "kind", "occurred_on", "parent_id", "name", "org_kind", "category", "decision_no", "recorded_by", "recorded_at"];
const ORG_SPAN_COLS: &[&str] = &["org_id", "valid_from", "valid_until", "parent_id", "path", "depth", "name", "kind", "category"];
/// id, the profile columns (as the interactive path writes them), then the derived state.
fn member_cols() -> Vec<&'static str> {
    let mut cols = vec!["id"];
    cols.extend(crate::member::PROFILE_COLS);
    cols.extend(["org_id", "status", "admitted_on", "official_on", "version", "updated_at"]);
    cols
}
const MEMBER_EVENT_COLS: &[&str] = &["member_id", "kind", "occurred_on", "org_id", "status", "decision_no", "recorded_by", "recorded_at"];
const MEMBER_SPAN_COLS: &[&str] = &["member_id", "valid_from", "valid_until", "org_id", "status"];
#[cfg(feature = "operator")]
const TABLES: &[&str] = &[
    "org",
    "org_event",
    "org_span",
    "member",
    "member_event",
    "member_span",
    "committee_term",
    "committee_seat",
    "concurrent_post",
    "work_regulation",
    "duty",
    "duty_org",
    "meeting",
    "meeting_attendee",
    "meeting_item",
    "meeting_opinion",
    "meeting_vote",
];
const TERM_COLS: &[&str] =
    &["id", "org_id", "label", "starts_on", "planned_end", "ended_on", "pilot", "planned_size", "village_head_expected", "version", "updated_at"];
const SEAT_COLS: &[&str] = &[
    "id",
    "term_id",
    "member_id",
    "position",
    "basis",
    "from_on",
    "until_on",
    "end_reason",
    "decision_no",
    "left_on",
    "left_status",
    "ends_on",
    "version",
    "updated_at",
];
const POST_COLS: &[&str] = &["id", "member_id", "kind", "place", "from_on", "until_on", "version", "updated_at"];
const REGULATION_COLS: &[&str] = &["id", "term_id", "revision", "adopted_on", "decision_no", "body", "recorded_by", "recorded_at", "version"];
const DUTY_COLS: &[&str] = &["id", "seat_id", "field", "body", "from_on", "until_on", "version", "updated_at"];
const DUTY_ORG_COLS: &[&str] = &["duty_id", "org_id"];
const MEETING_COLS: &[&str] = &[
    "id",
    "org_id",
    "kind",
    "held_on",
    "month",
    "starts_at",
    "place",
    "topic",
    "documents",
    "state",
    "notified_on",
    "chair_id",
    "chair_name",
    "secretary_id",
    "secretary_name",
    "signed_on",
    "resolution_no",
    "resolution",
    "convened",
    "present",
    "excused",
    "absent",
    "upper_attended",
    "recorded_by",
    "recorded_at",
    "version",
    "updated_at",
];
const ATTENDEE_COLS: &[&str] = &["meeting_id", "position", "member_id", "name", "role", "presence", "reason"];
const ITEM_COLS: &[&str] = &["id", "meeting_id", "position", "title", "report", "conclusion"];
const OPINION_COLS: &[&str] = &["item_id", "position", "member_id", "speaker", "said"];
const VOTE_COLS: &[&str] = &["item_id", "subject", "votes_for", "votes_against", "abstain", "base", "passed"];

/// A meeting held, with its attendance and minutes (generated data).
#[derive(Debug, Clone)]
pub struct MeetingRow {
    /// The meeting (its id given; `chair` and `secretary` with their names).
    pub meeting: chibo_domain::meeting::Meeting,
    /// Its attendance's counts.
    pub counts: chibo_domain::meeting::Counts,
    /// An upper committee member in charge attended.
    pub upper_attended: bool,
    /// Its attendance (a member's name is not loaded: it is read from the member).
    pub attendees: Vec<chibo_domain::meeting::Attendee>,
    /// Its minutes (a vote's `passed` is from the rules given to `add_meetings`).
    pub items: Vec<chibo_domain::meeting::Item>,
}

/// A committee's term with its seats and its holders' concurrent posts (generated data).
#[derive(Debug, Clone)]
pub struct CommitteeRow {
    /// The term.
    pub term: chibo_domain::committee::Term,
    /// Its seats (`full_name`, `approved_on`, `approval_no` and `note` are not loaded).
    pub seats: Vec<chibo_domain::committee::Seat>,
    /// Concurrent posts of its holders (`full_name` and `note` are not loaded).
    pub posts: Vec<chibo_domain::committee::Post>,
    /// Its working regulations, typed in (files are not generated).
    pub regulations: Vec<chibo_domain::committee::Regulation>,
    /// Duties of its seats' holders (`full_name` and `in_charge_names` are not loaded).
    pub duties: Vec<chibo_domain::committee::Duty>,
}

/// Counts of what a load wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadCounts {
    /// Organizations.
    pub orgs: u64,
    /// Members.
    pub members: u64,
    /// Member events.
    pub member_events: u64,
}

/// A bulk load in progress: one transaction until `finish`.
pub struct BulkLoader {
    backend: Backend,
    tx: Tx,
    now: DateTime<Utc>,
    recorded_by: String,
    org: TableBuf,
    org_event: TableBuf,
    org_span: TableBuf,
    member: TableBuf,
    member_event: TableBuf,
    member_span: TableBuf,
    term: TableBuf,
    seat: TableBuf,
    post: TableBuf,
    regulation: TableBuf,
    duty: TableBuf,
    duty_org: TableBuf,
    meeting: TableBuf,
    attendee: TableBuf,
    item: TableBuf,
    opinion: TableBuf,
    vote: TableBuf,
    next_item: i64,
    indexes: Vec<String>,
    counts: LoadCounts,
    /// The store's pool, for deriving the figures' facts after the load commits.
    db: sea_orm::DatabaseConnection,
}

impl Store {
    /// Whether the organization table is empty (bulk loads need an empty database).
    pub async fn is_empty(&self) -> Result<bool> {
        let r = crate::kernel::sql::one(&self.db, "SELECT COUNT(*) AS n FROM org", vec![]).await?;
        Ok(r.map(|r| crate::kernel::sql::get::<i64>(&r, "n")).transpose()?.unwrap_or(0) == 0)
    }

    /// Starts a bulk load into an empty database.
    #[cfg(feature = "operator")]
    pub async fn bulk_loader(&self, recorded_by: &str) -> Result<BulkLoader> {
        if !self.is_empty().await? {
            return Err(StoreError::Db(sea_orm::DbErr::Custom("cơ sở dữ liệu đã có dữ liệu; nạp hàng loạt chỉ dùng cho cơ sở dữ liệu trống".into())));
        }
        let mut tx = self.begin_tx().await?;
        let indexes = drop_secondary_indexes(&mut tx).await?;
        Ok(BulkLoader::new(self.backend(), tx, recorded_by, indexes, self.db.clone(), self.clock().now()))
    }
}

impl BulkLoader {
    fn new(backend: Backend, tx: Tx, recorded_by: &str, indexes: Vec<String>, db: sea_orm::DatabaseConnection, now: DateTime<Utc>) -> BulkLoader {
        BulkLoader {
            backend,
            tx,
            now,
            recorded_by: recorded_by.to_owned(),
            org: TableBuf::new("org", ORG_COLS),
            org_event: TableBuf::new("org_event", ORG_EVENT_COLS),
            org_span: TableBuf::new("org_span", ORG_SPAN_COLS),
            member: TableBuf::new("member", &member_cols()),
            member_event: TableBuf::new("member_event", MEMBER_EVENT_COLS),
            member_span: TableBuf::new("member_span", MEMBER_SPAN_COLS),
            term: TableBuf::new("committee_term", TERM_COLS),
            seat: TableBuf::new("committee_seat", SEAT_COLS),
            post: TableBuf::new("concurrent_post", POST_COLS),
            regulation: TableBuf::new("work_regulation", REGULATION_COLS),
            duty: TableBuf::new("duty", DUTY_COLS),
            duty_org: TableBuf::new("duty_org", DUTY_ORG_COLS),
            meeting: TableBuf::new("meeting", MEETING_COLS),
            attendee: TableBuf::new("meeting_attendee", ATTENDEE_COLS),
            item: TableBuf::new("meeting_item", ITEM_COLS),
            opinion: TableBuf::new("meeting_opinion", OPINION_COLS),
            vote: TableBuf::new("meeting_vote", VOTE_COLS),
            next_item: 1,
            indexes,
            counts: LoadCounts::default(),
            db,
        }
    }
}

#[cfg(feature = "operator")]
async fn drop_secondary_indexes(tx: &mut Tx) -> Result<Vec<String>> {
    let list = TABLES.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");
    let defs: Vec<(String, String)> = match tx {
        Tx::Sqlite(t) => {
            let sql = format!("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({list})");
            sqlx::query_as(AssertSqlSafe(sql.as_str())).fetch_all(&mut **t).await?
        }
        Tx::Postgres(t) => {
            let sql = format!(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ({list}) AND indexname NOT LIKE '%pkey'"
            );
            sqlx::query_as(AssertSqlSafe(sql.as_str())).fetch_all(&mut **t).await?
        }
    };
    for (name, _) in &defs {
        execute(tx, &format!("DROP INDEX {name}")).await?;
    }
    Ok(defs.into_iter().map(|(_, def)| def).collect())
}

/// Runs one statement without parameters inside the load's transaction.
async fn execute(tx: &mut Tx, sql: &str) -> Result<()> {
    match tx {
        Tx::Sqlite(t) => {
            sqlx::query(AssertSqlSafe(sql)).execute(&mut **t).await?;
        }
        Tx::Postgres(t) => {
            sqlx::query(AssertSqlSafe(sql)).execute(&mut **t).await?;
        }
    }
    Ok(())
}

impl BulkLoader {
    /// Adds organizations (parents before children).
    pub async fn add_orgs(&mut self, orgs: &[OrgRow]) -> Result<()> {
        let b = self.backend;
        for o in orgs {
            let depth = o.path.depth() as i32;
            self.org.push(
                b,
                vec![
                    o.id.into(),
                    o.code.as_str().into(),
                    o.name.as_str().into(),
                    fold(&o.name).into(),
                    text_sort_key(&o.name).into(),
                    o.kind.code().into(),
                    o.category.code().into(),
                    o.parent_id.into(),
                    o.path.as_str().into(),
                    depth.into(),
                    o.founded_on.into(),
                    Cell::Null,
                    1i64.into(),
                    Cell::Ts(self.now),
                ],
            );
            self.org_event.push(
                b,
                vec![
                    o.id.into(),
                    "founded".into(),
                    o.founded_on.into(),
                    o.parent_id.into(),
                    o.name.as_str().into(),
                    o.kind.code().into(),
                    o.category.code().into(),
                    o.decision_no.as_deref().into(),
                    self.recorded_by.as_str().into(),
                    Cell::Ts(self.now),
                ],
            );
            self.org_span.push(
                b,
                vec![
                    o.id.into(),
                    o.founded_on.into(),
                    chibo_domain::calendar::OPEN_END.into(),
                    o.parent_id.into(),
                    o.path.as_str().into(),
                    depth.into(),
                    o.name.as_str().into(),
                    o.kind.code().into(),
                    o.category.code().into(),
                ],
            );
            self.counts.orgs += 1;
            if self.org.is_full(b) || self.org_event.is_full(b) || self.org_span.is_full(b) {
                self.flush_orgs().await?;
            }
        }
        self.flush_orgs().await
    }

    async fn flush_orgs(&mut self) -> Result<()> {
        flush(&mut self.tx, &mut self.org).await?;
        flush(&mut self.tx, &mut self.org_event).await?;
        flush(&mut self.tx, &mut self.org_span).await
    }

    async fn flush_members(&mut self) -> Result<()> {
        flush(&mut self.tx, &mut self.member).await?;
        flush(&mut self.tx, &mut self.member_event).await?;
        flush(&mut self.tx, &mut self.member_span).await
    }

    /// Adds members (their cells must have been added).
    pub async fn add_members(&mut self, members: &[MemberRow]) -> Result<()> {
        let b = self.backend;
        for m in members {
            let p = &m.profile;
            let s = &m.history.state;
            self.member.push(
                b,
                vec![
                    m.id.into(),
                    p.full_name.as_str().into(),
                    fold(&p.full_name).into(),
                    person_sort_key(&p.full_name).into(),
                    p.other_name.as_deref().into(),
                    p.gender.code().into(),
                    p.birth_date.into(),
                    p.birth_place.as_deref().into(),
                    p.home_town.as_deref().into(),
                    p.ethnicity.as_str().into(),
                    p.religion.as_str().into(),
                    p.permanent_address.as_deref().into(),
                    p.current_address.as_deref().into(),
                    p.phone.as_deref().into(),
                    p.email.as_deref().into(),
                    p.cccd.as_ref().map(|c| c.as_str()).into(),
                    p.card_number.as_ref().map(|c| c.as_str()).into(),
                    p.occupation.as_deref().into(),
                    p.general_education.as_deref().into(),
                    p.professional_education.code().into(),
                    p.political_theory.code().into(),
                    p.party_position.as_deref().into(),
                    p.government_position.as_deref().into(),
                    s.cell.into(),
                    s.status.code().into(),
                    s.admitted_on.into(),
                    s.official_on.into(),
                    1i64.into(),
                    Cell::Ts(self.now),
                ],
            );
            for (ev, decision) in &m.events {
                self.member_event.push(
                    b,
                    vec![
                        m.id.into(),
                        ev.change.code().into(),
                        ev.on.into(),
                        ev.change.cell().into(),
                        ev.change.named_status().map(|s| s.code()).into(),
                        decision.as_deref().into(),
                        self.recorded_by.as_str().into(),
                        Cell::Ts(self.now),
                    ],
                );
                self.counts.member_events += 1;
            }
            for sp in &m.history.spans {
                self.member_span.push(b, vec![m.id.into(), sp.from.into(), sp.until.into(), sp.cell.into(), sp.status.code().into()]);
            }
            self.counts.members += 1;
            if self.member.is_full(b) || self.member_event.is_full(b) || self.member_span.is_full(b) {
                self.flush_members().await?;
            }
        }
        Ok(())
    }

    /// Adds committees: terms, seats, posts, regulations and duties (their organizations and
    /// members must have been added and flushed; call after the last `add_members`).
    pub async fn add_committees(&mut self, rows: &[CommitteeRow]) -> Result<()> {
        let b = self.backend;
        self.flush_members().await?;
        for r in rows {
            let t = &r.term;
            self.term.push(
                b,
                vec![
                    t.id.into(),
                    t.org_id.into(),
                    t.label.as_str().into(),
                    t.starts_on.into(),
                    t.planned_end.into(),
                    t.ended_on.into(),
                    t.pilot.into(),
                    t.planned_size.map(|n| n as i64).into(),
                    t.village_head_expected.into(),
                    1i64.into(),
                    Cell::Ts(self.now),
                ],
            );
            for s in &r.seats {
                self.seat.push(
                    b,
                    vec![
                        s.id.into(),
                        t.id.into(),
                        s.member_id.into(),
                        s.position.code().into(),
                        s.basis.code().into(),
                        s.from.into(),
                        s.until.into(),
                        s.end.map(|e| e.code()).into(),
                        s.decision_no.as_deref().into(),
                        s.left.map(|l| l.on).into(),
                        s.left.and_then(|l| l.status).map(|st| st.code()).into(),
                        s.ends_on().into(),
                        1i64.into(),
                        Cell::Ts(self.now),
                    ],
                );
            }
            for p in &r.posts {
                self.post.push(
                    b,
                    vec![
                        p.id.into(),
                        p.member_id.into(),
                        p.kind.code().into(),
                        p.place.as_str().into(),
                        p.from.into(),
                        p.until.into(),
                        1i64.into(),
                        Cell::Ts(self.now),
                    ],
                );
            }
            for w in &r.regulations {
                self.regulation.push(
                    b,
                    vec![
                        w.id.into(),
                        t.id.into(),
                        (w.revision as i64).into(),
                        w.adopted_on.into(),
                        w.decision_no.as_str().into(),
                        w.text.as_deref().into(),
                        self.recorded_by.as_str().into(),
                        Cell::Ts(self.now),
                        1i64.into(),
                    ],
                );
            }
            for d in &r.duties {
                self.duty.push(
                    b,
                    vec![
                        d.id.into(),
                        d.seat_id.into(),
                        d.field.code().into(),
                        d.text.as_str().into(),
                        d.from.into(),
                        d.until.into(),
                        1i64.into(),
                        Cell::Ts(self.now),
                    ],
                );
                for org in &d.in_charge_of {
                    self.duty_org.push(b, vec![d.id.into(), (*org).into()]);
                }
            }
            if [&self.term, &self.seat, &self.post, &self.regulation, &self.duty, &self.duty_org].iter().any(|t| t.is_full(b)) {
                self.flush_committees().await?;
            }
        }
        Ok(())
    }

    /// Adds meetings with their attendance and minutes (their organizations and members must
    /// have been added; call after the last `add_members`); `rules_at` decides whether each
    /// vote passed.
    pub async fn add_meetings(&mut self, rows: &[MeetingRow], rules_at: impl Fn(NaiveDate) -> chibo_domain::meeting::MeetingRules) -> Result<()> {
        let b = self.backend;
        self.flush_members().await?;
        for r in rows {
            let m = &r.meeting;
            let c = &r.counts;
            self.meeting.push(
                b,
                vec![
                    m.id.into(),
                    m.org_id.into(),
                    m.kind.code().into(),
                    m.held_on.into(),
                    (m.held_on.year() * 100 + m.held_on.month() as i32).into(),
                    m.starts_at.as_deref().into(),
                    m.place.as_deref().into(),
                    m.topic.as_deref().into(),
                    m.documents.as_deref().into(),
                    m.state.code().into(),
                    m.notified_on.into(),
                    m.chair.as_ref().map(|p| p.0).into(),
                    m.chair.as_ref().map(|p| p.1.as_str()).into(),
                    m.secretary.as_ref().map(|p| p.0).into(),
                    m.secretary.as_ref().map(|p| p.1.as_str()).into(),
                    m.signed_on.into(),
                    m.resolution_no.as_deref().into(),
                    m.resolution.as_deref().into(),
                    (c.convened as i64).into(),
                    (c.present as i64).into(),
                    (c.excused as i64).into(),
                    (c.absent as i64).into(),
                    r.upper_attended.into(),
                    self.recorded_by.as_str().into(),
                    Cell::Ts(self.now),
                    1i64.into(),
                    Cell::Ts(self.now),
                ],
            );
            for (i, a) in r.attendees.iter().enumerate() {
                let name = if a.member_id.is_some() { None } else { Some(a.name.as_str()) };
                self.attendee.push(
                    b,
                    vec![
                        m.id.into(),
                        (i as i64).into(),
                        a.member_id.into(),
                        name.into(),
                        a.role.code().into(),
                        a.presence.code().into(),
                        a.reason.as_deref().into(),
                    ],
                );
            }
            let rules = rules_at(m.held_on);
            for (i, it) in r.items.iter().enumerate() {
                let id = self.next_item;
                self.next_item += 1;
                self.item.push(
                    b,
                    vec![id.into(), m.id.into(), (i as i64).into(), it.title.as_str().into(), it.report.as_deref().into(), it.conclusion.as_deref().into()],
                );
                for (j, o) in it.opinions.iter().enumerate() {
                    self.opinion.push(b, vec![id.into(), (j as i64).into(), o.member_id.into(), o.speaker.as_str().into(), o.text.as_str().into()]);
                }
                for v in &it.votes {
                    self.vote.push(
                        b,
                        vec![
                            id.into(),
                            v.subject.as_str().into(),
                            (v.votes_for as i64).into(),
                            (v.votes_against as i64).into(),
                            (v.abstain as i64).into(),
                            (v.base as i64).into(),
                            v.passed(&rules).into(),
                        ],
                    );
                }
            }
            if [&self.meeting, &self.attendee, &self.item, &self.opinion, &self.vote].iter().any(|t| t.is_full(b)) {
                self.flush_meetings().await?;
            }
        }
        Ok(())
    }

    async fn flush_meetings(&mut self) -> Result<()> {
        flush(&mut self.tx, &mut self.meeting).await?;
        flush(&mut self.tx, &mut self.attendee).await?;
        flush(&mut self.tx, &mut self.item).await?;
        flush(&mut self.tx, &mut self.opinion).await?;
        flush(&mut self.tx, &mut self.vote).await
    }

    async fn flush_committees(&mut self) -> Result<()> {
        flush(&mut self.tx, &mut self.term).await?;
        flush(&mut self.tx, &mut self.seat).await?;
        flush(&mut self.tx, &mut self.post).await?;
        flush(&mut self.tx, &mut self.regulation).await?;
        flush(&mut self.tx, &mut self.duty).await?;
        flush(&mut self.tx, &mut self.duty_org).await
    }

    /// Writes what is buffered, rebuilds the indexes, moves sequences past the loaded ids and
    /// commits.
    pub async fn finish(mut self) -> Result<LoadCounts> {
        self.flush_orgs().await?;
        self.flush_members().await?;
        self.flush_committees().await?;
        self.flush_meetings().await?;
        // The load itself is audited: one entry with what it wrote, by the operator's command.
        let what = self.recorded_by.strip_prefix("system:").unwrap_or(&self.recorded_by).to_owned();
        let counts = serde_json::json!({ "orgs": self.counts.orgs, "members": self.counts.members, "member_events": self.counts.member_events });
        let entry = crate::kernel::Audit::of(chibo_domain::member::audit::ImportAction::BulkLoad, None).after(&counts);
        self.execute(crate::kernel::Audit::INSERT, entry.cells(&chibo_domain::scope::Actor::System { what }, self.now)).await?;
        for def in std::mem::take(&mut self.indexes) {
            execute(&mut self.tx, &def).await?;
        }
        match self.tx {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(mut t) => {
                for table in [
                    "org",
                    "org_event",
                    "member",
                    "member_event",
                    "committee_term",
                    "committee_seat",
                    "concurrent_post",
                    "work_regulation",
                    "duty",
                    "meeting",
                    "meeting_item",
                ] {
                    let sql = format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)");
                    sqlx::query(AssertSqlSafe(sql.as_str())).execute(&mut *t).await?;
                }
                t.commit().await?
            }
        }
        // The figures' facts and checkpoints, derived from what was loaded.
        crate::stats::rebuild_on(&self.db, &mut |_, _| {}).await?;
        Ok(self.counts)
    }
}

impl Store {
    async fn begin_tx(&self) -> Result<Tx> {
        Ok(match self.backend() {
            // Immediate, like every write transaction (`db::begin_write`): the load reads ids
            // and codes before it writes.
            Backend::Sqlite => Tx::Sqlite(self.db.get_sqlite_connection_pool().begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres => Tx::Postgres(self.db.get_postgres_connection_pool().begin().await?),
        })
    }

    /// Starts appending members to a live database (imports): one transaction like a bulk
    /// load, but the indexes stay (other users keep reading) and ids come from the database.
    pub(crate) async fn appender(&self, recorded_by: &str) -> Result<BulkLoader> {
        let tx = self.begin_tx().await?;
        Ok(BulkLoader::new(self.backend(), tx, recorded_by, Vec::new(), self.db.clone(), self.clock().now()))
    }
}

/// Binds cells to a PostgreSQL query of any kind (rows or scalars), NULLs typed by the cell.
macro_rules! bind_cells {
    ($q:expr, $values:expr) => {{
        let mut q = $q;
        for c in $values {
            q = match c {
                Cell::I(v) => q.bind(*v),
                Cell::T(s) => q.bind(s.clone()),
                Cell::D(d) => q.bind(*d),
                Cell::Ts(ts) => q.bind(*ts),
                Cell::B(v) => q.bind(*v),
                Cell::Null => q.bind(None::<String>),
                Cell::NullInt => q.bind(None::<i64>),
            };
        }
        q
    }};
}

impl BulkLoader {
    /// Runs one statement written with `$n` placeholders inside the load's transaction.
    pub(crate) async fn execute(&mut self, sql: &str, values: Vec<Cell>) -> Result<()> {
        match &mut self.tx {
            Tx::Sqlite(t) => {
                let sql = sql.replace('$', "?");
                bind_sqlite(sqlx::query(AssertSqlSafe(sql.as_str())), &values).execute(&mut **t).await?;
            }
            Tx::Postgres(t) => {
                bind_cells!(sqlx::query(AssertSqlSafe(sql)), &values).execute(&mut **t).await?;
            }
        }
        Ok(())
    }

    /// Runs one statement written with `$n` placeholders inside the load's transaction and
    /// returns the first column of every row it answers, as integers (ids).
    pub(crate) async fn query_ids(&mut self, sql: &str, values: Vec<Cell>) -> Result<Vec<i64>> {
        match &mut self.tx {
            Tx::Sqlite(t) => {
                let sql = sql.replace('$', "?");
                let rows = bind_sqlite(sqlx::query(AssertSqlSafe(sql.as_str())), &values).fetch_all(&mut **t).await?;
                rows.iter().map(|r| Ok(sqlx::Row::try_get::<i64, _>(r, 0)?)).collect()
            }
            Tx::Postgres(t) => Ok(bind_cells!(sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql)), &values).fetch_all(&mut **t).await?),
        }
    }

    /// Writes what is buffered and commits, leaving sequences alone (ids were drawn from them).
    pub(crate) async fn commit(mut self) -> Result<LoadCounts> {
        self.flush_members().await?;
        match self.tx {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(self.counts)
    }

    /// The engine the load writes to.
    pub(crate) fn backend(&self) -> Backend {
        self.backend
    }
}

fn bind_sqlite<'q>(
    mut q: sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments>,
    values: &'q [Cell],
) -> sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments> {
    for c in values {
        q = match c {
            Cell::I(v) => q.bind(*v),
            Cell::T(s) => q.bind(s.as_str()),
            Cell::D(d) => q.bind(*d),
            Cell::Ts(ts) => q.bind(*ts),
            Cell::B(v) => q.bind(*v),
            Cell::Null | Cell::NullInt => q.bind(None::<i64>),
        };
    }
    q
}

async fn flush(tx: &mut Tx, buf: &mut TableBuf) -> Result<()> {
    if buf.rows == 0 {
        return Ok(());
    }
    match tx {
        Tx::Postgres(t) => {
            let sql = format!("COPY {} ({}) FROM STDIN (FORMAT text)", buf.table, buf.cols.join(", "));
            let mut copy = t.copy_in_raw(&sql).await?;
            copy.send(std::mem::take(&mut buf.copy).into_bytes()).await?;
            copy.finish().await?;
        }
        Tx::Sqlite(t) => {
            let per = buf.cols.len();
            let cells = std::mem::take(&mut buf.cells);
            let row_ph = format!("({})", vec!["?"; per].join(","));
            for chunk in cells.chunks(per * buf.sqlite_rows_per_stmt()) {
                let n = chunk.len() / per;
                let sql = format!("INSERT INTO {} ({}) VALUES {}", buf.table, buf.cols.join(", "), vec![row_ph.as_str(); n].join(","));
                bind_sqlite(sqlx::query(AssertSqlSafe(sql.as_str())), chunk).execute(&mut **t).await?;
            }
        }
    }
    buf.rows = 0;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_separators() {
        let mut s = String::new();
        copy_escape(&mut s, "a\tb\\c\nd");
        assert_eq!(s, "a\\tb\\\\c\\nd");
    }
}
