//! The meeting lists as spreadsheets, through the report writer the member lists use
//! (`chibo_import::report`): an organization's meetings (day, kind, topic, state, counts, the
//! chair and secretary, the resolution's number) and the list behind an attendance figure
//! (names and absences: a copy of personal data, so its export is audited like the member
//! lists'), as .xlsx (real dates shown dd/mm/yyyy) or CSV with a BOM.

use super::page::AttendanceQuery;
use crate::auth::Staff;
use crate::error::{AppError, AppResult};
use crate::import::FormatQuery;
use axum::extract::{Path, Query};
use axum::response::Response;
use chibo_domain::org::OrgId;
use chibo_domain::org::audit::OrgAction;
use chibo_import::report::{Cell, Column, Format, Heading, Kind, ReportError, ReportWriter};
use chibo_store::meeting::{AttendanceList, MeetingFilter};
use serde::Deserialize;
use std::io::Cursor;

/// Rows of a list taken out at most (a year of a province's meetings fits).
const MAX_ROWS: i64 = 100_000;
/// Rows read per page of the store's list.
const PAGE: i64 = 500;

fn written(staff: &Staff, e: ReportError) -> AppError {
    match e {
        ReportError::Store(e) => staff.auth.err(e),
        other => AppError::Internal(staff.auth.lang, other.to_string()),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct ListQuery {
    #[serde(default)]
    all: String,
}

fn meeting_columns() -> Vec<Column> {
    vec![
        Column::new("Ngày họp", Kind::Date),
        Column::new("Giờ", Kind::Text).width(8.0),
        Column::new("Tổ chức", Kind::Text).width(30.0),
        Column::new("Loại", Kind::Text).width(22.0),
        Column::new("Chủ đề", Kind::Text).width(36.0),
        Column::new("Tình trạng", Kind::Text).width(24.0),
        Column::new("Triệu tập", Kind::Number),
        Column::new("Có mặt", Kind::Number),
        Column::new("Vắng có lý do", Kind::Number),
        Column::new("Vắng không lý do", Kind::Number),
        Column::new("Ngày ký biên bản", Kind::Date),
        Column::new("Số nghị quyết", Kind::Text).width(16.0),
        Column::new("Chất lượng", Kind::Text).width(14.0),
    ]
}

/// An organization's meetings (or its subtree's with `all=1`), newest first.
pub(super) async fn meetings(staff: Staff, Path(id): Path<OrgId>, Query(q): Query<ListQuery>, Query(f): Query<FormatQuery>) -> AppResult<Response> {
    let store = staff.store();
    let org = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    let filter = MeetingFilter { only_org: q.all != "1", ..MeetingFilter::default() };
    let mut lines = Vec::new();
    while (lines.len() as i64) < MAX_ROWS {
        let page = store.meetings(id, &filter, lines.len() as i64, PAGE).await.map_err(|e| staff.auth.err(e))?;
        let done = page.items.len() < PAGE as usize;
        lines.extend(page.items);
        if done {
            break;
        }
    }
    let format = Format::from_code(&f.format).unwrap_or(Format::Xlsx);
    let heading = Heading::new("DANH SÁCH CUỘC HỌP", &org.name, &org.code, staff.today());
    let write = || -> Result<Vec<u8>, ReportError> {
        let mut w = ReportWriter::new(format, Cursor::new(Vec::new()), "Cuộc họp", &heading, meeting_columns())?;
        for l in &lines {
            let m = &l.meeting;
            w.push_row(&[
                Cell::Date(m.held_on),
                Cell::Text(m.starts_at.as_deref().unwrap_or("")),
                Cell::Text(&l.org_name),
                Cell::Text(m.kind.label_vi()),
                Cell::Text(m.topic.as_deref().unwrap_or("")),
                Cell::Text(m.state.label_vi()),
                Cell::count(i64::from(l.convened)),
                Cell::count(i64::from(l.present)),
                Cell::count(i64::from(l.excused)),
                Cell::count(i64::from(l.absent)),
                Cell::date(m.signed_on),
                Cell::Text(m.resolution_no.as_deref().unwrap_or("")),
                Cell::Text(m.quality.map(|q| q.label_vi()).unwrap_or("")),
            ])?;
        }
        Ok(w.finish()?.into_inner())
    };
    let bytes = write().map_err(|e| written(&staff, e))?;
    let name = format!("cuoc-hop-{}.{}", org.code, format.extension());
    Ok(crate::import::download(bytes, &name, format.content_type()))
}

fn attendance_columns(repeated: bool) -> Vec<Column> {
    vec![
        Column::new("Họ và tên", Kind::Text).width(28.0),
        Column::new("Chi bộ", Kind::Text).width(30.0),
        Column::new(if repeated { "Lần vắng gần nhất" } else { "Ngày họp" }, Kind::Date),
        if repeated { Column::new("Số lần vắng không lý do", Kind::Number) } else { Column::new("Điểm danh", Kind::Text).width(20.0) },
    ]
}

/// The list behind an attendance figure (the list page's own parameters).
pub(super) async fn attendance(staff: Staff, Path(id): Path<OrgId>, Query(q): Query<AttendanceQuery>, Query(f): Query<FormatQuery>) -> AppResult<Response> {
    let lang = staff.auth.lang;
    let store = staff.store();
    let org = store.org(id).await.map_err(|e| staff.auth.err(e))?;
    let day = crate::stats::chosen_day(&q.on, lang, staff.today()).map_err(|m| AppError::Invalid(lang, m))?;
    let list = q.list();
    let mut rows = Vec::new();
    while (rows.len() as i64) < MAX_ROWS {
        let page = store.meeting_attendance(id, day, list, rows.len() as i64, PAGE).await.map_err(|e| staff.auth.err(e))?;
        let done = page.items.len() < PAGE as usize;
        rows.extend(page.items);
        if done {
            break;
        }
    }
    let repeated = list == AttendanceList::Repeated;
    let format = Format::from_code(&f.format).unwrap_or(Format::Xlsx);
    let title = if repeated { "ĐẢNG VIÊN VẮNG SINH HOẠT KHÔNG LÝ DO NHIỀU LẦN" } else { "DANH SÁCH DỰ SINH HOẠT THƯỜNG KỲ" };
    let heading = Heading::new(title, &org.name, &org.code, day);
    let write = || -> Result<Vec<u8>, ReportError> {
        let mut w = ReportWriter::new(format, Cursor::new(Vec::new()), "Điểm danh", &heading, attendance_columns(repeated))?;
        for a in &rows {
            w.push_row(&[
                Cell::Text(&a.name),
                Cell::Text(&a.org_name),
                Cell::Date(a.held_on),
                if repeated { Cell::count(i64::from(a.absences)) } else { Cell::Text(a.presence.label_vi()) },
            ])?;
        }
        Ok(w.finish()?.into_inner())
    };
    let bytes = write().map_err(|e| written(&staff, e))?;
    store.audit_export(id, OrgAction::ExportAttendance, rows.len(), format.extension()).await.map_err(|e| staff.auth.err(e))?;
    let name = format!("diem-danh-{}-{}.{}", org.code, day.format("%Y-%m-%d"), format.extension());
    Ok(crate::import::download(bytes, &name, format.content_type()))
}
