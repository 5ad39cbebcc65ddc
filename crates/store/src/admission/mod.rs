//! Admission cases in the store: the candidate file, each step judged by the domain rules in
//! force on its date, and the member events the steps imply (admitted, made official, struck
//! off), all in one transaction with the audit entry. Scope follows the proposing cell.

pub(crate) mod todo;

use crate::kernel::sql::{all, exec, get, one, valid_at};
use crate::kernel::{Audit, Versioned};
use crate::member::{EventDetails, Page, append_event, load_member, load_member_unscoped, org_path};
use crate::{Result, Scoped, StoreError};
use chibo_domain::admission::audit::AdmissionAction;
use chibo_domain::admission::{self, AdmissionCase, AdmissionId, CandidateFile, Decision, Effect, IntroducerFacts, Stage, Step, Vote, check_file};
use chibo_domain::error::{ErrorCode, FieldError};
use chibo_domain::member::{MemberChange, MemberEvent, MemberId, MemberStatus};
use chibo_domain::org::{OrgId, OrgPath};
use chibo_domain::scope::Rights;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde::Serialize;

/// A case with the names a list or page shows.
#[derive(Debug, Clone, Serialize)]
pub struct AdmissionRow {
    /// The case.
    pub case: AdmissionCase,
    /// The candidate's name.
    pub full_name: String,
    /// The cell's name.
    pub cell_name: String,
    /// The introducers' names.
    pub introducer_names: [String; 2],
    /// Declared shared workplaces of the introducers.
    pub workplaces: [Option<String>; 2],
}

const CASE_COLS: &str = "a.id, a.member_id, a.cell_id, a.certificate_no, a.certificate_on, a.applied_on, a.background_on, a.vetted_on, \
    a.introducer_1, a.introducer_2, a.known_since_1, a.known_since_2, a.workplace_1, a.workplace_2, a.vote_on, a.vote_for, a.vote_against, a.vote_total, \
    a.decision_no, a.decision_on, a.decision_by, a.ceremony_on, a.rvote_on, a.rvote_for, a.rvote_against, a.rvote_total, \
    a.rdecision_no, a.rdecision_on, a.rdecision_by, a.stage, a.version, m.full_name, o.name AS cell_name, o.path AS cell_path, \
    i1.full_name AS introducer_1_name, i2.full_name AS introducer_2_name, io1.path AS introducer_1_path, io2.path AS introducer_2_path";

/// The stages of a case still in progress (a partial unique index allows one per person).
pub(crate) const OPEN_STAGES: &str = "('candidate', 'voted', 'decided', 'probation', 'recognition_voted')";

const CASE_FROM: &str = "admission a JOIN member m ON m.id = a.member_id JOIN org o ON o.id = a.cell_id \
    JOIN member i1 ON i1.id = a.introducer_1 JOIN member i2 ON i2.id = a.introducer_2 JOIN org io1 ON io1.id = i1.org_id JOIN org io2 ON io2.id = i2.org_id";

fn vote(r: &QueryResult, p: &str) -> Result<Option<Vote>> {
    let on: Option<NaiveDate> = get(r, &format!("{p}_on"))?;
    let f: Option<i32> = get(r, &format!("{p}_for"))?;
    let a: Option<i32> = get(r, &format!("{p}_against"))?;
    let t: Option<i32> = get(r, &format!("{p}_total"))?;
    Ok(match (on, f, a, t) {
        (Some(on), Some(f), Some(a), Some(t)) => Some(Vote { on, votes_for: f as u32, votes_against: a as u32, official_total: t as u32 }),
        _ => None,
    })
}

fn decision(r: &QueryResult, p: &str) -> Result<Option<Decision>> {
    let on: Option<NaiveDate> = get(r, &format!("{p}_on"))?;
    let number: Option<String> = get(r, &format!("{p}_no"))?;
    let by: Option<String> = get(r, &format!("{p}_by"))?;
    Ok(match (on, number, by) {
        (Some(on), Some(number), Some(issued_by)) => Some(Decision { on, number, issued_by }),
        _ => None,
    })
}

fn row(r: &QueryResult, s: &Scoped<'_>) -> Result<AdmissionRow> {
    let stage: String = get(r, "stage")?;
    let case = AdmissionCase {
        id: get(r, "id")?,
        member_id: get(r, "member_id")?,
        cell: get(r, "cell_id")?,
        file: CandidateFile {
            certificate_no: get(r, "certificate_no")?,
            certificate_on: get(r, "certificate_on")?,
            applied_on: get(r, "applied_on")?,
            background_on: get(r, "background_on")?,
            vetted_on: get(r, "vetted_on")?,
            introducers: [get(r, "introducer_1")?, get(r, "introducer_2")?],
            known_since: [get(r, "known_since_1")?, get(r, "known_since_2")?],
        },
        vote: vote(r, "vote")?,
        decision: decision(r, "decision")?,
        ceremony_on: get(r, "ceremony_on")?,
        recognition_vote: vote(r, "rvote")?,
        recognition_decision: decision(r, "rdecision")?,
        stage: Stage::from_code(&stage).ok_or_else(|| StoreError::Db(sea_orm::DbErr::Custom("stored value out of range: stage".into())))?,
        version: get(r, "version")?,
    };
    Ok(AdmissionRow {
        case,
        full_name: get(r, "full_name")?,
        cell_name: get(r, "cell_name")?,
        introducer_names: [introducer_name(r, s, 1)?, introducer_name(r, s, 2)?],
        workplaces: [get(r, "workplace_1")?, get(r, "workplace_2")?],
    })
}

/// An introducer's name when the caller may read their record, else their number only.
fn introducer_name(r: &QueryResult, s: &Scoped<'_>, i: u8) -> Result<String> {
    let path: String = get(r, &format!("introducer_{i}_path"))?;
    if s.scope.covers(&OrgPath::from_stored(path)) {
        get(r, &format!("introducer_{i}_name"))
    } else {
        Ok(format!("đảng viên mã số {}", get::<i64>(r, &format!("introducer_{i}"))?))
    }
}

/// Official members of a cell on a date (the denominator of its votes).
pub(crate) async fn official_count<C: ConnectionTrait>(c: &C, cell: OrgId, on: NaiveDate) -> Result<u32> {
    let sql = format!("SELECT COUNT(*) AS n FROM member_span s WHERE s.org_id = $1 AND s.status = 'official' AND {}", valid_at("s", 2));
    let r = one(c, &sql, vec![cell.into(), on.into()]).await?.ok_or(StoreError::NotFound)?;
    Ok(get::<i64>(&r, "n")? as u32)
}

async fn introducer_facts<C: ConnectionTrait>(
    c: &C,
    s: &Scoped<'_>,
    field: &str,
    id: MemberId,
    on: NaiveDate,
    workplace: &Option<String>,
) -> Result<IntroducerFacts> {
    let not_found = || StoreError::field(FieldError::new(field, ErrorCode::NotFound));
    let m = load_member_unscoped(c, id).await.map_err(|e| match e {
        StoreError::NotFound => not_found(),
        e => e,
    })?;
    let sql = format!("SELECT s.org_id, s.status FROM member_span s WHERE s.member_id = $1 AND {}", valid_at("s", 2));
    let span = one(c, &sql, vec![id.into(), on.into()]).await?;
    let (cell, status) = match span {
        Some(r) => (Some(get::<OrgId>(&r, "org_id")?), MemberStatus::from_code(&get::<String>(&r, "status")?)),
        None => (None, None),
    };
    // An introducer from another organization (a shared workplace) is named in messages only
    // when the caller may read their record.
    let visible = s.scope.covers(&org_path(c, m.org_id).await?);
    let shared_workplace = workplace.as_deref().is_some_and(|w| !w.trim().is_empty());
    if !visible && !shared_workplace {
        // Someone the caller cannot read and does not claim to work with: as if not there.
        return Err(not_found());
    }
    // Official since the recognition date; for a member registered from earlier records
    // without that date, since the first day the records here show them official.
    let official_on = match m.official_on {
        Some(d) => Some(d),
        None => one(c, "SELECT MIN(valid_from) AS d FROM member_span WHERE member_id = $1 AND status = 'official'", vec![id.into()])
            .await?
            .map(|r| get::<Option<NaiveDate>>(&r, "d"))
            .transpose()?
            .flatten(),
    };
    Ok(IntroducerFacts {
        member_id: id,
        name: if visible { m.profile.full_name } else { format!("đảng viên mã số {id}") },
        status,
        official_on: official_on.filter(|o| *o <= on),
        cell,
        same_workplace: shared_workplace,
    })
}

async fn load_case<C: ConnectionTrait>(c: &C, s: &Scoped<'_>, id: AdmissionId) -> Result<AdmissionRow> {
    let r = one(c, &format!("SELECT {CASE_COLS} FROM {CASE_FROM} WHERE a.id = $1"), vec![id.into()]).await?.ok_or(StoreError::NotFound)?;
    if !s.scope.covers(&OrgPath::from_stored(get(&r, "cell_path")?)) {
        return Err(StoreError::NotFound);
    }
    row(&r, s)
}

fn opt_i32(v: Option<u32>) -> Value {
    v.map(|n| n as i32).into()
}

impl Scoped<'_> {
    /// Opens an admission case for a candidate of a cell in scope, after checking the file and
    /// the introducers by the rules in force on the application date.
    pub async fn open_admission(&self, member_id: MemberId, file: CandidateFile, workplaces: [Option<String>; 2]) -> Result<AdmissionRow> {
        // The rule book is read before the transaction (a pool of one connection would wait).
        let book = self.store.rule_book().await?;
        let ch = self.change(Rights::Members).await?;
        let txn = &*ch;
        let candidate = load_member(txn, member_id, self).await?;
        admission::check_can_open(candidate.status).map_err(StoreError::field)?;
        let open = one(txn, &format!("SELECT COUNT(*) AS n FROM admission WHERE member_id = $1 AND stage IN {OPEN_STAGES}"), vec![member_id.into()])
            .await?
            .ok_or(StoreError::NotFound)?;
        admission::check_none_in_progress(get::<i64>(&open, "n")? > 0).map_err(StoreError::field)?;
        let facts = [
            introducer_facts(txn, self, "introducer_1", file.introducers[0], file.applied_on, &workplaces[0]).await?,
            introducer_facts(txn, self, "introducer_2", file.introducers[1], file.applied_on, &workplaces[1]).await?,
        ];
        check_file(&book, member_id, candidate.profile.birth_date, candidate.org_id, &file, &facts, ch.today())?;
        let r = crate::kernel::sql::one(
            txn,
            "INSERT INTO admission (member_id, cell_id, certificate_no, certificate_on, applied_on, background_on, vetted_on, introducer_1, introducer_2, \
             known_since_1, known_since_2, workplace_1, workplace_2, stage, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'candidate', 1, $14) RETURNING id",
            vec![
                member_id.into(),
                candidate.org_id.into(),
                file.certificate_no.trim().into(),
                file.certificate_on.into(),
                file.applied_on.into(),
                file.background_on.into(),
                file.vetted_on.into(),
                file.introducers[0].into(),
                file.introducers[1].into(),
                file.known_since[0].into(),
                file.known_since[1].into(),
                workplaces[0].clone().into(),
                workplaces[1].clone().into(),
                ch.now().into(),
            ],
        )
        .await
        .map_err(|e| match e {
            // Two requests at once: the partial unique index keeps one open case.
            StoreError::Db(db) => {
                crate::error::map_unique(db, &[("ux_admission_open", admission::case_in_progress()), ("admission.member_id", admission::case_in_progress())])
            }
            e => e,
        })?
        .ok_or(StoreError::NotFound)?;
        let id: AdmissionId = get(&r, "id")?;
        let after = load_case(txn, self, id).await?;
        let path = org_path(txn, candidate.org_id).await?;
        ch.audit(Audit::of(AdmissionAction::Open, Some(id)).at(&path).after(&after.case)).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// One admission case in scope.
    pub async fn admission(&self, id: AdmissionId) -> Result<AdmissionRow> {
        load_case(&self.store.db, self, id).await
    }

    /// The latest admission case of a member in scope, if any.
    pub async fn admission_of(&self, member_id: MemberId) -> Result<Option<AdmissionRow>> {
        self.member(member_id).await?;
        let r = one(&self.store.db, &format!("SELECT {CASE_COLS} FROM {CASE_FROM} WHERE a.member_id = $1 ORDER BY a.id DESC LIMIT 1"), vec![member_id.into()])
            .await?;
        r.map(|r| row(&r, self)).transpose()
    }

    /// Admission cases in scope, optionally at one stage, oldest application first.
    pub async fn admissions(&self, stage: Option<Stage>, offset: i64, limit: i64) -> Result<Page<AdmissionRow>> {
        let mut vals: Vec<Value> = self.scope_values();
        let mut cond = self.scope_filter("o.path", 1);
        if let Some(st) = stage {
            vals.push(st.code().into());
            cond.push_str(&format!(" AND a.stage = ${}", vals.len()));
        }
        let total =
            one(&self.store.db, &format!("SELECT COUNT(*) AS n FROM {CASE_FROM} WHERE 1 = 1{cond}"), vals.clone()).await?.ok_or(StoreError::NotFound)?;
        let total: i64 = get(&total, "n")?;
        vals.push(limit.into());
        vals.push(offset.into());
        let sql = format!("SELECT {CASE_COLS} FROM {CASE_FROM} WHERE 1 = 1{cond} ORDER BY a.applied_on, a.id LIMIT ${} OFFSET ${}", vals.len() - 1, vals.len());
        let items = all(&self.store.db, &sql, vals).await?.iter().map(|r| row(r, self)).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, total, offset })
    }

    /// Takes the next step of a case (refused, with the reason, when the rules are not met)
    /// and records what it does to the member.
    pub async fn advance_admission(&self, id: AdmissionId, version: i64, step: Step) -> Result<AdmissionRow> {
        let book = self.store.rule_book().await?;
        let ch = self.change(Rights::Members).await?;
        let txn = &*ch;
        let before = load_case(txn, self, id).await?;
        ch.claim(Versioned::Admission, id, version).await?;
        // The person must still be on this cell's roll (and in the caller's scope).
        let member = load_member(txn, before.case.member_id, self).await?;
        admission::check_still_in_cell(&step, before.case.cell, member.org_id, &member.org_name).map_err(StoreError::field)?;
        if let Step::Vote { on, .. } = &step {
            admission::check_age(&book, "vote_on", member.profile.birth_date, *on).map_err(StoreError::field)?;
        }
        let official = official_count(txn, before.case.cell, step.on()).await?;
        let (next, effect) = before.case.advance(&book, &step, official, ch.today())?;
        let (change, on, d) = match (effect, &step) {
            (Effect::Admitted(on), Step::Decision { decision }) => (Some(MemberChange::Admitted { cell: before.case.cell }), on, Some(decision)),
            (Effect::MadeOfficial(on), Step::RecognitionDecision { decision }) => (Some(MemberChange::MadeOfficial), on, Some(decision)),
            (Effect::StruckOff(on), Step::RecognitionDecision { decision }) => (Some(MemberChange::StruckOff), on, Some(decision)),
            _ => (None, step.on(), None),
        };
        if let Some(change) = change {
            let details = EventDetails {
                decision_no: d.map(|d| d.number.trim().to_owned()),
                issued_by: d.map(|d| d.issued_by.trim().to_owned()),
                note: (effect == Effect::StruckOff(on)).then(|| "Chi bộ không đủ số tán thành công nhận đảng viên chính thức".to_owned()),
                until: None,
            };
            append_event(&ch, member.id, None, MemberEvent { on, change }, &details).await?;
        }
        exec(
            txn,
            "UPDATE admission SET vote_on = $2, vote_for = $3, vote_against = $4, vote_total = $5, decision_no = $6, decision_on = $7, decision_by = $8, \
             ceremony_on = $9, rvote_on = $10, rvote_for = $11, rvote_against = $12, rvote_total = $13, rdecision_no = $14, rdecision_on = $15, \
             rdecision_by = $16, stage = $17, background_on = $18, vetted_on = $19 WHERE id = $1",
            vec![
                id.into(),
                next.vote.map(|v| v.on).into(),
                opt_i32(next.vote.map(|v| v.votes_for)),
                opt_i32(next.vote.map(|v| v.votes_against)),
                opt_i32(next.vote.map(|v| v.official_total)),
                next.decision.as_ref().map(|d| d.number.trim().to_owned()).into(),
                next.decision.as_ref().map(|d| d.on).into(),
                next.decision.as_ref().map(|d| d.issued_by.trim().to_owned()).into(),
                next.ceremony_on.into(),
                next.recognition_vote.map(|v| v.on).into(),
                opt_i32(next.recognition_vote.map(|v| v.votes_for)),
                opt_i32(next.recognition_vote.map(|v| v.votes_against)),
                opt_i32(next.recognition_vote.map(|v| v.official_total)),
                next.recognition_decision.as_ref().map(|d| d.number.trim().to_owned()).into(),
                next.recognition_decision.as_ref().map(|d| d.on).into(),
                next.recognition_decision.as_ref().map(|d| d.issued_by.trim().to_owned()).into(),
                next.stage.code().into(),
                next.file.background_on.into(),
                next.file.vetted_on.into(),
            ],
        )
        .await?;
        let after = load_case(txn, self, id).await?;
        let path = org_path(txn, before.case.cell).await?;
        ch.audit(Audit::of(AdmissionAction::of_step(&step), Some(id)).at(&path).before(&before.case).after(&after.case)).await?;
        ch.commit().await?;
        Ok(after)
    }

    /// Official members of a cell in scope on a date.
    pub async fn cell_official_count(&self, cell: OrgId, on: NaiveDate) -> Result<u32> {
        self.org(cell).await?;
        official_count(&self.store.db, cell, on).await
    }
}
