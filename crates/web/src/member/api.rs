//! Members: list and search (cursor-paged, Vietnamese order), read (with ETag), create with the
//! first event, replace the profile and record events (both with If-Match), read the events.

use crate::api::{ApiJson, ApiPath, ApiQuery, ApiResult, Caller, Problem, etag, if_match, limit};
use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chibo_domain::calendar::parse_date;
use chibo_domain::member::command::{CellChoice, FirstEvent, NewMember, NewMemberInput, RecordEventInput, RecordableEvent};
use chibo_domain::member::{Gender, MemberInput, MemberStatus};
use chibo_store::member::{Member, MemberCursor, MemberFilter};
use chibo_store::{Scoped, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A member's personal fields (Mẫu 2-HSĐV), as stored.
#[derive(Serialize, ToSchema)]
pub struct ProfileOut {
    pub full_name: String,
    pub other_name: Option<String>,
    /// `nam` or `nu`.
    pub gender: String,
    pub birth_date: NaiveDate,
    pub birth_place: Option<String>,
    pub home_town: Option<String>,
    pub ethnicity: String,
    pub religion: String,
    pub permanent_address: Option<String>,
    pub current_address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// 12 digits, leading zeros kept.
    pub cccd: Option<String>,
    pub card_number: Option<String>,
    pub occupation: Option<String>,
    pub general_education: Option<String>,
    pub professional_education: String,
    pub political_theory: String,
    pub party_position: Option<String>,
    pub government_position: Option<String>,
}

/// A member.
#[derive(Serialize, ToSchema)]
pub struct MemberOut {
    pub id: i64,
    pub profile: ProfileOut,
    /// Current (or last) cell.
    pub org_id: i64,
    pub org_name: String,
    /// candidate, probationary, official, exempt, suspended, transferred_out, struck_off,
    /// expelled, left, deceased.
    pub status: String,
    pub admitted_on: Option<NaiveDate>,
    pub official_on: Option<NaiveDate>,
    /// The version to send back in If-Match (also the ETag).
    pub version: i64,
    /// `true`: the member has since left your scope (a list of a past day or a period names
    /// them): identity numbers, addresses and contact details are withheld, and their record
    /// answers 404.
    pub elsewhere: bool,
}

fn member_out(m: Member) -> MemberOut {
    let p = m.profile;
    MemberOut {
        id: m.id,
        profile: ProfileOut {
            full_name: p.full_name,
            other_name: p.other_name,
            gender: p.gender.code().to_owned(),
            birth_date: p.birth_date,
            birth_place: p.birth_place,
            home_town: p.home_town,
            ethnicity: p.ethnicity,
            religion: p.religion,
            permanent_address: p.permanent_address,
            current_address: p.current_address,
            phone: p.phone,
            email: p.email,
            cccd: p.cccd.map(|c| c.as_str().to_owned()),
            card_number: p.card_number.map(|c| c.as_str().to_owned()),
            occupation: p.occupation,
            general_education: p.general_education,
            professional_education: p.professional_education.code().to_owned(),
            political_theory: p.political_theory.code().to_owned(),
            party_position: p.party_position,
            government_position: p.government_position,
        },
        org_id: m.org_id,
        org_name: m.org_name,
        status: m.status.code().to_owned(),
        admitted_on: m.admitted_on,
        official_on: m.official_on,
        version: m.version,
        elsewhere: m.elsewhere,
    }
}

/// A page of members.
#[derive(Serialize, ToSchema)]
pub struct MemberPage {
    pub items: Vec<MemberOut>,
    /// Every member of the list (all pages), when asked with `count=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Organization whose subtree to list; default the root of the scope.
    pub under: Option<i64>,
    /// Name words (diacritics and case ignored), a CCCD or a card number.
    pub q: Option<String>,
    /// One status; default all members (probationary, official, exempt, suspended).
    #[param(pattern = "^(candidate|probationary|official|exempt|suspended|transferred_out|struck_off|expelled|left|deceased)$")]
    pub status: Option<String>,
    /// `nam` or `nu`.
    #[param(pattern = "^(nam|nu)$")]
    pub gender: Option<String>,
    /// The roll as it stood on a date (yyyy-mm-dd): members of the subtree then, with their
    /// cell and status of that day.
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<String>,
    /// How members counted on the list's day, as the dashboard counts them (replaces `status`):
    /// official and probationary include the exempt and suspended of that standing.
    #[param(pattern = "^(official|probationary|in_transit)$")]
    pub standing: Option<String>,
    /// Born in this year or later (an age band's `years_from`).
    #[param(minimum = 1000, maximum = 9999)]
    pub birth_from: Option<i32>,
    /// Born in this year or earlier (an age band's `years_to`).
    #[param(minimum = 1000, maximum = 9999)]
    pub birth_to: Option<i32>,
    /// Admitted in this year or later (a party-age band's `years_from`).
    #[param(minimum = 1000, maximum = 9999)]
    pub admit_from: Option<i32>,
    /// Admitted in this year or earlier (a party-age band's `years_to`).
    #[param(minimum = 1000, maximum = 9999)]
    pub admit_to: Option<i32>,
    /// Ethnicity, as stored (a dashboard `ethnicity` code).
    pub ethnicity: Option<String>,
    /// Religion, as stored.
    pub religion: Option<String>,
    /// Professional education code.
    #[param(pattern = "^(none|so_cap|trung_cap|cao_dang|dai_hoc|thac_si|tien_si)$")]
    pub education: Option<String>,
    /// Political theory code.
    #[param(pattern = "^(none|so_cap|trung_cap|cao_cap|cu_nhan)$")]
    pub theory: Option<String>,
    /// Instead of the roll of a day: the people `admitted`, or who `exited` the party, while
    /// in a cell of the subtree, or who were `transferred_in` to it or `transferred_out` of it
    /// (once each, however many letters), from `flow_from` (default: 1 January of
    /// `flow_to`'s year) to `flow_to` (default: today).
    #[param(pattern = "^(admitted|exited|transferred_in|transferred_out)$")]
    pub flow: Option<String>,
    /// First day of the flow's period (yyyy-mm-dd).
    #[param(value_type = Option<String>, format = Date)]
    pub flow_from: Option<String>,
    /// Last day of the flow's period (yyyy-mm-dd).
    #[param(value_type = Option<String>, format = Date)]
    pub flow_to: Option<String>,
    /// `true`: also count every member of the list (`total`), like the dashboard's figure.
    pub count: Option<bool>,
    /// From `next_cursor` of the previous page.
    #[param(pattern = "^[^~]*~[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// Page size, 1 to 200.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// The drill-down part of a list's filter, checked.
fn drill(q: &ListQuery, today: chrono::NaiveDate) -> ApiResult<MemberFilter> {
    use chibo_domain::member::{Education, PoliticalTheory};
    use chibo_domain::stats::Standing;
    use chibo_store::member::Flow;
    let bad = |what: &str, v: &str| Problem::bad_request(format!("{what} «{v}» không có"));
    let code = |what: &str, v: &Option<String>, parse: &dyn Fn(&str) -> bool| match v.as_deref() {
        Some(s) if !parse(s) => Err(bad(what, s)),
        _ => Ok(()),
    };
    code("standing", &q.standing, &|s| Standing::from_code(s).is_some())?;
    code("education", &q.education, &|s| Education::from_code(s).is_some())?;
    code("theory", &q.theory, &|s| PoliticalTheory::from_code(s).is_some())?;
    let years = |from: Option<i32>, to: Option<i32>, what: &str| -> ApiResult<Option<(Option<i32>, i32)>> {
        for y in [from, to].into_iter().flatten() {
            if !(1000..=9999).contains(&y) {
                return Err(Problem::bad_request(format!("{what}: năm {y} không hợp lệ")));
            }
        }
        Ok(match (from, to) {
            (f, Some(t)) => Some((f, t)),
            (Some(f), None) => Some((Some(f), 9999)),
            (None, None) => None,
        })
    };
    // The period's days are checked whenever given, with or without `flow`.
    let day = |v: &Option<String>, name: &str| match v.as_deref() {
        None => Ok(None),
        Some(d) => parse_date(d).map(Some).ok_or_else(|| Problem::bad_request(format!("{name} «{d}» không hợp lệ (yyyy-mm-dd)"))),
    };
    let (flow_from, flow_to) = (day(&q.flow_from, "flow_from")?, day(&q.flow_to, "flow_to")?);
    let flow = match q.flow.as_deref() {
        None => None,
        Some(f) => {
            let kind = Flow::from_code(f).ok_or_else(|| bad("flow", f))?;
            // As the dashboard's flows: to today, from 1 January of the last day's year.
            let to = flow_to.unwrap_or(today);
            let from = flow_from.unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&to), 1, 1).unwrap_or(to));
            Some((kind, from, to))
        }
    };
    Ok(MemberFilter {
        standing: q.standing.as_deref().and_then(Standing::from_code),
        birth_years: years(q.birth_from, q.birth_to, "birth")?,
        admit_years: years(q.admit_from, q.admit_to, "admit")?,
        ethnicity: q.ethnicity.clone(),
        religion: q.religion.clone(),
        education: q.education.as_deref().and_then(Education::from_code),
        theory: q.theory.as_deref().and_then(PoliticalTheory::from_code),
        flow,
        ..Default::default()
    })
}

fn encode_cursor(c: &MemberCursor) -> String {
    // The sort key is ASCII; the id follows a separator that never occurs in it.
    format!("{}~{}", c.sort_key.replace(' ', "_"), c.id)
}

fn decode_cursor(s: &str) -> ApiResult<MemberCursor> {
    let bad = || Problem::bad_request("cursor không hợp lệ");
    let (key, id) = s.rsplit_once('~').ok_or_else(bad)?;
    Ok(MemberCursor { sort_key: key.replace('_', " "), id: id.parse().map_err(|_| bad())? })
}

async fn default_root(caller: &Caller, store: &Scoped<'_>) -> ApiResult<i64> {
    match store.scope().root() {
        Some(r) => Ok(r),
        None => caller.app.store.root_orgs().await?.first().copied().ok_or_else(Problem::not_found),
    }
}

/// Members of a subtree in Vietnamese name order (given name first), filtered.
#[utoipa::path(get, path = "/api/v1/members", operation_id = "list_members", tag = "members", params(ListQuery),
    responses((status = 200, body = MemberPage), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn list(caller: Caller, ApiQuery(q): ApiQuery<ListQuery>) -> ApiResult<Json<MemberPage>> {
    let n = limit(q.limit)?;
    let store = caller.store()?;
    let under = match q.under {
        Some(u) => u,
        None => default_root(&caller, &store).await?,
    };
    let statuses = match q.status.as_deref() {
        None => vec![],
        Some(s) => vec![MemberStatus::from_code(s).ok_or_else(|| Problem::bad_request(format!("status «{s}» không có")))?],
    };
    let gender = match q.gender.as_deref() {
        None => None,
        Some(g) => Some(Gender::from_code(g).ok_or_else(|| Problem::bad_request(format!("gender «{g}» không có (nam hoặc nu)")))?),
    };
    let cursor = q.cursor.as_deref().map(decode_cursor).transpose()?;
    let as_of = match q.as_of.as_deref() {
        None => None,
        Some(d) => Some(crate::api::as_of(Some(d), caller.app.today())?),
    };
    let filter = MemberFilter { query: q.q.clone(), statuses, gender, as_of, ..drill(&q, caller.app.today())? };
    let total = match q.count {
        Some(true) => Some(store.list_members(under, &filter, 0, 1).await?.total),
        _ => None,
    };
    // One more than asked tells whether there is a next page.
    let mut items = store.members_after(under, &filter, cursor.as_ref(), i64::from(n) + 1).await?;
    let next_cursor = if items.len() > n as usize {
        items.truncate(n as usize);
        items.last().map(|m| encode_cursor(&MemberCursor::after(m)))
    } else {
        None
    };
    Ok(Json(MemberPage { items: items.into_iter().map(member_out).collect(), total, next_cursor }))
}

fn with_etag(m: Member, status: StatusCode) -> Response {
    let tag = etag(m.version);
    let mut r = (status, Json(member_out(m))).into_response();
    r.headers_mut().insert(header::ETAG, tag);
    r
}

/// One member, with its version as ETag.
#[utoipa::path(get, path = "/api/v1/members/{id}", operation_id = "get_member", tag = "members", params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberOut, headers(("ETag" = String, description = "The record's version, for If-Match"))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn get_member(caller: Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Response> {
    let m = match &caller.grant {
        chibo_store::account::Grant::OwnRecord(g) if g.member_id() == id => caller.app.store.own(g).member().await?,
        _ => caller.store()?.member(id).await?,
    };
    Ok(with_etag(m, StatusCode::OK))
}

/// The personal fields of a member, as text the way a form sends them (dates dd/mm/yyyy or
/// yyyy-mm-dd); omitted fields are empty.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ProfileIn {
    #[schema(min_length = 1, max_length = 100)]
    pub full_name: String,
    #[schema(max_length = 100)]
    pub other_name: String,
    /// `nam` or `nu`.
    #[schema(pattern = "^(nam|nu)$")]
    pub gender: String,
    /// yyyy-mm-dd (dd/mm/yyyy is accepted too); the person must be 16 to 120 years old.
    #[schema(format = Date)]
    pub birth_date: String,
    #[schema(max_length = 200)]
    pub birth_place: String,
    #[schema(max_length = 200)]
    pub home_town: String,
    /// Default Kinh.
    #[schema(max_length = 50)]
    pub ethnicity: String,
    /// Default Không.
    #[schema(max_length = 50)]
    pub religion: String,
    #[schema(max_length = 300)]
    pub permanent_address: String,
    #[schema(max_length = 300)]
    pub current_address: String,
    /// 9 to 11 digits, optionally after +84.
    #[schema(pattern = "^((\\+84)?[0-9]{9,11})?$")]
    pub phone: String,
    #[schema(max_length = 200)]
    pub email: String,
    /// Exactly 12 digits, leading zeros kept; empty if unknown.
    #[schema(pattern = "^([0-9]{12})?$")]
    pub cccd: String,
    /// 6 to 12 digits; empty if none yet.
    #[schema(pattern = "^([0-9]{6,12})?$")]
    pub card_number: String,
    #[schema(max_length = 100)]
    pub occupation: String,
    #[schema(max_length = 20)]
    pub general_education: String,
    /// none, so_cap, trung_cap, cao_dang, dai_hoc, thac_si, tien_si; default none.
    #[schema(pattern = "^(none|so_cap|trung_cap|cao_dang|dai_hoc|thac_si|tien_si)?$")]
    pub professional_education: String,
    /// none, so_cap, trung_cap, cao_cap, cu_nhan; default none.
    #[schema(pattern = "^(none|so_cap|trung_cap|cao_cap|cu_nhan)?$")]
    pub political_theory: String,
    #[schema(max_length = 200)]
    pub party_position: String,
    #[schema(max_length = 200)]
    pub government_position: String,
    /// Ngày vào Đảng of a member registered from earlier records (yyyy-mm-dd); on `PUT`,
    /// absent keeps it. A member admitted here has the date of the decision recorded.
    #[schema(format = Date)]
    pub admitted_on: Option<String>,
    /// Ngày chính thức of a member registered from earlier records, as `admitted_on`.
    #[schema(format = Date)]
    pub official_on: Option<String>,
}

impl ProfileIn {
    /// The party dates sent (each absent one as it is now), or None when neither was sent.
    fn party_dates(&self, current: (Option<NaiveDate>, Option<NaiveDate>)) -> ApiResult<Option<(Option<NaiveDate>, Option<NaiveDate>)>> {
        if self.admitted_on.is_none() && self.official_on.is_none() {
            return Ok(None);
        }
        let mut e = chibo_domain::error::ValidationErrors::new();
        let admitted = chibo_domain::calendar::optional_date(&mut e, "admitted_on", self.admitted_on.as_deref());
        let official = chibo_domain::calendar::optional_date(&mut e, "official_on", self.official_on.as_deref());
        if !e.is_empty() {
            return Err(Problem::invalid(&e));
        }
        Ok(Some((if self.admitted_on.is_some() { admitted } else { current.0 }, if self.official_on.is_some() { official } else { current.1 })))
    }
}

impl From<ProfileIn> for MemberInput {
    fn from(p: ProfileIn) -> MemberInput {
        MemberInput {
            full_name: p.full_name,
            other_name: p.other_name,
            gender: p.gender,
            birth_date: p.birth_date,
            birth_place: p.birth_place,
            home_town: p.home_town,
            ethnicity: p.ethnicity,
            religion: p.religion,
            permanent_address: p.permanent_address,
            current_address: p.current_address,
            phone: p.phone,
            email: p.email,
            cccd: p.cccd,
            card_number: p.card_number,
            occupation: p.occupation,
            general_education: p.general_education,
            professional_education: p.professional_education,
            political_theory: p.political_theory,
            party_position: p.party_position,
            government_position: p.government_position,
        }
    }
}

/// How a person's record here begins.
#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum FirstEventType {
    /// Kết nạp: a new probationary member.
    Admitted,
    /// Đối tượng kết nạp.
    Candidate,
    /// An existing official member entered from records.
    RegisteredOfficial,
    /// An existing probationary member entered from records.
    RegisteredProbationary,
    /// An official member arriving from outside this instance, with their letter.
    ArrivalOfficial,
    /// A probationary member arriving from outside this instance, with their letter.
    ArrivalProbationary,
}

/// The first event of a new record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstEventIn {
    #[serde(rename = "type")]
    pub kind: FirstEventType,
    /// yyyy-mm-dd (dd/mm/yyyy accepted too); not in the future, not before birth.
    #[schema(format = Date)]
    pub date: String,
    /// The cell.
    pub cell_id: i64,
    /// The decision's number (for an arrival: the letter's number).
    pub decision_no: Option<String>,
    /// For an arrival: the organization that issued the letter.
    pub origin: Option<String>,
    /// For an arrival: party fees paid through this month (mm/yyyy).
    pub fees_paid_through: Option<String>,
    /// For an arrival: the admission date the letter states; for a registration from
    /// earlier records: the admission date they give.
    #[schema(format = Date)]
    pub admitted_on: Option<String>,
    /// For an official member arriving or registered from records: the recognition date.
    #[schema(format = Date)]
    pub official_on: Option<String>,
}

/// A new member.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMemberIn {
    pub profile: ProfileIn,
    pub first_event: FirstEventIn,
}

impl FirstEventType {
    /// The domain's first event.
    fn domain(self) -> FirstEvent {
        match self {
            FirstEventType::Admitted => FirstEvent::Admitted,
            FirstEventType::Candidate => FirstEvent::Candidate,
            FirstEventType::RegisteredOfficial => FirstEvent::RegisteredOfficial,
            FirstEventType::RegisteredProbationary => FirstEvent::RegisteredProbationary,
            FirstEventType::ArrivalOfficial => FirstEvent::ArrivalOfficial,
            FirstEventType::ArrivalProbationary => FirstEvent::ArrivalProbationary,
        }
    }
}

/// The body's names of the first event's fields the command reports by the page's.
const NEW_NAMES: &[(&str, &str)] = &[
    ("first_event", "first_event.type"),
    ("event_date", "first_event.date"),
    ("cell", "first_event.cell_id"),
    ("org", "first_event.cell_id"),
    ("decision_no", "first_event.decision_no"),
    ("destination", "first_event.origin"),
    ("fees_paid_through", "first_event.fees_paid_through"),
    ("admitted_on", "first_event.admitted_on"),
    ("official_on", "first_event.official_on"),
];

/// Registers a person with their first event, in a cell of the scope.
#[utoipa::path(post, path = "/api/v1/members", operation_id = "create_member", tag = "members", request_body = NewMemberIn,
    responses((status = 201, body = MemberOut, headers(("ETag" = String), ("Location" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn create(caller: Caller, ApiJson(body): ApiJson<NewMemberIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    // The domain's command, the same the page parses into; errors name the page's fields.
    let e = body.first_event;
    // The party dates may come with the profile (the shape `PUT` takes) or the first event.
    let (admitted_on, official_on) = (e.admitted_on.or(body.profile.admitted_on.clone()), e.official_on.or(body.profile.official_on.clone()));
    let input = NewMemberInput {
        profile: body.profile.into(),
        first_event: e.kind.domain().code().to_owned(),
        date: e.date,
        cell: CellChoice::Found(e.cell_id),
        decision_no: e.decision_no.unwrap_or_default(),
        origin: e.origin.unwrap_or_default(),
        fees_paid_through: e.fees_paid_through.unwrap_or_default(),
        admitted_on,
        official_on,
    };
    let book = caller.app.store.rule_book().await?;
    let m = match input.validate(&book, caller.app.today()).map_err(|v| Problem::invalid_as(&v, NEW_NAMES))? {
        NewMember::Recorded { profile, first, decision_no, party_dates } => {
            store.register_member(profile, first, decision_no.as_deref(), party_dates).await.map_err(|e| Problem::from_store_as(e, NEW_NAMES))?
        }
        NewMember::Arrival { profile, cell, status, party_dates, letter } => {
            store.register_arrival(profile, cell, status, party_dates, letter).await.map_err(|e| Problem::from_store_as(e, NEW_NAMES))?.0
        }
    };
    let location = format!("/api/v1/members/{}", m.id);
    let mut r = with_etag(m, StatusCode::CREATED);
    if let Ok(v) = header::HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// Replaces a member's personal fields. Needs `If-Match` with the ETag read; a stale one gets
/// 412 and changes nothing.
#[utoipa::path(put, path = "/api/v1/members/{id}", operation_id = "update_member", tag = "members", request_body = ProfileIn,
    params(("id" = i64, Path, description = "Member id"), ("If-Match" = String, Header, description = "The ETag of the version edited")),
    responses((status = 200, body = MemberOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn update(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(body): ApiJson<ProfileIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let current = store.member(id).await?;
    // What was sent is judged before the precondition: a wrong body is a 422 whatever its ETag.
    let party_dates = body.party_dates((current.admitted_on, current.official_on))?;
    let input: MemberInput = body.into();
    let profile = input.validate(caller.app.today()).map_err(StoreError::Invalid)?;
    let version = if_match(&headers, current.version)?;
    let m = store.update_member(id, version, profile, party_dates).await?;
    Ok(with_etag(m, StatusCode::OK))
}

/// A recorded event.
#[derive(Serialize, ToSchema)]
pub struct EventOut {
    pub id: i64,
    pub date: NaiveDate,
    /// admitted, made_official, moved, registered, exempted, suspended, reinstated,
    /// transferred_out, struck_off, expelled, left, died, candidate_registered.
    #[serde(rename = "type")]
    pub kind: String,
    /// The cell the event names (admission, move, registration).
    pub cell_id: Option<i64>,
    pub cell_name: Option<String>,
    pub decision_no: Option<String>,
    pub recorded_by: String,
}

/// A member's events, oldest first.
#[utoipa::path(get, path = "/api/v1/members/{id}/events", operation_id = "member_events", tag = "members", params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = Vec<EventOut>), (status = 400, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn events(caller: Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<Vec<EventOut>>> {
    let list = match &caller.grant {
        chibo_store::account::Grant::OwnRecord(g) if g.member_id() == id => caller.app.store.own(g).history().await?,
        _ => caller.store()?.member_history(id).await?,
    };
    Ok(Json(
        list.into_iter()
            .map(|e| EventOut {
                id: e.id,
                date: e.on,
                kind: e.change.code().to_owned(),
                cell_id: e.change.cell(),
                cell_name: e.org_name,
                decision_no: e.decision_no,
                recorded_by: e.recorded_by,
            })
            .collect(),
    ))
}

/// An event after the first one: the events the pages record too (a transfer out is sent
/// with its letter, `POST /api/v1/members/{id}/transfers`; `admitted` is a readmission).
#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    MadeOfficial,
    Moved,
    Exempted,
    Suspended,
    Reinstated,
    StruckOff,
    Expelled,
    Left,
    Died,
    Admitted,
}

impl EventType {
    /// The domain's code of the event.
    fn code(self) -> &'static str {
        let e = match self {
            EventType::MadeOfficial => RecordableEvent::MadeOfficial,
            EventType::Moved => RecordableEvent::Moved,
            EventType::Exempted => RecordableEvent::Exempted,
            EventType::Suspended => RecordableEvent::Suspended,
            EventType::Reinstated => RecordableEvent::Reinstated,
            EventType::StruckOff => RecordableEvent::StruckOff,
            EventType::Expelled => RecordableEvent::Expelled,
            EventType::Left => RecordableEvent::Left,
            EventType::Died => RecordableEvent::Died,
            EventType::Admitted => RecordableEvent::Readmitted,
        };
        e.code()
    }
}

/// An event to record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventIn {
    #[serde(rename = "type")]
    pub kind: EventType,
    /// yyyy-mm-dd (dd/mm/yyyy accepted too); not in the future, not before birth.
    #[schema(format = Date)]
    pub date: String,
    /// The new cell (only for `moved` and `admitted`).
    pub cell_id: Option<i64>,
    pub decision_no: Option<String>,
    /// The committee that issued the decision.
    pub issued_by: Option<String>,
    /// The reason, a note.
    pub note: Option<String>,
    /// For `exempted` for a period: its last day (yyyy-mm-dd), after the event's date.
    #[schema(format = Date)]
    pub until: Option<String>,
}

/// The body's names of the fields an event's command and the store report by the page's.
const EVENT_NAMES: &[(&str, &str)] = &[("event_date", "date"), ("cell", "cell_id"), ("org", "cell_id"), ("event", "type")];

/// Records an event in a member's life. Needs `If-Match`; the state is re-derived from all
/// events and a sequence that breaks a rule is refused with nothing written.
#[utoipa::path(post, path = "/api/v1/members/{id}/events", operation_id = "record_member_event", tag = "members", request_body = EventIn,
    params(("id" = i64, Path, description = "Member id"), ("If-Match" = String, Header, description = "The ETag of the version edited")),
    responses((status = 200, body = MemberOut, headers(("ETag" = String))),
              (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 412, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 428, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn record_event(caller: Caller, ApiPath(id): ApiPath<i64>, headers: HeaderMap, ApiJson(body): ApiJson<EventIn>) -> ApiResult<Response> {
    let store = caller.store()?;
    let current = store.member(id).await?.version;
    // The domain's command, the same the page parses into.
    let input = RecordEventInput {
        event: body.kind.code().to_owned(),
        date: body.date,
        cell: body.cell_id.map_or(CellChoice::None, CellChoice::Found),
        decision_no: body.decision_no.unwrap_or_default(),
        issued_by: body.issued_by.unwrap_or_default(),
        note: body.note.unwrap_or_default(),
        until: body.until,
    };
    // The command and the store name the page's fields; a refusal names the body's.
    let cmd = input.validate().map_err(|v| Problem::invalid_as(&v, EVENT_NAMES))?;
    let version = if_match(&headers, current)?;
    let m = store.record_member_event_with(id, version, cmd.event, &cmd.details).await.map_err(|e| Problem::from_store_as(e, EVENT_NAMES))?;
    Ok(with_etag(m, StatusCode::OK))
}
