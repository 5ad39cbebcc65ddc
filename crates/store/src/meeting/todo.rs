//! The meetings' deadlines: a cell that has not held its regular meeting this month, a
//! planned meeting close to its day and not notified, minutes not signed in time, a member
//! absent without reason from consecutive meetings or as often in a year as the Statute
//! names as grounds for striking off (for the cell to consider: never automatic).

use super::{ABSENCE_ROLES, CELLS, HELD, day_literal, first_of_month};
use crate::kernel::sql::{all, get, valid_at};
use crate::todo::TodoContext;
use crate::{Result, Scoped};
use chibo_domain::todo::{Fact, FactKey, Subject, TodoItem, TodoKind};
use chrono::{Datelike, Days, NaiveDate};
use sea_orm::Value;
use std::collections::{BTreeMap, HashMap};

/// A member's absences without reason in one cell: their name, the cell's name, and each
/// meeting missed (its key and day).
type Absences = (String, String, Vec<(i64, NaiveDate)>);

/// The meetings' to-do items of the scope on `ctx.today`.
pub(crate) async fn items(s: &Scoped<'_>, ctx: &TodoContext<'_>) -> Result<Vec<TodoItem>> {
    let c = &s.store.db;
    let today = ctx.today;
    let rules = &ctx.book.at(today).meeting;
    let mut items = Vec::new();
    let org_item = |kind: TodoKind, subject: Subject, org_id: i64, org_name: &str, due: NaiveDate, facts: Vec<Fact>| TodoItem {
        kind,
        subject,
        person: None,
        name: org_name.to_owned(),
        org_id,
        org_name: org_name.to_owned(),
        due: Some(due),
        overdue: today > due,
        facts,
    };

    // Cells without their regular meeting this month: listed from the first of the month
    // while none is planned, and in any case once the rules' day has passed.
    let due = NaiveDate::from_ymd_opt(today.year(), today.month(), rules.regular_due_day.clamp(1, 28)).unwrap_or(today);
    let month = day_literal(first_of_month(today));
    let mut vals: Vec<Value> = vec![today.into()];
    let scope = s.scope_filter("s.path", 2);
    vals.extend(s.scope_values());
    let held_this_month =
        format!("EXISTS (SELECT 1 FROM meeting g WHERE g.org_id = s.org_id AND g.kind = 'thuong_ky' AND {HELD} AND g.held_on >= {month} AND g.held_on <= $1)");
    let planned_this_month = format!(
        "EXISTS (SELECT 1 FROM meeting g WHERE g.org_id = s.org_id AND g.kind = 'thuong_ky' AND g.state IN ('planned', 'notified') AND g.held_on >= {month})"
    );
    let waiting = if today > due { String::new() } else { format!(" AND NOT {planned_this_month}") };
    let sql = format!("SELECT s.org_id, s.name FROM org_span s WHERE {} AND {CELLS}{scope} AND NOT {held_this_month}{waiting}", valid_at("s", 1));
    for r in all(c, &sql, vals.clone()).await? {
        items.push(org_item(
            TodoKind::MeetingDue,
            Subject::Org(get(&r, "org_id")?),
            get(&r, "org_id")?,
            &get::<String>(&r, "name")?,
            due,
            vec![Fact::date(FactKey::Deadline, due)],
        ));
    }

    // Planned meetings not notified, from the rules' days before; held meetings not signed.
    let notice_from = today + Days::new(u64::from(rules.notice_days_before));
    let scope_o = s.scope_filter("o.path", 3);
    let mut mv: Vec<Value> = vec![today.into(), notice_from.into()];
    mv.extend(s.scope_values());
    let sql = format!(
        "SELECT g.id, g.org_id, g.state, g.held_on, o.name FROM meeting g JOIN org o ON o.id = g.org_id \
         WHERE ((g.state = 'planned' AND g.held_on >= $1 AND g.held_on <= $2) OR (g.state = 'held' AND g.held_on <= $1)){scope_o}"
    );
    for r in all(c, &sql, mv).await? {
        let held_on: NaiveDate = get(&r, "held_on")?;
        let (org_id, name): (i64, String) = (get(&r, "org_id")?, get(&r, "name")?);
        let subject = Subject::Meeting(get(&r, "id")?);
        let meeting_rules = &ctx.book.at(held_on).meeting;
        if get::<String>(&r, "state")? == "planned" {
            let due = held_on - Days::new(u64::from(meeting_rules.notice_days_before));
            items.push(org_item(TodoKind::MeetingNotNotified, subject, org_id, &name, due, vec![Fact::date(FactKey::MeetingOn, held_on)]));
        } else {
            let due = held_on + Days::new(u64::from(meeting_rules.minutes_within_days));
            items.push(org_item(TodoKind::MinutesUnsigned, subject, org_id, &name, due, vec![Fact::date(FactKey::MeetingOn, held_on)]));
        }
    }

    // Absences without reason at the regular meetings of this year, by member and cell.
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let mut av: Vec<Value> = vec![today.into(), year_start.into()];
    av.extend(s.scope_values());
    let sql = format!(
        "SELECT a.member_id, COALESCE(a.name, m.full_name) AS name, g.org_id, o.name AS org_name, g.id AS meeting_id, g.held_on \
         FROM meeting_attendee a LEFT JOIN member m ON m.id = a.member_id JOIN meeting g ON g.id = a.meeting_id \
         JOIN org o ON o.id = g.org_id \
         WHERE g.kind = 'thuong_ky' AND {HELD} AND g.held_on <= $1 AND g.held_on >= $2 AND {ABSENCE_ROLES} AND a.presence = 'vang_khong_ly_do' \
           AND a.member_id IS NOT NULL{scope_o} ORDER BY g.held_on"
    );
    let mut absences: BTreeMap<(i64, i64), Absences> = BTreeMap::new();
    for r in all(c, &sql, av).await? {
        let e = absences.entry((get(&r, "org_id")?, get(&r, "member_id")?)).or_insert_with(|| (String::new(), String::new(), Vec::new()));
        e.0 = get(&r, "name")?;
        e.1 = get(&r, "org_name")?;
        e.2.push((get(&r, "meeting_id")?, get(&r, "held_on")?));
    }
    // The last regular meetings of each cell with an absence: were the last ones all missed?
    let running = rules.absences_running.max(1) as usize;
    let mut last: HashMap<i64, Vec<i64>> = HashMap::new();
    for (org, _) in absences.keys() {
        if last.contains_key(org) {
            continue;
        }
        let ids = all(
            c,
            &format!("SELECT g.id FROM meeting g WHERE g.org_id = $1 AND g.kind = 'thuong_ky' AND {HELD} AND g.held_on <= $2 ORDER BY g.held_on DESC, g.id DESC LIMIT {running}"),
            vec![(*org).into(), today.into()],
        )
        .await?
        .iter()
        .map(|r| get::<i64>(r, "id"))
        .collect::<Result<Vec<_>>>()?;
        last.insert(*org, ids);
    }
    for ((org, member), (name, org_name, missed)) in &absences {
        let person = |kind: TodoKind, due: NaiveDate, n: usize| TodoItem {
            kind,
            subject: Subject::Member(*member),
            person: Some(*member),
            name: name.clone(),
            org_id: *org,
            org_name: org_name.clone(),
            due: Some(due),
            overdue: false,
            facts: vec![Fact::count(FactKey::Absences, n as i64), Fact::date(FactKey::MeetingOn, due)],
        };
        let last_ids = last.get(org).map(Vec::as_slice).unwrap_or_default();
        let latest = missed.last().map_or(today, |m| m.1);
        if last_ids.len() == running && last_ids.iter().all(|id| missed.iter().any(|m| m.0 == *id)) {
            items.push(person(TodoKind::AbsentRunning, latest, running));
        }
        if missed.len() as u32 >= rules.absences_strike_off.max(1) {
            items.push(person(TodoKind::AbsentRepeatedly, latest, missed.len()));
        }
    }
    Ok(items)
}
