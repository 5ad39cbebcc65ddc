//! The slow, independent count: every figure again from the spans with plain SQL aggregates.
//! It reads nothing the fast path writes, so a test comparing the two catches a wrong fact.

use super::Range;
use crate::db::Backend;
use crate::kernel::sql::valid_at;
use crate::kernel::sql::{all, get, one};
use crate::{Result, Store, StoreError};
use chibo_domain::calendar::OPEN_END;
use chibo_domain::committee::CommitteeList;
use chibo_domain::member::{Education, Gender, PoliticalTheory};
use chibo_domain::org::OrgKind;
use chibo_domain::stats::{MemberAttrs, Tally};
use chrono::NaiveDate;
use sea_orm::{DatabaseConnection, Value};

/// The year of a date column, as an integer, on either engine.
pub(crate) fn year_of(backend: Backend, col: &str) -> String {
    match backend {
        Backend::Sqlite => format!("CAST(substr({col}, 1, 4) AS INTEGER)"),
        Backend::Postgres => format!("CAST(EXTRACT(YEAR FROM {col}) AS BIGINT)"),
    }
}

/// Statuses a member is counted in (members and those in transit).
pub(crate) const COUNTED: &str = "('probationary', 'official', 'exempt', 'suspended', 'in_transit')";
/// Statuses that end membership.
pub(crate) const EXITS: &str = "('transferred_out', 'struck_off', 'expelled', 'left', 'deceased')";

/// Whether a member in status `status_col` (of member `m`) is probationary on the day bound to
/// `$d`: the one SQL form of [`chibo_domain::stats::Standing::of`], shared by the recount and the
/// lists behind the figures.
pub(crate) fn probationary_on(status_col: &str, d: usize) -> String {
    format!(
        "({status_col} = 'probationary' OR ({status_col} IN ('exempt', 'suspended') AND m.admitted_on IS NOT NULL AND (m.official_on IS NULL OR m.official_on > ${d})))"
    )
}

fn probationary(d: usize) -> String {
    probationary_on("ms.status", d)
}

/// Everything counted under the range on `as_of`, with the running totals of the flows.
pub(super) async fn tally(db: &DatabaseConnection, store: &Store, r: &Range, as_of: NaiveDate) -> Result<Tally> {
    let backend = store.backend();
    let mut t = Tally::default();
    let range = || -> Vec<Value> { vec![r.lo.clone().into(), r.hi.clone().into(), as_of.into()] };

    let sql = format!(
        "SELECT CASE WHEN ms.status = 'in_transit' THEN 'in_transit' WHEN {prob} THEN 'probationary' ELSE 'official' END AS standing, \
            m.gender, {by} AS birth_year, {ay} AS admit_year, m.ethnicity, m.religion, m.professional_education AS education, m.political_theory AS theory, \
            COUNT(*) AS n \
         FROM org_span os JOIN member_span ms ON ms.org_id = os.org_id AND {vms} JOIN member m ON m.id = ms.member_id \
         WHERE os.path >= $1 AND os.path < $2 AND {vos} AND ms.status IN {COUNTED} \
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8",
        prob = probationary(3),
        by = year_of(backend, "m.birth_date"),
        ay = year_of(backend, "m.admitted_on"),
        vms = valid_at("ms", 3),
        vos = valid_at("os", 3),
    );
    for row in all(db, &sql, range()).await? {
        let standing: String = get(&row, "standing")?;
        let n: i64 = get(&row, "n")?;
        t.bump(format!("standing:{standing}"), n);
        if standing == "in_transit" {
            continue;
        }
        let code = |c: &str| -> Result<String> { get(&row, c) };
        let bad = |what: &str| StoreError::Db(sea_orm::DbErr::Custom(format!("stored value out of range: {what}")));
        let attrs = MemberAttrs {
            gender: Gender::from_code(&code("gender")?).ok_or_else(|| bad("gender"))?,
            birth_year: i32::try_from(get::<i64>(&row, "birth_year")?).map_err(|_| bad("birth_date"))?,
            admit_year: get::<Option<i64>>(&row, "admit_year")?.and_then(|y| i32::try_from(y).ok()),
            ethnicity: code("ethnicity")?,
            religion: code("religion")?,
            education: Education::from_code(&code("education")?).ok_or_else(|| bad("education"))?,
            theory: PoliticalTheory::from_code(&code("theory")?).ok_or_else(|| bad("theory"))?,
        };
        t.add_member(&attrs, n);
    }

    let sql = format!(
        "SELECT s.kind, s.category, COUNT(*) AS n FROM org_span s WHERE s.path >= $1 AND s.path < $2 AND {} GROUP BY s.kind, s.category",
        valid_at("s", 3)
    );
    for row in all(db, &sql, range()).await? {
        let n: i64 = get(&row, "n")?;
        t.bump(format!("kind:{}", get::<String>(&row, "kind")?), n);
        t.bump(format!("category:{}", get::<String>(&row, "category")?), n);
    }

    let minimum = store.rule_book().await?.at(as_of).min_official_per_cell;
    let sql = format!(
        "SELECT COUNT(*) AS n FROM org_span s WHERE s.path >= $1 AND s.path < $2 AND {vs} AND s.kind IN ($4, $5) AND \
           (SELECT COUNT(*) FROM member_span ms JOIN member m ON m.id = ms.member_id \
            WHERE ms.org_id = s.org_id AND {vms} AND ms.status IN ('official', 'exempt', 'suspended') AND NOT {prob}) < $6",
        vs = valid_at("s", 3),
        vms = valid_at("ms", 3),
        prob = probationary(3),
    );
    let mut vals = range();
    vals.extend([OrgKind::Cell.code().into(), OrgKind::GrassrootsCell.code().into(), i64::from(minimum).into()]);
    let row = one(db, &sql, vals).await?.ok_or(StoreError::NotFound)?;
    t.bump("small_cells".into(), get(&row, "n")?);

    let c = crate::committee::counts(db, &r.lo, &r.hi, as_of).await?;
    for (list, n) in [
        (CommitteeList::Residential, c.residential_cells),
        (CommitteeList::VillageHead, c.secretary_village_heads),
        (CommitteeList::Term, c.with_term),
        (CommitteeList::Regulation, c.with_regulation),
    ] {
        t.bump(list.key().into(), n);
    }

    let rules = store.rule_book().await?.at(as_of).meeting.clone();
    for (figure, n) in crate::meeting::counts(db, &r.lo, &r.hi, as_of, &rules).await? {
        t.bump(figure.key(), n);
    }

    let (admitted, exited) = flows_between(db, r, None, as_of).await?;
    t.bump("flow:admission".into(), admitted);
    t.bump("flow:exit".into(), exited);
    Ok(t)
}

/// Admissions and exits under the range from `from` to `to` (both included).
pub(super) async fn flows(db: &DatabaseConnection, r: &Range, from: NaiveDate, to: NaiveDate) -> Result<(i64, i64)> {
    flows_between(db, r, Some(from), to).await
}

async fn flows_between(db: &DatabaseConnection, r: &Range, from: Option<NaiveDate>, to: NaiveDate) -> Result<(i64, i64)> {
    let from = from.unwrap_or(NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default());
    let vals = || -> Vec<Value> { vec![r.lo.clone().into(), r.hi.clone().into(), from.into(), to.into()] };
    // An admission: a counted span starting on the admission date, not continuing another.
    let sql = format!(
        "SELECT COUNT(*) AS n FROM member_span ms JOIN member m ON m.id = ms.member_id \
         WHERE ms.status IN {COUNTED} AND ms.valid_from = m.admitted_on AND ms.valid_from >= $3 AND ms.valid_from <= $4 \
           AND NOT EXISTS (SELECT 1 FROM member_span p WHERE p.member_id = ms.member_id AND p.valid_until = ms.valid_from AND p.status IN {COUNTED}) \
           AND EXISTS (SELECT 1 FROM org_span o WHERE o.org_id = ms.org_id AND o.valid_from <= ms.valid_from AND o.valid_until > ms.valid_from AND o.path >= $1 AND o.path < $2)"
    );
    let admitted: i64 = get(&one(db, &sql, vals()).await?.ok_or(StoreError::NotFound)?, "n")?;
    // An exit: a counted span ending into an exit status (or into nothing), under the path its
    // cell had on the last day.
    let sql = format!(
        "SELECT COUNT(*) AS n FROM member_span ms \
         WHERE ms.status IN {COUNTED} AND ms.valid_until <> $5 AND ms.valid_until >= $3 AND ms.valid_until <= $4 \
           AND NOT EXISTS (SELECT 1 FROM member_span n WHERE n.member_id = ms.member_id AND n.valid_from = ms.valid_until AND n.status NOT IN {EXITS}) \
           AND EXISTS (SELECT 1 FROM org_span o WHERE o.org_id = ms.org_id AND o.valid_from < ms.valid_until AND o.valid_until >= ms.valid_until AND o.path >= $1 AND o.path < $2)"
    );
    let mut v = vals();
    v.push(OPEN_END.into());
    let exited: i64 = get(&one(db, &sql, v).await?.ok_or(StoreError::NotFound)?, "n")?;
    Ok((admitted, exited))
}
