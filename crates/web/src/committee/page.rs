//! The committee pages: an organization's committee on a day (who held which position, their
//! concurrent posts and duties, what is missing, which elected positions wait for the upper
//! level's approval), its terms, and the forms that record a term, a position, its approval
//! and its end, a duty, a concurrent post and the working regulation (typed in or as a
//! file). A cell secretary records their own cell's committee from a phone; every save comes
//! back to the committee with a line saying what was saved.
//!
//! Every form handler has the same shape through `crate::form`: read the record it is about
//! (`for_change`: not found outside the scope, refused to a read-only one), build the page
//! from a `Frame` and its fields, and answer a sent form with `save` and `answer` (back to
//! the committee, or the form again with its errors).

use super::form::{ApproveForm, CloseForm, DutyForm, EndPostForm, EndSeatForm, PostForm, RegulationForm, SeatForm, TermForm, version};
use crate::auth::{CsrfForm, CsrfUpload, Staff};
use crate::error::AppResult;
use crate::form::{Field, FormPage, Frame, PicksPartial, answer, for_change, save};
use crate::i18n::Lang;
use crate::view::pick;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_domain::calendar::{format_date, parse_date};
use chibo_domain::committee::command::{Picked, Upload};
use chibo_domain::committee::{DutyField, Position, PostKind, RegulationFile, SeatBasis, SeatEnd, SeatState};
use chibo_domain::error::{ErrorCode, FieldError, ValidationErrors};
use chibo_domain::org::{OrgCategory, OrgId};
use chibo_domain::scope::Rights;
use chibo_store::member::MemberFilter;
use serde::Deserialize;

/// A code's label in the user's language.
pub(crate) fn label<T: Copy>(lang: Lang, v: T, vi: fn(T) -> &'static str, en: fn(T) -> &'static str) -> &'static str {
    if lang == Lang::Vi { vi(v) } else { en(v) }
}

/// The choices of a select of codes, "— Chọn —" first.
pub(crate) fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    vi: fn(T) -> &'static str,
    en: fn(T) -> &'static str,
    lang: Lang,
) -> Vec<(String, String)> {
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
    /// Elected, and the upper level has not approved it yet (chờ chuẩn y).
    pub awaiting: bool,
    /// "Chuẩn y ngày 20/10/2025 (số 125-QĐ/ĐU)", once approved.
    pub approval: String,
    pub posts: Vec<String>,
    pub duties: Vec<String>,
}

/// A term in the list of terms.
pub struct TermLine {
    pub label: String,
    pub dates: String,
    pub link: String,
}

/// The working regulation in force, with the link to its file.
pub struct RegulationLine {
    pub text: String,
    /// (address, "Tải quy chế (PDF, 120 KB)").
    pub file: Option<(String, String)>,
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
    regulation: Option<RegulationLine>,
    seats: Vec<SeatLine>,
    problems: Vec<String>,
    terms: Vec<TermLine>,
    in_charge: Vec<String>,
    can_write: bool,
    open_term: bool,
    /// The committee of the day as a spreadsheet (the query string without its format).
    export_query: String,
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
    pub approve: &'static str,
    pub awaiting: &'static str,
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
    pub download_xlsx: &'static str,
    pub download_csv: &'static str,
    pub terms_xlsx: &'static str,
    pub terms_csv: &'static str,
    pub official: String,
}

#[derive(Deserialize, Default)]
pub(super) struct ShowQuery {
    on: Option<String>,
    saved: Option<String>,
    /// The seat a save was about (to name it in the line saying what was saved).
    seat: Option<i64>,
}

fn saved_text(lang: Lang, what: &str) -> Option<String> {
    Some(
        match what {
            "term" => pick(lang, "Đã lưu nhiệm kỳ.", "The term was saved."),
            "close" => pick(lang, "Đã ghi nhận kết thúc nhiệm kỳ; các chức vụ của nhiệm kỳ đã thôi từ ngày đó.", "The term was ended, with its positions."),
            "seat" => pick(lang, "Đã ghi nhận chức vụ.", "The position was saved."),
            "end" => pick(lang, "Đã ghi nhận thôi giữ chức.", "The end of the position was saved."),
            "approve" => pick(lang, "Đã lưu quyết định chuẩn y chức vụ.", "The approval of the position was saved."),
            "duty" => pick(lang, "Đã lưu phân công nhiệm vụ.", "The duty was saved."),
            "post" => pick(lang, "Đã lưu chức danh kiêm nhiệm.", "The concurrent post was saved."),
            "post_end" => pick(lang, "Đã ghi nhận thôi kiêm nhiệm.", "The end of the concurrent post was saved."),
            "regulation" => pick(lang, "Đã lưu quy chế làm việc.", "The working regulation was saved."),
            _ => return None,
        }
        .to_owned(),
    )
}

/// "PDF, 120 KB" / "DOCX, 1,5 MB": a file's kind and size as the page shows them.
pub(super) fn file_size_text(f: &RegulationFile) -> String {
    let kind = if f.media_type == "application/pdf" { "PDF" } else { "DOCX" };
    let size = if f.size >= 1024 * 1024 {
        format!("{:.1} MB", f.size as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} KB", f.size.div_ceil(1024).max(1))
    };
    format!("{kind}, {size}")
}

pub(super) async fn show(staff: Staff, Path(id): Path<OrgId>, Query(q): Query<ShowQuery>) -> AppResult<CommitteePage> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let on = q.on.as_deref().and_then(parse_date).unwrap_or_else(|| staff.today());
    let c = store.committee_on(id, on).await.map_err(|e| staff.auth.err(e))?;
    let terms = store.terms(id).await.map_err(|e| staff.auth.err(e))?;
    let in_charge = store.in_charge_of(id, on).await.map_err(|e| staff.auth.err(e))?;
    let mut saved = q.saved.as_deref().and_then(|w| saved_text(lang, w));
    // An approval says whose position it approved.
    if let (Some("approve"), Some(seat)) = (q.saved.as_deref(), q.seat.and_then(|id| c.seats.iter().find(|s| s.seat.id == id))) {
        saved = Some(match lang {
            Lang::Vi => format!(
                "Đã lưu quyết định chuẩn y chức vụ {} của đồng chí {}{}.",
                seat.title,
                seat.seat.full_name,
                seat.seat.approval_no.as_deref().map(|n| format!(" (số {n})")).unwrap_or_default()
            ),
            Lang::En => format!("The approval of {}'s position ({}) was saved.", seat.seat.full_name, seat.seat.position.label_en()),
        });
    }
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
            awaiting: s.seat.basis == SeatBasis::Elected && s.seat.approved_on.is_none(),
            approval: s
                .seat
                .approved_on
                .map(|d| {
                    let no = s.seat.approval_no.as_deref().map(|n| format!(" ({} {n})", pick(lang, "số", "no."))).unwrap_or_default();
                    format!("{} {}{no}", pick(lang, "Chuẩn y ngày", "Approved"), format_date(d))
                })
                .unwrap_or_default(),
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
        saved,
        term_id,
        term_label,
        term_dates,
        regulation: c.regulation.as_ref().map(|r| RegulationLine {
            text: format!("{} {} · {} {}", pick(lang, "Số", "No."), r.decision_no, pick(lang, "ban hành ngày", "adopted"), format_date(r.adopted_on)),
            file: r
                .file
                .as_ref()
                .map(|f| (format!("/regulations/{}/file", r.id), format!("{} ({})", pick(lang, "Tải quy chế", "Download"), file_size_text(f)))),
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
        export_query: format!("on={}", format_date(on)),
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
            approve: pick(lang, "Chuẩn y", "Approve"),
            awaiting: pick(lang, "Chờ chuẩn y", "Awaiting approval"),
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
            download_xlsx: pick(lang, "Tải Excel", "Download Excel"),
            download_csv: pick(lang, "Tải CSV", "Download CSV"),
            terms_xlsx: pick(lang, "Tải Excel các nhiệm kỳ", "Download the terms (Excel)"),
            terms_csv: pick(lang, "Tải CSV các nhiệm kỳ", "Download the terms (CSV)"),
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

/// The frame of a committee form: under "orgs", back to the organization's committee.
fn frame(lang: Lang, title: (&str, &str), lead: String, org: (OrgId, String), action: String, submit: (&str, &str), version: i64) -> Frame {
    Frame {
        nav: "orgs",
        title: if lang == Lang::Vi { title.0 } else { title.1 }.to_owned(),
        lead,
        back: format!("/orgs/{}/committee", org.0),
        back_label: org.1,
        action,
        submit: if lang == Lang::Vi { submit.0 } else { submit.1 }.to_owned(),
        version,
    }
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
    let lead = match lang {
        Lang::Vi => format!("{} · nhiệm kỳ đang có sẽ kết thúc vào ngày bắt đầu nhiệm kỳ mới", o.name),
        Lang::En => format!("{} · the running term ends when the new one starts", o.name),
    };
    let frame = frame(
        lang,
        ("Ghi nhận nhiệm kỳ mới", "Record a new term"),
        lead,
        (org, o.name),
        format!("/orgs/{org}/terms/new"),
        ("Lưu nhiệm kỳ", "Save the term"),
        0,
    );
    Ok(frame.page(staff, fields, errors))
}

pub(super) async fn term_form(staff: Staff, Path(org): Path<OrgId>) -> AppResult<FormPage> {
    let o = for_change(&staff, staff.store().org(org)).await?;
    let f = TermForm { village_head_expected: if o.category == OrgCategory::Residential { "1".into() } else { String::new() }, ..Default::default() };
    term_page(&staff, org, &f, &ValidationErrors::new()).await
}

pub(super) async fn open_term(staff: Staff, Path(org): Path<OrgId>, CsrfForm(f): CsrfForm<TermForm>) -> AppResult<Response> {
    let store = staff.store();
    let o = for_change(&staff, store.org(org)).await?;
    let book = staff.auth.app.store.rule_book().await.map_err(|e| staff.auth.err(e))?;
    let result = save(f.input().validate(o.kind, &book, staff.today()), async |t| store.open_term(org, t).await).await;
    answer(&staff, result, |_| to_committee(org, "term"), async |e| term_page(&staff, org, &f, &e).await).await
}

async fn close_page(staff: &Staff, term: i64, f: &CloseForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let t = staff.store().term(term).await.map_err(|e| staff.auth.err(e))?;
    let fields =
        vec![Field::date("term_end", &f.term_end, lang).required().hint(pick(lang, "Ngày đại hội nhiệm kỳ mới, dd/mm/yyyy", "The next congress's day"))];
    let lead = format!("{} · {}", t.org_name, t.term.label);
    let title = ("Kết thúc nhiệm kỳ", "End the term");
    Ok(frame(lang, title, lead, (t.term.org_id, t.org_name), format!("/terms/{term}/close"), title, t.term.version).page(staff, fields, errors))
}

pub(super) async fn close_form(staff: Staff, Path(term): Path<i64>) -> AppResult<FormPage> {
    for_change(&staff, staff.store().term(term)).await?;
    close_page(&staff, term, &CloseForm { term_end: format_date(staff.today()), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn close_term(staff: Staff, Path(term): Path<i64>, CsrfForm(f): CsrfForm<CloseForm>) -> AppResult<Response> {
    let store = staff.store();
    let t = for_change(&staff, store.term(term)).await?;
    let result = save(f.input().validate(&t.term, staff.today()), async |on| store.close_term(term, version(&f.version), on).await).await;
    answer(&staff, result, |_| to_committee(t.term.org_id, "close"), async |e| close_page(&staff, term, &f, &e).await).await
}

// --- Positions ---

/// How many matches a holder's search shows at once.
const PICKS: i64 = 20;

/// "Nguyễn Văn Thành · sinh 1958 · Chi bộ khu phố 3": a member as a picker shows them.
fn holder_label(m: &chibo_store::member::Member, lang: Lang) -> String {
    use chrono::Datelike;
    format!("{} · {} {} · {}", m.profile.full_name, pick(lang, "sinh", "born"), m.profile.birth_date.year(), m.org_name)
}

/// The organization's members matching a typed name (diacritics and case ignored), in
/// Vietnamese order: at most [`PICKS`], the total, and the line under them.
async fn holders_matching(staff: &Staff, org: OrgId, query: &str) -> AppResult<(Vec<chibo_store::member::Member>, Option<String>)> {
    let lang = staff.auth.lang;
    let query = query.trim();
    let filter = MemberFilter { query: Some(query.to_owned()).filter(|q| !q.is_empty()), ..Default::default() };
    let page = staff.store().list_members(org, &filter, 0, PICKS).await.map_err(|e| staff.auth.err(e))?;
    let more = page.total - page.items.len() as i64;
    let note = if page.items.is_empty() && !query.is_empty() {
        Some(match lang {
            Lang::Vi => format!("Không có đảng viên nào của tổ chức khớp «{query}»."),
            Lang::En => format!("No member of the organization matches «{query}»."),
        })
    } else if more > 0 {
        Some(match lang {
            Lang::Vi => format!("Còn {more} người nữa; hãy gõ thêm họ tên để thu hẹp."),
            Lang::En => format!("{more} more; type more of the name."),
        })
    } else {
        None
    };
    Ok((page.items, note))
}

/// The holder a sent seat form names: the member picked (read through the scope), or, when
/// none was picked, the only member whose name matches what was typed.
async fn holder_of(staff: &Staff, org: OrgId, f: &SeatForm) -> AppResult<Picked> {
    if let Ok(id) = f.seat_member.trim().parse::<i64>() {
        return Ok(match staff.store().member(id).await {
            Ok(m) => Picked::Found(m.id),
            Err(chibo_store::StoreError::NotFound) => Picked::NotFound,
            Err(e) => return Err(staff.auth.err(e)),
        });
    }
    if f.seat_member_q.trim().is_empty() {
        return Ok(Picked::None);
    }
    let (found, _) = holders_matching(staff, org, &f.seat_member_q).await?;
    Ok(match found.as_slice() {
        [] => Picked::NotFound,
        [one] => Picked::Found(one.id),
        _ => Picked::None,
    })
}

/// The holder's picker: what was typed, its matches, and the member already picked kept
/// among them.
async fn holder_field(staff: &Staff, term: i64, org: OrgId, f: &SeatForm) -> AppResult<Field> {
    let lang = staff.auth.lang;
    let (mut found, note) = holders_matching(staff, org, &f.seat_member_q).await?;
    if let Ok(id) = f.seat_member.trim().parse::<i64>()
        && !found.iter().any(|m| m.id == id)
        && let Ok(m) = staff.store().member(id).await
    {
        found.insert(0, m);
    }
    let matches = found.iter().map(|m| (m.id.to_string(), holder_label(m, lang))).collect();
    Ok(Field::picker("seat_member", &f.seat_member, &f.seat_member_q, matches, format!("/terms/{term}/holders"), lang)
        .required()
        .hint(pick(lang, "Gõ họ tên (có dấu hoặc không dấu) rồi chọn một người", "Type the name (diacritics optional), then pick one"))
        .note(note))
}

#[derive(Deserialize, Default)]
pub(super) struct HoldersQuery {
    #[serde(default)]
    seat_member_q: String,
}

/// The holder picker's matches for what was typed (htmx swaps them under the search box).
pub(super) async fn holders(staff: Staff, Path(term): Path<i64>, Query(q): Query<HoldersQuery>) -> AppResult<PicksPartial> {
    let t = for_change(&staff, staff.store().term(term)).await?;
    let f = SeatForm { seat_member_q: q.seat_member_q, ..Default::default() };
    Ok(PicksPartial { f: holder_field(&staff, term, t.term.org_id, &f).await? })
}

async fn seat_page(staff: &Staff, term: i64, f: &SeatForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let t = staff.store().term(term).await.map_err(|e| staff.auth.err(e))?;
    let kind = t.org_kind;
    let positions: Vec<Position> = Position::ALL.iter().copied().filter(|p| p.exists_in(kind)).collect();
    let mut pos_opts = vec![(String::new(), pick(lang, "— Chọn —", "— Choose —").to_owned())];
    pos_opts.extend(positions.iter().map(|p| (p.code().to_owned(), if lang == Lang::Vi { p.title_vi(kind).to_owned() } else { p.label_en().to_owned() })));
    let fields = vec![
        holder_field(staff, term, t.term.org_id, f).await?,
        Field::select("position", &f.position, pos_opts, lang).required(),
        Field::select("basis", &f.basis, options(SeatBasis::ALL, SeatBasis::code, SeatBasis::label_vi, SeatBasis::label_en, lang), lang).required(),
        Field::date("seat_from", &f.seat_from, lang).required(),
        Field::text("decision_number", &f.decision_number, lang),
        Field::date("approved_on", &f.approved_on, lang),
        Field::text("approval_no", &f.approval_no, lang),
        Field::text("note", &f.note, lang),
    ];
    let lead = format!("{} · {}", t.org_name, t.term.label);
    let title = ("Thêm chức vụ trong cấp ủy", "Add a committee position");
    let frame = frame(lang, title, lead, (t.term.org_id, t.org_name), format!("/terms/{term}/seats/new"), ("Lưu chức vụ", "Save the position"), 0);
    Ok(frame.page(staff, fields, errors))
}

pub(super) async fn seat_form(staff: Staff, Path(term): Path<i64>) -> AppResult<FormPage> {
    let t = for_change(&staff, staff.store().term(term)).await?;
    let f = SeatForm { basis: SeatBasis::Elected.code().into(), seat_from: format_date(t.term.starts_on), ..Default::default() };
    seat_page(&staff, term, &f, &ValidationErrors::new()).await
}

pub(super) async fn assign_seat(staff: Staff, Path(term): Path<i64>, CsrfForm(f): CsrfForm<SeatForm>) -> AppResult<Response> {
    let store = staff.store();
    let t = for_change(&staff, store.term(term)).await?;
    let holder = holder_of(&staff, t.term.org_id, &f).await?;
    let result = save(f.input(holder).validate(t.org_kind, &t.term, staff.today()), async |cmd| store.assign_seat(term, cmd).await).await;
    answer(&staff, result, |_| to_committee(t.term.org_id, "seat"), async |e| seat_page(&staff, term, &f, &e).await).await
}

async fn end_seat_page(staff: &Staff, seat: i64, f: &EndSeatForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let (s, t) = staff.store().seat(seat).await.map_err(|e| staff.auth.err(e))?;
    let fields = vec![
        Field::date("seat_until", &f.seat_until, lang).required(),
        Field::select("seat_end", &f.seat_end, options(SeatEnd::ALL, SeatEnd::code, SeatEnd::label_vi, SeatEnd::label_en, lang), lang).required(),
        Field::text("note", &f.note, lang),
    ];
    let lead = format!("{} · {} · {}", s.full_name, s.position.title_vi(t.org_kind), t.org_name);
    let frame =
        frame(lang, ("Thôi giữ chức vụ", "End a position"), lead, (t.term.org_id, t.org_name), format!("/seats/{seat}/end"), ("Lưu", "Save"), s.version);
    Ok(frame.page(staff, fields, errors))
}

pub(super) async fn end_seat_form(staff: Staff, Path(seat): Path<i64>) -> AppResult<FormPage> {
    for_change(&staff, staff.store().seat(seat)).await?;
    end_seat_page(&staff, seat, &EndSeatForm { seat_until: format_date(staff.today()), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn end_seat(staff: Staff, Path(seat): Path<i64>, CsrfForm(f): CsrfForm<EndSeatForm>) -> AppResult<Response> {
    let store = staff.store();
    let (s, t) = for_change(&staff, store.seat(seat)).await?;
    let result = save(f.input().validate(s.from, staff.today()), async |cmd| store.end_seat(seat, version(&f.version), cmd).await).await;
    answer(&staff, result, |_| to_committee(t.term.org_id, "end"), async |e| end_seat_page(&staff, seat, &f, &e).await).await
}

async fn approve_page(staff: &Staff, seat: i64, f: &ApproveForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let (s, t) = staff.store().seat(seat).await.map_err(|e| staff.auth.err(e))?;
    let fields = vec![
        Field::date("approved_on", &f.approved_on, lang).required(),
        Field::text("approval_no", &f.approval_no, lang).required().hint(pick(
            lang,
            "Quyết định của cấp ủy cấp trên, ví dụ: 125-QĐ/ĐU",
            "The upper committee's decision, e.g. 125-QĐ/ĐU",
        )),
    ];
    let lead = match lang {
        Lang::Vi => format!("{} · {} · {} · được bầu từ ngày {}", s.full_name, s.position.title_vi(t.org_kind), t.org_name, format_date(s.from)),
        Lang::En => format!("{} · {} · {} · elected from {}", s.full_name, s.position.label_en(), t.org_name, format_date(s.from)),
    };
    let title = ("Chuẩn y chức vụ", "Approve a position");
    let frame = frame(lang, title, lead, (t.term.org_id, t.org_name), format!("/seats/{seat}/approve"), ("Lưu chuẩn y", "Save the approval"), s.version);
    Ok(frame.page(staff, fields, errors))
}

pub(super) async fn approve_form(staff: Staff, Path(seat): Path<i64>) -> AppResult<FormPage> {
    let (s, _) = for_change(&staff, staff.store().seat(seat)).await?;
    let f =
        ApproveForm { approved_on: s.approved_on.map(format_date).unwrap_or_default(), approval_no: s.approval_no.unwrap_or_default(), ..Default::default() };
    approve_page(&staff, seat, &f, &ValidationErrors::new()).await
}

pub(super) async fn approve_seat(staff: Staff, Path(seat): Path<i64>, CsrfForm(f): CsrfForm<ApproveForm>) -> AppResult<Response> {
    let store = staff.store();
    let (s, t) = for_change(&staff, store.seat(seat)).await?;
    let result = save(f.input().validate(s.from, staff.today()), async |a| store.approve_seat(seat, version(&f.version), a).await).await;
    let done = |_| Redirect::to(&format!("/orgs/{}/committee?saved=approve&seat={seat}", t.term.org_id)).into_response();
    answer(&staff, result, done, async |e| approve_page(&staff, seat, &f, &e).await).await
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
    let fields = vec![
        Field::select("duty_field", &f.duty_field, options(DutyField::ALL, DutyField::code, DutyField::label_vi, DutyField::label_en, lang), lang).required(),
        Field::select("in_charge_of", &f.in_charge_of, orgs, lang),
        Field::textarea("duty_text", &f.duty_text, lang),
        Field::date("duty_from", &f.duty_from, lang).required(),
    ];
    let lead = format!("{} · {} · {}", s.full_name, s.position.title_vi(t.org_kind), t.org_name);
    let title = ("Phân công nhiệm vụ", "Assign a duty");
    let frame = frame(lang, title, lead, (t.term.org_id, t.org_name), format!("/seats/{seat}/duties/new"), ("Lưu phân công", "Save the duty"), 0);
    Ok(frame.page(staff, fields, errors))
}

pub(super) async fn duty_form(staff: Staff, Path(seat): Path<i64>) -> AppResult<FormPage> {
    let (s, _) = for_change(&staff, staff.store().seat(seat)).await?;
    duty_page(&staff, seat, &DutyForm { duty_from: format_date(s.from), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn assign_duty(staff: Staff, Path(seat): Path<i64>, CsrfForm(f): CsrfForm<DutyForm>) -> AppResult<Response> {
    let store = staff.store();
    let (s, t) = for_change(&staff, store.seat(seat)).await?;
    let (_, known) = org_choices(&staff, t.term.org_id).await?;
    let result = save(f.input(&known).validate(s.from, staff.today()), async |cmd| store.assign_duty(seat, cmd).await).await;
    answer(&staff, result, |_| to_committee(t.term.org_id, "duty"), async |e| duty_page(&staff, seat, &f, &e).await).await
}

// --- Concurrent posts ---

async fn post_page(staff: &Staff, member: i64, f: &PostForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let m = staff.store().member(member).await.map_err(|e| staff.auth.err(e))?;
    let fields = vec![
        Field::select("post_kind", &f.post_kind, options(PostKind::ALL, PostKind::code, PostKind::label_vi, PostKind::label_en, lang), lang).required(),
        Field::text("post_place", &f.post_place, lang).required().hint(pick(lang, "Ví dụ: Khu phố 3, phường Cửa Ông", "E.g. Khu phố 3, phường Cửa Ông")),
        Field::date("post_from", &f.post_from, lang).required(),
        Field::text("note", &f.note, lang),
    ];
    let lead = format!("{} · {}", m.profile.full_name, m.org_name);
    let title = ("Chức danh kiêm nhiệm", "Concurrent post");
    let frame = Frame { nav: "members", ..frame(lang, title, lead, (m.org_id, m.org_name), format!("/members/{member}/posts/new"), ("Lưu", "Save"), 0) };
    Ok(frame.page(staff, fields, errors))
}

pub(super) async fn post_form(staff: Staff, Path(member): Path<i64>) -> AppResult<FormPage> {
    for_change(&staff, staff.store().member(member)).await?;
    post_page(&staff, member, &PostForm { post_kind: PostKind::VillageHead.code().into(), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn record_post(staff: Staff, Path(member): Path<i64>, CsrfForm(f): CsrfForm<PostForm>) -> AppResult<Response> {
    let store = staff.store();
    let m = for_change(&staff, store.member(member)).await?;
    let result = save(f.input(member).validate(staff.today()), async |cmd| store.record_post(cmd).await).await;
    answer(&staff, result, |_| to_committee(m.org_id, "post"), async |e| post_page(&staff, member, &f, &e).await).await
}

async fn end_post_page(staff: &Staff, post: i64, f: &EndPostForm, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let p = staff.store().post(post).await.map_err(|e| staff.auth.err(e))?;
    let m = staff.store().member(p.member_id).await.map_err(|e| staff.auth.err(e))?;
    let fields = vec![Field::date("post_until", &f.post_until, lang).required()];
    let lead = format!("{} · {} {}", p.full_name, label(lang, p.kind, PostKind::label_vi, PostKind::label_en), p.place);
    let title = ("Thôi kiêm nhiệm", "End a concurrent post");
    let frame = Frame { nav: "members", ..frame(lang, title, lead, (m.org_id, m.org_name), format!("/posts/{post}/end"), ("Lưu", "Save"), p.version) };
    Ok(frame.page(staff, fields, errors))
}

pub(super) async fn end_post_form(staff: Staff, Path(post): Path<i64>) -> AppResult<FormPage> {
    for_change(&staff, staff.store().post(post)).await?;
    end_post_page(&staff, post, &EndPostForm { post_until: format_date(staff.today()), ..Default::default() }, &ValidationErrors::new()).await
}

pub(super) async fn end_post(staff: Staff, Path(post): Path<i64>, CsrfForm(f): CsrfForm<EndPostForm>) -> AppResult<Response> {
    let store = staff.store();
    let p = for_change(&staff, store.post(post)).await?;
    let result = save(f.input().validate("post_until", p.from, staff.today()), async |until| store.end_post(post, version(&f.version), until).await).await;
    let org = match &result {
        Ok(_) => store.member(p.member_id).await.map_err(|e| staff.auth.err(e))?.org_id,
        Err(_) => 0,
    };
    answer(&staff, result, |_| to_committee(org, "post_end"), async |e| end_post_page(&staff, post, &f, &e).await).await
}

// --- Working regulation ---

/// The regulation's form: its text typed, or a PDF or DOCX file within the rules' size; after
/// a refusal, a file that was sent must be chosen again (a browser cannot fill a file box).
async fn regulation_page(staff: &Staff, term: i64, f: &RegulationForm, sent: Option<&str>, errors: &ValidationErrors) -> AppResult<FormPage> {
    let lang = staff.auth.lang;
    let t = staff.store().term(term).await.map_err(|e| staff.auth.err(e))?;
    let book = staff.auth.app.store.rule_book().await.map_err(|e| staff.auth.err(e))?;
    let max = book.at(staff.today()).committee.regulation_max_bytes;
    let max = if max % (1024 * 1024) == 0 { format!("{} MB", max / (1024 * 1024)) } else { format!("{} KB", max.div_ceil(1024)) };
    let mut file_hint = match lang {
        Lang::Vi => format!("Văn bản PDF hoặc DOCX, tối đa {max}; có tệp thì không cần gõ nội dung"),
        Lang::En => format!("A PDF or DOCX document, at most {max}; with a file the text may stay empty"),
    };
    // A good file refused for another field's sake must be chosen again (the refused file's
    // own error says what is wrong with it).
    if let Some(name) = sent.filter(|_| errors.for_field("regulation_file").is_none()) {
        file_hint.push_str(&match lang {
            Lang::Vi => format!(". Tệp «{name}» chưa được lưu: hãy chọn lại tệp"),
            Lang::En => format!(". «{name}» was not saved: choose it again"),
        });
    }
    let fields = vec![
        Field::date("adopted_on", &f.adopted_on, lang).required(),
        Field::text("decision_number", &f.decision_number, lang).required().hint(pick(lang, "Ví dụ: 01-QĐ/CB", "E.g. 01-QĐ/CB")),
        Field::textarea("regulation_text", &f.regulation_text, lang).hint(pick(
            lang,
            "Gõ nội dung quy chế, hoặc tải tệp bên dưới",
            "Type the text, or upload a file below",
        )),
        Field::file("regulation_file", ".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document", lang)
            .hint(&file_hint),
    ];
    let lead = format!("{} · {}", t.org_name, t.term.label);
    let title = ("Ban hành quy chế làm việc", "Adopt the working regulation");
    let frame = frame(lang, title, lead, (t.term.org_id, t.org_name), format!("/terms/{term}/regulation"), ("Lưu quy chế", "Save the regulation"), 0);
    Ok(frame.page(staff, fields, errors))
}

pub(super) async fn regulation_form(staff: Staff, Path(term): Path<i64>) -> AppResult<FormPage> {
    for_change(&staff, staff.store().term(term)).await?;
    regulation_page(&staff, term, &RegulationForm { adopted_on: format_date(staff.today()), ..Default::default() }, None, &ValidationErrors::new()).await
}

/// A regulation sent as a form (typed text) or as multipart/form-data (with a file).
pub(super) async fn adopt_regulation(staff: Staff, Path(term): Path<i64>, sent: CsrfUpload<RegulationForm>) -> AppResult<Response> {
    let store = staff.store();
    let t = for_change(&staff, store.term(term)).await?;
    let book = staff.auth.app.store.rule_book().await.map_err(|e| staff.auth.err(e))?;
    let CsrfUpload { form: f, files, too_large } = sent;
    let file = files.into_iter().find(|u| u.field == "regulation_file").map(|u| Upload { name: u.name, bytes: u.bytes });
    let sent = file.as_ref().map(|u| u.name.clone()).filter(|n| !n.is_empty());
    let mut checked = f.input(file).validate(&t.term, &book, staff.today());
    let cut_off = too_large.is_some();
    if let Some((_, size)) = too_large {
        // Cut off by the body limit: the domain's message, with the size the body declared.
        let max = book.at(staff.today()).committee.regulation_max_bytes;
        let mut e = checked.err().unwrap_or_default();
        e.errors.retain(|x| !(x.field == "regulation_text" && x.code == ErrorCode::Required));
        e.push(FieldError::new("regulation_file", ErrorCode::FileTooLarge).with("size", size / 1024).with("max", max / 1024));
        checked = Err(e);
    }
    let result = save(checked, async |cmd| store.adopt_regulation(term, cmd).await).await;
    let mut r =
        answer(&staff, result, |_| to_committee(t.term.org_id, "regulation"), async |e| regulation_page(&staff, term, &f, sent.as_deref(), &e).await).await?;
    if cut_off {
        // The rest of the body was never read: the connection cannot carry another request.
        r.headers_mut().insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
    }
    Ok(r)
}

/// A working regulation's file, to users who may read its organization.
pub(super) async fn regulation_file(staff: Staff, Path(id): Path<i64>) -> AppResult<Response> {
    let (name, media, bytes) = staff.store().regulation_file(id).await.map_err(|e| staff.auth.err(e))?;
    Ok(crate::import::download(bytes, &name, &media))
}
