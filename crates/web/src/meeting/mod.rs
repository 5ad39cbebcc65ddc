//! Meetings on the web: an organization's meetings by month, a meeting's plan, notice,
//! attendance (a phone's screen of tap targets), minutes, signature, cancellation, amendment
//! and rating (`page`, its forms in `form`, read into `chibo_domain::meeting::command`), the
//! printable minutes and notice, the lists behind the attendance figures, the lists as
//! spreadsheets (`export`), the member's coming meetings (`notices`), and the API (`api`).

pub mod api;
mod export;
mod form;
mod notices;
mod page;

pub(crate) use notices::{Notices, notices};

/// The routes of the meeting pages.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/orgs/{id}/meetings", page::list)
        .get("/orgs/{id}/meetings/export", export::meetings)
        .form("/orgs/{id}/meetings/new", page::plan_form, page::plan)
        .get("/orgs/{id}/meetings/attendance", page::attendance_list)
        .get("/orgs/{id}/meetings/attendance/export", export::attendance)
        .get("/meetings/{id}", page::show)
        .form("/meetings/{id}/edit", page::edit_form, page::edit)
        .post("/meetings/{id}/notify", page::notify)
        .form("/meetings/{id}/attendance", page::attendance_form, page::record_attendance)
        .get("/meetings/{id}/counts", page::counts)
        .form("/meetings/{id}/minutes", page::minutes_form, page::record_minutes)
        .form("/meetings/{id}/sign", page::sign_form, page::sign)
        .form("/meetings/{id}/cancel", page::cancel_form, page::cancel)
        .form("/meetings/{id}/amend", page::amend_form, page::amend)
        .form("/meetings/{id}/rate", page::rate_form, page::rate)
        .get("/meetings/{id}/print", page::print)
        .get("/meetings/{id}/notice", page::notice)
}

/// The API routes of meetings.
pub fn api_routes() -> axum::Router<crate::AppState> {
    api::routes()
}
