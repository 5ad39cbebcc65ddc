//! Synthetic members: plausible profiles and life events, replayed through the domain rules
//! so that every generated row is one the interactive path would also accept.

use crate::names;
use chibo_domain::calendar::{add_months, years_between};
use chibo_domain::member::{CardNumber, Cccd, Education, Gender, MemberChange, MemberEvent, MemberProfile, MemberStatus, PoliticalTheory, replay};
use chibo_domain::org::OrgId;
use chibo_store::bulk::MemberRow;
use chrono::{Datelike, NaiveDate};
use rand::Rng;
use std::collections::HashMap;

/// Allocates unique CCCD numbers: 3-digit province of birth, century-and-gender digit, 2-digit
/// birth year, then a 6-digit serial (the real structure, with serials counted per prefix).
#[derive(Default)]
pub struct CccdAllocator {
    next: HashMap<String, u32>,
}

impl CccdAllocator {
    /// The next unused number for a person.
    pub fn allocate(&mut self, province_code: u32, gender: Gender, birth: NaiveDate) -> Option<Cccd> {
        let century_gender = match (birth.year() >= 2000, gender) {
            (false, Gender::Male) => 0,
            (false, Gender::Female) => 1,
            (true, Gender::Male) => 2,
            (true, Gender::Female) => 3,
        };
        let prefix = format!("{:03}{}{:02}", province_code % 1000, century_gender, birth.year() % 100);
        let serial = self.next.entry(prefix.clone()).or_insert(0);
        *serial += 1;
        if *serial > 999_999 {
            return None;
        }
        // Spread serials so that neighbours in a list do not look sequential.
        let spread = (u64::from(*serial) * 7_919) % 1_000_000;
        Cccd::parse(&format!("{prefix}{spread:06}")).ok()
    }
}

/// Context for generating people of one place.
pub struct PlaceContext<'a> {
    /// Province code (for CCCD prefixes).
    pub province_code: u32,
    /// Province short name ("Quảng Ninh").
    pub province_name: &'a str,
    /// Commune or ward names to draw home towns and addresses from.
    pub localities: &'a [String],
}

/// Options for one member.
pub struct MemberSpec {
    /// Cell at the reference date.
    pub cell: OrgId,
    /// Another cell the member may have come from (a transfer in the past).
    pub previous_cell: Option<OrgId>,
    /// Latest admission date allowed (so figures on a reference date are as planned).
    pub admitted_before: NaiveDate,
    /// Probationary on `admitted_before` (admitted in the 12 months before it).
    pub probationary_at_reference: bool,
    /// Made official after the reference date if still within the probation (for "today").
    pub recognize_after: Option<NaiveDate>,
    /// No event before this day (the cells must exist).
    pub not_before: NaiveDate,
    /// Admitted in the last 14 months before `admitted_before`, and, once the probation is
    /// over, recognized in time in most cases but not all (the cells' to-do lists).
    pub newcomer: bool,
}

/// Makes one member: profile, events and their replay.
pub fn member<R: Rng>(rng: &mut R, id: i64, spec: &MemberSpec, place: &PlaceContext<'_>, cccd: &mut CccdAllocator, today: NaiveDate) -> MemberRow {
    let female = rng.random_bool(0.36);
    let gender = if female { Gender::Female } else { Gender::Male };
    let reference = spec.admitted_before;
    let admitted_on = if spec.newcomer {
        reference - chrono::Days::new(rng.random_range(20..420))
    } else if spec.probationary_at_reference {
        reference - chrono::Days::new(rng.random_range(20..330))
    } else {
        // Admission year weighted towards recent decades, at least 13 months before reference.
        let years_back: i64 = match rng.random_range(0..100) {
            0..45 => rng.random_range(1..15),
            45..80 => rng.random_range(15..30),
            _ => rng.random_range(30..55),
        };
        reference - chrono::Days::new((years_back * 365 + rng.random_range(30..365)) as u64)
    };
    let admitted_on = admitted_on.max(spec.not_before);
    let age_at_admission = rng.random_range(19..42);
    let birth_date = admitted_on
        .with_day(1)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(age_at_admission * 12 + rng.random_range(0..12))))
        .map(|d| d + chrono::Days::new(rng.random_range(0..28)))
        .unwrap_or(admitted_on);
    let age = years_between(birth_date, today);
    let locality = place.localities.get(rng.random_range(0..place.localities.len().max(1))).cloned().unwrap_or_default();
    let home = place.localities.get(rng.random_range(0..place.localities.len().max(1))).cloned().unwrap_or_default();
    let address = names::street_address(rng, &locality, place.province_name);
    let political_theory = match rng.random_range(0..100) {
        0..40 => PoliticalTheory::Elementary,
        40..75 => PoliticalTheory::None,
        75..93 => PoliticalTheory::Intermediate,
        93..99 => PoliticalTheory::Advanced,
        _ => PoliticalTheory::Bachelor,
    };
    let professional_education = match rng.random_range(0..100) {
        0..20 => Education::None,
        20..30 => Education::Vocational,
        30..45 => Education::Intermediate,
        45..55 => Education::College,
        55..90 => Education::University,
        90..98 => Education::Master,
        _ => Education::Doctor,
    };
    let mut events: Vec<(MemberEvent, Option<String>)> = Vec::with_capacity(3);
    let first_cell = spec.previous_cell.unwrap_or(spec.cell);
    let decision = |rng: &mut R, on: NaiveDate| Some(format!("{}-QĐ/ĐU", rng.random_range(1..400) + on.year() % 7));
    events.push((MemberEvent { on: admitted_on, change: MemberChange::Admitted { cell: first_cell } }, decision(rng, admitted_on)));
    let official_on = add_months(admitted_on, 12) + chrono::Days::new(rng.random_range(0..25));
    let recognition = if spec.newcomer {
        // One in seven recognitions is late: the vote has not been held yet.
        Some(official_on).filter(|on| *on <= today && rng.random_bool(0.85))
    } else if spec.probationary_at_reference {
        spec.recognize_after.filter(|_| official_on <= today).map(|_| official_on)
    } else {
        Some(official_on)
    };
    if let Some(on) = recognition {
        events.push((MemberEvent { on, change: MemberChange::MadeOfficial }, decision(rng, on)));
    }
    if spec.previous_cell.is_some_and(|p| p != spec.cell) {
        let span = (reference - admitted_on).num_days().max(2);
        let on = admitted_on + chrono::Days::new(rng.random_range(1..span) as u64);
        events.push((MemberEvent { on, change: MemberChange::Moved { cell: spec.cell } }, None));
    }
    // The elderly are often exempt from activity (miễn sinh hoạt), still members.
    if age >= 75 && rng.random_bool(0.25) && recognition.is_some_and(|r| r < reference) {
        let last = events.last().map(|e| e.0.on).unwrap_or(admitted_on);
        let at_75 = birth_date.with_year(birth_date.year() + 75).unwrap_or(birth_date);
        let on = at_75.max(last + chrono::Days::new(1)).min(reference - chrono::Days::new(1));
        if on > last {
            events.push((MemberEvent { on, change: MemberChange::Exempted }, None));
        }
    }
    // Same-day order is kept (stable sort); replay needs date order.
    events.sort_by_key(|e| e.0.on);
    let profile = MemberProfile {
        full_name: names::person_name(rng, female),
        other_name: None,
        gender,
        birth_date,
        birth_place: Some(format!("{home}, {}", place.province_name)),
        home_town: Some(format!("{home}, {}", place.province_name)),
        ethnicity: names::ethnicity_for_region(rng, place.province_name).to_owned(),
        religion: names::religion(rng).to_owned(),
        permanent_address: Some(address.clone()),
        current_address: Some(address),
        phone: Some(names::phone(rng)),
        email: None,
        cccd: cccd.allocate(place.province_code, gender, birth_date),
        card_number: CardNumber::parse(&format!("{:09}", 100_000_000 + id)).ok(),
        occupation: Some(names::occupation(rng, age.max(0) as u32).to_owned()),
        general_education: Some("12/12".to_owned()),
        professional_education,
        political_theory,
        party_position: None,
        government_position: None,
    };
    let plain: Vec<MemberEvent> = events.iter().map(|(e, _)| e.clone()).collect();
    // Generated events always respect the rules; a failure here is a generator bug, so fall
    // back to the admission alone rather than emitting inconsistent rows.
    let history = replay(profile.birth_date, &plain, today).unwrap_or_else(|_| {
        events.truncate(1);
        replay(profile.birth_date, &plain[..1], today).unwrap_or_else(|e| panic!("generator produced an invalid admission: {e}"))
    });
    debug_assert!(history.state.status.is_member() || history.state.status == MemberStatus::Exempt);
    MemberRow { id, profile, events, history }
}

/// Splits `total` into `parts` positive integers that sum to `total`, each at least `min`,
/// with random variation around the mean (deterministic for the rng).
pub fn split<R: Rng>(rng: &mut R, total: u64, parts: usize, min: u64) -> Vec<u64> {
    if parts == 0 {
        return Vec::new();
    }
    let floor = min.min(total / parts as u64);
    let rest = total - floor * parts as u64;
    let weights: Vec<f64> = (0..parts).map(|_| 0.4 + rng.random::<f64>() * 1.2).collect();
    let sum: f64 = weights.iter().sum();
    let mut out: Vec<u64> = weights.iter().map(|w| floor + (rest as f64 * w / sum).floor() as u64).collect();
    let mut given: u64 = out.iter().sum();
    let mut i = 0;
    while given < total {
        out[i % parts] += 1;
        given += 1;
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn split_sums_exactly_and_respects_the_minimum() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for (total, parts, min) in [(10_379u64, 417usize, 3u64), (366, 45, 1), (7, 7, 1), (5, 3, 3)] {
            let v = split(&mut rng, total, parts, min);
            assert_eq!(v.iter().sum::<u64>(), total);
            assert_eq!(v.len(), parts);
            assert!(v.iter().all(|&x| x >= min.min(total / parts as u64)), "{v:?}");
        }
    }

    #[test]
    fn cccd_numbers_are_unique_and_structured() {
        let mut a = CccdAllocator::default();
        let birth = NaiveDate::from_ymd_opt(1962, 6, 15).unwrap();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..5_000 {
            let c = a.allocate(22, Gender::Female, birth).unwrap();
            assert!(c.as_str().starts_with("022162"), "{}", c.as_str());
            assert!(seen.insert(c.as_str().to_owned()));
        }
    }

    #[test]
    fn newcomers_are_recent_and_mostly_recognized_in_time() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let localities = vec!["Phường Cửa Ông".to_owned()];
        let place = PlaceContext { province_code: 22, province_name: "Quảng Ninh", localities: &localities };
        let mut cccd = CccdAllocator::default();
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let spec = MemberSpec {
            cell: 5,
            previous_cell: None,
            admitted_before: today,
            probationary_at_reference: false,
            recognize_after: None,
            not_before: NaiveDate::from_ymd_opt(2021, 11, 3).unwrap(),
            newcomer: true,
        };
        let (mut late, mut recognized) = (0, 0);
        for i in 0..1_000 {
            let m = member(&mut rng, i, &spec, &place, &mut cccd, today);
            let admitted = m.history.state.admitted_on.unwrap();
            assert!((today - admitted).num_days() < 420 && admitted < today);
            let due = chibo_domain::calendar::add_months(admitted, 12) + chrono::Days::new(25);
            match m.history.state.status {
                MemberStatus::Official => recognized += 1,
                MemberStatus::Probationary if due < today => late += 1,
                _ => {}
            }
        }
        assert!(recognized > 50 && late > 5 && late < recognized, "{recognized} recognized, {late} late");
    }

    #[test]
    fn generated_members_are_consistent_with_their_events() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let localities = vec!["Phường Cửa Ông".to_owned(), "Phường Cẩm Phả".to_owned()];
        let place = PlaceContext { province_code: 22, province_name: "Quảng Ninh", localities: &localities };
        let mut cccd = CccdAllocator::default();
        let reference = NaiveDate::from_ymd_opt(2021, 11, 2).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        for i in 0..2_000 {
            let spec = MemberSpec {
                cell: 5,
                previous_cell: (i % 10 == 0).then_some(6),
                admitted_before: reference,
                probationary_at_reference: i % 25 == 0,
                recognize_after: Some(reference),
                not_before: NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(),
                newcomer: false,
            };
            let m = member(&mut rng, i, &spec, &place, &mut cccd, today);
            let plain: Vec<_> = m.events.iter().map(|(e, _)| e.clone()).collect();
            assert_eq!(replay(m.profile.birth_date, &plain, today).unwrap(), m.history);
            let at_ref = chibo_domain::member::span_at(&m.history.spans, reference).expect("a member on the reference date");
            assert!(at_ref.status.is_member());
            assert_eq!(at_ref.cell, 5);
            assert_eq!(at_ref.status == MemberStatus::Probationary, spec.probationary_at_reference, "member {i}");
            assert!(m.events.iter().all(|(e, _)| e.on < reference || e.change == MemberChange::MadeOfficial));
        }
    }
}
