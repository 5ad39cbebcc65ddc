//! Committees and their terms, stored: terms of each organization, the seats of their bodies,
//! concurrent posts, duties and working regulations. Every write goes through the kernel
//! (scope, rights, version, audit); the rules of what makes sense are the domain's
//! (`chibo_domain::committee`).
//!
//! A seat follows its holder's life: whenever a member's spans are rewritten (an event, a
//! transfer), [`follow_member`] re-derives when each of their seats ended by the rules of the
//! day and stores it (`left_on`, `left_status`, `ends_on`), so "the committee on D" and the
//! figures are plain range queries.

pub mod todo;

use crate::kernel::sql::{all, exec, get, one, valid_at};
use crate::kernel::{Audit, Change, Versioned};
use crate::member::load_member_unscoped;
use crate::org::{load_org, load_org_unscoped};
use crate::{Result, Scoped, StoreError};
use chibo_domain::calendar::format_date;
use chibo_domain::committee::audit::{DutyAction, PostAction, RegulationAction, SeatAction, TermAction};
use chibo_domain::committee::command::{AdoptRegulation, ApproveSeat, AssignDuty, AssignSeat, EndSeat, RecordPost, TermFields};
use chibo_domain::committee::{
    CountedDays, Duty, DutyField, DutyId, Followed, Left, Position, Post, PostId, PostKind, Regulation, RegulationFile, RegulationId, Seat, SeatBasis, SeatEnd,
    SeatId, SeatState, Shape, Term, TermId, follow,
};
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::member::{MemberId, MemberSpan, MemberStatus};
use chibo_domain::org::{OrgCategory, OrgId, OrgKind, OrgPath};
use chibo_domain::rules::RuleBook;
use chibo_domain::scope::Rights;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, QueryResult};
use serde::Serialize;

const TERM_COLS: &str =
    "t.id, t.org_id, t.label, t.starts_on, t.planned_end, t.ended_on, t.pilot, t.planned_size, t.village_head_expected, t.congress_id, t.version";

fn term_row(r: &QueryResult) -> Result<Term> {
    Ok(Term {
        id: get(r, "id")?,
        org_id: get(r, "org_id")?,
        label: get(r, "label")?,
        starts_on: get(r, "starts_on")?,
        planned_end: get(r, "planned_end")?,
        ended_on: get(r, "ended_on")?,
        pilot: get(r, "pilot")?,
        planned_size: get::<Option<i32>>(r, "planned_size")?.map(|n| n.max(0) as u32),
        village_head_expected: get(r, "village_head_expected")?,
        congress_id: get(r, "congress_id")?,
        version: get(r, "version")?,
    })
}

const SEAT_COLS: &str = "s.id, s.term_id, s.member_id, m.full_name, s.position, s.basis, s.from_on, s.until_on, s.end_reason, s.decision_no, s.approved_on, \
    s.approval_no, s.note, s.left_on, s.left_status, s.version";
const SEAT_FROM: &str = "committee_seat s JOIN member m ON m.id = s.member_id";

fn corrupt(what: &str) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("stored {what} unreadable")))
}

fn seat_row(r: &QueryResult) -> Result<Seat> {
    let left_on: Option<NaiveDate> = get(r, "left_on")?;
    let left_status = get::<Option<String>>(r, "left_status")?.and_then(|s| MemberStatus::from_code(&s));
    Ok(Seat {
        id: get(r, "id")?,
        term_id: get(r, "term_id")?,
        member_id: get(r, "member_id")?,
        full_name: get(r, "full_name")?,
        position: Position::from_code(&get::<String>(r, "position")?).ok_or_else(|| corrupt("position"))?,
        basis: SeatBasis::from_code(&get::<String>(r, "basis")?).ok_or_else(|| corrupt("seat basis"))?,
        from: get(r, "from_on")?,
        until: get(r, "until_on")?,
        end: get::<Option<String>>(r, "end_reason")?.and_then(|s| SeatEnd::from_code(&s)),
        decision_no: get(r, "decision_no")?,
        approved_on: get(r, "approved_on")?,
        approval_no: get(r, "approval_no")?,
        note: get(r, "note")?,
        left: left_on.map(|on| Left { on, status: left_status }),
        version: get(r, "version")?,
    })
}

const POST_COLS: &str = "p.id, p.member_id, m.full_name, p.kind, p.place, p.from_on, p.until_on, p.note, p.version";

fn post_row(r: &QueryResult) -> Result<Post> {
    Ok(Post {
        id: get(r, "id")?,
        member_id: get(r, "member_id")?,
        full_name: get(r, "full_name")?,
        kind: PostKind::from_code(&get::<String>(r, "kind")?).ok_or_else(|| corrupt("post kind"))?,
        place: get(r, "place")?,
        from: get(r, "from_on")?,
        until: get(r, "until_on")?,
        note: get(r, "note")?,
        version: get(r, "version")?,
    })
}

/// A term with its organization.
#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    /// The term.
    pub term: Term,
    /// The organization's name.
    pub org_name: String,
    /// Its kind.
    pub org_kind: OrgKind,
    /// Its category.
    pub org_category: OrgCategory,
}

/// A seat as it stood on a day, with its holder's concurrent posts and duties that day.
#[derive(Debug, Clone, Serialize)]
pub struct SeatOn {
    /// The seat.
    pub seat: Seat,
    /// Its state that day.
    pub state: SeatState,
    /// The position's title in this organization ("Chi ủy viên").
    pub title: String,
    /// The holder's concurrent posts held that day.
    pub posts: Vec<Post>,
    /// The holder's duties in this seat that day.
    pub duties: Vec<Duty>,
}

/// An organization's committee as it stood on a day.
#[derive(Debug, Clone, Serialize)]
pub struct Committee {
    /// The organization.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Its kind.
    pub org_kind: OrgKind,
    /// The day.
    pub on: NaiveDate,
    /// The term running that day.
    pub term: Option<Term>,
    /// Its seats held (or suspended) that day, by position then name.
    pub seats: Vec<SeatOn>,
    /// The problems of its make-up that day.
    pub shape: Vec<Shape>,
    /// Its official members that day.
    pub official: u32,
    /// The working regulation in force that day.
    pub regulation: Option<Regulation>,
}

/// One of a member's seats, with the organization and term it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct MemberSeat {
    /// The seat.
    pub seat: Seat,
    /// The committee's organization.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Its kind (for the position's title).
    pub org_kind: OrgKind,
    /// Its parent's name, if it has one (names alike are told apart by it).
    pub parent_name: Option<String>,
    /// The term's label.
    pub term_label: String,
}

/// A member's positions, posts and duties over time.
#[derive(Debug, Clone, Serialize)]
pub struct MemberPositions {
    /// Seats, newest first.
    pub seats: Vec<MemberSeat>,
    /// Concurrent posts, newest first.
    pub posts: Vec<Post>,
    /// Duties, newest first.
    pub duties: Vec<Duty>,
}

/// A committee member of an upper organization in charge of an organization.
#[derive(Debug, Clone, Serialize)]
pub struct InCharge {
    /// The duty.
    pub duty: Duty,
    /// The holder's position title.
    pub title: String,
    /// The committee's organization.
    pub committee_org: String,
}

/// A figure with the list behind it: how many of how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    /// Those that meet it.
    pub count: u64,
    /// Those counted.
    pub of: u64,
}

/// One row of the list behind a committee figure: an organization and its secretary.
#[derive(Debug, Clone, Serialize)]
pub struct CellRow {
    /// The organization.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Its secretary that day, if any.
    pub secretary: Option<String>,
    /// Whether it meets the figure.
    pub meets: bool,
}

async fn load_term<C: ConnectionTrait>(c: &C, id: TermId) -> Result<Term> {
    let r = one(c, &format!("SELECT {TERM_COLS} FROM committee_term t WHERE t.id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
    term_row(&r)
}

async fn load_seat<C: ConnectionTrait>(c: &C, id: SeatId) -> Result<Seat> {
    let r = one(c, &format!("SELECT {SEAT_COLS} FROM {SEAT_FROM} WHERE s.id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
    seat_row(&r)
}

async fn load_duty<C: ConnectionTrait>(c: &C, id: DutyId) -> Result<Duty> {
    let r = one(
        c,
        "SELECT d.id, d.seat_id, m.full_name, d.field, d.body, d.from_on, d.until_on, d.version FROM duty d \
         JOIN committee_seat s ON s.id = d.seat_id JOIN member m ON m.id = s.member_id WHERE d.id = $1",
        vec![id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    duty_row(c, &r).await
}

async fn duty_row<C: ConnectionTrait>(c: &C, r: &QueryResult) -> Result<Duty> {
    let id: DutyId = get(r, "id")?;
    let orgs = all(c, "SELECT o.id, o.name FROM duty_org d JOIN org o ON o.id = d.org_id WHERE d.duty_id = $1 ORDER BY o.name", vec![id.into()]).await?;
    Ok(Duty {
        id,
        seat_id: get(r, "seat_id")?,
        full_name: get(r, "full_name")?,
        field: DutyField::from_code(&get::<String>(r, "field")?).ok_or_else(|| corrupt("duty field"))?,
        in_charge_of: orgs.iter().map(|o| get(o, "id")).collect::<Result<_>>()?,
        in_charge_names: orgs.iter().map(|o| get(o, "name")).collect::<Result<_>>()?,
        text: get::<Option<String>>(r, "body")?.unwrap_or_default(),
        from: get(r, "from_on")?,
        until: get(r, "until_on")?,
        version: get(r, "version")?,
    })
}

async fn load_post<C: ConnectionTrait>(c: &C, id: PostId) -> Result<Post> {
    let r = one(c, &format!("SELECT {POST_COLS} FROM concurrent_post p JOIN member m ON m.id = p.member_id WHERE p.id = $1"), vec![id.into()])
        .await?
        .ok_or(StoreError::NotFound)?;
    post_row(&r)
}

fn regulation_row(r: &QueryResult) -> Result<Regulation> {
    let name: Option<String> = get(r, "file_name")?;
    Ok(Regulation {
        id: get(r, "id")?,
        term_id: get(r, "term_id")?,
        revision: get::<i32>(r, "revision")?.max(0) as u32,
        adopted_on: get(r, "adopted_on")?,
        decision_no: get(r, "decision_no")?,
        text: get(r, "body")?,
        file: match name {
            Some(name) => Some(RegulationFile {
                name,
                media_type: get::<Option<String>>(r, "file_type")?.unwrap_or_default(),
                size: get::<Option<i64>>(r, "file_size")?.unwrap_or(0).max(0) as u64,
            }),
            None => None,
        },
        version: get(r, "version")?,
    })
}

const REGULATION_COLS: &str = "id, term_id, revision, adopted_on, decision_no, body, file_name, file_type, file_size, version";

/// A member's spans with the path of their cell at the start of each.
async fn spans_with_paths<C: ConnectionTrait>(c: &C, member: MemberId) -> Result<Vec<(MemberSpan, Option<OrgPath>)>> {
    let rows = all(
        c,
        "SELECT ms.valid_from, ms.valid_until, ms.org_id, ms.status, os.path FROM member_span ms \
         LEFT JOIN org_span os ON os.org_id = ms.org_id AND os.valid_from <= ms.valid_from AND os.valid_until > ms.valid_from \
         WHERE ms.member_id = $1 ORDER BY ms.valid_from",
        vec![member.into()],
    )
    .await?;
    rows.iter()
        .map(|r| {
            let status = MemberStatus::from_code(&get::<String>(r, "status")?).ok_or_else(|| corrupt("member status"))?;
            let span = MemberSpan { from: get(r, "valid_from")?, until: get(r, "valid_until")?, cell: get(r, "org_id")?, status };
            Ok((span, get::<Option<String>>(r, "path")?.map(OrgPath::from_stored)))
        })
        .collect()
}

/// How the holder's life shapes a seat of organization `org` starting on `from`.
fn followed(book: &RuleBook, spans: &[(MemberSpan, Option<OrgPath>)], org: OrgId, from: NaiveDate, basis: SeatBasis) -> Followed {
    let outsider = basis == SeatBasis::Appointed && book.at(from).committee.appointed_may_be_outside;
    let plain: Vec<MemberSpan> = spans.iter().map(|(s, _)| s.clone()).collect();
    let inside = |cell: OrgId, day: NaiveDate| {
        spans.iter().find(|(s, _)| s.cell == cell && s.from <= day && day < s.until).and_then(|(_, p)| p.as_ref()).is_some_and(|p| p.ids().contains(&org))
    };
    follow(from, &plain, inside, outsider, |d| book.at(d).committee.clone())
}

/// Re-derives how a member's life ended their seats, after their spans were rewritten, and
/// audits each seat whose end changed (inside the change that rewrote them).
pub(crate) async fn follow_member(ch: &Change<'_>, member: MemberId) -> Result<()> {
    let c = &**ch;
    let rows = all(
        c,
        &format!("SELECT {SEAT_COLS}, t.org_id AS term_org FROM {SEAT_FROM} JOIN committee_term t ON t.id = s.term_id WHERE s.member_id = $1"),
        vec![member.into()],
    )
    .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let book = crate::Store::rule_book_of(c).await?;
    let spans = spans_with_paths(c, member).await?;
    let mut touched = Vec::new();
    for r in rows {
        let before = seat_row(&r)?;
        let org: OrgId = get(&r, "term_org")?;
        let f = followed(&book, &spans, org, before.from, before.basis);
        if f.left == before.left {
            continue;
        }
        let mut after = before.clone();
        after.left = f.left;
        write_left(c, &after).await?;
        ch.audit_under(org, Audit::of(SeatAction::Follow, Some(after.id)).before(&before).after(&after)).await?;
        touched.push(org);
    }
    touched.sort();
    touched.dedup();
    crate::stats::refresh_committees(c, &touched).await
}

async fn write_left<C: ConnectionTrait>(c: &C, seat: &Seat) -> Result<()> {
    exec(
        c,
        "UPDATE committee_seat SET left_on = $2, left_status = $3, ends_on = $4 WHERE id = $1",
        vec![seat.id.into(), seat.left.map(|l| l.on).into(), seat.left.and_then(|l| l.status).map(|s| s.code().to_owned()).into(), seat.ends_on().into()],
    )
    .await?;
    Ok(())
}

/// The first seat of `position` in `term` held by someone else on any day from `from` on.
async fn holder_of<C: ConnectionTrait>(c: &C, term: TermId, position: Position, from: NaiveDate, except: Option<MemberId>) -> Result<Option<Seat>> {
    let r = one(
        c,
        &format!(
            "SELECT {SEAT_COLS} FROM {SEAT_FROM} WHERE s.term_id = $1 AND s.position = $2 AND (s.ends_on IS NULL OR s.ends_on > $3) \
             AND ($4 < 0 OR s.member_id = $4) ORDER BY s.from_on LIMIT 1"
        ),
        vec![term.into(), position.code().into(), from.into(), except.unwrap_or(-1).into()],
    )
    .await?;
    r.map(|r| seat_row(&r)).transpose()
}

/// Official members of an organization's subtree on a day.
async fn official_on<C: ConnectionTrait>(c: &C, path: &OrgPath, on: NaiveDate) -> Result<u32> {
    let (lo, hi) = path.subtree_range();
    let r = one(
        c,
        &format!(
            "SELECT COUNT(*) AS n FROM member_span ms JOIN org_span os ON os.org_id = ms.org_id AND {} \
             WHERE {} AND ms.status = 'official' AND os.path >= $2 AND os.path < $3",
            valid_at("os", 1),
            valid_at("ms", 1)
        ),
        vec![on.into(), lo.into(), hi.into()],
    )
    .await?;
    Ok(r.map(|r| get::<i64>(&r, "n")).transpose()?.unwrap_or(0).max(0) as u32)
}

pub use chibo_domain::committee::CommitteeList;

/// Which organizations a committee figure counts (the list behind it): the condition on an
/// organization's span `s` that covers the day bound at `day` (a placeholder such as `$3`).
/// The figures themselves are facts (`stats::index`); this is the independent SQL form the
/// lists, the recount and [`Scoped::committee_share`] use.
pub(crate) fn condition(list: CommitteeList, day: &str) -> String {
    let term = format!("t.org_id = s.org_id AND t.starts_on <= {day} AND (t.ended_on IS NULL OR t.ended_on > {day})");
    match list {
        CommitteeList::Residential => residential(),
        CommitteeList::VillageHead => format!(
            "{} AND EXISTS (SELECT 1 FROM committee_term t JOIN committee_seat cs ON cs.term_id = t.id \
               JOIN concurrent_post p ON p.member_id = cs.member_id AND p.kind = 'truong_thon' AND p.from_on <= {day} AND (p.until_on IS NULL OR p.until_on > {day}) \
               WHERE {term} AND cs.position = 'bi_thu' AND cs.from_on <= {day} AND (cs.ends_on IS NULL OR cs.ends_on > {day}))",
            residential()
        ),
        CommitteeList::Term => format!("EXISTS (SELECT 1 FROM committee_term t WHERE {term})"),
        CommitteeList::Regulation => {
            format!("EXISTS (SELECT 1 FROM committee_term t JOIN work_regulation w ON w.term_id = t.id AND w.adopted_on <= {day} WHERE {term})")
        }
    }
}

/// The name of the secretary of the organization `s` on the day bound at `$1`.
const SECRETARY_ON_DAY_1: &str = "(SELECT m.full_name FROM committee_term t JOIN committee_seat cs ON cs.term_id = t.id JOIN member m ON m.id = cs.member_id \
    WHERE t.org_id = s.org_id AND t.starts_on <= $1 AND (t.ended_on IS NULL OR t.ended_on > $1) AND cs.position = 'bi_thu' \
    AND cs.from_on <= $1 AND (cs.ends_on IS NULL OR cs.ends_on > $1) ORDER BY cs.from_on DESC LIMIT 1)";

fn residential() -> String {
    format!("s.kind IN ('{}', '{}') AND s.category = '{}'", OrgKind::Cell.code(), OrgKind::GrassrootsCell.code(), OrgCategory::Residential.code())
}

/// The committee counts of the subtree of paths [`lo`, `hi`) on a day, counted again with
/// the SQL conditions (the recount; the dashboard sums the facts).
pub(crate) async fn counts<C: ConnectionTrait>(c: &C, lo: &str, hi: &str, on: NaiveDate) -> Result<chibo_domain::stats::CommitteeCounts> {
    let case = |l: CommitteeList| format!("COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0)", condition(l, "$3"));
    let sql = format!(
        "SELECT CAST({} AS BIGINT) AS residential, CAST({} AS BIGINT) AS heads, CAST({} AS BIGINT) AS terms, CAST({} AS BIGINT) AS regs \
         FROM org_span s WHERE s.path >= $1 AND s.path < $2 AND {}",
        case(CommitteeList::Residential),
        case(CommitteeList::VillageHead),
        case(CommitteeList::Term),
        case(CommitteeList::Regulation),
        valid_at("s", 3)
    );
    let r = one(c, &sql, vec![lo.into(), hi.into(), on.into()]).await?.ok_or(StoreError::NotFound)?;
    Ok(chibo_domain::stats::CommitteeCounts {
        residential_cells: get(&r, "residential")?,
        secretary_village_heads: get(&r, "heads")?,
        with_term: get(&r, "terms")?,
        with_regulation: get(&r, "regs")?,
    })
}

/// The days each organization counts under the committee figures (see
/// [`chibo_domain::committee::counted_days`]), read from its terms, their secretaries' seats,
/// those secretaries' posts as village heads and the regulations' adoption days. The
/// figures' facts are derived from it (`stats::index::refresh_committees`).
pub(crate) async fn counted_days_of<C: ConnectionTrait>(c: &C, orgs: &[OrgId]) -> Result<std::collections::HashMap<OrgId, CountedDays>> {
    use crate::kernel::sql::placeholders;
    // Each step reads by the keys the one before found, through the index that fits them
    // (an organization's terms, a term's seats of a position, a member's posts of a kind):
    // the same cost per organization for one organization or for the nation's rebuild.
    async fn by_keys<C: ConnectionTrait>(c: &C, sql: &str, keys: &[i64]) -> Result<Vec<QueryResult>> {
        let mut out = Vec::new();
        for chunk in keys.chunks(500) {
            let q = sql.replace("{keys}", &placeholders(1, chunk.len()));
            out.extend(all(c, &q, chunk.iter().map(|&i| i.into()).collect()).await?);
        }
        Ok(out)
    }
    let mut out = std::collections::HashMap::new();
    let terms = by_keys(c, &format!("SELECT {TERM_COLS} FROM committee_term t WHERE t.org_id IN ({{keys}})"), orgs).await?;
    let terms = terms.iter().map(term_row).collect::<Result<Vec<_>>>()?;
    if terms.is_empty() {
        return Ok(out);
    }
    let term_ids: Vec<TermId> = terms.iter().map(|t| t.id).collect();
    let seats = by_keys(
        c,
        "SELECT s.id, s.term_id, s.member_id, '' AS full_name, s.position, s.basis, s.from_on, s.until_on, s.end_reason, s.decision_no, s.approved_on, \
           s.approval_no, s.note, s.left_on, s.left_status, s.version FROM committee_seat s WHERE s.term_id IN ({keys}) AND s.position = 'bi_thu'",
        &term_ids,
    )
    .await?
    .iter()
    .map(seat_row)
    .collect::<Result<Vec<_>>>()?;
    let mut holders: Vec<MemberId> = seats.iter().map(|s| s.member_id).collect();
    holders.sort_unstable();
    holders.dedup();
    let posts = by_keys(
        c,
        "SELECT p.id, p.member_id, '' AS full_name, p.kind, p.place, p.from_on, p.until_on, p.note, p.version FROM concurrent_post p \
         WHERE p.member_id IN ({keys}) AND p.kind = 'truong_thon'",
        &holders,
    )
    .await?
    .iter()
    .map(post_row)
    .collect::<Result<Vec<_>>>()?;
    let adopted = by_keys(c, "SELECT w.term_id, MIN(w.adopted_on) AS d FROM work_regulation w WHERE w.term_id IN ({keys}) GROUP BY w.term_id", &term_ids)
        .await?
        .iter()
        .map(|r| Ok((get::<TermId>(r, "term_id")?, get::<NaiveDate>(r, "d")?)))
        .collect::<Result<Vec<_>>>()?;
    let mut terms_of: std::collections::HashMap<OrgId, Vec<Term>> = std::collections::HashMap::new();
    for t in terms {
        terms_of.entry(t.org_id).or_default().push(t);
    }
    let mut seats_of: std::collections::HashMap<TermId, Vec<Seat>> = std::collections::HashMap::new();
    for s in seats {
        seats_of.entry(s.term_id).or_default().push(s);
    }
    let mut posts_of: std::collections::HashMap<MemberId, Vec<Post>> = std::collections::HashMap::new();
    for p in posts {
        posts_of.entry(p.member_id).or_default().push(p);
    }
    let adopted_of: std::collections::HashMap<TermId, NaiveDate> = adopted.into_iter().collect();
    for (org, mine) in terms_of {
        let seats: Vec<Seat> = mine.iter().flat_map(|t| seats_of.get(&t.id).cloned().unwrap_or_default()).collect();
        let posts: Vec<Post> = seats.iter().flat_map(|s| posts_of.get(&s.member_id).cloned().unwrap_or_default()).collect();
        let adopted: Vec<(TermId, NaiveDate)> = mine.iter().filter_map(|t| adopted_of.get(&t.id).map(|d| (t.id, *d))).collect();
        out.insert(org, chibo_domain::committee::counted_days(&mine, &seats, &posts, &adopted));
    }
    Ok(out)
}

/// The organizations whose committee figures a member's seats as secretary touch.
async fn orgs_of_secretary<C: ConnectionTrait>(c: &C, member: MemberId) -> Result<Vec<OrgId>> {
    all(
        c,
        "SELECT DISTINCT t.org_id FROM committee_seat s JOIN committee_term t ON t.id = s.term_id WHERE s.member_id = $1 AND s.position = 'bi_thu'",
        vec![member.into()],
    )
    .await?
    .iter()
    .map(|r| get(r, "org_id"))
    .collect()
}

impl crate::Store {
    /// The rule book read on a connection (inside a change's transaction).
    pub(crate) async fn rule_book_of<C: ConnectionTrait>(c: &C) -> Result<RuleBook> {
        let rows = all(c, "SELECT body FROM rule_version ORDER BY effective_from", vec![]).await?;
        let mut versions = Vec::with_capacity(rows.len());
        for r in rows {
            let body: String = get(&r, "body")?;
            versions.push(serde_json::from_str(&body).map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(format!("stored rule set unreadable: {e}"))))?);
        }
        RuleBook::new(versions).map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))
    }
}

impl Scoped<'_> {
    /// An organization's terms, newest first.
    pub async fn terms(&self, org: OrgId) -> Result<Vec<Term>> {
        let c = &self.store.db;
        load_org(c, org, self).await?;
        let rows = all(c, &format!("SELECT {TERM_COLS} FROM committee_term t WHERE t.org_id = $1 ORDER BY t.starts_on DESC"), vec![org.into()]).await?;
        rows.iter().map(term_row).collect()
    }

    /// A term in scope, with its organization.
    pub async fn term(&self, id: TermId) -> Result<TermView> {
        let c = &self.store.db;
        let term = load_term(c, id).await?;
        let org = load_org(c, term.org_id, self).await?;
        Ok(TermView { term, org_name: org.name, org_kind: org.kind, org_category: org.category })
    }

    /// Every seat of a term, by position then first day.
    pub async fn term_seats(&self, id: TermId) -> Result<Vec<Seat>> {
        self.term(id).await?;
        let rows = all(&self.store.db, &format!("SELECT {SEAT_COLS} FROM {SEAT_FROM} WHERE s.term_id = $1 ORDER BY s.from_on, s.id"), vec![id.into()]).await?;
        let mut seats = rows.iter().map(seat_row).collect::<Result<Vec<_>>>()?;
        seats.sort_by_key(|s| (position_rank(s.position), s.from));
        Ok(seats)
    }

    /// A seat in scope.
    pub async fn seat(&self, id: SeatId) -> Result<(Seat, TermView)> {
        let seat = load_seat(&self.store.db, id).await?;
        let term = self.term(seat.term_id).await?;
        Ok((seat, term))
    }

    /// The working regulations of a term, newest first.
    pub async fn regulations(&self, term: TermId) -> Result<Vec<Regulation>> {
        self.term(term).await?;
        let rows =
            all(&self.store.db, &format!("SELECT {REGULATION_COLS} FROM work_regulation WHERE term_id = $1 ORDER BY revision DESC"), vec![term.into()]).await?;
        rows.iter().map(regulation_row).collect()
    }

    /// A working regulation's file: its name, media type and bytes.
    pub async fn regulation_file(&self, id: RegulationId) -> Result<(String, String, Vec<u8>)> {
        let c = &self.store.db;
        let r = one(c, "SELECT term_id, file_name, file_type, file FROM work_regulation WHERE id = $1", vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
        self.term(get(&r, "term_id")?).await?;
        match (get::<Option<String>>(&r, "file_name")?, get::<Option<Vec<u8>>>(&r, "file")?) {
            (Some(name), Some(bytes)) => Ok((name, get::<Option<String>>(&r, "file_type")?.unwrap_or_default(), bytes)),
            _ => Err(StoreError::NotFound),
        }
    }

    /// An organization's committee as it stood on a day: the term running, the seats held or
    /// suspended (with each holder's posts and duties that day), the problems of its make-up.
    pub async fn committee_on(&self, org: OrgId, on: NaiveDate) -> Result<Committee> {
        let c = &self.store.db;
        let o = load_org(c, org, self).await?;
        let span = crate::org::span_at(c, org, on).await?;
        let (name, kind, path) = span.map(|s| (s.name, s.kind, s.path)).unwrap_or((o.name.clone(), o.kind, o.path.clone()));
        let term = one(
            c,
            &format!("SELECT {TERM_COLS} FROM committee_term t WHERE t.org_id = $1 AND t.starts_on <= $2 AND (t.ended_on IS NULL OR t.ended_on > $2)"),
            vec![org.into(), on.into()],
        )
        .await?
        .map(|r| term_row(&r))
        .transpose()?;
        let official = official_on(c, &path, on).await?;
        let Some(term) = term else {
            return Ok(Committee { org_id: org, org_name: name, org_kind: kind, on, term: None, seats: vec![], shape: vec![], official, regulation: None });
        };
        let book = self.store.rule_book().await?;
        let rows = all(
            c,
            &format!("SELECT {SEAT_COLS} FROM {SEAT_FROM} WHERE s.term_id = $1 AND s.from_on <= $2 AND (s.ends_on IS NULL OR s.ends_on > $2)"),
            vec![term.id.into(), on.into()],
        )
        .await?;
        let mut seats = Vec::new();
        for r in &rows {
            let seat = seat_row(r)?;
            let spans = spans_with_paths(c, seat.member_id).await?;
            let f = followed(&book, &spans, org, seat.from, seat.basis);
            let state = f.state_on(seat.from, seat.until, on);
            let posts = all(
                c,
                &format!("SELECT {POST_COLS} FROM concurrent_post p JOIN member m ON m.id = p.member_id WHERE p.member_id = $1 AND p.from_on <= $2 AND (p.until_on IS NULL OR p.until_on > $2) ORDER BY p.from_on"),
                vec![seat.member_id.into(), on.into()],
            )
            .await?
            .iter()
            .map(post_row)
            .collect::<Result<Vec<_>>>()?;
            let mut duties = Vec::new();
            for d in all(
                c,
                "SELECT d.id, d.seat_id, m.full_name, d.field, d.body, d.from_on, d.until_on, d.version FROM duty d JOIN committee_seat s ON s.id = d.seat_id \
                 JOIN member m ON m.id = s.member_id WHERE d.seat_id = $1 AND d.from_on <= $2 AND (d.until_on IS NULL OR d.until_on > $2) ORDER BY d.from_on",
                vec![seat.id.into(), on.into()],
            )
            .await?
            {
                duties.push(duty_row(c, &d).await?);
            }
            seats.push(SeatOn { title: seat.position.title_vi(kind).to_owned(), seat, state, posts, duties });
        }
        seats.sort_by(|a, b| {
            (position_rank(a.seat.position), chibo_domain::text::person_sort_key(&a.seat.full_name))
                .cmp(&(position_rank(b.seat.position), chibo_domain::text::person_sort_key(&b.seat.full_name)))
        });
        let held: Vec<Position> = seats.iter().filter(|s| s.state != SeatState::Ended).map(|s| s.seat.position).collect();
        let shape = chibo_domain::committee::shape(kind, &term, &held, official, book.at(on));
        let regulation = one(
            c,
            &format!("SELECT {REGULATION_COLS} FROM work_regulation WHERE term_id = $1 AND adopted_on <= $2 ORDER BY revision DESC LIMIT 1"),
            vec![term.id.into(), on.into()],
        )
        .await?
        .map(|r| regulation_row(&r))
        .transpose()?;
        Ok(Committee { org_id: org, org_name: name, org_kind: kind, on, term: Some(term), seats, shape, official, regulation })
    }

    /// A member's positions, concurrent posts and duties, newest first.
    pub async fn member_positions(&self, member: MemberId) -> Result<MemberPositions> {
        crate::member::load_member(&self.store.db, member, self).await?;
        positions_of(&self.store.db, member).await
    }

    /// Who from the committees above is in charge of an organization on a day.
    pub async fn in_charge_of(&self, org: OrgId, on: NaiveDate) -> Result<Vec<InCharge>> {
        let c = &self.store.db;
        load_org(c, org, self).await?;
        let rows = all(
            c,
            "SELECT d.id, d.seat_id, m.full_name, d.field, d.body, d.from_on, d.until_on, d.version, s.position, o.name AS committee_org, o.kind AS committee_kind \
             FROM duty_org x JOIN duty d ON d.id = x.duty_id JOIN committee_seat s ON s.id = d.seat_id JOIN member m ON m.id = s.member_id \
             JOIN committee_term t ON t.id = s.term_id JOIN org o ON o.id = t.org_id \
             WHERE x.org_id = $1 AND d.from_on <= $2 AND (d.until_on IS NULL OR d.until_on > $2) AND s.from_on <= $2 AND (s.ends_on IS NULL OR s.ends_on > $2)",
            vec![org.into(), on.into()],
        )
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let position = Position::from_code(&get::<String>(r, "position")?).ok_or_else(|| corrupt("position"))?;
            let kind = OrgKind::from_code(&get::<String>(r, "committee_kind")?).ok_or_else(|| corrupt("org kind"))?;
            out.push(InCharge { duty: duty_row(c, r).await?, title: position.title_vi(kind).to_owned(), committee_org: get(r, "committee_org")? });
        }
        Ok(out)
    }

    /// A committee figure of an organization's subtree on a day, counted again from the
    /// committee tables, with the list behind it: the organizations it is counted among (the
    /// residential cells for the secretaries who are village heads, those with a running term
    /// for the regulation), each with its secretary that day and whether it meets the figure.
    pub async fn committee_share(&self, root: OrgId, on: NaiveDate, figure: CommitteeList) -> Result<(Share, Vec<CellRow>)> {
        let c = &self.store.db;
        let org = load_org(c, root, self).await?;
        let path = crate::org::span_at(c, root, on).await?.map(|s| s.path).unwrap_or(org.path);
        let (lo, hi) = path.subtree_range();
        let among = figure.among().map_or_else(|| "1 = 1".to_owned(), |l| condition(l, "$1"));
        let rows = all(
            c,
            &format!(
                "SELECT s.org_id, s.name, CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) AS meets, {} AS secretary \
                 FROM org_span s WHERE {} AND s.path >= $2 AND s.path < $3 AND {among}",
                condition(figure, "$1"),
                SECRETARY_ON_DAY_1,
                valid_at("s", 1),
            ),
            vec![on.into(), lo.into(), hi.into()],
        )
        .await?;
        let mut list = rows
            .iter()
            .map(|r| Ok(CellRow { org_id: get(r, "org_id")?, org_name: get(r, "name")?, secretary: get(r, "secretary")?, meets: get::<i64>(r, "meets")? > 0 }))
            .collect::<Result<Vec<_>>>()?;
        list.sort_by_key(|r| chibo_domain::text::text_sort_key(&r.org_name));
        let share = Share { count: list.iter().filter(|r| r.meets).count() as u64, of: list.len() as u64 };
        Ok((share, list))
    }

    /// Records a term of an organization in scope. A term still running on its first day ends
    /// that day (the congress that opens a term closes the one before), with its open seats.
    pub async fn open_term(&self, org: OrgId, t: TermFields) -> Result<Term> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let o = load_org(c, org, self).await?;
        let o = ch.inside(o.clone(), &o.path)?;
        if crate::org::span_at(c, org, t.starts_on).await?.is_none() {
            return Err(StoreError::field(
                FieldError::new("term_start", ErrorCode::OrgNotActiveOnDate).with("org", &o.name).with("date", format_date(t.starts_on)),
            ));
        }
        let later =
            one(c, &format!("SELECT {TERM_COLS} FROM committee_term t WHERE t.org_id = $1 AND t.starts_on >= $2"), vec![org.into(), t.starts_on.into()])
                .await?;
        if let Some(r) = later {
            let other = term_row(&r)?;
            return Err(StoreError::field(
                FieldError::new("term_start", ErrorCode::TermOverlaps).with("term", &other.label).with("date", format_date(other.starts_on)),
            ));
        }
        let running = one(c, &format!("SELECT {TERM_COLS} FROM committee_term t WHERE t.org_id = $1 AND t.ended_on IS NULL"), vec![org.into()]).await?;
        if let Some(r) = running {
            let before = term_row(&r)?;
            close(&ch, &before, t.starts_on).await?;
        }
        let r = one(
            c,
            "INSERT INTO committee_term (org_id, label, starts_on, planned_end, ended_on, pilot, planned_size, village_head_expected, congress_id, version, updated_at) \
             VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, NULL, 1, $8) RETURNING id",
            vec![
                org.into(),
                t.label.clone().into(),
                t.starts_on.into(),
                t.planned_end.into(),
                t.pilot.into(),
                t.planned_size.map(|n| n as i32).into(),
                t.village_head_expected.into(),
                ch.now().into(),
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        let after = load_term(c, get(&r, "id")?).await?;
        ch.audit(Audit::of(TermAction::Open, Some(after.id)).at(&o.path).after(&after)).await?;
        crate::stats::refresh_committees(c, &[org]).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Changes a term's details (not its organization).
    pub async fn update_term(&self, id: TermId, version: i64, t: TermFields) -> Result<Term> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let before = load_term(c, id).await?;
        let o = load_org_unscoped(c, before.org_id).await?;
        let before = ch.inside(before, &o.path)?;
        let first = one(c, "SELECT MIN(from_on) AS d FROM committee_seat WHERE term_id = $1", vec![id.into()])
            .await?
            .map(|r| get::<Option<NaiveDate>>(&r, "d"))
            .transpose()?
            .flatten();
        if let Some(first) = first.filter(|f| t.starts_on > *f) {
            return Err(StoreError::field(
                FieldError::new("term_start", ErrorCode::DateBeforeOther)
                    .with("date", format_date(first))
                    .with("other", "ngày bắt đầu nhiệm kỳ")
                    .with("other_date", format_date(t.starts_on)),
            ));
        }
        ch.claim(Versioned::Term, id, version).await?;
        exec(
            c,
            "UPDATE committee_term SET label = $2, starts_on = $3, planned_end = $4, pilot = $5, planned_size = $6, village_head_expected = $7 WHERE id = $1",
            vec![
                id.into(),
                t.label.into(),
                t.starts_on.into(),
                t.planned_end.into(),
                t.pilot.into(),
                t.planned_size.map(|n| n as i32).into(),
                t.village_head_expected.into(),
            ],
        )
        .await?;
        let after = load_term(c, id).await?;
        ch.audit(Audit::of(TermAction::Update, Some(id)).at(&o.path).before(&before).after(&after)).await?;
        crate::stats::refresh_committees(c, &[after.org_id]).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Ends a term on a day; its seats still open end that day ("hết nhiệm kỳ").
    pub async fn close_term(&self, id: TermId, version: i64, ended_on: NaiveDate) -> Result<Term> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let before = load_term(c, id).await?;
        let o = load_org_unscoped(c, before.org_id).await?;
        let before = ch.inside(before, &o.path)?;
        ch.expect_version(version, before.version)?;
        let after = close(&ch, &before, ended_on).await?;
        crate::stats::refresh_committees(c, &[after.org_id]).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Assigns a member to a position of a term: the member must sit in the organization on
    /// the first day (or be appointed from above, where the rules allow), and a secretary's or
    /// an inspection chair's seat must be free.
    pub async fn assign_seat(&self, term: TermId, a: AssignSeat) -> Result<Seat> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let t = load_term(c, term).await?;
        let o = load_org_unscoped(c, t.org_id).await?;
        let t = ch.inside(t, &o.path)?;
        if t.ended_on.is_some_and(|e| a.from >= e) || a.from < t.starts_on {
            return Err(StoreError::field(FieldError::new("seat_from", ErrorCode::DateOutsideTerm).with("date", format_date(a.from)).with("term", &t.label)));
        }
        let kind = crate::org::span_at(c, t.org_id, a.from).await?.map_or(o.kind, |s| s.kind);
        if !a.position.exists_in(kind) {
            return Err(StoreError::field(
                FieldError::new("position", ErrorCode::PositionNotInOrg).with("position", a.position.title_vi(kind)).with("kind", kind.label_vi()),
            ));
        }
        let member = load_member_unscoped(c, a.member_id).await?;
        let book = crate::Store::rule_book_of(c).await?;
        let spans = spans_with_paths(c, a.member_id).await?;
        let f = followed(&book, &spans, t.org_id, a.from, a.basis);
        if f.left.is_some_and(|l| l.on <= a.from) {
            return Err(StoreError::field(
                FieldError::new("seat_member", ErrorCode::SeatHolderOutside)
                    .with("date", format_date(a.from))
                    .with("name", &member.profile.full_name)
                    .with("org", &o.name),
            ));
        }
        // A member outside the writer's scope is only reachable as someone appointed from above.
        if !self.scope.covers(&member_path(c, &member).await?) && a.basis != SeatBasis::Appointed {
            return Err(StoreError::field(FieldError::new("seat_member", ErrorCode::NotFound)));
        }
        if let Some(other) = holder_of(c, term, a.position, a.from, Some(a.member_id)).await? {
            return Err(taken(a.position, kind, &other));
        }
        if a.position.is_single()
            && let Some(other) = holder_of(c, term, a.position, a.from, None).await?
        {
            return Err(taken(a.position, kind, &other));
        }
        let left = f.left;
        let ends_on = left.map(|l| l.on);
        let r = one(
            c,
            "INSERT INTO committee_seat (term_id, member_id, position, basis, from_on, until_on, end_reason, decision_no, approved_on, approval_no, note, \
               left_on, left_status, ends_on, version, updated_at) VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, $7, $8, $9, $10, $11, $12, 1, $13) RETURNING id",
            vec![
                term.into(),
                a.member_id.into(),
                a.position.code().into(),
                a.basis.code().into(),
                a.from.into(),
                a.decision_no.into(),
                a.approved_on.into(),
                a.approval_no.into(),
                a.note.into(),
                ends_on.into(),
                left.and_then(|l| l.status).map(|s| s.code().to_owned()).into(),
                ends_on.into(),
                ch.now().into(),
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        let after = load_seat(c, get(&r, "id")?).await?;
        ch.audit(Audit::of(SeatAction::Assign, Some(after.id)).at(&o.path).after(&after)).await?;
        crate::stats::refresh_committees(c, &[t.org_id]).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Records the upper level's approval (chuẩn y) of a seat.
    pub async fn approve_seat(&self, id: SeatId, version: i64, a: ApproveSeat) -> Result<Seat> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let (before, path) = seat_in(&ch, id).await?;
        if a.approved_on < before.from {
            return Err(StoreError::field(
                FieldError::new("approved_on", ErrorCode::DateBeforeOther)
                    .with("date", format_date(a.approved_on))
                    .with("other", "ngày nhận chức")
                    .with("other_date", format_date(before.from)),
            ));
        }
        ch.claim(Versioned::Seat, id, version).await?;
        exec(c, "UPDATE committee_seat SET approved_on = $2, approval_no = $3 WHERE id = $1", vec![id.into(), a.approved_on.into(), a.approval_no.into()])
            .await?;
        let after = load_seat(c, id).await?;
        ch.audit(Audit::of(SeatAction::Update, Some(id)).at(&path).before(&before).after(&after)).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Ends a seat by hand (term over, reassigned, resigned, dismissed, …); its open duties end
    /// that day.
    pub async fn end_seat(&self, id: SeatId, version: i64, e: EndSeat) -> Result<Seat> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let (before, path) = seat_in(&ch, id).await?;
        if before.until.is_some() {
            return Err(StoreError::field(
                FieldError::new("seat_until", ErrorCode::TermClosed)
                    .with("term", format!("chức vụ đã thôi từ ngày {}", format_date(before.until.unwrap_or(e.until)))),
            ));
        }
        ch.claim(Versioned::Seat, id, version).await?;
        end_seat_rows(&ch, &before, &path, e.until, e.reason, e.note).await?;
        let after = load_seat(c, id).await?;
        crate::stats::refresh_committees(c, &[load_term(c, after.term_id).await?.org_id]).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Records a concurrent post of a member in scope.
    pub async fn record_post(&self, p: RecordPost) -> Result<Post> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let member = crate::member::load_member(c, p.member_id, self).await?;
        let r = one(
            c,
            "INSERT INTO concurrent_post (member_id, kind, place, from_on, until_on, note, version, updated_at) VALUES ($1, $2, $3, $4, NULL, $5, 1, $6) RETURNING id",
            vec![p.member_id.into(), p.kind.code().into(), p.place.into(), p.from.into(), p.note.into(), ch.now().into()],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        let after = load_post(c, get(&r, "id")?).await?;
        ch.audit_under(member.org_id, Audit::of(PostAction::Record, Some(after.id)).after(&after)).await?;
        crate::stats::refresh_committees(c, &orgs_of_secretary(c, after.member_id).await?).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Ends a concurrent post.
    pub async fn end_post(&self, id: PostId, version: i64, until: NaiveDate) -> Result<Post> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let before = load_post(c, id).await?;
        let member = crate::member::load_member(c, before.member_id, self).await?;
        if until <= before.from {
            return Err(StoreError::field(
                FieldError::new("post_until", ErrorCode::DateBeforeOther)
                    .with("date", format_date(until))
                    .with("other", "ngày bắt đầu")
                    .with("other_date", format_date(before.from)),
            ));
        }
        ch.claim(Versioned::Post, id, version).await?;
        exec(c, "UPDATE concurrent_post SET until_on = $2 WHERE id = $1", vec![id.into(), until.into()]).await?;
        let after = load_post(c, id).await?;
        ch.audit_under(member.org_id, Audit::of(PostAction::End, Some(id)).before(&before).after(&after)).await?;
        crate::stats::refresh_committees(c, &orgs_of_secretary(c, after.member_id).await?).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// A post in scope.
    pub async fn post(&self, id: PostId) -> Result<Post> {
        let c = &self.store.db;
        let p = load_post(c, id).await?;
        crate::member::load_member(c, p.member_id, self).await?;
        Ok(p)
    }

    /// Assigns a duty to a seat's holder; the organizations in charge of lie inside the
    /// committee's organization.
    pub async fn assign_duty(&self, seat: SeatId, d: AssignDuty) -> Result<Duty> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let (s, path) = seat_in(&ch, seat).await?;
        if s.ends_on().is_some_and(|e| d.from >= e) {
            return Err(StoreError::field(
                FieldError::new("duty_from", ErrorCode::DateOutsideTerm).with("date", format_date(d.from)).with("term", "thời gian giữ chức"),
            ));
        }
        for org in &d.in_charge_of {
            let o = load_org_unscoped(c, *org).await?;
            if !path.contains(&o.path) {
                return Err(StoreError::field(FieldError::new("in_charge_of", ErrorCode::NotFound)));
            }
        }
        let r = one(
            c,
            "INSERT INTO duty (seat_id, field, body, from_on, until_on, version, updated_at) VALUES ($1, $2, $3, $4, NULL, 1, $5) RETURNING id",
            vec![seat.into(), d.field.code().into(), d.text.into(), d.from.into(), ch.now().into()],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        let id: DutyId = get(&r, "id")?;
        for org in &d.in_charge_of {
            exec(c, "INSERT INTO duty_org (duty_id, org_id) VALUES ($1, $2)", vec![id.into(), (*org).into()]).await?;
        }
        let after = load_duty(c, id).await?;
        ch.audit(Audit::of(DutyAction::Assign, Some(id)).at(&path).after(&after)).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Ends a duty.
    pub async fn end_duty(&self, id: DutyId, version: i64, until: NaiveDate) -> Result<Duty> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let before = load_duty(c, id).await?;
        let (_, path) = seat_in(&ch, before.seat_id).await?;
        if until <= before.from {
            return Err(StoreError::field(
                FieldError::new("duty_until", ErrorCode::DateBeforeOther)
                    .with("date", format_date(until))
                    .with("other", "ngày bắt đầu")
                    .with("other_date", format_date(before.from)),
            ));
        }
        ch.claim(Versioned::Duty, id, version).await?;
        exec(c, "UPDATE duty SET until_on = $2 WHERE id = $1", vec![id.into(), until.into()]).await?;
        let after = load_duty(c, id).await?;
        ch.audit(Audit::of(DutyAction::End, Some(id)).at(&path).before(&before).after(&after)).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Adopts a working regulation for a term (the next revision).
    pub async fn adopt_regulation(&self, term: TermId, a: AdoptRegulation) -> Result<Regulation> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let t = load_term(c, term).await?;
        let o = load_org_unscoped(c, t.org_id).await?;
        let t = ch.inside(t, &o.path)?;
        if t.ended_on.is_some_and(|e| a.adopted_on >= e) {
            return Err(StoreError::field(
                FieldError::new("adopted_on", ErrorCode::DateOutsideTerm).with("date", format_date(a.adopted_on)).with("term", &t.label),
            ));
        }
        let next = one(c, "SELECT CAST(COALESCE(MAX(revision), 0) AS BIGINT) AS n FROM work_regulation WHERE term_id = $1", vec![term.into()])
            .await?
            .map(|r| get::<i64>(&r, "n"))
            .transpose()?
            .unwrap_or(0)
            + 1;
        let (name, media, size, bytes) = match a.file {
            Some((n, m, b)) => (Some(n), Some(m.to_owned()), Some(b.len() as i64), Some(b)),
            None => (None, None, None, None),
        };
        let r = one(
            c,
            "INSERT INTO work_regulation (term_id, revision, adopted_on, decision_no, body, file_name, file_type, file_size, file, recorded_by, recorded_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) RETURNING id",
            vec![
                term.into(),
                (next as i32).into(),
                a.adopted_on.into(),
                a.decision_no.into(),
                a.text.into(),
                name.into(),
                media.into(),
                size.into(),
                bytes.into(),
                ch.actor().label().into(),
                ch.now().into(),
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        let id: RegulationId = get(&r, "id")?;
        let row = one(c, &format!("SELECT {REGULATION_COLS} FROM work_regulation WHERE id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
        let after = regulation_row(&row)?;
        ch.audit(Audit::of(RegulationAction::Adopt, Some(id)).at(&o.path).after(&after)).await?;
        crate::stats::refresh_committees(c, &[t.org_id]).await?;
        ch.commit().await?;
        Ok(after)
    }
}

fn position_rank(p: Position) -> usize {
    Position::ALL.iter().position(|&x| x == p).unwrap_or(usize::MAX)
}

fn taken(position: Position, kind: OrgKind, other: &Seat) -> StoreError {
    StoreError::field(
        FieldError::new("position", ErrorCode::SeatTaken)
            .with("position", position.title_vi(kind))
            .with("name", &other.full_name)
            .with("date", format_date(other.from)),
    )
}

async fn member_path<C: ConnectionTrait>(c: &C, m: &crate::member::Member) -> Result<OrgPath> {
    crate::member::org_path(c, m.org_id).await
}

/// A seat inside the change's scope, with its organization's path.
async fn seat_in(ch: &Change<'_>, id: SeatId) -> Result<(Seat, OrgPath)> {
    let c = &**ch;
    let seat = load_seat(c, id).await?;
    let t = load_term(c, seat.term_id).await?;
    let o = load_org_unscoped(c, t.org_id).await?;
    let seat = ch.inside(seat, &o.path)?;
    Ok((seat, o.path))
}

/// Ends a term and its open seats, audited, inside a change.
async fn close(ch: &Change<'_>, before: &Term, ended_on: NaiveDate) -> Result<Term> {
    let c = &**ch;
    if ended_on <= before.starts_on {
        return Err(StoreError::field(
            FieldError::new("term_end", ErrorCode::DateBeforeOther)
                .with("date", format_date(ended_on))
                .with("other", "ngày bắt đầu nhiệm kỳ")
                .with("other_date", format_date(before.starts_on)),
        ));
    }
    let o = load_org_unscoped(c, before.org_id).await?;
    ch.claim(Versioned::Term, before.id, before.version).await?;
    exec(c, "UPDATE committee_term SET ended_on = $2 WHERE id = $1", vec![before.id.into(), ended_on.into()]).await?;
    let open = all(
        c,
        &format!("SELECT {SEAT_COLS} FROM {SEAT_FROM} WHERE s.term_id = $1 AND s.until_on IS NULL AND (s.ends_on IS NULL OR s.ends_on > $2)"),
        vec![before.id.into(), ended_on.into()],
    )
    .await?;
    for r in &open {
        let seat = seat_row(r)?;
        ch.claim(Versioned::Seat, seat.id, seat.version).await?;
        end_seat_rows(ch, &seat, &o.path, ended_on.max(seat.from.succ_opt().unwrap_or(ended_on)), SeatEnd::TermEnded, None).await?;
    }
    let after = load_term(c, before.id).await?;
    ch.audit(Audit::of(TermAction::Close, Some(before.id)).at(&o.path).before(before).after(&after)).await?;
    Ok(after)
}

/// Writes the end of a seat and of its open duties, audited.
async fn end_seat_rows(ch: &Change<'_>, before: &Seat, path: &OrgPath, until: NaiveDate, reason: SeatEnd, note: Option<String>) -> Result<()> {
    let c = &**ch;
    let ends_on = before.left.map_or(until, |l| l.on.min(until));
    let note = note.or_else(|| before.note.clone());
    exec(
        c,
        "UPDATE committee_seat SET until_on = $2, end_reason = $3, ends_on = $4, note = $5 WHERE id = $1",
        vec![before.id.into(), until.into(), reason.code().into(), ends_on.into(), note.into()],
    )
    .await?;
    let duties = all(c, "SELECT id FROM duty WHERE seat_id = $1 AND (until_on IS NULL OR until_on > $2)", vec![before.id.into(), until.into()]).await?;
    for d in duties {
        let id: DutyId = get(&d, "id")?;
        let b = load_duty(c, id).await?;
        ch.claim(Versioned::Duty, id, b.version).await?;
        exec(c, "UPDATE duty SET until_on = $2 WHERE id = $1", vec![id.into(), until.max(b.from.succ_opt().unwrap_or(until)).into()]).await?;
        let a = load_duty(c, id).await?;
        ch.audit(Audit::of(DutyAction::End, Some(id)).at(path).before(&b).after(&a)).await?;
    }
    let after = load_seat(c, before.id).await?;
    ch.audit(Audit::of(SeatAction::End, Some(before.id)).at(path).before(before).after(&after)).await?;
    Ok(())
}

/// A member's seats (in whatever organization: a cell member may sit on the ward's
/// committee), concurrent posts and duties, newest first; the caller has checked that the
/// member is theirs to read.
pub(crate) async fn positions_of<C: ConnectionTrait>(c: &C, member: MemberId) -> Result<MemberPositions> {
    let rows = all(
        c,
        &format!(
            "SELECT {SEAT_COLS}, o.id AS org_id, o.name AS org_name, o.kind AS org_kind, p.name AS parent_name, t.label AS term_label \
             FROM {SEAT_FROM} JOIN committee_term t ON t.id = s.term_id JOIN org o ON o.id = t.org_id LEFT JOIN org p ON p.id = o.parent_id \
             WHERE s.member_id = $1 ORDER BY s.from_on DESC, s.id DESC"
        ),
        vec![member.into()],
    )
    .await?;
    let seats = rows
        .iter()
        .map(|r| {
            Ok(MemberSeat {
                seat: seat_row(r)?,
                org_id: get(r, "org_id")?,
                org_name: get(r, "org_name")?,
                org_kind: OrgKind::from_code(&get::<String>(r, "org_kind")?).ok_or_else(|| corrupt("org kind"))?,
                parent_name: get(r, "parent_name")?,
                term_label: get(r, "term_label")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let posts = all(
        c,
        &format!("SELECT {POST_COLS} FROM concurrent_post p JOIN member m ON m.id = p.member_id WHERE p.member_id = $1 ORDER BY p.from_on DESC"),
        vec![member.into()],
    )
    .await?
    .iter()
    .map(post_row)
    .collect::<Result<Vec<_>>>()?;
    let mut duties = Vec::new();
    for d in all(
        c,
        "SELECT d.id, d.seat_id, m.full_name, d.field, d.body, d.from_on, d.until_on, d.version FROM duty d JOIN committee_seat s ON s.id = d.seat_id \
         JOIN member m ON m.id = s.member_id WHERE s.member_id = $1 ORDER BY d.from_on DESC",
        vec![member.into()],
    )
    .await?
    {
        duties.push(duty_row(c, &d).await?);
    }
    Ok(MemberPositions { seats, posts, duties })
}
