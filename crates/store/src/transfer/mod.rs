//! Transfers in the store. The sending side (the member in its scope) issues the letter; the
//! receiving side (the receiving organization in its scope) accepts into one of its cells or
//! refuses; either side sees the transfer. A permanent transfer puts the member in transit in
//! the same transaction as the letter, so the member is in exactly one count at every moment.

pub(crate) mod todo;

use crate::kernel::sql::{all, exec, get, one};
use crate::kernel::{Audit, Change, Versioned};
use crate::member::{EventDetails, Member, Page, append_event, check_cell, create_member_in, load_member, org_path};
use crate::{Result, Scoped, StoreError};
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::member::{MemberChange, MemberEvent, MemberId, MemberProfile, MemberStatus};
use chibo_domain::org::{OrgId, OrgPath};
use chibo_domain::scope::Rights;
use chibo_domain::transfer::audit::TransferAction;
use chibo_domain::transfer::{self, Letter, Month, Receiver, TransferId, TransferKind, TransferState};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde::Serialize;

/// A transfer with what its letter and its lists show.
#[derive(Debug, Clone, Serialize)]
pub struct Transfer {
    /// Key.
    pub id: TransferId,
    /// The member.
    pub member_id: MemberId,
    /// Their name.
    pub full_name: String,
    /// Date of birth.
    pub birth_date: NaiveDate,
    /// Party card number.
    pub card_number: Option<String>,
    /// Ngày vào Đảng.
    pub admitted_on: Option<NaiveDate>,
    /// Ngày chính thức.
    pub official_on: Option<NaiveDate>,
    /// Kind.
    pub kind: TransferKind,
    /// The sending cell.
    pub from_org: Option<OrgId>,
    /// Its name.
    pub from_name: Option<String>,
    /// The receiving organization inside the instance.
    pub to_org: Option<OrgId>,
    /// Its name (or the outside destination / origin).
    pub to_name: Option<String>,
    /// Outside destination or origin.
    pub destination: Option<String>,
    /// Letter number.
    pub letter_no: String,
    /// Letter date.
    pub letter_on: NaiveDate,
    /// Fees paid through.
    pub fees_paid_through: Month,
    /// End of a temporary transfer, as the letter states it (never rewritten).
    pub until: Option<NaiveDate>,
    /// The day a temporary transfer was ended: a fact of its own beside the letter's term.
    pub ended_on: Option<NaiveDate>,
    /// Reason.
    pub note: Option<String>,
    /// Where it stands.
    pub state: TransferState,
    /// Date of the answer.
    pub answered_on: Option<NaiveDate>,
    /// The cell that took the member in.
    pub answered_cell: Option<OrgId>,
    /// Its name.
    pub answered_cell_name: Option<String>,
    /// Why it was refused.
    pub answer_note: Option<String>,
    /// Row version.
    pub version: i64,
    /// The sending cell is in the caller's scope.
    pub outgoing: bool,
    /// The receiving organization is in the caller's scope.
    pub incoming: bool,
}

/// Which side of transfers to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Either side in scope.
    #[default]
    Both,
    /// Arriving into the scope.
    Incoming,
    /// Leaving the scope.
    Outgoing,
}

const COLS: &str = "t.id, t.member_id, t.kind, t.from_org, t.to_org, t.destination, t.letter_no, t.letter_on, t.fees_through, t.until_on, t.ended_on, t.note, t.state, \
    t.answered_on, t.answered_cell, t.answer_note, t.version, m.full_name, m.birth_date, m.card_number, m.admitted_on, m.official_on, \
    fo.name AS from_name, fo.path AS from_path, tr.name AS to_name, tr.path AS to_path, ac.name AS answered_cell_name";
const FROM: &str = "transfer t JOIN member m ON m.id = t.member_id LEFT JOIN org fo ON fo.id = t.from_org LEFT JOIN org tr ON tr.id = t.to_org \
    LEFT JOIN org ac ON ac.id = t.answered_cell";

fn corrupt(what: &str) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("stored value out of range: {what}")))
}

fn transfer_from_row(r: &QueryResult, s: &Scoped<'_>) -> Result<Transfer> {
    let kind: String = get(r, "kind")?;
    let state: String = get(r, "state")?;
    let fees: String = get(r, "fees_through")?;
    let covers = |col: &str| -> Result<bool> { Ok(get::<Option<String>>(r, col)?.is_some_and(|p| s.scope.covers(&OrgPath::from_stored(p)))) };
    let destination: Option<String> = get(r, "destination")?;
    let to_name: Option<String> = get(r, "to_name")?;
    Ok(Transfer {
        id: get(r, "id")?,
        member_id: get(r, "member_id")?,
        full_name: get(r, "full_name")?,
        birth_date: get(r, "birth_date")?,
        card_number: get(r, "card_number")?,
        admitted_on: get(r, "admitted_on")?,
        official_on: get(r, "official_on")?,
        kind: TransferKind::from_code(&kind).ok_or_else(|| corrupt("transfer kind"))?,
        from_org: get(r, "from_org")?,
        from_name: get(r, "from_name")?,
        to_org: get(r, "to_org")?,
        to_name: to_name.or_else(|| destination.clone()),
        destination,
        letter_no: get(r, "letter_no")?,
        letter_on: get(r, "letter_on")?,
        fees_paid_through: Month::parse(&fees).ok_or_else(|| corrupt("fees month"))?,
        until: get(r, "until_on")?,
        ended_on: get(r, "ended_on")?,
        note: get(r, "note")?,
        state: TransferState::from_code(&state).ok_or_else(|| corrupt("transfer state"))?,
        answered_on: get(r, "answered_on")?,
        answered_cell: get(r, "answered_cell")?,
        answered_cell_name: get(r, "answered_cell_name")?,
        answer_note: get(r, "answer_note")?,
        version: get(r, "version")?,
        outgoing: covers("from_path")?,
        incoming: covers("to_path")?,
    })
}

async fn load<C: ConnectionTrait>(c: &C, s: &Scoped<'_>, id: TransferId) -> Result<Transfer> {
    let r = one(c, &format!("SELECT {COLS} FROM {FROM} WHERE t.id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
    let t = transfer_from_row(&r, s)?;
    if !(t.outgoing || t.incoming) {
        return Err(StoreError::NotFound);
    }
    Ok(t)
}

async fn insert(ch: &Change<'_>, member: MemberId, from: Option<OrgId>, l: &Letter, state: TransferState) -> Result<TransferId> {
    let r = one(
        &**ch,
        "INSERT INTO transfer (member_id, kind, from_org, to_org, destination, letter_no, letter_on, fees_through, until_on, note, state, recorded_by, recorded_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1) RETURNING id",
        vec![
            member.into(),
            l.kind.code().into(),
            from.into(),
            l.to_org.into(),
            l.destination.clone().into(),
            l.letter_no.clone().into(),
            l.letter_on.into(),
            format!("{:04}-{:02}", l.fees_paid_through.year, l.fees_paid_through.month).into(),
            l.until.into(),
            l.note.clone().into(),
            state.code().into(),
            ch.actor().label().into(),
            ch.now().into(),
        ],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    get(&r, "id")
}

async fn audit_transfer(ch: &Change<'_>, action: TransferAction, org: OrgId, before: Option<&Transfer>, after: &Transfer) -> Result<()> {
    ch.audit_under(org, Audit::of(action, Some(after.id)).before_if(before).after(after)).await
}

fn details(t: &Letter) -> EventDetails {
    EventDetails { decision_no: Some(t.letter_no.clone()), note: t.note.clone(), ..Default::default() }
}

impl Scoped<'_> {
    /// Issues an introduction letter for a member in scope: a permanent transfer puts them in
    /// transit, a transfer out ends their record here, a temporary one changes nothing on the
    /// roll until its end.
    pub async fn send_transfer(&self, member_id: MemberId, version: i64, letter: Letter) -> Result<Transfer> {
        let ch = self.change(Rights::Members).await?;
        let txn = &*ch;
        let member = load_member(txn, member_id, self).await?;
        ch.expect_version(version, member.version)?;
        transfer::check_sendable(member.status, letter.kind).map_err(StoreError::field)?;
        chibo_domain::member::check_event_date(letter.letter_on, member.profile.birth_date, ch.today())?;
        if let Some(to) = letter.to_org {
            // The receiving organization may be anywhere in the instance, not only in scope.
            let row = one(txn, "SELECT name, path FROM org WHERE id = $1", vec![to.into()])
                .await?
                .ok_or_else(|| StoreError::field(FieldError::new("to_org", ErrorCode::NotFound)))?;
            let active = one(
                txn,
                &format!("SELECT 1 AS x FROM org_span s WHERE s.org_id = $1 AND {}", crate::kernel::sql::valid_at("s", 2)),
                vec![to.into(), letter.letter_on.into()],
            )
            .await?
            .is_some();
            let receiver = Receiver { id: to, path: OrgPath::from_stored(get(&row, "path")?), name: get(&row, "name")?, active };
            transfer::check_receiver(member.org_id, &org_path(txn, member.org_id).await?, &receiver, letter.letter_on).map_err(StoreError::field)?;
        }
        let open = one(txn, "SELECT COUNT(*) AS n FROM transfer WHERE member_id = $1 AND state = 'pending'", vec![member_id.into()])
            .await?
            .ok_or(StoreError::NotFound)?;
        transfer::check_none_waiting(get::<i64>(&open, "n")? > 0).map_err(StoreError::field)?;
        let state = match letter.kind {
            TransferKind::Permanent => {
                append_event(&ch, member_id, Some(version), MemberEvent { on: letter.letter_on, change: MemberChange::TransferSent }, &details(&letter))
                    .await?;
                TransferState::Pending
            }
            TransferKind::Temporary => TransferState::Pending,
            TransferKind::Out => {
                append_event(&ch, member_id, Some(version), MemberEvent { on: letter.letter_on, change: MemberChange::TransferredOut }, &details(&letter))
                    .await?;
                TransferState::Done
            }
            // Refused by `check_sendable` above.
            TransferKind::In => return Err(StoreError::field(FieldError::new("transfer_kind", ErrorCode::InvalidChoice))),
        };
        let id = insert(&ch, member_id, Some(member.org_id), &letter, state).await.map_err(|e| match e {
            StoreError::Db(db) => {
                crate::error::map_unique(db, &[("ux_transfer_open", transfer::letter_waiting()), ("transfer.member_id", transfer::letter_waiting())])
            }
            e => e,
        })?;
        let after = load(txn, self, id).await?;
        audit_transfer(&ch, TransferAction::Send, member.org_id, None, &after).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// The receiving side accepts a waiting transfer into one of its cells on a date.
    pub async fn accept_transfer(&self, id: TransferId, version: i64, cell: OrgId, on: NaiveDate) -> Result<Transfer> {
        let ch = self.change(Rights::Members).await?;
        let txn = &*ch;
        let before = self.waiting(&ch, id, version, on).await?;
        if !before.incoming {
            return Err(StoreError::NotFound);
        }
        check_cell(txn, self, cell, on).await.map_err(|e| match e {
            StoreError::NotFound => StoreError::field(FieldError::new("cell", ErrorCode::NotFound)),
            e => e,
        })?;
        let to = before.to_org.ok_or(StoreError::NotFound)?;
        transfer::check_accepting_cell(&org_path(txn, to).await?, &org_path(txn, cell).await?).map_err(StoreError::field)?;
        if before.kind == TransferKind::Permanent {
            let details = EventDetails { decision_no: Some(before.letter_no.clone()), issued_by: None, ..Default::default() };
            append_event(&ch, before.member_id, None, MemberEvent { on, change: MemberChange::TransferAccepted { cell } }, &details).await?;
        }
        answer(txn, &before, TransferState::Accepted, on, Some(cell), None).await?;
        let after = load(txn, self, id).await?;
        audit_transfer(&ch, TransferAction::Accept, cell, Some(&before), &after).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// The receiving side refuses (or the sending side withdraws) a waiting transfer: the
    /// member is back in the sending cell.
    pub async fn refuse_transfer(&self, id: TransferId, version: i64, on: NaiveDate, reason: &str) -> Result<Transfer> {
        let ch = self.change(Rights::Members).await?;
        let txn = &*ch;
        let before = self.waiting(&ch, id, version, on).await?;
        let reason = transfer::refusal_reason(reason).map_err(StoreError::field)?;
        if before.kind == TransferKind::Permanent {
            let details = EventDetails { decision_no: Some(before.letter_no.clone()), issued_by: None, note: Some(reason.clone()), ..Default::default() };
            append_event(&ch, before.member_id, None, MemberEvent { on, change: MemberChange::TransferReturned }, &details).await?;
        }
        answer(txn, &before, TransferState::Rejected, on, None, Some(reason)).await?;
        let after = load(txn, self, id).await?;
        let org = before.from_org.or(before.to_org).ok_or(StoreError::NotFound)?;
        audit_transfer(&ch, TransferAction::Refuse, org, Some(&before), &after).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Ends an accepted temporary transfer (the member is back at the home cell's meetings).
    pub async fn end_temporary_transfer(&self, id: TransferId, version: i64, on: NaiveDate) -> Result<Transfer> {
        let ch = self.change(Rights::Members).await?;
        let txn = &*ch;
        let before = load(txn, self, id).await?;
        ch.claim(Versioned::Transfer, id, version).await?;
        transfer::check_end(before.kind, before.state, before.letter_on, before.answered_on, on, ch.today()).map_err(StoreError::field)?;
        // The letter as issued stays: the ending is its own dated fact.
        exec(txn, "UPDATE transfer SET state = 'ended', ended_on = $2 WHERE id = $1", vec![id.into(), on.into()]).await?;
        let after = load(txn, self, id).await?;
        let org = before.from_org.or(before.to_org).ok_or(StoreError::NotFound)?;
        audit_transfer(&ch, TransferAction::End, org, Some(&before), &after).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Registers a member arriving from outside the instance with the letter they bring.
    pub async fn register_arrival(
        &self,
        profile: MemberProfile,
        cell: OrgId,
        status: MemberStatus,
        party_dates: (Option<NaiveDate>, Option<NaiveDate>),
        letter: Letter,
    ) -> Result<(Member, Transfer)> {
        let ch = self.change(Rights::Members).await?;
        let txn = &*ch;
        if letter.kind != TransferKind::In {
            return Err(StoreError::field(FieldError::new("transfer_kind", ErrorCode::InvalidChoice).with("value", letter.kind.label_vi())));
        }
        let first = MemberEvent { on: letter.letter_on, change: MemberChange::Registered { cell, status } };
        let (admitted_on, official_on) = party_dates;
        transfer::check_party_dates(admitted_on, official_on, status, letter.letter_on).map_err(StoreError::field)?;
        // The dates the letter states: kept on the record (later events never erase them).
        let member = create_member_in(&ch, self, profile, first, &details(&letter), (admitted_on, official_on)).await?;
        let letter = Letter { to_org: Some(cell), ..letter };
        let id = insert(&ch, member.id, None, &letter, TransferState::Done).await?;
        let after = load(txn, self, id).await?;
        audit_transfer(&ch, TransferAction::Arrival, cell, None, &after).await?;
        ch.commit().await?;
        Ok((member, after))
    }

    /// One transfer either side of which is in scope.
    pub async fn transfer(&self, id: TransferId) -> Result<Transfer> {
        load(&self.store.db, self, id).await
    }

    /// Transfers of a member in scope, newest first.
    pub async fn transfers_of(&self, member_id: MemberId) -> Result<Vec<Transfer>> {
        self.member(member_id).await?;
        let rows =
            all(&self.store.db, &format!("SELECT {COLS} FROM {FROM} WHERE t.member_id = $1 ORDER BY t.letter_on DESC, t.id DESC"), vec![member_id.into()])
                .await?;
        let all = rows.iter().map(|r| transfer_from_row(r, self)).collect::<Result<Vec<_>>>()?;
        // A member who came from, or went to, another scope: only the transfers this side took
        // part in.
        Ok(all.into_iter().filter(|t| t.outgoing || t.incoming).collect())
    }

    /// Transfers touching the scope, optionally one side and one state, newest letter first.
    pub async fn transfers(&self, direction: Direction, state: Option<TransferState>, offset: i64, limit: i64) -> Result<Page<Transfer>> {
        let mut vals: Vec<Value> = Vec::new();
        let side = |col: &str, vals: &mut Vec<Value>| -> String {
            match self.scope.path_range() {
                None => format!("{col} IS NOT NULL"),
                Some((lo, hi)) => {
                    vals.push(lo.into());
                    vals.push(hi.into());
                    format!("({col} >= ${} AND {col} < ${})", vals.len() - 1, vals.len())
                }
            }
        };
        let mut cond = match direction {
            Direction::Both => {
                let a = side("fo.path", &mut vals);
                let b = side("tr.path", &mut vals);
                format!("({a} OR {b})")
            }
            Direction::Incoming => side("tr.path", &mut vals),
            Direction::Outgoing => side("fo.path", &mut vals),
        };
        if let Some(st) = state {
            vals.push(st.code().into());
            cond.push_str(&format!(" AND t.state = ${}", vals.len()));
        }
        let total = one(&self.store.db, &format!("SELECT COUNT(*) AS n FROM {FROM} WHERE {cond}"), vals.clone()).await?.ok_or(StoreError::NotFound)?;
        let total: i64 = get(&total, "n")?;
        vals.push(limit.into());
        vals.push(offset.into());
        let sql = format!("SELECT {COLS} FROM {FROM} WHERE {cond} ORDER BY t.letter_on DESC, t.id DESC LIMIT ${} OFFSET ${}", vals.len() - 1, vals.len());
        let items = all(&self.store.db, &sql, vals).await?.iter().map(|r| transfer_from_row(r, self)).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, total, offset })
    }

    /// A pending transfer, its version claimed for an answer.
    async fn waiting(&self, ch: &Change<'_>, id: TransferId, version: i64, on: NaiveDate) -> Result<Transfer> {
        let t = load(&**ch, self, id).await?;
        ch.claim(Versioned::Transfer, id, version).await?;
        transfer::check_waiting(t.state).map_err(StoreError::field)?;
        transfer::check_answer_date(t.letter_on, on, ch.today()).map_err(StoreError::field)?;
        Ok(t)
    }
}

/// Records the receiving side's answer (the caller has claimed the version).
async fn answer<C: ConnectionTrait>(c: &C, t: &Transfer, state: TransferState, on: NaiveDate, cell: Option<OrgId>, note: Option<String>) -> Result<()> {
    exec(
        c,
        "UPDATE transfer SET state = $2, answered_on = $3, answered_cell = $4, answer_note = $5 WHERE id = $1",
        vec![t.id.into(), state.code().into(), on.into(), cell.into(), note.into()],
    )
    .await?;
    Ok(())
}
