//! Meetings, stored: a cell's meetings and its committee's, with the attendance of each
//! person convened from the roll as of the meeting's day, the agenda items and their minutes
//! (opinions, conclusions, votes against their base), amendments of signed minutes and the
//! upper level's rating. Every write goes through the kernel (scope, rights, version,
//! audit); who is convened, the quorum and whether a vote passed are the domain's
//! (`chibo_domain::meeting`). Held meetings are facts of the figures (subject `g`), replaced
//! inside every write that changes what they count.

pub mod todo;

use crate::kernel::sql::{all, exec, get, one, valid_at};
use crate::kernel::{Audit, Change, Versioned};
use crate::org::{load_org, load_org_unscoped};
use crate::{Result, Scoped, StoreError};
use chibo_domain::calendar::format_date;
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::meeting::audit::MeetingAction;
use chibo_domain::meeting::command::{PlanMeeting, RateMeeting, RecordAttendance, RecordMinutes};
use chibo_domain::meeting::{
    Amendment, Attendee, Counts, Excluded, HeldMeeting, Item, Meeting, MeetingDays, MeetingFigure, MeetingId, MeetingKind, MeetingRules, MeetingState, Opinion,
    Presence, Quality, Role, Roll, RollMember, Vote, counted_days, roll,
};
use chibo_domain::member::{MemberId, MemberStatus};
use chibo_domain::org::{OrgId, OrgKind, OrgPath};
use chibo_domain::rules::RuleBook;
use chibo_domain::scope::Rights;
use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde::Serialize;
use std::collections::HashMap;

const MEETING_COLS: &str = "g.id, g.org_id, g.kind, g.held_on, g.starts_at, g.place, g.topic, g.documents, g.state, g.notified_on, g.cancel_reason, \
    g.chair_id, g.chair_name, g.secretary_id, g.secretary_name, g.signed_on, g.resolution_no, g.resolution, g.quality, g.quality_note, g.rated_on, g.version";

fn corrupt(what: &str) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("stored {what} unreadable")))
}

fn meeting_row(r: &QueryResult) -> Result<Meeting> {
    let person = |id: &str, name: &str| -> Result<Option<(MemberId, String)>> {
        Ok(match (get::<Option<i64>>(r, id)?, get::<Option<String>>(r, name)?) {
            (Some(i), Some(n)) => Some((i, n)),
            _ => None,
        })
    };
    Ok(Meeting {
        id: get(r, "id")?,
        org_id: get(r, "org_id")?,
        kind: MeetingKind::from_code(&get::<String>(r, "kind")?).ok_or_else(|| corrupt("meeting kind"))?,
        held_on: get(r, "held_on")?,
        starts_at: get(r, "starts_at")?,
        place: get(r, "place")?,
        topic: get(r, "topic")?,
        documents: get(r, "documents")?,
        state: MeetingState::from_code(&get::<String>(r, "state")?).ok_or_else(|| corrupt("meeting state"))?,
        notified_on: get(r, "notified_on")?,
        cancel_reason: get(r, "cancel_reason")?,
        chair: person("chair_id", "chair_name")?,
        secretary: person("secretary_id", "secretary_name")?,
        signed_on: get(r, "signed_on")?,
        resolution_no: get(r, "resolution_no")?,
        resolution: get(r, "resolution")?,
        quality: get::<Option<String>>(r, "quality")?.and_then(|q| Quality::from_code(&q)),
        quality_note: get(r, "quality_note")?,
        rated_on: get(r, "rated_on")?,
        version: get(r, "version")?,
    })
}

/// A meeting with everything its page shows: the organization, the attendance with its
/// counts and the members left out, the minutes, the amendments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingRecord {
    /// The meeting.
    pub meeting: Meeting,
    /// The organization's name on the day.
    pub org_name: String,
    /// Its level on the day.
    pub org_kind: OrgKind,
    /// The attendance as recorded, or the roll of the day if none is yet (everyone present).
    pub attendees: Vec<Attendee>,
    /// Whether the attendance was recorded (false: the roll as it would start).
    pub attendance_recorded: bool,
    /// Members of the organization not convened, each with its reason.
    pub excluded: Vec<Excluded>,
    /// The counts of the attendance by the rules of the day.
    pub counts: Counts,
    /// The base of the meeting's votes: the organization's official members on the day (as
    /// for an admission vote), or the committee's members for a committee meeting.
    pub vote_base: u32,
    /// The fewest votes for that pass a motion.
    pub votes_needed: u32,
    /// The agenda items with their minutes (the rules' template while none is recorded).
    pub items: Vec<Item>,
    /// Whether the items are the template (nothing recorded yet).
    pub items_from_template: bool,
    /// Corrections of the signed minutes, oldest first.
    pub amendments: Vec<Amendment>,
    /// Who rated it, if it was.
    pub rated_by: Option<String>,
    /// The number its resolution takes if none is typed: the next in the sequence of the
    /// organization's term running that day ("03-NQ/CB"), or of its year without a term.
    pub next_resolution_no: String,
}

/// A line of an organization's meeting list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingLine {
    /// The meeting.
    pub meeting: Meeting,
    /// The organization's name.
    pub org_name: String,
    /// Convened, as last recorded.
    pub convened: u32,
    /// Present.
    pub present: u32,
    /// Absent with permission.
    pub excused: u32,
    /// Absent without reason.
    pub absent: u32,
}

/// Which meetings a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingFilter {
    /// From this day.
    pub from: Option<NaiveDate>,
    /// Up to this day.
    pub to: Option<NaiveDate>,
    /// Only this kind.
    pub kind: Option<MeetingKind>,
    /// Only the organization itself (else its whole subtree).
    pub only_org: bool,
}

/// A meeting a member is convened to, for their own page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The meeting.
    pub meeting: Meeting,
    /// The organization.
    pub org_name: String,
}

/// A line behind a meeting figure: an attendance, or a member absent repeatedly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendanceLine {
    /// The member (None for a guest).
    pub member_id: Option<MemberId>,
    /// Their name.
    pub name: String,
    /// The cell.
    pub org_id: OrgId,
    /// The cell's name.
    pub org_name: String,
    /// The meeting (the last one of the absences for a repeated absence).
    pub meeting_id: MeetingId,
    /// Its day.
    pub held_on: NaiveDate,
    /// Presence (absent for a repeated absence).
    pub presence: Presence,
    /// Absences without reason this year (a repeated absence), else 0.
    pub absences: u32,
}

/// What the list behind a meeting figure shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendanceList {
    /// The attendances of the month's regular meetings (up to the day).
    Attended,
    /// The members absent without reason at least the rules' times this year.
    Repeated,
}

pub(crate) async fn load_meeting<C: ConnectionTrait>(c: &C, id: MeetingId) -> Result<Meeting> {
    let r = one(c, &format!("SELECT {MEETING_COLS} FROM meeting g WHERE g.id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
    meeting_row(&r)
}

/// That an organization exists on the plan's day and holds meetings of its kind then.
async fn holds<C: ConnectionTrait>(c: &C, org: OrgId, name: &str, p: &PlanMeeting) -> Result<()> {
    let span = crate::org::span_at(c, org, p.held_on)
        .await?
        .ok_or_else(|| StoreError::field(FieldError::new("held_on", ErrorCode::OrgNotActiveOnDate).with("org", name).with("date", format_date(p.held_on))))?;
    if p.kind.held_by(span.kind) {
        Ok(())
    } else {
        Err(StoreError::field(
            FieldError::new("meeting_kind", ErrorCode::MeetingKindNotInOrg).with("kind", span.kind.label_vi()).with("meeting", p.kind.label_vi()),
        ))
    }
}

/// That a meeting's attendance and minutes may be written today: not signed or cancelled,
/// and its day come.
fn recordable(m: &Meeting, today: NaiveDate) -> Result<()> {
    if !m.state.record_open() {
        return Err(state_error(m.state, "biên bản đã ký hoặc cuộc họp đã hủy; hãy ghi đính chính"));
    }
    if m.held_on > today {
        return Err(state_error(m.state, &format!("chưa đến ngày họp {}", format_date(m.held_on))));
    }
    Ok(())
}

fn state_error(state: MeetingState, why: &str) -> StoreError {
    StoreError::field(FieldError::new("meeting", ErrorCode::MeetingState).with("state", state.label_vi()).with("why", why))
}

/// Members away on an accepted temporary transfer on the day in `$2`: from its acceptance to
/// the letter's term or its earlier ending.
fn away_on_day_2(member: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM transfer tr WHERE tr.member_id = {member} AND tr.kind = 'temporary' AND tr.state IN ('accepted', 'ended') \
           AND tr.answered_on <= $2 AND (tr.until_on IS NULL OR tr.until_on > $2) \
           AND (tr.ended_on IS NULL OR tr.ended_on > $2))"
    )
}

/// Who a meeting of `org` of this kind convenes on `on`: for a cell's meeting its members,
/// those on a temporary transfer into it, and the invited (the upper committee's members in
/// charge, the working members living in the area); for a committee meeting the committee's
/// members that day.
pub(crate) async fn roll_of<C: ConnectionTrait>(c: &C, org: OrgId, org_kind: OrgKind, kind: MeetingKind, on: NaiveDate, rules: &MeetingRules) -> Result<Roll> {
    if !kind.convenes_members(org_kind) {
        let rows = all(
            c,
            "SELECT DISTINCT s.member_id, m.full_name FROM committee_seat s JOIN committee_term t ON t.id = s.term_id JOIN member m ON m.id = s.member_id \
             WHERE t.org_id = $1 AND t.starts_on <= $2 AND (t.ended_on IS NULL OR t.ended_on > $2) AND s.from_on <= $2 AND (s.ends_on IS NULL OR s.ends_on > $2) \
               AND s.position NOT IN ('chu_nhiem_ubkt', 'pho_chu_nhiem_ubkt', 'uy_vien_ubkt')",
            vec![org.into(), on.into()],
        )
        .await?;
        let invited: Vec<(Option<MemberId>, String, Role)> =
            rows.iter().map(|r| Ok((Some(get::<i64>(r, "member_id")?), get::<String>(r, "full_name")?, Role::Seat))).collect::<Result<_>>()?;
        // Committee members are convened, not invited: they start present, as `roll` starts
        // everyone.
        return Ok(roll(&[], &[], &invited));
    }
    let rows = all(
        c,
        &format!(
            "SELECT s.member_id, m.full_name, s.status, CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) AS away \
             FROM member_span s JOIN member m ON m.id = s.member_id WHERE s.org_id = $1 AND {}",
            away_on_day_2("s.member_id"),
            valid_at("s", 2)
        ),
        vec![org.into(), on.into()],
    )
    .await?;
    let members: Vec<RollMember> = rows
        .iter()
        .map(|r| {
            Ok(RollMember {
                member_id: get(r, "member_id")?,
                name: get(r, "full_name")?,
                status: MemberStatus::from_code(&get::<String>(r, "status")?).ok_or_else(|| corrupt("member status"))?,
                away: get::<i64>(r, "away")? > 0,
            })
        })
        .collect::<Result<_>>()?;
    let visiting = all(
        c,
        "SELECT tr.member_id, m.full_name FROM transfer tr JOIN member m ON m.id = tr.member_id \
         WHERE COALESCE(tr.answered_cell, tr.to_org) = $1 AND tr.kind = 'temporary' AND tr.state IN ('accepted', 'ended') \
           AND tr.answered_on <= $2 AND (tr.until_on IS NULL OR tr.until_on > $2) \
           AND (tr.ended_on IS NULL OR tr.ended_on > $2)",
        vec![org.into(), on.into()],
    )
    .await?
    .iter()
    .map(|r| Ok((get::<i64>(r, "member_id")?, get::<String>(r, "full_name")?)))
    .collect::<Result<Vec<_>>>()?;
    let mut invited: Vec<(Option<MemberId>, String, Role)> = Vec::new();
    if kind == MeetingKind::Regular && rules.invite_in_charge {
        for r in all(
            c,
            "SELECT DISTINCT s.member_id, m.full_name FROM duty_org x JOIN duty d ON d.id = x.duty_id JOIN committee_seat s ON s.id = d.seat_id \
             JOIN member m ON m.id = s.member_id \
             WHERE x.org_id = $1 AND d.from_on <= $2 AND (d.until_on IS NULL OR d.until_on > $2) AND s.from_on <= $2 AND (s.ends_on IS NULL OR s.ends_on > $2)",
            vec![org.into(), on.into()],
        )
        .await?
        {
            invited.push((Some(get(&r, "member_id")?), get(&r, "full_name")?, Role::InCharge));
        }
    }
    if kind == MeetingKind::Regular && rules.invite_residents {
        for r in all(
            c,
            "SELECT DISTINCT r.member_id, m.full_name FROM residence r JOIN member m ON m.id = r.member_id \
             WHERE r.cell_id = $1 AND r.from_on <= $2 AND (r.until_on IS NULL OR r.until_on > $2)",
            vec![org.into(), on.into()],
        )
        .await?
        {
            invited.push((Some(get(&r, "member_id")?), get(&r, "full_name")?, Role::Resident));
        }
    }
    let mut out = roll(&members, &visiting, &invited);
    // The invited start as not attending: the secretary taps those who came.
    for a in out.attendees.iter_mut().filter(|a| a.role.invited()) {
        a.presence = Presence::Absent;
    }
    Ok(out)
}

/// The base of a meeting's votes: a cell's official members on the day, counted as for an
/// admission vote; the committee's members for a committee meeting.
async fn vote_base<C: ConnectionTrait>(c: &C, m: &Meeting, org_kind: OrgKind, roll: &Roll) -> Result<u32> {
    if m.kind.convenes_members(org_kind) {
        crate::admission::official_count(c, m.org_id, m.held_on).await
    } else {
        Ok(roll.attendees.iter().filter(|a| a.role == Role::Seat).count() as u32)
    }
}

async fn attendees_of<C: ConnectionTrait>(c: &C, id: MeetingId) -> Result<Vec<Attendee>> {
    all(
        c,
        "SELECT a.member_id, COALESCE(a.name, m.full_name) AS name, a.role, a.presence, a.reason FROM meeting_attendee a LEFT JOIN member m ON m.id = a.member_id \
         WHERE a.meeting_id = $1 ORDER BY a.position",
        vec![id.into()],
    )
        .await?
        .iter()
        .map(|r| {
            Ok(Attendee {
                member_id: get(r, "member_id")?,
                name: get(r, "name")?,
                role: Role::from_code(&get::<String>(r, "role")?).ok_or_else(|| corrupt("attendee role"))?,
                presence: Presence::from_code(&get::<String>(r, "presence")?).ok_or_else(|| corrupt("presence"))?,
                reason: get(r, "reason")?,
            })
        })
        .collect()
}

async fn items_of<C: ConnectionTrait>(c: &C, id: MeetingId) -> Result<Vec<Item>> {
    let rows = all(c, "SELECT id, title, report, conclusion FROM meeting_item WHERE meeting_id = $1 ORDER BY position", vec![id.into()]).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let item: i64 = get(r, "id")?;
        let opinions = all(c, "SELECT member_id, speaker, said FROM meeting_opinion WHERE item_id = $1 ORDER BY position", vec![item.into()])
            .await?
            .iter()
            .map(|o| Ok(Opinion { member_id: get(o, "member_id")?, speaker: get(o, "speaker")?, text: get(o, "said")? }))
            .collect::<Result<_>>()?;
        let votes = all(c, "SELECT subject, votes_for, votes_against, abstain, base FROM meeting_vote WHERE item_id = $1 ORDER BY id", vec![item.into()])
            .await?
            .iter()
            .map(|v| {
                let n = |col: &str| get::<i32>(v, col).map(|n| n.max(0) as u32);
                Ok(Vote {
                    subject: get(v, "subject")?,
                    votes_for: n("votes_for")?,
                    votes_against: n("votes_against")?,
                    abstain: n("abstain")?,
                    base: n("base")?,
                })
            })
            .collect::<Result<_>>()?;
        items.push(Item { title: get(r, "title")?, report: get(r, "report")?, opinions, conclusion: get(r, "conclusion")?, votes });
    }
    Ok(items)
}

async fn amendments_of<C: ConnectionTrait>(c: &C, id: MeetingId) -> Result<Vec<Amendment>> {
    all(c, "SELECT made_on, body, made_by FROM meeting_amendment WHERE meeting_id = $1 ORDER BY id", vec![id.into()])
        .await?
        .iter()
        .map(|r| Ok(Amendment { made_on: get(r, "made_on")?, text: get(r, "body")?, by: get(r, "made_by")? }))
        .collect()
}

/// The organization's name and level on the meeting's day (or as it stands now).
async fn org_on<C: ConnectionTrait>(c: &C, org: OrgId, on: NaiveDate) -> Result<(String, OrgKind, OrgPath)> {
    match crate::org::span_at(c, org, on).await? {
        Some(s) => Ok((s.name, s.kind, s.path)),
        None => {
            let o = load_org_unscoped(c, org).await?;
            Ok((o.name, o.kind, o.path))
        }
    }
}

async fn record_of<C: ConnectionTrait>(c: &C, m: Meeting, book: &RuleBook) -> Result<MeetingRecord> {
    let rules = &book.at(m.held_on).meeting;
    let (org_name, org_kind, _) = org_on(c, m.org_id, m.held_on).await?;
    let fresh = roll_of(c, m.org_id, org_kind, m.kind, m.held_on, rules).await?;
    let stored = attendees_of(c, m.id).await?;
    let attendance_recorded = !stored.is_empty();
    let attendees = if attendance_recorded { stored } else { fresh.attendees.clone() };
    let counts = Counts::of(&attendees, rules);
    let vote_base = vote_base(c, &m, org_kind, &fresh).await?;
    let mut items = items_of(c, m.id).await?;
    let items_from_template = items.is_empty();
    if items_from_template {
        items = rules.agenda(m.kind).iter().map(|t| Item { title: t.clone(), report: None, opinions: vec![], conclusion: None, votes: vec![] }).collect();
    }
    let amendments = amendments_of(c, m.id).await?;
    let rated_by =
        one(c, "SELECT rated_by FROM meeting WHERE id = $1", vec![m.id.into()]).await?.map(|r| get::<Option<String>>(&r, "rated_by")).transpose()?.flatten();
    let next_resolution_no = next_resolution_no(c, &m, org_kind).await?;
    Ok(MeetingRecord {
        org_name,
        org_kind,
        attendees,
        attendance_recorded,
        excluded: fresh.excluded,
        counts,
        vote_base,
        votes_needed: rules.votes_needed(vote_base),
        items,
        items_from_template,
        amendments,
        rated_by,
        next_resolution_no,
        meeting: m,
    })
}

/// The next resolution number of an organization's meetings: those with a number since its
/// term running on the meeting's day began (or since January without a term), plus one, with
/// the sign of a cell's (NQ/CB) or a committee's (NQ/ĐU) resolutions.
async fn next_resolution_no<C: ConnectionTrait>(c: &C, m: &Meeting, kind: OrgKind) -> Result<String> {
    let term = one(
        c,
        "SELECT starts_on FROM committee_term WHERE org_id = $1 AND starts_on <= $2 AND (ended_on IS NULL OR ended_on > $2) ORDER BY starts_on DESC LIMIT 1",
        vec![m.org_id.into(), m.held_on.into()],
    )
    .await?;
    let since: NaiveDate = match term {
        Some(r) => get(&r, "starts_on")?,
        None => NaiveDate::from_ymd_opt(m.held_on.year(), 1, 1).unwrap_or(m.held_on),
    };
    let r = one(
        c,
        "SELECT COUNT(*) AS n FROM meeting WHERE org_id = $1 AND resolution_no IS NOT NULL AND held_on >= $2 AND (held_on < $3 OR (held_on = $3 AND id < $4))",
        vec![m.org_id.into(), since.into(), m.held_on.into(), m.id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    let n = get::<i64>(&r, "n")? + 1;
    Ok(format!("{n:02}-NQ/{}", if kind.holds_members() { "CB" } else { "ĐU" }))
}

/// What the audit log keeps of a meeting: its row and, for attendance, the counts and the
/// names of the absent.
#[derive(Serialize)]
struct Logged<'a> {
    #[serde(flatten)]
    meeting: &'a Meeting,
    chair_name: Option<&'a str>,
    secretary_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    present: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    convened: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    excused: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    absent: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    excused_names: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    absent_names: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    votes: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amendment: Option<&'a str>,
}

impl<'a> Logged<'a> {
    fn of(meeting: &'a Meeting) -> Self {
        Logged {
            meeting,
            chair_name: meeting.chair.as_ref().map(|c| c.1.as_str()),
            secretary_name: meeting.secretary.as_ref().map(|c| c.1.as_str()),
            present: None,
            convened: None,
            excused: None,
            absent: None,
            excused_names: None,
            absent_names: None,
            items: None,
            votes: None,
            amendment: None,
        }
    }

    fn attendance(mut self, attendees: &[Attendee], rules: &MeetingRules) -> Self {
        let c = Counts::of(attendees, rules);
        let names =
            |p: Presence| attendees.iter().filter(|a| a.presence == p && a.role.convened(rules)).map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ");
        self.present = Some(c.present);
        self.convened = Some(c.convened);
        self.excused = Some(c.excused);
        self.absent = Some(c.absent);
        self.excused_names = Some(names(Presence::Excused));
        self.absent_names = Some(names(Presence::Absent));
        self
    }

    fn minutes(mut self, items: &[Item]) -> Self {
        self.items = Some(items.len());
        self.votes = Some(items.iter().map(|i| i.votes.len()).sum());
        self
    }
}

/// Loads a meeting for a change, in scope, with its organization's path, and checks it is
/// still at the version the user saw (claimed by [`claim`] right before the first write, so a
/// refused change has written nothing).
async fn for_change(ch: &Change<'_>, id: MeetingId, version: i64) -> Result<(Meeting, OrgPath)> {
    let m = load_meeting(&**ch, id).await?;
    let path = crate::member::org_path(&**ch, m.org_id).await?;
    let m = ch.inside(m, &path)?;
    ch.expect_version(version, m.version)?;
    Ok((m, path))
}

async fn claim(ch: &Change<'_>, id: MeetingId, version: i64) -> Result<()> {
    ch.claim(Versioned::Meeting, id, version).await.map(|_| ())
}

async fn save_counts(ch: &Change<'_>, id: MeetingId, c: &Counts, upper: bool) -> Result<()> {
    exec(
        &**ch,
        "UPDATE meeting SET convened = $2, present = $3, excused = $4, absent = $5, upper_attended = $6 WHERE id = $1",
        vec![id.into(), (c.convened as i32).into(), (c.present as i32).into(), (c.excused as i32).into(), (c.absent as i32).into(), upper.into()],
    )
    .await?;
    Ok(())
}

async fn write_attendees(ch: &Change<'_>, id: MeetingId, attendees: &[Attendee]) -> Result<()> {
    exec(&**ch, "DELETE FROM meeting_attendee WHERE meeting_id = $1", vec![id.into()]).await?;
    for (i, a) in attendees.iter().enumerate() {
        exec(
            &**ch,
            "INSERT INTO meeting_attendee (meeting_id, position, member_id, name, role, presence, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![
                id.into(),
                (i as i32).into(),
                a.member_id.into(),
                a.name.clone().into(),
                a.role.code().into(),
                a.presence.code().into(),
                a.reason.clone().into(),
            ],
        )
        .await?;
    }
    Ok(())
}

impl Scoped<'_> {
    /// Plans a meeting of an organization in scope: a kind it holds on that day.
    pub async fn plan_meeting(&self, org: OrgId, p: PlanMeeting) -> Result<Meeting> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let o = load_org(c, org, self).await?;
        let o = ch.inside(o.clone(), &o.path)?;
        holds(c, org, &o.name, &p).await?;
        let r = one(
            c,
            "INSERT INTO meeting (org_id, kind, held_on, month, starts_at, place, topic, documents, state, convened, present, excused, absent, upper_attended, \
               recorded_by, recorded_at, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'planned', 0, 0, 0, 0, FALSE, $9, $10, 1, $10) RETURNING id",
            vec![
                org.into(),
                p.kind.code().into(),
                p.held_on.into(),
                month_key(p.held_on).into(),
                p.starts_at.clone().into(),
                p.place.clone().into(),
                p.topic.clone().into(),
                p.documents.clone().into(),
                ch.actor().label().into(),
                ch.now().into(),
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        let after = load_meeting(c, get(&r, "id")?).await?;
        ch.audit(Audit::of(MeetingAction::Plan, Some(after.id)).at(&o.path).after(&Logged::of(&after))).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Changes a meeting's plan (day, time, place, topic, documents) until its minutes are
    /// signed; a changed day takes the roll of the new day at the next attendance.
    pub async fn update_meeting_plan(&self, id: MeetingId, version: i64, p: PlanMeeting) -> Result<Meeting> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let (before, path) = for_change(&ch, id, version).await?;
        if !before.state.record_open() {
            return Err(state_error(before.state, "không sửa được kế hoạch"));
        }
        let name = load_org_unscoped(c, before.org_id).await?.name;
        holds(c, before.org_id, &name, &p).await?;
        if before.state == MeetingState::Held && p.held_on > ch.today() {
            return Err(StoreError::field(
                FieldError::new("held_on", ErrorCode::DateInFuture).with("date", format_date(p.held_on)).with("today", format_date(ch.today())),
            ));
        }
        claim(&ch, id, version).await?;
        exec(
            c,
            "UPDATE meeting SET kind = $2, held_on = $3, month = $4, starts_at = $5, place = $6, topic = $7, documents = $8 WHERE id = $1",
            vec![
                id.into(),
                p.kind.code().into(),
                p.held_on.into(),
                month_key(p.held_on).into(),
                p.starts_at.clone().into(),
                p.place.clone().into(),
                p.topic.clone().into(),
                p.documents.clone().into(),
            ],
        )
        .await?;
        let after = load_meeting(c, id).await?;
        ch.audit(Audit::of(MeetingAction::Update, Some(id)).at(&path).before(&Logged::of(&before)).after(&Logged::of(&after))).await?;
        crate::stats::refresh_meetings(c, &[before.org_id]).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Marks a planned meeting as notified to the members today: it shows on each convened
    /// member's own page.
    pub async fn notify_meeting(&self, id: MeetingId, version: i64) -> Result<Meeting> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let (before, path) = for_change(&ch, id, version).await?;
        if before.state != MeetingState::Planned {
            return Err(state_error(before.state, "chỉ thông báo được cuộc họp đang dự kiến"));
        }
        claim(&ch, id, version).await?;
        exec(c, "UPDATE meeting SET state = 'notified', notified_on = $2 WHERE id = $1", vec![id.into(), ch.today().into()]).await?;
        let after = load_meeting(c, id).await?;
        ch.audit(Audit::of(MeetingAction::Notify, Some(id)).at(&path).before(&Logged::of(&before)).after(&Logged::of(&after))).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Records the attendance of a meeting held (its day today or past): the roll of its day
    /// with the presences given (everyone else keeps what was recorded, or present), and the
    /// guests typed by name. The meeting is then held.
    pub async fn record_attendance(&self, id: MeetingId, version: i64, a: RecordAttendance) -> Result<MeetingRecord> {
        let book = self.store.rule_book().await?;
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let (before, path) = for_change(&ch, id, version).await?;
        recordable(&before, ch.today())?;
        let rules = &book.at(before.held_on).meeting;
        let (_, org_kind, _) = org_on(c, before.org_id, before.held_on).await?;
        let fresh = roll_of(c, before.org_id, org_kind, before.kind, before.held_on, rules).await?;
        let old = attendees_of(c, id).await?;
        let old_by: HashMap<MemberId, &Attendee> = old.iter().filter_map(|x| x.member_id.map(|m| (m, x))).collect();
        let mut attendees: Vec<Attendee> = fresh
            .attendees
            .into_iter()
            .map(|mut x| {
                if let Some(prev) = x.member_id.and_then(|m| old_by.get(&m)) {
                    x.presence = prev.presence;
                    x.reason = prev.reason.clone();
                }
                x
            })
            .collect();
        for (member, presence, reason) in &a.lines {
            let Some(x) = attendees.iter_mut().find(|x| x.member_id == Some(*member)) else {
                return Err(StoreError::field(FieldError::new(format!("presence_{member}"), ErrorCode::NotFound)));
            };
            x.presence = *presence;
            x.reason = reason.clone();
        }
        for g in &a.guests {
            attendees.push(Attendee { member_id: None, name: g.clone(), role: Role::Guest, presence: Presence::Present, reason: None });
        }
        claim(&ch, id, version).await?;
        write_attendees(&ch, id, &attendees).await?;
        let counts = Counts::of(&attendees, rules);
        let upper = attendees.iter().any(|x| x.role == Role::InCharge && x.presence.attended());
        save_counts(&ch, id, &counts, upper).await?;
        exec(c, "UPDATE meeting SET state = 'held' WHERE id = $1", vec![id.into()]).await?;
        let after = load_meeting(c, id).await?;
        ch.audit(
            Audit::of(MeetingAction::Attendance, Some(id))
                .at(&path)
                .before(&Logged::of(&before).attendance(&old, rules))
                .after(&Logged::of(&after).attendance(&attendees, rules)),
        )
        .await?;
        crate::stats::refresh_meetings(c, &[before.org_id]).await?;
        let record = record_of(c, after, &book).await?;
        ch.commit().await?;
        Ok(record)
    }

    /// Records the minutes of a meeting held: the items with their reports, opinions,
    /// conclusions and votes (each vote's base the store's), the chair and the minutes
    /// secretary among those present, the resolution.
    pub async fn record_minutes(&self, id: MeetingId, version: i64, mut m: RecordMinutes) -> Result<MeetingRecord> {
        let book = self.store.rule_book().await?;
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let (before, path) = for_change(&ch, id, version).await?;
        recordable(&before, ch.today())?;
        let rules = &book.at(before.held_on).meeting;
        let (_, org_kind, _) = org_on(c, before.org_id, before.held_on).await?;
        let fresh = roll_of(c, before.org_id, org_kind, before.kind, before.held_on, rules).await?;
        let mut attendees = attendees_of(c, id).await?;
        // Minutes before the attendance: everyone on the roll present, as the page showed.
        let unrecorded = attendees.is_empty();
        if unrecorded {
            attendees = fresh.attendees.clone();
        }
        let base = vote_base(c, &before, org_kind, &fresh).await?;
        let counts = Counts::of(&attendees, rules);
        let attending = |id: MemberId| attendees.iter().find(|a| a.member_id == Some(id) && a.presence.attended());
        let person = |field: &str, who: Option<MemberId>| -> Result<Option<(MemberId, String)>> {
            match who {
                None => Ok(None),
                Some(id) => match attending(id) {
                    Some(a) => Ok(Some((id, a.name.clone()))),
                    None => Err(StoreError::field(FieldError::new(field, ErrorCode::NotFound))),
                },
            }
        };
        let chair = person("chair", m.chair)?;
        let secretary = person("minutes_secretary", m.secretary)?;
        for (n, item) in m.items.iter_mut().enumerate() {
            for v in &mut item.votes {
                if v.votes_for + v.votes_against + v.abstain > counts.official_present {
                    return Err(StoreError::field(
                        FieldError::new(format!("items.{}.votes_for", n + 1), ErrorCode::VotesAbovePresent)
                            .with("votes", v.votes_for + v.votes_against + v.abstain)
                            .with("present", counts.official_present),
                    ));
                }
                v.base = base;
            }
            for o in &mut item.opinions {
                let folded = chibo_domain::text::fold(&o.speaker);
                o.member_id = attendees.iter().find(|a| !folded.is_empty() && chibo_domain::text::fold(&a.name) == folded).and_then(|a| a.member_id);
            }
        }
        let old_items = items_of(c, id).await?;
        claim(&ch, id, version).await?;
        if unrecorded {
            write_attendees(&ch, id, &attendees).await?;
            let upper = attendees.iter().any(|x| x.role == Role::InCharge && x.presence.attended());
            save_counts(&ch, id, &Counts::of(&attendees, rules), upper).await?;
        }
        for r in all(c, "SELECT id FROM meeting_item WHERE meeting_id = $1", vec![id.into()]).await? {
            let item: i64 = get(&r, "id")?;
            exec(c, "DELETE FROM meeting_opinion WHERE item_id = $1", vec![item.into()]).await?;
            exec(c, "DELETE FROM meeting_vote WHERE item_id = $1", vec![item.into()]).await?;
        }
        exec(c, "DELETE FROM meeting_item WHERE meeting_id = $1", vec![id.into()]).await?;
        for (i, item) in m.items.iter().enumerate() {
            let r = one(
                c,
                "INSERT INTO meeting_item (meeting_id, position, title, report, conclusion) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                vec![id.into(), (i as i32).into(), item.title.clone().into(), item.report.clone().into(), item.conclusion.clone().into()],
            )
            .await?
            .ok_or(StoreError::NotFound)?;
            let item_id: i64 = get(&r, "id")?;
            for (j, o) in item.opinions.iter().enumerate() {
                exec(
                    c,
                    "INSERT INTO meeting_opinion (item_id, position, member_id, speaker, said) VALUES ($1, $2, $3, $4, $5)",
                    vec![item_id.into(), (j as i32).into(), o.member_id.into(), o.speaker.clone().into(), o.text.clone().into()],
                )
                .await?;
            }
            for v in &item.votes {
                exec(
                    c,
                    "INSERT INTO meeting_vote (item_id, subject, votes_for, votes_against, abstain, base, passed) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    vec![
                        item_id.into(),
                        v.subject.clone().into(),
                        (v.votes_for as i32).into(),
                        (v.votes_against as i32).into(),
                        (v.abstain as i32).into(),
                        (v.base as i32).into(),
                        v.passed(rules).into(),
                    ],
                )
                .await?;
            }
        }
        exec(
            c,
            "UPDATE meeting SET state = 'held', chair_id = $2, chair_name = $3, secretary_id = $4, secretary_name = $5, resolution_no = $6, resolution = $7 WHERE id = $1",
            vec![
                id.into(),
                chair.as_ref().map(|p| p.0).into(),
                chair.as_ref().map(|p| p.1.clone()).into(),
                secretary.as_ref().map(|p| p.0).into(),
                secretary.as_ref().map(|p| p.1.clone()).into(),
                m.resolution_no.clone().into(),
                m.resolution.clone().into(),
            ],
        )
        .await?;
        let after = load_meeting(c, id).await?;
        ch.audit(
            Audit::of(MeetingAction::Minutes, Some(id)).at(&path).before(&Logged::of(&before).minutes(&old_items)).after(&Logged::of(&after).minutes(&m.items)),
        )
        .await?;
        crate::stats::refresh_meetings(c, &[before.org_id]).await?;
        let record = record_of(c, after, &book).await?;
        ch.commit().await?;
        Ok(record)
    }

    /// Signs the minutes of a meeting held with its quorum, chair and minutes secretary: from
    /// then on they change only by an amendment.
    pub async fn sign_meeting(&self, id: MeetingId, version: i64, on: NaiveDate) -> Result<Meeting> {
        let book = self.store.rule_book().await?;
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let (before, path) = for_change(&ch, id, version).await?;
        if before.state != MeetingState::Held {
            return Err(state_error(before.state, "chỉ ký được biên bản của cuộc họp đã họp"));
        }
        let rules = &book.at(before.held_on).meeting;
        let attendees = attendees_of(c, id).await?;
        let counts = Counts::of(&attendees, rules);
        if attendees.is_empty() || !counts.quorum_met {
            return Err(StoreError::field(
                FieldError::new("meeting", ErrorCode::QuorumNotMet)
                    .with("present", counts.present)
                    .with("convened", counts.convened)
                    .with("needed", counts.quorum_needed),
            ));
        }
        if before.chair.is_none() {
            return Err(StoreError::field(FieldError::new("chair", ErrorCode::Required)));
        }
        if before.secretary.is_none() {
            return Err(StoreError::field(FieldError::new("minutes_secretary", ErrorCode::Required)));
        }
        claim(&ch, id, version).await?;
        exec(c, "UPDATE meeting SET state = 'signed', signed_on = $2 WHERE id = $1", vec![id.into(), on.into()]).await?;
        let after = load_meeting(c, id).await?;
        ch.audit(Audit::of(MeetingAction::Sign, Some(id)).at(&path).before(&Logged::of(&before)).after(&Logged::of(&after))).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Cancels a meeting not yet held, with its reason.
    pub async fn cancel_meeting(&self, id: MeetingId, version: i64, reason: String) -> Result<Meeting> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let (before, path) = for_change(&ch, id, version).await?;
        if !matches!(before.state, MeetingState::Planned | MeetingState::Notified) {
            return Err(state_error(before.state, "chỉ hủy được cuộc họp chưa họp"));
        }
        claim(&ch, id, version).await?;
        exec(c, "UPDATE meeting SET state = 'cancelled', cancel_reason = $2 WHERE id = $1", vec![id.into(), reason.into()]).await?;
        let after = load_meeting(c, id).await?;
        ch.audit(Audit::of(MeetingAction::Cancel, Some(id)).at(&path).before(&Logged::of(&before)).after(&Logged::of(&after))).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Records a correction of signed minutes; the signed record stays as it was.
    pub async fn amend_meeting(&self, id: MeetingId, version: i64, a: Amendment) -> Result<Meeting> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let (before, path) = for_change(&ch, id, version).await?;
        if before.state != MeetingState::Signed {
            return Err(state_error(before.state, "chỉ đính chính biên bản đã ký; biên bản chưa ký thì sửa trực tiếp"));
        }
        claim(&ch, id, version).await?;
        exec(
            c,
            "INSERT INTO meeting_amendment (meeting_id, made_on, body, made_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
            vec![id.into(), a.made_on.into(), a.text.clone().into(), a.by.clone().into(), ch.now().into()],
        )
        .await?;
        let after = load_meeting(c, id).await?;
        let mut logged = Logged::of(&after);
        logged.amendment = Some(&a.text);
        ch.audit(Audit::of(MeetingAction::Amend, Some(id)).at(&path).after(&logged)).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Rates the quality of a meeting held: the committee above does it, so the caller's
    /// scope must reach the organization's parent.
    pub async fn rate_meeting(&self, id: MeetingId, version: i64, r: RateMeeting) -> Result<Meeting> {
        let ch = self.change(Rights::Members).await?;
        let c = &*ch;
        let (before, path) = for_change(&ch, id, version).await?;
        if !matches!(before.state, MeetingState::Held | MeetingState::Signed) {
            return Err(state_error(before.state, "chỉ đánh giá được cuộc họp đã họp"));
        }
        let ids = path.ids();
        let parent = (ids.len() > 1).then(|| ids[1..ids.len() - 1].iter().fold(OrgPath::root(ids[0]), |p, id| p.child(*id)));
        if !parent.as_ref().is_some_and(|p| self.scope.covers(p)) {
            return Err(StoreError::field(FieldError::new("quality", ErrorCode::RateByUpperLevel)));
        }
        claim(&ch, id, version).await?;
        exec(
            c,
            "UPDATE meeting SET quality = $2, quality_note = $3, rated_on = $4, rated_by = $5 WHERE id = $1",
            vec![id.into(), r.quality.code().into(), r.note.clone().into(), ch.today().into(), ch.actor().label().into()],
        )
        .await?;
        let after = load_meeting(c, id).await?;
        ch.audit(Audit::of(MeetingAction::Rate, Some(id)).at(&path).before(&Logged::of(&before)).after(&Logged::of(&after))).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// A meeting in scope with its attendance, minutes and amendments.
    pub async fn meeting(&self, id: MeetingId) -> Result<MeetingRecord> {
        let m = self.meeting_row(id).await?;
        let book = self.store.rule_book().await?;
        record_of(&self.store.db, m, &book).await
    }

    /// A meeting in scope, its row alone (for a write that needs only its version and day).
    pub async fn meeting_row(&self, id: MeetingId) -> Result<Meeting> {
        let c = &self.store.db;
        let m = load_meeting(c, id).await?;
        let path = crate::member::org_path(c, m.org_id).await?;
        if self.scope.covers(&path) { Ok(m) } else { Err(StoreError::NotFound) }
    }

    /// The roll a meeting of `org` of this kind would start from on a day.
    pub async fn meeting_roll(&self, org: OrgId, kind: MeetingKind, on: NaiveDate) -> Result<Roll> {
        let c = &self.store.db;
        load_org(c, org, self).await?;
        let book = self.store.rule_book().await?;
        let (_, org_kind, _) = org_on(c, org, on).await?;
        roll_of(c, org, org_kind, kind, on, &book.at(on).meeting).await
    }

    /// The meetings of an organization (or of its subtree), newest first, paged.
    pub async fn meetings(&self, org: OrgId, f: &MeetingFilter, offset: i64, limit: i64) -> Result<crate::member::Page<MeetingLine>> {
        let c = &self.store.db;
        let o = load_org(c, org, self).await?;
        let mut vals: Vec<Value> = Vec::new();
        let mut conds = if f.only_org {
            vals.push(org.into());
            "g.org_id = $1".to_owned()
        } else {
            let (lo, hi) = o.path.subtree_range();
            vals.extend([lo.into(), hi.into()]);
            "o.path >= $1 AND o.path < $2".to_owned()
        };
        if let Some(d) = f.from {
            vals.push(d.into());
            conds.push_str(&format!(" AND g.held_on >= ${}", vals.len()));
        }
        if let Some(d) = f.to {
            vals.push(d.into());
            conds.push_str(&format!(" AND g.held_on <= ${}", vals.len()));
        }
        if let Some(k) = f.kind {
            vals.push(k.code().into());
            conds.push_str(&format!(" AND g.kind = ${}", vals.len()));
        }
        let from = "meeting g JOIN org o ON o.id = g.org_id";
        let total: i64 = get(&one(c, &format!("SELECT COUNT(*) AS n FROM {from} WHERE {conds}"), vals.clone()).await?.ok_or(StoreError::NotFound)?, "n")?;
        let (offset, limit) = (offset.max(0), limit.clamp(1, 500));
        let rows = all(
            c,
            &format!(
                "SELECT {MEETING_COLS}, o.name AS org_name, g.convened, g.present, g.excused, g.absent FROM {from} WHERE {conds} \
                 ORDER BY g.held_on DESC, g.id DESC LIMIT {limit} OFFSET {offset}"
            ),
            vals,
        )
        .await?;
        let n = |r: &QueryResult, col: &str| get::<i32>(r, col).map(|n| n.max(0) as u32);
        let items = rows
            .iter()
            .map(|r| {
                Ok(MeetingLine {
                    meeting: meeting_row(r)?,
                    org_name: get(r, "org_name")?,
                    convened: n(r, "convened")?,
                    present: n(r, "present")?,
                    excused: n(r, "excused")?,
                    absent: n(r, "absent")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(crate::member::Page { items, total, offset })
    }

    /// The coming meetings a member in scope is convened to (notified, from today on).
    pub async fn member_notices(&self, member: MemberId, today: NaiveDate) -> Result<Vec<Notice>> {
        crate::member::load_member(&self.store.db, member, self).await?;
        notices_of(&self.store.db, member, today).await
    }

    /// The list behind a meeting figure of `root`'s subtree on a day.
    pub async fn meeting_attendance(
        &self,
        root: OrgId,
        on: NaiveDate,
        list: AttendanceList,
        offset: i64,
        limit: i64,
    ) -> Result<crate::member::Page<AttendanceLine>> {
        let c = &self.store.db;
        let node = self.node_at(root, on).await?.ok_or(StoreError::NotFound)?;
        let (lo, hi) = node.path.subtree_range();
        let rules = self.store.rule_book().await?.at(on).meeting.clone();
        let (sql, vals) = attendance_sql(list, &lo, &hi, on, &rules);
        let total: i64 = get(&one(c, &format!("SELECT COUNT(*) AS n FROM ({sql}) x"), vals.clone()).await?.ok_or(StoreError::NotFound)?, "n")?;
        let (offset, limit) = (offset.max(0), limit.clamp(1, 500));
        let rows = all(c, &format!("SELECT * FROM ({sql}) x ORDER BY x.held_on DESC, x.org_name, x.name LIMIT {limit} OFFSET {offset}"), vals).await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(AttendanceLine {
                    member_id: get(r, "member_id")?,
                    name: get(r, "name")?,
                    org_id: get(r, "org_id")?,
                    org_name: get(r, "org_name")?,
                    meeting_id: get(r, "meeting_id")?,
                    held_on: get(r, "held_on")?,
                    presence: Presence::from_code(&get::<String>(r, "presence")?).ok_or_else(|| corrupt("presence"))?,
                    absences: get::<i64>(r, "absences")?.max(0) as u32,
                })
            })
            .collect::<Result<_>>()?;
        Ok(crate::member::Page { items, total, offset })
    }
}

impl Scoped<'_> {
    /// The meeting figures of an organization's subtree on a day counted again from the
    /// meeting tables (the check and the benchmark's baseline of the facts).
    pub async fn meeting_recount(&self, org: OrgId, on: NaiveDate) -> Result<Vec<(MeetingFigure, i64)>> {
        let node = self.node_at(org, on).await?.ok_or(StoreError::NotFound)?;
        let (lo, hi) = node.path.subtree_range();
        let rules = self.store.rule_book().await?.at(on).meeting.clone();
        counts(&self.store.db, &lo, &hi, on, &rules).await
    }

    /// How many meetings and attendance rows the database holds (the benchmark's scale).
    pub async fn meeting_volume(&self) -> Result<(i64, i64)> {
        let c = &self.store.db;
        let n = |r: Option<QueryResult>| r.map(|r| get::<i64>(&r, "n")).transpose().map(|n| n.unwrap_or(0));
        Ok((n(one(c, "SELECT COUNT(*) AS n FROM meeting", vec![]).await?)?, n(one(c, "SELECT COUNT(*) AS n FROM meeting_attendee", vec![]).await?)?))
    }
}

/// A member's coming notified meetings: those of the cell they are in today.
pub(crate) async fn notices_of<C: ConnectionTrait>(c: &C, member: MemberId, today: NaiveDate) -> Result<Vec<Notice>> {
    let rows = all(
        c,
        &format!(
            "SELECT {MEETING_COLS}, o.name AS org_name FROM meeting g JOIN org o ON o.id = g.org_id \
             WHERE g.state = 'notified' AND g.held_on >= $2 AND g.kind <> 'cap_uy' AND g.org_id IN \
               (SELECT s.org_id FROM member_span s WHERE s.member_id = $1 AND {} AND s.status IN ('official', 'probationary', 'exempt')) \
             ORDER BY g.held_on, g.id LIMIT 20",
            valid_at("s", 2)
        ),
        vec![member.into(), today.into()],
    )
    .await?;
    rows.iter().map(|r| Ok(Notice { meeting: meeting_row(r)?, org_name: get(r, "org_name")? })).collect()
}

/// yyyymm of a day.
fn month_key(d: NaiveDate) -> i32 {
    d.year() * 100 + d.month() as i32
}

fn day_literal(d: NaiveDate) -> String {
    format!("'{}'", d.format("%Y-%m-%d"))
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn first_of_quarter(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), (d.month() - 1) / 3 * 3 + 1, 1).unwrap_or(d)
}

const HELD: &str = "g.state IN ('held', 'signed')";
const CELLS: &str = "s.kind IN ('chi_bo_truc_thuoc', 'chi_bo_co_so')";
/// Roles whose absence without reason counts against a member.
const ABSENCE_ROLES: &str = "a.role IN ('official', 'probationary')";

/// The SQL condition that an organization `s` (its span on the day) counts under a meeting
/// figure on the day `on` (bound at `day`, the same day): what the figure's facts count,
/// written again over the meeting table (the list behind the figure and the recount).
pub(crate) fn condition(figure: MeetingFigure, day: &str, on: NaiveDate) -> String {
    let month = day_literal(first_of_month(on));
    match figure {
        MeetingFigure::HeldMonth => format!(
            "{CELLS} AND EXISTS (SELECT 1 FROM meeting g WHERE g.org_id = s.org_id AND g.kind = 'thuong_ky' AND {HELD} AND g.held_on >= {month} AND g.held_on <= {day})"
        ),
        MeetingFigure::UpperAttended => format!(
            "{CELLS} AND EXISTS (SELECT 1 FROM meeting g WHERE g.org_id = s.org_id AND g.kind = 'thuong_ky' AND {HELD} AND g.upper_attended = TRUE \
               AND g.held_on >= {month} AND g.held_on <= {day})"
        ),
        MeetingFigure::ThematicQuarter => format!(
            "{CELLS} AND EXISTS (SELECT 1 FROM meeting g WHERE g.org_id = s.org_id AND g.kind = 'chuyen_de' AND {HELD} AND g.held_on >= {} AND g.held_on <= {day})",
            day_literal(first_of_quarter(on))
        ),
        MeetingFigure::FullYear => {
            let (y, months) = if on.month() == 1 { (on.year() - 1, 12) } else { (on.year(), on.month() - 1) };
            format!(
                "{CELLS} AND (SELECT COUNT(DISTINCT g.month) FROM meeting g WHERE g.org_id = s.org_id AND g.kind = 'thuong_ky' AND {HELD} \
                   AND g.month >= {} AND g.month <= {}) = {months}",
                y * 100 + 1,
                y * 100 + months as i32
            )
        }
        // Sums and members, not organizations: see `attendance_sql` and the recount.
        MeetingFigure::Convened | MeetingFigure::Present | MeetingFigure::AbsentRepeatedly => "1 = 0".to_owned(),
    }
}

/// The rows of the list behind an attendance figure over the subtree [`lo`, `hi`) on `on`.
fn attendance_sql(list: AttendanceList, lo: &str, hi: &str, on: NaiveDate, rules: &MeetingRules) -> (String, Vec<Value>) {
    let vals: Vec<Value> = vec![lo.to_owned().into(), hi.to_owned().into(), on.into()];
    let joined = format!(
        "meeting_attendee a LEFT JOIN member m ON m.id = a.member_id JOIN meeting g ON g.id = a.meeting_id JOIN org_span s ON s.org_id = g.org_id AND {} \
         WHERE s.path >= $1 AND s.path < $2 AND {CELLS} AND g.kind = 'thuong_ky' AND {HELD} AND g.held_on <= $3",
        valid_at("s", 3)
    );
    let sql = match list {
        AttendanceList::Attended => {
            let roles = if rules.exempt_in_base { "'official', 'probationary', 'cap_uy_vien', 'exempt'" } else { "'official', 'probationary', 'cap_uy_vien'" };
            format!(
                "SELECT a.member_id, COALESCE(a.name, m.full_name) AS name, g.org_id, s.name AS org_name, g.id AS meeting_id, g.held_on, a.presence, \
                   CAST(0 AS BIGINT) AS absences FROM {joined} \
                   AND g.held_on >= {} AND a.role IN ({roles}) AND a.presence IN ('co_mat', 'den_muon')",
                day_literal(first_of_month(on))
            )
        }
        AttendanceList::Repeated => format!(
            "SELECT a.member_id, MAX(COALESCE(a.name, m.full_name)) AS name, g.org_id, MAX(s.name) AS org_name, MAX(g.id) AS meeting_id, MAX(g.held_on) AS held_on, \
               'vang_khong_ly_do' AS presence, COUNT(*) AS absences FROM {joined} \
               AND g.held_on >= {} AND {ABSENCE_ROLES} AND a.presence = 'vang_khong_ly_do' \
             GROUP BY g.org_id, a.member_id HAVING COUNT(*) >= {}",
            day_literal(NaiveDate::from_ymd_opt(on.year(), 1, 1).unwrap_or(on)),
            rules.absences_strike_off.max(1)
        ),
    };
    (sql, vals)
}

/// The meeting counts of the subtree of paths [`lo`, `hi`) on a day, counted again from the
/// meeting tables (the recount; the dashboard sums the facts).
pub(crate) async fn counts<C: ConnectionTrait>(c: &C, lo: &str, hi: &str, on: NaiveDate, rules: &MeetingRules) -> Result<Vec<(MeetingFigure, i64)>> {
    let mut out = Vec::new();
    let case = |f: MeetingFigure| format!("COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0)", condition(f, "$3", on));
    let orgs = [MeetingFigure::HeldMonth, MeetingFigure::FullYear, MeetingFigure::ThematicQuarter, MeetingFigure::UpperAttended];
    let sql = format!(
        "SELECT {} FROM org_span s WHERE s.path >= $1 AND s.path < $2 AND {}",
        orgs.iter().enumerate().map(|(i, f)| format!("{} AS n{i}", case(*f))).collect::<Vec<_>>().join(", "),
        valid_at("s", 3)
    );
    let vals: Vec<Value> = vec![lo.to_owned().into(), hi.to_owned().into(), on.into()];
    let r = one(c, &sql, vals.clone()).await?.ok_or(StoreError::NotFound)?;
    for (i, f) in orgs.iter().enumerate() {
        out.push((*f, get::<i64>(&r, &format!("n{i}"))?));
    }
    let sums = format!(
        "SELECT COALESCE(SUM(g.convened), 0) AS convened, COALESCE(SUM(g.present), 0) AS present FROM meeting g \
         JOIN org_span s ON s.org_id = g.org_id AND {} WHERE s.path >= $1 AND s.path < $2 AND {CELLS} AND g.kind = 'thuong_ky' AND {HELD} \
           AND g.held_on >= {} AND g.held_on <= $3",
        valid_at("s", 3),
        day_literal(first_of_month(on))
    );
    let r = one(c, &sums, vals.clone()).await?.ok_or(StoreError::NotFound)?;
    out.push((MeetingFigure::Convened, get::<i64>(&r, "convened")?));
    out.push((MeetingFigure::Present, get::<i64>(&r, "present")?));
    let (sql, vals) = attendance_sql(AttendanceList::Repeated, lo, hi, on, rules);
    let r = one(c, &format!("SELECT COUNT(*) AS n FROM ({sql}) x"), vals).await?.ok_or(StoreError::NotFound)?;
    out.push((MeetingFigure::AbsentRepeatedly, get::<i64>(&r, "n")?));
    Ok(out)
}

/// The counted days of the held meetings of organizations (see
/// [`chibo_domain::meeting::counted_days`]): each organization's meetings, then the members
/// absent without reason from them.
pub(crate) async fn counted_days_of<C: ConnectionTrait>(c: &C, orgs: &[OrgId], book: &RuleBook) -> Result<HashMap<OrgId, MeetingDays>> {
    let mut held: HashMap<OrgId, Vec<(MeetingId, HeldMeeting)>> = HashMap::new();
    for chunk in orgs.chunks(500) {
        let sql = format!(
            "SELECT g.id, g.org_id, g.kind, g.held_on, g.convened, g.present, g.upper_attended FROM meeting g \
             WHERE g.org_id IN ({}) AND {HELD} AND g.kind IN ('thuong_ky', 'chuyen_de') ORDER BY g.org_id, g.held_on",
            crate::kernel::sql::placeholders(1, chunk.len())
        );
        for r in all(c, &sql, chunk.iter().map(|&o| o.into()).collect()).await? {
            let n = |col: &str| get::<i32>(&r, col).map(|n| n.max(0) as u32);
            let m = HeldMeeting {
                kind: MeetingKind::from_code(&get::<String>(&r, "kind")?).ok_or_else(|| corrupt("meeting kind"))?,
                held_on: get(&r, "held_on")?,
                counts: Counts { convened: n("convened")?, present: n("present")?, ..Counts::default() },
                upper_attended: get(&r, "upper_attended")?,
                absent: Vec::new(),
            };
            held.entry(get(&r, "org_id")?).or_default().push((get(&r, "id")?, m));
        }
    }
    let ids: Vec<MeetingId> = held.values().flatten().filter(|(_, m)| m.kind == MeetingKind::Regular).map(|(id, _)| *id).collect();
    let mut absent: HashMap<MeetingId, Vec<MemberId>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT a.meeting_id, a.member_id FROM meeting_attendee a WHERE a.meeting_id IN ({}) AND {ABSENCE_ROLES} AND a.presence = 'vang_khong_ly_do' \
               AND a.member_id IS NOT NULL",
            crate::kernel::sql::placeholders(1, chunk.len())
        );
        for r in all(c, &sql, chunk.iter().map(|&i| i.into()).collect()).await? {
            absent.entry(get(&r, "meeting_id")?).or_default().push(get(&r, "member_id")?);
        }
    }
    Ok(held
        .into_iter()
        .map(|(org, ms)| {
            let ms: Vec<HeldMeeting> = ms
                .into_iter()
                .map(|(id, mut m)| {
                    m.absent = absent.remove(&id).unwrap_or_default();
                    m
                })
                .collect();
            (org, counted_days(&ms, |d| book.at(d).meeting.clone()))
        })
        .collect())
}
