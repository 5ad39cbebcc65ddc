//! The demo's party work in progress, written through the store's own scoped calls after the
//! bulk load (so every record is audited like a user's): candidates at each step of admission
//! in Chi bộ khu phố 3 of phường Cửa Ông, transfers waiting for an answer, a temporary
//! transfer that has ended, and members who live in khu phố 3 under the residence rule. Dates
//! are counted back from today, so the to-do list always has real, current lines.
//!
//! Each admission that makes a new member is balanced by a death in the same cell, and each
//! transfer stays inside its district, so the totals of the articles still hold today (members
//! in transit counted beside the members).

use chibo_domain::admission::{CandidateFile, Decision, Step};
use chibo_domain::calendar::{add_months, format_date, sub_months};
use chibo_domain::member::{Gender, MemberChange, MemberEvent, MemberInput, MemberStatus};
use chibo_domain::org::OrgId;
use chibo_domain::transfer::LetterInput;
use chibo_store::member::{Member, MemberFilter};
use chibo_store::{Result, Scoped, Store, StoreError};
use chrono::{Datelike, Days, NaiveDate};

async fn cell(s: &Scoped<'_>, committee: &str, name: &str) -> Result<OrgId> {
    let parent = s.resolve_org(committee).await?;
    let kids = s.children(parent.id, s.today()).await?;
    kids.into_iter().find(|k| k.name == name).map(|k| k.id).ok_or(StoreError::NotFound)
}

/// Official members of a cell recognized at least two years ago, oldest first.
async fn officials(s: &Scoped<'_>, cell: OrgId, today: NaiveDate) -> Result<Vec<Member>> {
    let filter = MemberFilter { statuses: vec![MemberStatus::Official], ..Default::default() };
    let page = s.list_members(cell, &filter, 0, 200).await?;
    let cutoff = sub_months(today, 24);
    let mut v: Vec<Member> = page.items.into_iter().filter(|m| m.official_on.is_some_and(|o| o <= cutoff) && m.profile.party_position.is_none()).collect();
    v.sort_by_key(|m| (m.official_on, m.id));
    Ok(v)
}

async fn candidate(s: &Scoped<'_>, cell: OrgId, name: &str, gender: Gender, birth: &str, since: NaiveDate, today: NaiveDate) -> Result<Member> {
    let p = MemberInput {
        full_name: name.into(),
        gender: gender.code().into(),
        birth_date: birth.into(),
        permanent_address: "Khu phố 3, phường Cửa Ông, tỉnh Quảng Ninh".into(),
        current_address: "Khu phố 3, phường Cửa Ông, tỉnh Quảng Ninh".into(),
        occupation: "Công nhân".into(),
        ..Default::default()
    }
    .validate(today)?;
    s.create_member(p, MemberEvent { on: since, change: MemberChange::CandidateRegistered { cell } }, None).await
}

fn decision(on: NaiveDate, number: &str) -> Decision {
    Decision { on, number: number.into(), issued_by: "Đảng ủy phường Cửa Ông".into() }
}

/// Writes the scenario; returns the number of records it touched.
pub async fn load_life(store: &Store, today: NaiveDate) -> Result<usize> {
    let s = store.operator("demo");
    let book = store.rule_book().await?;
    let cal = store.working_calendar_with(&book, today).await?;
    let kp3 = cell(&s, "Đảng bộ phường Cửa Ông", "Chi bộ khu phố 3").await?;
    let kp5 = cell(&s, "Đảng bộ phường Cửa Ông", "Chi bộ khu phố 5").await?;
    let kp1 = cell(&s, "Đảng bộ phường Cửa Ông", "Chi bộ khu phố 1").await?;
    let old = officials(&s, kp3, today).await?;
    if old.len() < 6 {
        return Err(StoreError::NotFound);
    }
    let (i1, i2) = (old[0].id, old[1].id);
    let known = [NaiveDate::from_ymd_opt(2015, 3, 1).unwrap_or(today), NaiveDate::from_ymd_opt(2018, 9, 1).unwrap_or(today)];
    let mut touched = 0;

    // Four candidates, one at each step before probation ends.
    let steps: [(&str, Gender, &str, u32); 4] = [
        ("Trần Minh Khôi", Gender::Male, "14/02/2001", 0),
        ("Phạm Thu Hà", Gender::Female, "30/08/1999", 1),
        ("Vũ Đức Thắng", Gender::Male, "05/11/1996", 2),
        ("Lê Ngọc Ánh", Gender::Female, "22/06/1998", 3),
    ];
    for (k, (name, gender, birth, stage)) in steps.into_iter().enumerate() {
        // Later stages started earlier: the application 2, 3, 5 and 14 months ago.
        let applied = sub_months(today, [2, 3, 5, 14][k]);
        let c = candidate(&s, kp3, name, gender, birth, sub_months(applied, 4), today).await?;
        // The first candidate's certificate runs out within the month.
        let certificate_on = if stage == 0 { sub_months(today, book.at(today).certificate_validity_months) + Days::new(20) } else { sub_months(applied, 2) };
        let file = CandidateFile {
            certificate_no: format!("{}/GCN-TTCT", 120 + k),
            certificate_on,
            applied_on: applied,
            background_on: Some(applied + Days::new(10)),
            vetted_on: Some(applied + Days::new(25)),
            introducers: [i1, i2],
            known_since: known,
        };
        let mut case = s.open_admission(c.id, file, [None, None]).await?;
        touched += 2;
        if stage == 0 {
            continue;
        }
        let vote_on = applied + Days::new(35);
        let official = s.cell_official_count(kp3, vote_on).await?;
        case = s.advance_admission(case.case.id, case.case.version, Step::Vote { on: vote_on, votes_for: official, votes_against: 0 }).await?;
        touched += 1;
        if stage == 1 {
            continue;
        }
        // Decided 45 working days ago (ceremony overdue), or 11 months and a half ago.
        let decided = if stage == 2 {
            let mut d = today;
            while cal.working_days_between(d, today) < 45 {
                d = d.pred_opt().unwrap_or(d);
            }
            d
        } else {
            sub_months(today, 11) - Days::new(15)
        };
        case = s
            .advance_admission(case.case.id, case.case.version, Step::Decision { decision: decision(decided.max(vote_on), &format!("{}-QĐ/ĐU", 300 + k)) })
            .await?;
        touched += 1;
        // A death in the cell balances the new member.
        let leaver = &old[2 + k];
        let leaver = s.member(leaver.id).await?;
        s.record_member_event(leaver.id, leaver.version, MemberEvent { on: decided.max(vote_on), change: MemberChange::Died }, None).await?;
        touched += 1;
        if stage == 3 {
            // Probation runs from the ceremony: it ends within the month.
            s.advance_admission(case.case.id, case.case.version, Step::Ceremony { on: decided + Days::new(7) }).await?;
            touched += 1;
        }
    }

    // Transfers inside Cửa Ông: one waiting (sent from khu phố 5 to khu phố 1), one temporary
    // from khu phố 3 that ended last month and was not closed.
    let five = officials(&s, kp5, today).await?;
    if let Some(m) = five.first() {
        let letter_on = today - Days::new(12);
        let letter = LetterInput {
            kind: "permanent".into(),
            to_org: kp1.to_string(),
            letter_no: "41-GGT/ĐU".into(),
            letter_on: format_date(letter_on),
            fees_paid_through: format!("{:02}/{}", letter_on.month(), letter_on.year()),
            note: "Chuyển nơi cư trú".into(),
            ..Default::default()
        }
        .validate(&book, today)?;
        s.send_transfer(m.id, m.version, letter).await?;
        touched += 1;
    }
    if let Some(m) = old.get(7) {
        let m = s.member(m.id).await?;
        let from = sub_months(today, 7);
        let until = sub_months(today, 1);
        let letter = LetterInput {
            kind: "temporary".into(),
            to_org: kp5.to_string(),
            letter_no: "17-GGT/CB".into(),
            letter_on: format_date(from),
            fees_paid_through: format!("{:02}/{}", from.month(), from.year()),
            until: format_date(until.min(add_months(from, 12))),
            note: "Đi học tập trung".into(),
            ..Default::default()
        }
        .validate(&book, today)?;
        let t = s.send_transfer(m.id, m.version, letter).await?;
        s.accept_transfer(t.id, t.version, kp5, from + Days::new(3)).await?;
        touched += 2;
    }

    // Members who work elsewhere and live in khu phố 3: linked, with last year's comment.
    for m in five.iter().skip(1).take(3) {
        let link = s.link_residence(m.id, kp3, NaiveDate::from_ymd_opt(today.year() - 2, 1, 15).unwrap_or(today), "Tổ dân phố số 5, khu phố 3").await?;
        s.comment_residence(link.id, today.year() - 1, "Gương mẫu, tham gia đầy đủ sinh hoạt tổ dân phố; gia đình chấp hành tốt quy định nơi cư trú.").await?;
        touched += 2;
    }
    Ok(touched)
}
