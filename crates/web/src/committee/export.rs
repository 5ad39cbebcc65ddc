//! The committee lists as spreadsheets, through the report writer the member lists use
//! (`chibo_import::report`): the committee as it stood on a day (each position with its
//! holder, first day, basis, decision, approval, duties and concurrent posts) and an
//! organization's terms, as .xlsx (real dates shown dd/mm/yyyy) or CSV with a BOM, under
//! the same heading block (organization, code, day, time of export).

use crate::auth::Staff;
use crate::error::{AppError, AppResult};
use crate::import::FormatQuery;
use axum::extract::{Path, Query};
use axum::response::Response;
use chibo_domain::calendar::{format_date, parse_date};
use chibo_domain::committee::{DutyField, PostKind, SeatBasis, SeatState};
use chibo_domain::org::OrgId;
use chibo_import::report::{Cell, Column, Format, Heading, Kind, ReportError, ReportWriter};
use serde::Deserialize;
use std::io::Cursor;

#[derive(Deserialize, Default)]
pub(super) struct DayQuery {
    #[serde(default)]
    on: String,
}

fn written(staff: &Staff, e: ReportError) -> AppError {
    match e {
        ReportError::Store(e) => staff.auth.err(e),
        other => AppError::Internal(staff.auth.lang, other.to_string()),
    }
}

/// The columns of the committee on a day.
fn committee_columns() -> Vec<Column> {
    vec![
        Column::new("STT", Kind::Number).width(6.0),
        Column::new("Chức vụ", Kind::Text).width(30.0),
        Column::new("Họ và tên", Kind::Text).width(28.0),
        Column::new("Từ ngày", Kind::Date),
        Column::new("Hình thức", Kind::Text).width(16.0),
        Column::new("Số quyết định", Kind::Text).width(18.0),
        Column::new("Ngày chuẩn y", Kind::Date),
        Column::new("Số quyết định chuẩn y", Kind::Text).width(22.0),
        Column::new("Tình trạng", Kind::Text).width(22.0),
        Column::new("Phân công nhiệm vụ", Kind::Text).width(48.0),
        Column::new("Kiêm nhiệm", Kind::Text).width(40.0),
    ]
}

/// The committee of an organization on a day (`?on=dd/mm/yyyy`, default today): the rows
/// the committee page shows, in its order.
pub(super) async fn committee(staff: Staff, Path(id): Path<OrgId>, Query(q): Query<DayQuery>, Query(f): Query<FormatQuery>) -> AppResult<Response> {
    let store = staff.store();
    let on = parse_date(&q.on).unwrap_or_else(|| staff.today());
    let c = store.committee_on(id, on).await.map_err(|e| staff.auth.err(e))?;
    let org = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    let format = Format::from_code(&f.format).unwrap_or(Format::Xlsx);
    let mut heading = Heading::new("DANH SÁCH CẤP ỦY", &c.org_name, &org.code, on);
    heading.notes.push((
        "Nhiệm kỳ".to_owned(),
        c.term.as_ref().map_or("Chưa có nhiệm kỳ vào ngày này".to_owned(), |t| format!("{} (từ ngày {})", t.label, format_date(t.starts_on))),
    ));
    let write = || -> Result<Vec<u8>, ReportError> {
        let mut w = ReportWriter::new(format, Cursor::new(Vec::new()), "Cấp ủy", &heading, committee_columns())?;
        for (n, s) in c.seats.iter().enumerate() {
            let duties: Vec<String> = s
                .duties
                .iter()
                .map(|d| {
                    let mut t = DutyField::label_vi(d.field).to_owned();
                    if !d.in_charge_names.is_empty() {
                        t.push_str(&format!(" · phụ trách {}", d.in_charge_names.join(", ")));
                    }
                    if !d.text.is_empty() {
                        t.push_str(&format!(" · {}", d.text));
                    }
                    t
                })
                .collect();
            let posts: Vec<String> = s.posts.iter().map(|p| format!("{} {} (từ {})", PostKind::label_vi(p.kind), p.place, format_date(p.from))).collect();
            let state = match s.state {
                SeatState::Suspended => "Tạm đình chỉ chức vụ",
                _ if s.seat.basis == SeatBasis::Elected && s.seat.approved_on.is_none() => "Chờ chuẩn y",
                _ => "Đang giữ chức",
            };
            let (duties, posts) = (duties.join("; "), posts.join("; "));
            w.push_row(&[
                Cell::count(n as i64 + 1),
                Cell::Text(&s.title),
                Cell::Text(&s.seat.full_name),
                Cell::Date(s.seat.from),
                Cell::Text(SeatBasis::label_vi(s.seat.basis)),
                Cell::Text(s.seat.decision_no.as_deref().unwrap_or("")),
                Cell::date(s.seat.approved_on),
                Cell::Text(s.seat.approval_no.as_deref().unwrap_or("")),
                Cell::Text(state),
                Cell::Text(&duties),
                Cell::Text(&posts),
            ])?;
        }
        Ok(w.finish()?.into_inner())
    };
    let bytes = write().map_err(|e| written(&staff, e))?;
    store.audit_export(id, chibo_domain::org::audit::OrgAction::ExportCommittee, c.seats.len(), format.extension()).await.map_err(|e| staff.auth.err(e))?;
    let name = format!("cap-uy-{}-{}.{}", org.code, on.format("%Y-%m-%d"), format.extension());
    Ok(crate::import::download(bytes, &name, format.content_type()))
}

/// The columns of an organization's terms.
fn term_columns() -> Vec<Column> {
    vec![
        Column::new("Nhiệm kỳ", Kind::Text).width(28.0),
        Column::new("Ngày bắt đầu", Kind::Date),
        Column::new("Dự kiến kết thúc", Kind::Date).width(17.0),
        Column::new("Ngày kết thúc", Kind::Date),
        Column::new("Số lượng cấp ủy viên được duyệt", Kind::Number).width(16.0),
        Column::new("Thí điểm đại hội một nhiệm kỳ", Kind::Text).width(16.0),
        Column::new("Bí thư kiêm trưởng thôn, khu phố", Kind::Text).width(16.0),
        Column::new("Quy chế làm việc", Kind::Text).width(36.0),
    ]
}

/// An organization's terms, newest first, each with its latest working regulation.
pub(super) async fn terms(staff: Staff, Path(id): Path<OrgId>, Query(f): Query<FormatQuery>) -> AppResult<Response> {
    let store = staff.store();
    let org = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    let terms = store.terms(id).await.map_err(|e| staff.auth.err(e))?;
    let mut regulations = Vec::with_capacity(terms.len());
    for t in &terms {
        let latest = store.regulations(t.id).await.map_err(|e| staff.auth.err(e))?.into_iter().next();
        regulations.push(latest.map(|r| format!("Số {}, ban hành ngày {}", r.decision_no, format_date(r.adopted_on))).unwrap_or_default());
    }
    let format = Format::from_code(&f.format).unwrap_or(Format::Xlsx);
    let heading = Heading::new("CÁC NHIỆM KỲ CỦA CẤP ỦY", &org.name, &org.code, staff.today());
    let yes = |b: bool| if b { "Có" } else { "Không" };
    let write = || -> Result<Vec<u8>, ReportError> {
        let mut w = ReportWriter::new(format, Cursor::new(Vec::new()), "Nhiệm kỳ", &heading, term_columns())?;
        for (t, reg) in terms.iter().zip(&regulations) {
            w.push_row(&[
                Cell::Text(&t.label),
                Cell::Date(t.starts_on),
                Cell::Date(t.planned_end),
                Cell::date(t.ended_on),
                t.planned_size.map_or(Cell::Empty, |n| Cell::count(i64::from(n))),
                Cell::Text(yes(t.pilot)),
                Cell::Text(yes(t.village_head_expected)),
                Cell::Text(reg),
            ])?;
        }
        Ok(w.finish()?.into_inner())
    };
    let bytes = write().map_err(|e| written(&staff, e))?;
    let name = format!("nhiem-ky-{}.{}", org.code, format.extension());
    Ok(crate::import::download(bytes, &name, format.content_type()))
}
