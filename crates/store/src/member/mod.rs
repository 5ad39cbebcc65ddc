//! Members in the store: the profile row, the dated events and the derived spans, kept
//! consistent in one transaction; scope enforced through the member's cell.

pub(crate) mod todo;

use crate::error::map_unique;
use crate::kernel::sql::{all, exec, get, one, valid_at};
use crate::kernel::{Audit, Change, Versioned};
use crate::org::{load_org, span_at};
use crate::{Result, Scoped, StoreError};
use chibo_domain::calendar::format_date;
use chibo_domain::error::{ErrorCode, FieldError, ValidationErrors};
use chibo_domain::member::audit::MemberAction;
use chibo_domain::member::{
    CardNumber, Cccd, Education, Gender, MemberChange, MemberEvent, MemberHistory, MemberId, MemberProfile, MemberSpan, MemberStatus, PoliticalTheory, replay,
};
use chibo_domain::org::{OrgId, OrgPath};
use chibo_domain::scope::Rights;
use chibo_domain::stats::Standing;
use chibo_domain::text::{fold, person_sort_key};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde::Serialize;

/// A member as stored now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// Surrogate key.
    pub id: MemberId,
    /// Personal fields.
    pub profile: MemberProfile,
    /// Current (or last) cell.
    pub org_id: OrgId,
    /// Name of that cell.
    pub org_name: String,
    /// Status derived from the events.
    pub status: MemberStatus,
    /// Ngày vào Đảng.
    pub admitted_on: Option<NaiveDate>,
    /// Ngày chính thức.
    pub official_on: Option<NaiveDate>,
    /// Row version for optimistic concurrency.
    pub version: i64,
    /// The member has since left the scope that read this row (a list of a past day or a
    /// period): identity numbers, addresses and contact details are withheld.
    pub elsewhere: bool,
}

/// A recorded member event, for the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct MemberEventRecord {
    /// Sequence number.
    pub id: i64,
    /// Effective date.
    pub on: NaiveDate,
    /// What happened.
    pub change: MemberChange,
    /// Name of the cell the event names, if any.
    pub org_name: Option<String>,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Committee that issued the decision.
    pub issued_by: Option<String>,
    /// Reason or note.
    pub note: Option<String>,
    /// End of the pause the event starts, if set for a period.
    pub until: Option<NaiveDate>,
    /// Who recorded it.
    pub recorded_by: String,
}

const MEMBER_COLS: &str = "m.id, m.full_name, m.other_name, m.gender, m.birth_date, m.birth_place, m.home_town, m.ethnicity, m.religion, \
     m.permanent_address, m.current_address, m.phone, m.email, m.cccd, m.card_number, m.occupation, m.general_education, m.professional_education, \
     m.political_theory, m.party_position, m.government_position, m.org_id, m.status, m.admitted_on, m.official_on, m.version, o.name AS org_name, o.path AS org_path";

fn corrupt(what: &str) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("stored value out of range: {what}")))
}

fn member_from_row(r: &QueryResult) -> Result<Member> {
    let gender: String = get(r, "gender")?;
    let status: String = get(r, "status")?;
    let edu: String = get(r, "professional_education")?;
    let theory: String = get(r, "political_theory")?;
    let cccd: Option<String> = get(r, "cccd")?;
    let card: Option<String> = get(r, "card_number")?;
    Ok(Member {
        id: get(r, "id")?,
        profile: MemberProfile {
            full_name: get(r, "full_name")?,
            other_name: get(r, "other_name")?,
            gender: Gender::from_code(&gender).ok_or_else(|| corrupt("gender"))?,
            birth_date: get(r, "birth_date")?,
            birth_place: get(r, "birth_place")?,
            home_town: get(r, "home_town")?,
            ethnicity: get(r, "ethnicity")?,
            religion: get(r, "religion")?,
            permanent_address: get(r, "permanent_address")?,
            current_address: get(r, "current_address")?,
            phone: get(r, "phone")?,
            email: get(r, "email")?,
            cccd: cccd.map(|c| Cccd::parse(&c)).transpose().map_err(|_| corrupt("cccd"))?,
            card_number: card.map(|c| CardNumber::parse(&c)).transpose().map_err(|_| corrupt("card_number"))?,
            occupation: get(r, "occupation")?,
            general_education: get(r, "general_education")?,
            professional_education: Education::from_code(&edu).ok_or_else(|| corrupt("professional_education"))?,
            political_theory: PoliticalTheory::from_code(&theory).ok_or_else(|| corrupt("political_theory"))?,
            party_position: get(r, "party_position")?,
            government_position: get(r, "government_position")?,
        },
        org_id: get(r, "org_id")?,
        org_name: get(r, "org_name")?,
        status: MemberStatus::from_code(&status).ok_or_else(|| corrupt("status"))?,
        admitted_on: get(r, "admitted_on")?,
        official_on: get(r, "official_on")?,
        version: get(r, "version")?,
        elsewhere: false,
    })
}

/// Filters for member lists.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Name, CCCD or card number; diacritics and case ignored for names.
    pub query: Option<String>,
    /// Only these statuses (empty: members, i.e. probationary, official, exempt, suspended).
    pub statuses: Vec<MemberStatus>,
    /// Only this gender.
    pub gender: Option<Gender>,
    /// Born on this day.
    pub born_on: Option<NaiveDate>,
    /// Born on or after this day (an age at most).
    pub born_from: Option<NaiveDate>,
    /// Born on or before this day (an age at least).
    pub born_until: Option<NaiveDate>,
    /// The roll as it stood on this day: who belonged to the subtree then (as the tree stood
    /// then), with their cell and status of that day. None: today's records.
    pub as_of: Option<NaiveDate>,
    /// Only members of this standing on the list's day (as the dashboard counts them; replaces
    /// `statuses`).
    pub standing: Option<Standing>,
    /// Born in these years (from, to; from None: any year up to `to`): an age band.
    pub birth_years: Option<(Option<i32>, i32)>,
    /// Admitted in these years: a party-age band.
    pub admit_years: Option<(Option<i32>, i32)>,
    /// Only this ethnicity (as stored).
    pub ethnicity: Option<String>,
    /// Only this religion (as stored).
    pub religion: Option<String>,
    /// Only this professional education.
    pub education: Option<Education>,
    /// Only this political-theory level.
    pub theory: Option<PoliticalTheory>,
    /// Instead of the roll of a day: the people admitted, or whose membership ended, in a
    /// period (both days included) while in a cell of the subtree (the tree of the last day).
    pub flow: Option<(Flow, NaiveDate, NaiveDate)>,
}

/// A flow of a period, for the lists behind a dashboard's flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Kết nạp.
    Admitted,
    /// Ra khỏi Đảng.
    Exited,
    /// Chuyển đến: permanent transfers accepted into a cell of the subtree from outside it.
    TransferredIn,
    /// Chuyển đi: permanent transfer letters issued from a cell of the subtree to outside it.
    TransferredOut,
}

impl Flow {
    /// Every flow, in the dashboard's order.
    pub const ALL: [Flow; 4] = [Flow::Admitted, Flow::Exited, Flow::TransferredIn, Flow::TransferredOut];

    /// The code in URLs and the API.
    pub fn code(self) -> &'static str {
        match self {
            Flow::Admitted => "admitted",
            Flow::Exited => "exited",
            Flow::TransferredIn => "transferred_in",
            Flow::TransferredOut => "transferred_out",
        }
    }

    /// The flow of a code.
    pub fn from_code(code: &str) -> Option<Flow> {
        Flow::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Flow::Admitted => "Kết nạp",
            Flow::Exited => "Ra khỏi Đảng",
            Flow::TransferredIn => "Chuyển đến",
            Flow::TransferredOut => "Chuyển đi",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Flow::Admitted => "Admitted",
            Flow::Exited => "Left the party",
            Flow::TransferredIn => "Transferred in",
            Flow::TransferredOut => "Transferred out",
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Total rows matching.
    pub total: i64,
    /// Offset of the first row.
    pub offset: i64,
}

fn profile_values(p: &MemberProfile) -> Vec<Value> {
    vec![
        p.full_name.clone().into(),
        fold(&p.full_name).into(),
        person_sort_key(&p.full_name).into(),
        p.other_name.clone().into(),
        p.gender.code().into(),
        p.birth_date.into(),
        p.birth_place.clone().into(),
        p.home_town.clone().into(),
        p.ethnicity.clone().into(),
        p.religion.clone().into(),
        p.permanent_address.clone().into(),
        p.current_address.clone().into(),
        p.phone.clone().into(),
        p.email.clone().into(),
        p.cccd.as_ref().map(|c| c.as_str().to_owned()).into(),
        p.card_number.as_ref().map(|c| c.as_str().to_owned()).into(),
        p.occupation.clone().into(),
        p.general_education.clone().into(),
        p.professional_education.code().into(),
        p.political_theory.code().into(),
        p.party_position.clone().into(),
        p.government_position.clone().into(),
    ]
}

/// The member columns that hold the profile, in the order of `profile_values` (shared with the
/// bulk loader, which writes the same row shape).
pub(crate) const PROFILE_COLS: [&str; 22] = [
    "full_name",
    "name_folded",
    "sort_key",
    "other_name",
    "gender",
    "birth_date",
    "birth_place",
    "home_town",
    "ethnicity",
    "religion",
    "permanent_address",
    "current_address",
    "phone",
    "email",
    "cccd",
    "card_number",
    "occupation",
    "general_education",
    "professional_education",
    "political_theory",
    "party_position",
    "government_position",
];

fn unique_errors(e: StoreError) -> StoreError {
    match e {
        StoreError::Db(db) => {
            let cccd = FieldError::new("cccd", ErrorCode::MemberCccdTaken);
            let card = FieldError::new("card_number", ErrorCode::MemberCardNumberTaken);
            map_unique(db, &[("member.cccd", cccd.clone()), ("ux_member_cccd", cccd), ("member.card_number", card.clone()), ("ux_member_card_number", card)])
        }
        other => other,
    }
}

impl Scoped<'_> {
    /// Reads a member whose cell is inside the scope.
    pub async fn member(&self, id: MemberId) -> Result<Member> {
        load_member(&self.store.db, id, self).await
    }

    /// Registers a person with their first event (candidate, admission or registration of an
    /// existing member) in a cell inside the scope.
    pub async fn create_member(&self, profile: MemberProfile, first: MemberEvent, decision_no: Option<&str>) -> Result<Member> {
        self.register_member(profile, first, decision_no, (None, None)).await
    }

    /// The same, for a member registered from earlier records with the admission and
    /// recognition dates those records give (kept on the member; later events never erase
    /// them). Dates a registration cannot have (before its first event is what the command
    /// checks) are ignored for a candidate or an admission, whose dates are their events'.
    pub async fn register_member(&self, profile: MemberProfile, first: MemberEvent, decision_no: Option<&str>, party_dates: PartyDates) -> Result<Member> {
        let ch = self.change(Rights::Members).await?;
        let details = EventDetails { decision_no: decision_no.map(str::to_owned), ..Default::default() };
        let m = create_member_in(&ch, self, profile, first, &details, party_dates).await?;
        ch.commit().await?;
        Ok(m)
    }

    /// Replaces a member's personal fields, if the caller edited the current version.
    pub async fn update_member_profile(&self, id: MemberId, version: i64, profile: MemberProfile) -> Result<Member> {
        self.update_member(id, version, profile, None).await
    }

    /// The same, and for a member registered from earlier records (no admission here) the
    /// admission and recognition dates of those records (`None`: as they are). A member
    /// admitted here has the dates of their events; other dates for them are refused.
    pub async fn update_member(&self, id: MemberId, version: i64, profile: MemberProfile, party_dates: Option<PartyDates>) -> Result<Member> {
        let ch = self.change(Rights::Members).await?;
        let before = load_member(&*ch, id, self).await?;
        // Events must stay after the (possibly corrected) birth date.
        let events = load_events(&*ch, id).await?;
        let history = replay(profile.birth_date, &events, ch.today())?;
        let party_dates = party_dates.filter(|d| *d != (before.admitted_on, before.official_on));
        if let Some((admitted, official)) = party_dates {
            let mut e = ValidationErrors::new();
            if events.iter().any(|ev| matches!(ev.change, MemberChange::Admitted { .. })) {
                e.push(
                    FieldError::new("admitted_on", ErrorCode::StatusDatesDisagree)
                        .with("status", before.status.label_vi())
                        .with("why", "đảng viên kết nạp tại đây có ngày vào Đảng, ngày chính thức theo các quyết định đã ghi"),
                );
            } else if let Some(first) = events.first() {
                chibo_domain::member::command::check_recorded_dates(&mut e, history.state.recognized, admitted, official, first.on);
            }
            if !e.is_empty() {
                return Err(StoreError::Invalid(e));
            }
        }
        ch.claim(Versioned::Member, id, version).await?;
        if let Some((admitted, official)) = party_dates {
            exec(&*ch, "UPDATE member SET admitted_on = $2, official_on = $3 WHERE id = $1", vec![id.into(), admitted.into(), official.into()]).await?;
        }
        let sets = PROFILE_COLS.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 2)).collect::<Vec<_>>().join(", ");
        let mut vals: Vec<Value> = vec![id.into()];
        vals.extend(profile_values(&profile));
        let sql = format!("UPDATE member SET {sets} WHERE id = $1");
        exec(&*ch, &sql, vals).await.map_err(unique_errors)?;
        // The figures count members by these fields (gender, year of birth, ...).
        crate::stats::refresh_members(&*ch, &[id]).await?;
        let after = load_member_unscoped(&*ch, id).await?;
        audit_member(&ch, MemberAction::Update, after.org_id, Some(&before), &after).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Records a dated event in a member's life, re-deriving the state and spans from all
    /// events; refused (nothing written) if the sequence breaks a rule.
    pub async fn record_member_event(&self, id: MemberId, version: i64, event: MemberEvent, decision_no: Option<&str>) -> Result<Member> {
        self.record_member_event_with(id, version, event, &EventDetails { decision_no: decision_no.map(str::to_owned), ..Default::default() }).await
    }

    /// The same, with the decision's issuing committee and the reason.
    pub async fn record_member_event_with(&self, id: MemberId, version: i64, event: MemberEvent, details: &EventDetails) -> Result<Member> {
        let ch = self.change(Rights::Members).await?;
        let before = load_member(&*ch, id, self).await?;
        // Admitting a candidate, and recognizing a member whose admission is a case here, are
        // steps of the case (with its votes and decisions), not free events.
        if matches!(event.change, MemberChange::Admitted { .. } | MemberChange::MadeOfficial) {
            let sql = format!("SELECT COUNT(*) AS n FROM admission WHERE member_id = $1 AND stage IN {}", crate::admission::OPEN_STAGES);
            let open: i64 = get(&one(&*ch, &sql, vec![id.into()]).await?.ok_or(StoreError::NotFound)?, "n")?;
            if open > 0 || (matches!(event.change, MemberChange::Admitted { .. }) && before.status == MemberStatus::Candidate) {
                return Err(StoreError::field(
                    FieldError::new("event", ErrorCode::StepOutOfOrder).with("step", event.change.label_vi()).with("stage", "cần ghi qua hồ sơ kết nạp"),
                ));
            }
        }
        if event.change == MemberChange::MadeOfficial && before.status == MemberStatus::Probationary {
            // Whatever created the member (an import, a registration, an admission event), a
            // recognition waits for the end of probation, as a case's does.
            chibo_domain::member::check_event_date(event.on, before.profile.birth_date, ch.today())?;
            let events = load_events(&*ch, id).await?;
            if let Some(start) = chibo_domain::member::probation_start(before.admitted_on, &events) {
                chibo_domain::member::check_probation_over(start, event.on, &self.store.rule_book().await?)?;
            }
        }
        if let Some(cell) = event.change.cell() {
            // Date errors first: they are what the user typed wrong, whatever the event names.
            chibo_domain::member::check_event_date(event.on, before.profile.birth_date, ch.today())?;
            check_cell(&*ch, self, cell, event.on).await?;
            if matches!(event.change, MemberChange::Moved { .. }) {
                check_same_grassroots(&*ch, id, before.org_id, cell, event.on).await?;
            }
        }
        let after = append_event(&ch, id, Some(version), event, details).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// A member's events, oldest first.
    pub async fn member_history(&self, id: MemberId) -> Result<Vec<MemberEventRecord>> {
        self.member(id).await?;
        history_of(&self.store.db, id).await
    }

    /// The member's cell and status on a date, from the spans.
    pub async fn member_at(&self, id: MemberId, on: NaiveDate) -> Result<Option<MemberSpan>> {
        self.member(id).await?;
        let sql = format!("SELECT * FROM member_span s WHERE s.member_id = $1 AND {}", valid_at("s", 2));
        let Some(r) = one(&self.store.db, &sql, vec![id.into(), on.into()]).await? else { return Ok(None) };
        let status: String = get(&r, "status")?;
        Ok(Some(MemberSpan {
            from: get(&r, "valid_from")?,
            until: get(&r, "valid_until")?,
            cell: get(&r, "org_id")?,
            status: MemberStatus::from_code(&status).ok_or_else(|| corrupt("status"))?,
        }))
    }

    /// Members whose current cell is under an organization, in Vietnamese name order, paged.
    pub async fn list_members(&self, under: OrgId, filter: &MemberFilter, offset: i64, limit: i64) -> Result<Page<Member>> {
        let (select, from, conds, vals) = self.member_where(under, filter).await?;
        let limit = limit.clamp(1, 500);
        let offset = offset.max(0);
        let count = format!("SELECT COUNT(*) AS n {from}{conds}");
        let sql = format!("SELECT {select} {from}{conds} ORDER BY m.sort_key, m.id LIMIT {limit} OFFSET {offset}");
        // On SQLite the total and the page run on two connections at once: a search in a
        // large province walks its matches twice, and the two walks take the two cores
        // (`chibo bench-stats`: p50 229 -> 171 ms). PostgreSQL already spreads each query over
        // parallel workers; at once there it gained nothing and its p95 grew (372 -> 432 ms).
        let db = &self.store.db;
        let (total_row, rows) = match self.store.backend() {
            crate::Backend::Sqlite => tokio::try_join!(one(db, &count, vals.clone()), all(db, &sql, vals))?,
            crate::Backend::Postgres => (one(db, &count, vals.clone()).await?, all(db, &sql, vals).await?),
        };
        let total: i64 = total_row.map(|r| get(&r, "n")).transpose()?.unwrap_or(0);
        Ok(Page { items: rows.iter().map(|r| self.in_scope_view(r)).collect::<Result<_>>()?, total, offset })
    }

    /// How many members a list has (the total of [`Scoped::list_members`] alone).
    pub async fn count_members(&self, under: OrgId, filter: &MemberFilter) -> Result<i64> {
        let (_, from, conds, vals) = self.member_where(under, filter).await?;
        let r = one(&self.store.db, &format!("SELECT COUNT(*) AS n {from}{conds}"), vals).await?;
        Ok(r.map(|r| get(&r, "n")).transpose()?.unwrap_or(0))
    }

    /// Like [`Scoped::list_members`], but the page after a cursor (the Vietnamese sort key and
    /// id of the last member of the previous page): stable while records change, and as fast
    /// on the thousandth page as on the first.
    pub async fn members_after(&self, under: OrgId, filter: &MemberFilter, after: Option<&MemberCursor>, limit: i64) -> Result<Vec<Member>> {
        let (select, from, mut conds, mut vals) = self.member_where(under, filter).await?;
        if let Some(c) = after {
            vals.push(c.sort_key.clone().into());
            vals.push(c.id.into());
            let (k, i) = (vals.len() - 1, vals.len());
            conds.push_str(&format!(" AND (m.sort_key > ${k} OR (m.sort_key = ${k} AND m.id > ${i}))"));
        }
        let sql = format!("SELECT {select} {from}{conds} ORDER BY m.sort_key, m.id LIMIT {}", limit.clamp(1, 500));
        let rows = all(&self.store.db, &sql, vals).await?;
        rows.iter().map(|r| self.in_scope_view(r)).collect()
    }

    /// A row of a member list as this scope may see it. A member who has since left the scope
    /// (a roll of a past day, the people transferred out) is still named, with what the
    /// figures count (gender, birth date, ethnicity, education…), but their identity numbers,
    /// addresses and contact details now belong to the organization that has them.
    fn in_scope_view(&self, r: &QueryResult) -> Result<Member> {
        let mut m = member_from_row(r)?;
        let now: Option<String> = get(r, "current_path")?;
        if !now.is_some_and(|p| self.scope.covers(&OrgPath::from_stored(p))) {
            m.elsewhere = true;
            let p = &mut m.profile;
            (p.cccd, p.card_number) = (None, None);
            (p.phone, p.email, p.permanent_address, p.current_address, p.birth_place, p.home_town) = (None, None, None, None, None, None);
        }
        Ok(m)
    }

    /// The columns, FROM and WHERE of a member list under an organization (inside the
    /// scope), today or as of a date.
    async fn member_where(&self, under: OrgId, filter: &MemberFilter) -> Result<(String, String, String, Vec<Value>)> {
        let mut vals: Vec<Value> = Vec::new();
        // The day the standing is judged on.
        let day = filter.flow.map(|f| f.2).or(filter.as_of).unwrap_or_else(|| self.store.today());
        let with_org_span = MEMBER_COLS.replace("m.org_id,", "ms.org_id AS org_id,").replace("m.status,", "ms.status AS status,");
        let (mut select, from, path, status_col) = match (filter.flow, filter.as_of) {
            (Some((flow, from_day, to_day)), _) => {
                let node = self.node_at(under, to_day).await?.ok_or(StoreError::NotFound)?;
                vals.push(from_day.into());
                vals.push(to_day.into());
                let counted = crate::stats::COUNTED;
                let with_status_today = with_org_span.replace("ms.status AS status,", "m.status AS status,");
                let (select, from) = match flow {
                    Flow::Admitted => (
                        with_status_today,
                        format!(
                            "FROM member m JOIN member_span ms ON ms.member_id = m.id AND ms.status IN {counted} AND ms.valid_from = m.admitted_on \
                               AND ms.valid_from >= $1 AND ms.valid_from <= $2 \
                               AND NOT EXISTS (SELECT 1 FROM member_span p WHERE p.member_id = ms.member_id AND p.valid_until = ms.valid_from AND p.status IN {counted}) \
                             JOIN org_span o ON o.org_id = ms.org_id AND o.valid_from <= ms.valid_from AND o.valid_until > ms.valid_from"
                        ),
                    ),
                    Flow::Exited => (
                        with_status_today,
                        format!(
                            "FROM member m JOIN member_span ms ON ms.member_id = m.id AND ms.status IN {counted} AND ms.valid_until >= $1 AND ms.valid_until <= $2 \
                               AND NOT EXISTS (SELECT 1 FROM member_span n WHERE n.member_id = ms.member_id AND n.valid_from = ms.valid_until \
                                 AND n.status NOT IN {}) \
                             JOIN org_span o ON o.org_id = ms.org_id AND o.valid_from < ms.valid_until AND o.valid_until >= ms.valid_until",
                            crate::stats::EXITS
                        ),
                    ),
                    Flow::TransferredIn | Flow::TransferredOut => {
                        // One row per member, however many letters (the figure counts members),
                        // shown in the cell their last letter names inside the subtree, with
                        // their status today.
                        let (lo, hi) = node.path.subtree_range();
                        vals.push(lo.into());
                        vals.push(hi.into());
                        let came = flow == Flow::TransferredIn;
                        let (cell, on) = crate::stats::transfer_cell_day(came);
                        let from = format!(
                            "FROM member m JOIN (SELECT t.member_id, MAX(t.id) AS id FROM transfer t WHERE {} GROUP BY t.member_id) x ON x.member_id = m.id \
                             JOIN transfer t ON t.id = x.id \
                             JOIN org_span o ON o.org_id = {cell} AND o.valid_from <= {on} AND o.valid_until > {on}",
                            crate::stats::transfer_condition(came, "$3", "$4", "$1", "$2"),
                        );
                        (MEMBER_COLS.replace("m.org_id,", "o.org_id AS org_id,"), from)
                    }
                };
                (select, from, node.path, if matches!(flow, Flow::TransferredIn | Flow::TransferredOut) { "m.status" } else { "ms.status" })
            }
            (None, None) => (MEMBER_COLS.to_owned(), "FROM member m JOIN org o ON o.id = m.org_id".to_owned(), self.org(under).await?.path, "m.status"),
            (None, Some(d)) => {
                // The subtree as it stood that day (judged inside today's scope by node_at).
                let node = self.node_at(under, d).await?.ok_or(StoreError::NotFound)?;
                vals.push(d.into());
                let from = format!(
                    "FROM member m JOIN member_span ms ON ms.member_id = m.id AND {} JOIN org_span o ON o.org_id = ms.org_id AND {}",
                    valid_at("ms", 1),
                    valid_at("o", 1)
                );
                (with_org_span, from, node.path, "ms.status")
            }
        };
        // Where each member is today, read for the rows shown only (not by the count): lists of
        // a past day or a period name people who have since left the scope (see `in_scope_view`).
        select.push_str(", (SELECT cur.path FROM org cur WHERE cur.id = m.org_id) AS current_path");
        let (lo, hi) = path.subtree_range();
        vals.push(lo.into());
        vals.push(hi.into());
        let mut conds = format!(" WHERE o.path >= ${} AND o.path < ${}", vals.len() - 1, vals.len());
        if filter.flow.is_some() {
            // The flow's own conditions chose the spans.
        } else if let Some(standing) = filter.standing {
            vals.push(day.into());
            let probationary = crate::stats::probationary_on(status_col, vals.len());
            conds.push_str(&match standing {
                Standing::InTransit => format!(" AND {status_col} = 'in_transit'"),
                Standing::Probationary => format!(" AND {probationary}"),
                Standing::Official => format!(" AND {status_col} IN ('official', 'exempt', 'suspended') AND NOT {probationary}"),
            });
        } else {
            let statuses: Vec<&str> =
                if filter.statuses.is_empty() { MemberStatus::MEMBER_CODES.to_vec() } else { filter.statuses.iter().map(|s| s.code()).collect() };
            conds.push_str(&format!(" AND {status_col} IN ({})", crate::kernel::sql::placeholders(vals.len() + 1, statuses.len())));
            vals.extend(statuses.iter().map(|s| Value::from(*s)));
        }
        if let Some(g) = filter.gender {
            vals.push(g.code().into());
            conds.push_str(&format!(" AND m.gender = ${}", vals.len()));
        }
        for (d, op) in [(filter.born_on, "="), (filter.born_from, ">="), (filter.born_until, "<=")] {
            if let Some(d) = d {
                vals.push(d.into());
                conds.push_str(&format!(" AND m.birth_date {op} ${}", vals.len()));
            }
        }
        let backend = self.store.backend();
        for (years, col) in [(filter.birth_years, "m.birth_date"), (filter.admit_years, "m.admitted_on")] {
            if let Some((from, to)) = years {
                let year = crate::stats::year_of(backend, col);
                if let Some(f) = from {
                    vals.push(i64::from(f).into());
                    conds.push_str(&format!(" AND {year} >= ${}", vals.len()));
                }
                vals.push(i64::from(to).into());
                conds.push_str(&format!(" AND {year} <= ${}", vals.len()));
            }
        }
        let codes = [
            ("m.ethnicity", filter.ethnicity.clone()),
            ("m.religion", filter.religion.clone()),
            ("m.professional_education", filter.education.map(|e| e.code().to_owned())),
            ("m.political_theory", filter.theory.map(|t| t.code().to_owned())),
        ];
        for (col, v) in codes {
            if let Some(v) = v {
                vals.push(v.into());
                conds.push_str(&format!(" AND {col} = ${}", vals.len()));
            }
        }
        if let Some(q) = filter.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let digits: String = q.chars().filter(|c| c.is_ascii_digit()).collect();
            if !digits.is_empty() && digits.len() == q.chars().filter(|c| !c.is_whitespace() && *c != '.').count() {
                vals.push(digits.clone().into());
                vals.push(digits.into());
                conds.push_str(&format!(" AND (m.cccd = ${} OR m.card_number = ${})", vals.len() - 1, vals.len()));
            } else {
                // Every word typed must appear, in any order ("thanh nguyen" finds Nguyễn Văn Thành).
                for word in fold(q).split(' ').filter(|w| !w.is_empty()) {
                    vals.push(format!("%{}%", word.replace(['%', '_'], "")).into());
                    conds.push_str(&format!(" AND m.name_folded LIKE ${}", vals.len()));
                }
            }
        }
        Ok((select, from, conds, vals))
    }
}

/// Where a cursor-paged member list continues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberCursor {
    /// The Vietnamese sort key of the last member shown.
    pub sort_key: String,
    /// Its id (ties between equal names).
    pub id: MemberId,
}

impl MemberCursor {
    /// The cursor after a member.
    pub fn after(m: &Member) -> MemberCursor {
        MemberCursor { sort_key: person_sort_key(&m.profile.full_name), id: m.id }
    }
}

/// Moves every member of `from` (on the date) to `to`, each as an audited event. Used by
/// merges, inside their transaction.
pub(crate) async fn move_all_members(ch: &Change<'_>, s: &Scoped<'_>, from: OrgId, to: OrgId, on: NaiveDate, decision_no: Option<&str>) -> Result<()> {
    check_cell(&**ch, s, to, on).await?;
    let sql = format!("SELECT member_id FROM member_span s WHERE s.org_id = $1 AND {}", valid_at("s", 2));
    for r in all(&**ch, &sql, vec![from.into(), on.into()]).await? {
        let id: MemberId = get(&r, "member_id")?;
        let details = EventDetails { decision_no: decision_no.map(str::to_owned), ..Default::default() };
        append_event(ch, id, None, MemberEvent { on, change: MemberChange::Moved { cell: to } }, &details).await?;
    }
    Ok(())
}

/// Creates a member with their first event inside the caller's transaction (the cell must be
/// in scope), audited.
pub(crate) async fn create_member_in(
    ch: &Change<'_>,
    s: &Scoped<'_>,
    profile: MemberProfile,
    first: MemberEvent,
    details: &EventDetails,
    (admitted_on, official_on): PartyDates,
) -> Result<Member> {
    let c = &**ch;
    let mut history = replay(profile.birth_date, std::slice::from_ref(&first), ch.today())?;
    // A registration from records has no admission here: the records' dates are its dates.
    if matches!(first.change, MemberChange::Registered { .. }) {
        history.state.admitted_on = admitted_on;
        history.state.official_on = official_on.filter(|_| history.state.status == MemberStatus::Official);
    }
    let cell = first.change.cell().ok_or_else(|| {
        StoreError::field(FieldError::new("event", ErrorCode::TransitionNotAllowed).with("event", first.change.label_vi()).with("status", "chưa có hồ sơ"))
    })?;
    check_cell(c, s, cell, first.on).await?;
    let mut cols = PROFILE_COLS.to_vec();
    cols.extend(["org_id", "status", "admitted_on", "official_on", "version", "updated_at"]);
    let mut vals = profile_values(&profile);
    vals.extend([
        history.state.cell.into(),
        history.state.status.code().into(),
        history.state.admitted_on.into(),
        history.state.official_on.into(),
        1i64.into(),
        ch.now().into(),
    ]);
    let sql = format!("INSERT INTO member ({}) VALUES ({}) RETURNING id", cols.join(", "), crate::kernel::sql::placeholders(1, cols.len()));
    let row = one(c, &sql, vals).await.map_err(unique_errors)?.ok_or(StoreError::NotFound)?;
    let id: MemberId = get(&row, "id")?;
    insert_event(ch, id, &first, details).await?;
    write_spans(c, id, &history.spans).await?;
    let m = load_member_unscoped(c, id).await?;
    audit_member(ch, MemberAction::Create, m.org_id, None, &m).await?;
    Ok(m)
}

/// Appends the audit entry of a change to a member, filed under the organization `org`.
async fn audit_member(ch: &Change<'_>, action: MemberAction, org: OrgId, before: Option<&Member>, after: &Member) -> Result<()> {
    ch.audit_under(org, Audit::of(action, Some(after.id)).before_if(before).after(after)).await
}

pub use chibo_domain::member::command::EventDetails;

/// The admission and recognition dates of a member's earlier records.
pub type PartyDates = (Option<NaiveDate>, Option<NaiveDate>);

/// Appends an event to a member (scope checked by the caller), re-derives state and spans,
/// and audits it, inside the caller's transaction. `version`: the version the caller read, or
/// None when the caller holds the case that drives the event (admission, transfer).
pub(crate) async fn append_event(ch: &Change<'_>, id: MemberId, version: Option<i64>, event: MemberEvent, details: &EventDetails) -> Result<Member> {
    let c = &**ch;
    let before = load_member_unscoped(c, id).await?;
    chibo_domain::member::check_event_date(event.on, before.profile.birth_date, ch.today())?;
    let mut events = load_events(c, id).await?;
    // Same-day events keep recording order: insert after every event on or before the date.
    let pos = events.iter().position(|e| e.on > event.on).unwrap_or(events.len());
    events.insert(pos, event.clone());
    let mut history = replay(before.profile.birth_date, &events, ch.today())?;
    keep_recorded_dates(&mut history, &before);
    ch.claim(Versioned::Member, id, version.unwrap_or(before.version)).await?;
    insert_event(ch, id, &event, details).await?;
    apply_history(ch, id, &history).await?;
    let after = load_member_unscoped(c, id).await?;
    audit_member(ch, MemberAction::of_change(&event.change), after.org_id, Some(&before), &after).await?;
    Ok(after)
}

/// A member registered from earlier records (no admission in this instance) keeps the party
/// dates those records gave; events recorded here never erase them.
pub(crate) fn keep_recorded_dates(h: &mut MemberHistory, before: &Member) {
    if h.state.admitted_on.is_none() {
        h.state.admitted_on = before.admitted_on;
        if h.state.official_on.is_none() && h.state.recognized {
            h.state.official_on = before.official_on;
        }
    }
}

/// A plain move stays inside one grassroots organization (its committee decides it); a
/// move into a cell of another one is a party transfer, with its letter.
async fn check_same_grassroots<C: ConnectionTrait>(c: &C, id: MemberId, current: OrgId, to: OrgId, on: NaiveDate) -> Result<()> {
    let sql = format!("SELECT s.org_id FROM member_span s WHERE s.member_id = $1 AND {}", valid_at("s", 2));
    let from = match one(c, &sql, vec![id.into(), on.into()]).await? {
        Some(r) => get(&r, "org_id")?,
        None => current,
    };
    let (a, b) = (crate::org::grassroots_of(c, from, on).await?, crate::org::grassroots_of(c, to, on).await?);
    if a != b {
        let name = crate::org::span_at(c, to, on).await?.map(|s| s.name).unwrap_or_default();
        return Err(StoreError::field(FieldError::new("cell", ErrorCode::MoveNeedsTransfer).with("cell", name)));
    }
    Ok(())
}

/// A cell that members can join on a date, inside the scope.
pub(crate) async fn check_cell<C: ConnectionTrait>(c: &C, s: &Scoped<'_>, cell: OrgId, on: NaiveDate) -> Result<()> {
    let org = load_org(c, cell, s).await?;
    let span = span_at(c, cell, on)
        .await?
        .ok_or_else(|| StoreError::field(FieldError::new("org", ErrorCode::OrgNotActiveOnDate).with("org", &org.name).with("date", format_date(on))))?;
    if !span.kind.holds_members() {
        return Err(StoreError::field(FieldError::new("org", ErrorCode::OrgNotCell).with("org", &span.name)));
    }
    Ok(())
}

pub(crate) async fn org_path<C: ConnectionTrait>(c: &C, id: OrgId) -> Result<OrgPath> {
    let r = one(c, "SELECT path FROM org WHERE id = $1", vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
    Ok(OrgPath::from_stored(get(&r, "path")?))
}

pub(crate) async fn load_member_unscoped<C: ConnectionTrait>(c: &C, id: MemberId) -> Result<Member> {
    let r = one(c, &format!("SELECT {MEMBER_COLS} FROM member m JOIN org o ON o.id = m.org_id WHERE m.id = $1"), vec![id.into()])
        .await?
        .ok_or(StoreError::NotFound)?;
    member_from_row(&r)
}

pub(crate) async fn load_member<C: ConnectionTrait>(c: &C, id: MemberId, s: &Scoped<'_>) -> Result<Member> {
    let r = one(c, &format!("SELECT {MEMBER_COLS} FROM member m JOIN org o ON o.id = m.org_id WHERE m.id = $1"), vec![id.into()])
        .await?
        .ok_or(StoreError::NotFound)?;
    let path = OrgPath::from_stored(get(&r, "org_path")?);
    if !s.scope.covers(&path) {
        return Err(StoreError::NotFound);
    }
    member_from_row(&r)
}

fn change_from_row(r: &QueryResult) -> Result<MemberChange> {
    let kind: String = get(r, "kind")?;
    let org: Option<OrgId> = get(r, "org_id")?;
    let status = get::<Option<String>>(r, "status")?.and_then(|s| MemberStatus::from_code(&s));
    MemberChange::from_parts(&kind, org, status).ok_or_else(|| corrupt("member event"))
}

async fn load_events<C: ConnectionTrait>(c: &C, id: MemberId) -> Result<Vec<MemberEvent>> {
    let rows = all(c, "SELECT kind, occurred_on, org_id, status FROM member_event WHERE member_id = $1 ORDER BY occurred_on, id", vec![id.into()]).await?;
    rows.iter().map(|r| Ok(MemberEvent { on: get(r, "occurred_on")?, change: change_from_row(r)? })).collect()
}

pub(crate) async fn insert_event(ch: &Change<'_>, id: MemberId, ev: &MemberEvent, details: &EventDetails) -> Result<()> {
    exec(
        &**ch,
        "INSERT INTO member_event (member_id, kind, occurred_on, org_id, status, decision_no, issued_by, note, until_on, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        vec![
            id.into(),
            ev.change.code().into(),
            ev.on.into(),
            ev.change.cell().into(),
            ev.change.named_status().map(|s| s.code().to_owned()).into(),
            details.decision_no.clone().into(),
            details.issued_by.clone().into(),
            details.note.clone().into(),
            details.until.into(),
            ch.actor().label().into(),
            ch.now().into(),
        ],
    )
    .await?;
    Ok(())
}

async fn write_spans<C: ConnectionTrait>(c: &C, id: MemberId, spans: &[MemberSpan]) -> Result<()> {
    exec(c, "DELETE FROM member_span WHERE member_id = $1", vec![id.into()]).await?;
    for s in spans {
        exec(
            c,
            "INSERT INTO member_span (member_id, valid_from, valid_until, org_id, status) VALUES ($1, $2, $3, $4, $5)",
            vec![id.into(), s.from.into(), s.until.into(), s.cell.into(), s.status.code().into()],
        )
        .await?;
    }
    crate::stats::refresh_members(c, &[id]).await
}

/// A member's events with the names of the cells they name, oldest first (unscoped: callers
/// have checked access to the member).
async fn history_of<C: ConnectionTrait>(c: &C, id: MemberId) -> Result<Vec<MemberEventRecord>> {
    let rows = all(
        c,
        "SELECT e.id, e.kind, e.occurred_on, e.org_id, e.status, e.decision_no, e.issued_by, e.note, e.until_on, e.recorded_by, o.name AS org_name \
         FROM member_event e LEFT JOIN org o ON o.id = e.org_id WHERE e.member_id = $1 ORDER BY e.occurred_on, e.id",
        vec![id.into()],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MemberEventRecord {
                id: get(r, "id")?,
                on: get(r, "occurred_on")?,
                change: change_from_row(r)?,
                org_name: get(r, "org_name")?,
                decision_no: get(r, "decision_no")?,
                issued_by: get(r, "issued_by")?,
                note: get(r, "note")?,
                until: get(r, "until_on")?,
                recorded_by: get(r, "recorded_by")?,
            })
        })
        .collect()
}

/// Makes the member row and spans agree with a replayed history (the caller has claimed the
/// row's version).
async fn apply_history(ch: &Change<'_>, id: MemberId, h: &MemberHistory) -> Result<()> {
    exec(
        &**ch,
        "UPDATE member SET org_id = $2, status = $3, admitted_on = $4, official_on = $5 WHERE id = $1",
        vec![id.into(), h.state.cell.into(), h.state.status.code().into(), h.state.admitted_on.into(), h.state.official_on.into()],
    )
    .await?;
    write_spans(&**ch, id, &h.spans).await?;
    crate::committee::follow_member(ch, id).await
}

/// A member's handle on their own record: read it, read its history, and change how they can
/// be reached. The only capability a member account gets.
pub struct OwnRecord<'a> {
    store: &'a crate::Store,
    actor: chibo_domain::scope::Actor,
    member_id: MemberId,
}

impl crate::Store {
    /// The handle of a member account, from its grant (see
    /// [`crate::account::Grant::OwnRecord`]).
    pub fn own(&self, grant: &crate::account::OwnGrant) -> OwnRecord<'_> {
        OwnRecord { store: self, actor: grant.actor.clone(), member_id: grant.member_id }
    }
}

impl OwnRecord<'_> {
    /// The member's record.
    pub async fn member(&self) -> Result<Member> {
        load_member_unscoped(&self.store.db, self.member_id).await
    }

    /// The member's events, oldest first.
    pub async fn history(&self) -> Result<Vec<MemberEventRecord>> {
        history_of(&self.store.db, self.member_id).await
    }

    /// The member's positions in the party, concurrent posts and duties.
    pub async fn positions(&self) -> Result<crate::committee::MemberPositions> {
        crate::committee::positions_of(&self.store.db, self.member_id).await
    }

    /// The coming meetings the member is convened to (notified, from `today` on): the same
    /// list the member's page shows to staff (`Scoped::member_notices`).
    pub async fn notices(&self, today: chrono::NaiveDate) -> Result<Vec<crate::meeting::Notice>> {
        crate::meeting::notices_of(&self.store.db, self.member_id, today).await
    }

    /// Replaces the contact details, if the member edited the current version.
    pub async fn update_contact(&self, version: i64, contact: chibo_domain::member::Contact) -> Result<Member> {
        let ch = self.store.own_change(&self.actor).await?;
        let before = load_member_unscoped(&*ch, self.member_id).await?;
        ch.claim(Versioned::Member, self.member_id, version).await?;
        exec(
            &*ch,
            "UPDATE member SET current_address = $2, phone = $3, email = $4 WHERE id = $1",
            vec![self.member_id.into(), contact.current_address.into(), contact.phone.into(), contact.email.into()],
        )
        .await?;
        let after = load_member_unscoped(&*ch, self.member_id).await?;
        audit_member(&ch, MemberAction::Contact, after.org_id, Some(&before), &after).await?;
        ch.commit().await?;
        Ok(after)
    }
}
