//! The committee pages: an organization's committee on a day (who held which position, their
//! concurrent posts and duties, what is missing), its terms, and the forms that record a
//! term, a position, its end, a duty, a concurrent post and the working regulation. A cell
//! secretary records their own cell's committee from a phone; every save comes back to the
//! committee with a line saying what was saved.

use super::form::{CloseForm, DutyForm, EndPostForm, EndSeatForm, PostForm, RegulationForm, SeatForm, TermForm, version};
use crate::auth::{CsrfForm, Staff};
use crate::error::AppResult;
use crate::form::{Field, FormPage, attach_errors, refusal};
use crate::i18n::Lang;
use crate::view::pick;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::{format_date, parse_date};
use chibo_domain::committee::{DutyField, Position, PostKind, SeatBasis, SeatEnd, SeatState};
use chibo_domain::error::ValidationErrors;
use chibo_domain::org::{OrgCategory, OrgId};
use chibo_domain::scope::Rights;
use chibo_store::StoreError;
use chibo_store::member::MemberFilter;
use serde::Deserialize;

fn label<T: Copy>(lang: Lang, v: T, vi: fn(T) -> &'static str, en: fn(T) -> &'static str) -> &'static str {
    if lang == Lang::Vi { vi(v) } else { en(v) }
}

fn options<T: Copy>(all: &[T], code: fn(T) -> &'static str, vi: fn(T) -> &'static str, en: fn(T) -> &'static str, lang: Lang) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), pick(lang, "— Chọn —", "— Choose —").to_owned())];
    out.extend(all.iter().map(|&v| (code(v).to_owned(), label(lang, v, vi, en).to_owned())));
    out
}

fn yes_no(lang: Lang) -> Vec<(String, String)> {
    vec![(String::new(), pick(lang, "Không", "No").to_owned()), ("1".into(), pick(lang, "Có", "Yes").to_owned())]
}

/// A seat's line on the committee page.
pub struct SeatLine {
    pub id: i64,
    pub member_id: i64,
    pub title: String,
    pub name: String,
    pub since: String,
    pub basis: String,
    pub state: String,
    pub suspended: bool,
    pub posts: Vec<String>,
    pub duties: Vec<String>,
}

/// A term in the list of terms.
pub struct TermLine {
    pub label: String,
    pub dates: String,
    pub link: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "committee/show.html")]
pub(super) struct CommitteePage {
    c: crate::auth::Chrome,
    title: String,
    org_id: OrgId,
    org_name: String,
    on: String,
    saved: Option<String>,
    term_id: i64,
    term_label: String,
    term_dates: String,
    regulation: Option<String>,
    seats: Vec<SeatLine>,
    problems: Vec<String>,
    terms: Vec<TermLine>,
    in_charge: Vec<String>,
    can_write: bool,
    open_term: bool,
    l: Labels,
}

/// The page's fixed words.
pub struct Labels {
    pub on_day: &'static str,
    pub show: &'static str,
    pub no_term: &'static str,
    pub record_term: &'static str,
    pub close_term: &'static str,
    pub add_seat: &'static str,
    pub end_seat: &'static str,
    pub add_duty: &'static str,
    pub add_post: &'static str,
    pub regulation: &'static str,
    pub no_regulation: &'static str,
    pub adopt: &'static str,
    pub terms: &'static str,
    pub in_charge: &'static str,
    pub position: &'static str,
    pub name: &'static str,
    pub since: &'static str,
    pub posts: &'static str,
    pub duties: &'static str,
    pub official: String,
}

#[derive(Deserialize, Default)]
pub(super) struct ShowQuery {
    on: Option<String>,
    saved: Option<String>,
}

fn saved_text(lang: Lang, what: &str) -> Option<String> {
    Some(
        match what {
            "term" => pick(lang, "Đã lưu nhiệm kỳ.", "The term was saved."),
            "close" => pick(lang, "Đã ghi nhận kết thúc nhiệm kỳ; các chức vụ của nhiệm kỳ đã thôi từ ngày đó.", "The term was ended, with its positions."),
            "seat" => pick(lang, "Đã ghi nhận chức vụ.", "The position was saved."),
            "end" => pick(lang, "Đã ghi nhận thôi giữ chức.", "The end of the position was saved."),
            "duty" => pick(lang, "Đã lưu phân công nhiệm vụ.", "The duty was saved."),
            "post" => pick(lang, "Đã lưu chức danh kiêm nhiệm.", "The concurrent post was saved."),
            "post_end" => pick(lang, "Đã ghi nhận thôi kiêm nhiệm.", "The end of the concurrent post was saved."),
            "regulation" => pick(lang, "Đã lưu quy chế làm việc.", "The working regulation was saved."),
            _ => return None,
        }
        .to_owned(),
    )
}

pub(super) async fn show(staff: Staff, Path(id): Path<OrgId>, Query(q): Query<ShowQuery>) -> AppResult<CommitteePage> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let on = q.on.as_deref().and_then(parse_date).unwrap_or_else(|| staff.today());
    let c = store.committee_on(id, on).await.map_err(|e| staff.auth.err(e))?;
    let terms = store.terms(id).await.map_err(|e| staff.auth.err(e))?;
    let in_charge = store.in_charge_of(id, on).await.map_err(|e| staff.auth.err(e))?;
    let seats = c
        .seats
        .iter()
        .map(|s| SeatLine {
            id: s.seat.id,
            member_id: s.seat.member_id,
            title: s.title.clone(),
            name: s.seat.full_name.clone(),
            since: format_date(s.seat.from),
            basis: label(lang, s.seat.basis, SeatBasis::label_vi, SeatBasis::label_en).to_owned(),
            state: match s.state {
                SeatState::Suspended => pick(lang, "Tạm đình chỉ chức vụ", "Suspended"),
                _ => "",
            }
            .to_owned(),
            suspended: s.state == SeatState::Suspended,
            posts: s
                .posts
                .iter()
                .map(|p| {
                    format!(
                        "{} {} ({} {})",
                        label(lang, p.kind, PostKind::label_vi, PostKind::label_en),
                        p.place,
                        pick(lang, "từ", "since"),
                        format_date(p.from)
                    )
                })
                .collect(),
            duties: s
                .duties
                .iter()
                .map(|d| {
                    let mut t = label(lang, d.field, DutyField::label_vi, DutyField::label_en).to_owned();
                    if !d.in_charge_names.is_empty() {
                        t.push_str(&format!(" · {} {}", pick(lang, "phụ trách", "in charge of"), d.in_charge_names.join(", ")));
                    }
                    if !d.text.is_empty() {
                        t.push_str(&format!(" · {}", d.text));
                    }
                    t
                })
                .collect(),
        })
        .collect();
    let (term_id, term_label, term_dates, open_term) = match &c.term {
        Some(t) => (
            t.id,
            t.label.clone(),
            format!(
                "{} {} · {} {}",
                pick(lang, "từ", "from"),
                format_date(t.starts_on),
                pick(lang, "dự kiến kết thúc", "planned end"),
                format_date(t.planned_end)
            ),
            t.ended_on.is_none(),
        ),
        None => (0, String::new(), String::new(), false),
    };
    Ok(CommitteePage {
        c: staff.auth.chrome("orgs", &format!("/orgs/{id}/committee")),
        title: pick(lang, "Cấp ủy và nhiệm kỳ", "Committee and terms").to_owned(),
        org_id: id,
        org_name: c.org_name.clone(),
        on: format_date(on),
        saved: q.saved.as_deref().and_then(|w| saved_text(lang, w)),
        term_id,
        term_label,
        term_dates,
        regulation: c.regulation.as_ref().map(|r| {
            let mut t = format!("{} {} · {} {}", pick(lang, "Số", "No."), r.decision_no, pick(lang, "ban hành ngày", "adopted"), format_date(r.adopted_on));
            if let Some(f) = &r.file {
                t.push_str(&format!(" · {}", f.name));
            }
            t
        }),
        seats,
        problems: c.shape.iter().map(|s| if lang == Lang::Vi { s.text_vi() } else { s.text_en() }).collect(),
        terms: terms
            .iter()
            .map(|t| TermLine {
                label: t.label.clone(),
                dates: match t.ended_on {
                    Some(e) => format!("{} – {}", format_date(t.starts_on), format_date(e)),
                    None => format!("{} {}", pick(lang, "từ", "since"), format_date(t.starts_on)),
                },
                link: format!("/orgs/{id}/committee?on={}", format_date(t.ended_on.and_then(|e| e.pred_opt()).unwrap_or(on).max(t.starts_on))),
            })
            .collect(),
        in_charge: in_charge
            .iter()
            .map(|x| {
                format!(
                    "{} {}, {} {}: {}",
                    x.title,
                    x.committee_org,
                    pick(lang, "đồng chí", ""),
                    x.duty.full_name,
                    label(lang, x.duty.field, DutyField::label_vi, DutyField::label_en)
                )
            })
            .collect(),
        can_write: staff.may(Rights::Members),
        open_term,
        l: Labels {
            on_day: pick(lang, "Vào ngày", "On"),
            show: pick(lang, "Xem", "Show"),
            no_term: pick(lang, "Chưa có nhiệm kỳ nào vào ngày này.", "No term on this day."),
            record_term: pick(lang, "Ghi nhận nhiệm kỳ mới", "Record a new term"),
            close_term: pick(lang, "Kết thúc nhiệm kỳ", "End the term"),
            add_seat: pick(lang, "Thêm chức vụ", "Add a position"),
            end_seat: pick(lang, "Thôi giữ chức", "End"),
            add_duty: pick(lang, "Phân công", "Assign a duty"),
            add_post: pick(lang, "Kiêm nhiệm", "Concurrent post"),
            regulation: pick(lang, "Quy chế làm việc", "Working regulation"),
            no_regulation: pick(lang, "Chưa ban hành quy chế làm việc của nhiệm kỳ.", "No working regulation for this term yet."),
            adopt: pick(lang, "Ban hành quy chế", "Adopt a regulation"),
            terms: pick(lang, "Các nhiệm kỳ", "Terms"),
            in_charge: pick(lang, "Cấp ủy cấp trên phụ trách", "In charge from the committee above"),
            position: pick(lang, "Chức vụ", "Position"),
            name: pick(lang, "Họ và tên", "Name"),
            since: pick(lang, "Từ ngày", "Since"),
            posts: pick(lang, "Kiêm nhiệm", "Concurrent posts"),
            duties: pick(lang, "Phân công nhiệm vụ", "Duties"),
            official: match lang {
                Lang::Vi => format!("{} đảng viên chính thức", c.official),
                Lang::En => format!("{} official members", c.official),
            },
        },
    })
}

fn to_committee(org: OrgId, saved: &str) -> Response {
    Redirect::to(&format!("/orgs/{org}/committee?saved={saved}")).into_response()
}

fn fail(staff: &Staff, e: StoreError) -> AppResult<ValidationErrors> {
    refusal(e).map_err(|e| staff.auth.err(e))
}

// --- Terms ---

async fn term_page(staff: &Staff, org: OrgId, f: &TermForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let o = staff.store().org(org).await.map_err(|e| staff.auth.err(e))?;
    let mut fields = vec![
        Field::date("term_start", &f.term_start, lang).required().hint(pick(lang, "Ngày đại hội, dd/mm/yyyy", "The congress's day, dd/mm/yyyy")),
        Field::date("term_planned_end", &f.term_planned_end, lang).hint(pick(lang, "Để trống: theo quy định về nhiệm kỳ", "Empty: by the rules")),
        Field::text("term_label", &f.term_label, lang).hint(pick(lang, "Để trống: «Nhiệm kỳ năm bắt đầu – năm kết thúc»", "Empty: from the years")),
        Field::text("term_planned_size", &f.term_planned_size, lang),
    ];
    if o.kind.holds_members() {
        fields.push(Field::select("term_pilot", &f.term_pilot, yes_no(lang), lang));
        fields.push(Field::select("village_head_expected", &f.village_head_expected, yes_no(lang), lang).label(pick(
            lang,
            "Bí thư chi bộ kiêm trưởng thôn, khu phố theo quy định",
            "The secretary is to be the village head",
        )));
    }
    let summary = attach_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("orgs", &format!("/orgs/{org}/terms/new")),
        title: pick(lang, "Ghi nhận nhiệm kỳ mới", "Record a new term").to_owned(),
        lead: match lang {
            Lang::Vi => format!("{} · nhiệm kỳ đang có sẽ kết thúc vào ngày bắt đầu nhiệm kỳ mới", o.name),
            Lang::En => format!("{} · the running term ends when the new one starts", o.name),
        },
        back: format!("/orgs/{org}/committee"),
        back_label: o.name,
        action: format!("/orgs/{org}/terms/new"),
        submit: pick(lang, "Lưu nhiệm kỳ", "Save the term").to_owned(),
        fields,
        errors: summary,
        version: 0,
    })
}

pub(super) async fn term_form(staff: Staff, Path(org): Path<OrgId>) -> AppResult<FormPage> {
    let o = staff.store().org(org).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let f = TermForm { village_head_expected: if o.category == OrgCategory::Residential { "1".into() } else { String::new() }, ..Default::default() };
    term_page(&staff, org, &f, &ValidationErrors::new()).await
}

pub(super) async fn open_term(staff: Staff, Path(org): Path<OrgId>, CsrfForm(f): CsrfForm<TermForm>) -> AppResult<Response> {
    let store = staff.store();
    let o = store.org(org).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let book = staff.auth.app.store.rule_book().await.map_err(|e| staff.auth.err(e))?;
    let result = match f.input().validate(o.kind, &book, staff.today()) {
        Ok(t) => store.open_term(org, t).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => Ok(to_committee(org, "term")),
        Err(e) => Ok(term_page(&staff, org, &f, &fail(&staff, e)?).await?.into_response()),
    }
}

async fn close_page(staff: &Staff, term: i64, f: &CloseForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let t = staff.store().term(term).await.map_err(|e| staff.auth.err(e))?;
    let mut fields =
        vec![Field::date("term_end", &f.term_end, lang).required().hint(pick(lang, "Ngày đại hội nhiệm kỳ mới, dd/mm/yyyy", "The next congress's day"))];
    let summary = attach_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("orgs", &format!("/terms/{term}/close")),
        title: pick(lang, "Kết thúc nhiệm kỳ", "End the term").to_owned(),
        lead: format!("{} · {}", t.org_name, t.term.label),
        back: format!("/orgs/{}/committee", t.term.org_id),
        back_label: t.org_name,
        action: format!("/terms/{term}/close"),
        submit: pick(lang, "Kết thúc nhiệm kỳ", "End the term").to_owned(),
        fields,
        errors: summary,
        version: t.term.version,
    })
}

pub(super) async fn close_form(staff: Staff, Path(term): Path<i64>) -> AppResult<FormPage> {
    staff.store().term(term).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    close_page(&staff, term, &CloseForm { term_end: format_date(staff.today()), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn close_term(staff: Staff, Path(term): Path<i64>, CsrfForm(f): CsrfForm<CloseForm>) -> AppResult<Response> {
    let store = staff.store();
    let t = store.term(term).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let result = match f.input().validate(&t.term, staff.today()) {
        Ok(on) => store.close_term(term, version(&f.version), on).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => Ok(to_committee(t.term.org_id, "close")),
        Err(e) => Ok(close_page(&staff, term, &f, &fail(&staff, e)?).await?.into_response()),
    }
}

// --- Positions ---

/// The organization's members to pick a holder from: (id, "Name · Cell"), Vietnamese order.
async fn member_choices(staff: &Staff, org: OrgId) -> AppResult<(Vec<(String, String)>, Vec<i64>)> {
    let lang = staff.auth.lang;
    let page = staff.store().list_members(org, &MemberFilter::default(), 0, 500).await.map_err(|e| staff.auth.err(e))?;
    let mut opts = vec![(String::new(), pick(lang, "— Chọn đảng viên —", "— Choose a member —").to_owned())];
    let ids = page.items.iter().map(|m| m.id).collect();
    opts.extend(page.items.into_iter().map(|m| (m.id.to_string(), format!("{} · {}", m.profile.full_name, m.org_name))));
    Ok((opts, ids))
}

async fn seat_page(staff: &Staff, term: i64, f: &SeatForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let t = staff.store().term(term).await.map_err(|e| staff.auth.err(e))?;
    let (members, _) = member_choices(staff, t.term.org_id).await?;
    let kind = t.org_kind;
    let positions: Vec<Position> = Position::ALL.iter().copied().filter(|p| p.exists_in(kind)).collect();
    let mut pos_opts = vec![(String::new(), pick(lang, "— Chọn —", "— Choose —").to_owned())];
    pos_opts.extend(positions.iter().map(|p| (p.code().to_owned(), if lang == Lang::Vi { p.title_vi(kind).to_owned() } else { p.label_en().to_owned() })));
    let mut fields = vec![
        Field::select("seat_member", &f.seat_member, members, lang).required(),
        Field::select("position", &f.position, pos_opts, lang).required(),
        Field::select("basis", &f.basis, options(SeatBasis::ALL, SeatBasis::code, SeatBasis::label_vi, SeatBasis::label_en, lang), lang).required(),
        Field::date("seat_from", &f.seat_from, lang).required(),
        Field::text("decision_number", &f.decision_number, lang),
        Field::date("approved_on", &f.approved_on, lang),
        Field::text("approval_no", &f.approval_no, lang),
        Field::text("note", &f.note, lang),
    ];
    let summary = attach_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("orgs", &format!("/terms/{term}/seats/new")),
        title: pick(lang, "Thêm chức vụ trong cấp ủy", "Add a committee position").to_owned(),
        lead: format!("{} · {}", t.org_name, t.term.label),
        back: format!("/orgs/{}/committee", t.term.org_id),
        back_label: t.org_name,
        action: format!("/terms/{term}/seats/new"),
        submit: pick(lang, "Lưu chức vụ", "Save the position").to_owned(),
        fields,
        errors: summary,
        version: 0,
    })
}

pub(super) async fn seat_form(staff: Staff, Path(term): Path<i64>) -> AppResult<FormPage> {
    let t = staff.store().term(term).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let f = SeatForm { basis: SeatBasis::Elected.code().into(), seat_from: format_date(t.term.starts_on), ..Default::default() };
    seat_page(&staff, term, &f, &ValidationErrors::new()).await
}

pub(super) async fn assign_seat(staff: Staff, Path(term): Path<i64>, CsrfForm(f): CsrfForm<SeatForm>) -> AppResult<Response> {
    let store = staff.store();
    let t = store.term(term).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let (_, known) = member_choices(&staff, t.term.org_id).await?;
    let result = match f.input(&known).validate(t.org_kind, &t.term, staff.today()) {
        Ok(cmd) => store.assign_seat(term, cmd).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => Ok(to_committee(t.term.org_id, "seat")),
        Err(e) => Ok(seat_page(&staff, term, &f, &fail(&staff, e)?).await?.into_response()),
    }
}

async fn end_seat_page(staff: &Staff, seat: i64, f: &EndSeatForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let (s, t) = staff.store().seat(seat).await.map_err(|e| staff.auth.err(e))?;
    let mut fields = vec![
        Field::date("seat_until", &f.seat_until, lang).required(),
        Field::select("seat_end", &f.seat_end, options(SeatEnd::ALL, SeatEnd::code, SeatEnd::label_vi, SeatEnd::label_en, lang), lang).required(),
        Field::text("note", &f.note, lang),
    ];
    let summary = attach_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("orgs", &format!("/seats/{seat}/end")),
        title: pick(lang, "Thôi giữ chức vụ", "End a position").to_owned(),
        lead: format!("{} · {} · {}", s.full_name, s.position.title_vi(t.org_kind), t.org_name),
        back: format!("/orgs/{}/committee", t.term.org_id),
        back_label: t.org_name,
        action: format!("/seats/{seat}/end"),
        submit: pick(lang, "Lưu", "Save").to_owned(),
        fields,
        errors: summary,
        version: s.version,
    })
}

pub(super) async fn end_seat_form(staff: Staff, Path(seat): Path<i64>) -> AppResult<FormPage> {
    staff.store().seat(seat).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    end_seat_page(&staff, seat, &EndSeatForm { seat_until: format_date(staff.today()), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn end_seat(staff: Staff, Path(seat): Path<i64>, CsrfForm(f): CsrfForm<EndSeatForm>) -> AppResult<Response> {
    let store = staff.store();
    let (s, t) = store.seat(seat).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let result = match f.input().validate(s.from, staff.today()) {
        Ok(cmd) => store.end_seat(seat, version(&f.version), cmd).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => Ok(to_committee(t.term.org_id, "end")),
        Err(e) => Ok(end_seat_page(&staff, seat, &f, &fail(&staff, e)?).await?.into_response()),
    }
}

// --- Duties ---

/// The sub-organizations a duty can be in charge of (the committee's organization's
/// children today).
async fn org_choices(staff: &Staff, org: OrgId) -> AppResult<(Vec<(String, String)>, Vec<i64>)> {
    let lang = staff.auth.lang;
    let kids = staff.store().children(org, staff.today()).await.map_err(|e| staff.auth.err(e))?;
    let mut opts = vec![(String::new(), pick(lang, "— Không —", "— None —").to_owned())];
    let ids = kids.iter().map(|k| k.id).collect();
    opts.extend(kids.into_iter().map(|k| (k.id.to_string(), k.name)));
    Ok((opts, ids))
}

async fn duty_page(staff: &Staff, seat: i64, f: &DutyForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let (s, t) = staff.store().seat(seat).await.map_err(|e| staff.auth.err(e))?;
    let (orgs, _) = org_choices(staff, t.term.org_id).await?;
    let mut fields = vec![
        Field::select("duty_field", &f.duty_field, options(DutyField::ALL, DutyField::code, DutyField::label_vi, DutyField::label_en, lang), lang).required(),
        Field::select("in_charge_of", &f.in_charge_of, orgs, lang),
        Field::textarea("duty_text", &f.duty_text, lang),
        Field::date("duty_from", &f.duty_from, lang).required(),
    ];
    let summary = attach_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("orgs", &format!("/seats/{seat}/duties/new")),
        title: pick(lang, "Phân công nhiệm vụ", "Assign a duty").to_owned(),
        lead: format!("{} · {} · {}", s.full_name, s.position.title_vi(t.org_kind), t.org_name),
        back: format!("/orgs/{}/committee", t.term.org_id),
        back_label: t.org_name,
        action: format!("/seats/{seat}/duties/new"),
        submit: pick(lang, "Lưu phân công", "Save the duty").to_owned(),
        fields,
        errors: summary,
        version: 0,
    })
}

pub(super) async fn duty_form(staff: Staff, Path(seat): Path<i64>) -> AppResult<FormPage> {
    let (s, _) = staff.store().seat(seat).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    duty_page(&staff, seat, &DutyForm { duty_from: format_date(s.from), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn assign_duty(staff: Staff, Path(seat): Path<i64>, CsrfForm(f): CsrfForm<DutyForm>) -> AppResult<Response> {
    let store = staff.store();
    let (s, t) = store.seat(seat).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let (_, known) = org_choices(&staff, t.term.org_id).await?;
    let result = match f.input(&known).validate(s.from, staff.today()) {
        Ok(cmd) => store.assign_duty(seat, cmd).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => Ok(to_committee(t.term.org_id, "duty")),
        Err(e) => Ok(duty_page(&staff, seat, &f, &fail(&staff, e)?).await?.into_response()),
    }
}

// --- Concurrent posts ---

async fn post_page(staff: &Staff, member: i64, f: &PostForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let m = staff.store().member(member).await.map_err(|e| staff.auth.err(e))?;
    let mut fields = vec![
        Field::select("post_kind", &f.post_kind, options(PostKind::ALL, PostKind::code, PostKind::label_vi, PostKind::label_en, lang), lang).required(),
        Field::text("post_place", &f.post_place, lang).required().hint(pick(lang, "Ví dụ: Khu phố 3, phường Cửa Ông", "E.g. Khu phố 3, phường Cửa Ông")),
        Field::date("post_from", &f.post_from, lang).required(),
        Field::text("note", &f.note, lang),
    ];
    let summary = attach_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("members", &format!("/members/{member}/posts/new")),
        title: pick(lang, "Chức danh kiêm nhiệm", "Concurrent post").to_owned(),
        lead: format!("{} · {}", m.profile.full_name, m.org_name),
        back: format!("/orgs/{}/committee", m.org_id),
        back_label: m.org_name,
        action: format!("/members/{member}/posts/new"),
        submit: pick(lang, "Lưu", "Save").to_owned(),
        fields,
        errors: summary,
        version: 0,
    })
}

pub(super) async fn post_form(staff: Staff, Path(member): Path<i64>) -> AppResult<FormPage> {
    staff.store().member(member).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    post_page(&staff, member, &PostForm { post_kind: PostKind::VillageHead.code().into(), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn record_post(staff: Staff, Path(member): Path<i64>, CsrfForm(f): CsrfForm<PostForm>) -> AppResult<Response> {
    let store = staff.store();
    let m = store.member(member).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let result = match f.input(member).validate(staff.today()) {
        Ok(cmd) => store.record_post(cmd).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => Ok(to_committee(m.org_id, "post")),
        Err(e) => Ok(post_page(&staff, member, &f, &fail(&staff, e)?).await?.into_response()),
    }
}

async fn end_post_page(staff: &Staff, post: i64, f: &EndPostForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let p = staff.store().post(post).await.map_err(|e| staff.auth.err(e))?;
    let m = staff.store().member(p.member_id).await.map_err(|e| staff.auth.err(e))?;
    let mut fields = vec![Field::date("post_until", &f.post_until, lang).required()];
    let summary = attach_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("members", &format!("/posts/{post}/end")),
        title: pick(lang, "Thôi kiêm nhiệm", "End a concurrent post").to_owned(),
        lead: format!("{} · {} {}", p.full_name, label(lang, p.kind, PostKind::label_vi, PostKind::label_en), p.place),
        back: format!("/orgs/{}/committee", m.org_id),
        back_label: m.org_name,
        action: format!("/posts/{post}/end"),
        submit: pick(lang, "Lưu", "Save").to_owned(),
        fields,
        errors: summary,
        version: p.version,
    })
}

pub(super) async fn end_post_form(staff: Staff, Path(post): Path<i64>) -> AppResult<FormPage> {
    staff.store().post(post).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    end_post_page(&staff, post, &EndPostForm { post_until: format_date(staff.today()), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn end_post(staff: Staff, Path(post): Path<i64>, CsrfForm(f): CsrfForm<EndPostForm>) -> AppResult<Response> {
    let store = staff.store();
    let p = store.post(post).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let result = match f.input().validate("post_until", p.from, staff.today()) {
        Ok(until) => store.end_post(post, version(&f.version), until).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => {
            let m = store.member(p.member_id).await.map_err(|e| staff.auth.err(e))?;
            Ok(to_committee(m.org_id, "post_end"))
        }
        Err(e) => Ok(end_post_page(&staff, post, &f, &fail(&staff, e)?).await?.into_response()),
    }
}

// --- Working regulation ---

async fn regulation_page(staff: &Staff, term: i64, f: &RegulationForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let t = staff.store().term(term).await.map_err(|e| staff.auth.err(e))?;
    let mut fields = vec![
        Field::date("adopted_on", &f.adopted_on, lang).required(),
        Field::text("decision_number", &f.decision_number, lang).required().hint(pick(lang, "Ví dụ: 01-QĐ/CB", "E.g. 01-QĐ/CB")),
        Field::textarea("regulation_text", &f.regulation_text, lang).required(),
    ];
    let summary = attach_errors(&mut fields, errors, lang);
    Ok(FormPage {
        c: staff.auth.chrome("orgs", &format!("/terms/{term}/regulation")),
        title: pick(lang, "Ban hành quy chế làm việc", "Adopt the working regulation").to_owned(),
        lead: format!("{} · {}", t.org_name, t.term.label),
        back: format!("/orgs/{}/committee", t.term.org_id),
        back_label: t.org_name,
        action: format!("/terms/{term}/regulation"),
        submit: pick(lang, "Lưu quy chế", "Save the regulation").to_owned(),
        fields,
        errors: summary,
        version: 0,
    })
}

pub(super) async fn regulation_form(staff: Staff, Path(term): Path<i64>) -> AppResult<FormPage> {
    staff.store().term(term).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    regulation_page(&staff, term, &RegulationForm { adopted_on: format_date(staff.today()), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn adopt_regulation(staff: Staff, Path(term): Path<i64>, CsrfForm(f): CsrfForm<RegulationForm>) -> AppResult<Response> {
    let store = staff.store();
    let t = store.term(term).await.map_err(|e| staff.auth.err(e))?;
    staff.require(Rights::Members)?;
    let book = staff.auth.app.store.rule_book().await.map_err(|e| staff.auth.err(e))?;
    let result = match f.input().validate(&t.term, &book, staff.today()) {
        Ok(cmd) => store.adopt_regulation(term, cmd).await,
        Err(v) => Err(StoreError::Invalid(v)),
    };
    match result {
        Ok(_) => Ok(to_committee(t.term.org_id, "regulation")),
        Err(e) => Ok(regulation_page(&staff, term, &f, &fail(&staff, e)?).await?.into_response()),
    }
}
