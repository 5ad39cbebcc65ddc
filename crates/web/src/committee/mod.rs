//! Committees and terms on the web: an organization's committee as it stood on any day, its
//! terms, positions (and their approval), duties, concurrent posts and working regulation
//! (`page`), their forms (`form`, read into `chibo_domain::committee::command`), the lists as
//! spreadsheets (`export`), and the API (`api`).

pub mod api;
mod export;
mod form;
mod page;

pub(crate) use form::picked;
pub(crate) use page::options;

/// Largest request that carries a regulation's file: above the rules' largest file (10 MB
/// when seeded), so a file too large is answered beside its field by the rules' own limit.
pub const MAX_UPLOAD: usize = 16 * 1024 * 1024;

/// The routes of the committee pages (the regulation's form, which takes a file, is in
/// [`upload_routes`]).
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/orgs/{id}/committee", page::show)
        .get("/orgs/{id}/committee/export", export::committee)
        .get("/orgs/{id}/terms/export", export::terms)
        .form("/orgs/{id}/terms/new", page::term_form, page::open_term)
        .form("/terms/{id}/close", page::close_form, page::close_term)
        .form("/terms/{id}/seats/new", page::seat_form, page::assign_seat)
        .get("/terms/{id}/holders", page::holders)
        .get("/regulations/{id}/file", page::regulation_file)
        .form("/seats/{id}/end", page::end_seat_form, page::end_seat)
        .form("/seats/{id}/approve", page::approve_form, page::approve_seat)
        .form("/seats/{id}/duties/new", page::duty_form, page::assign_duty)
        .form("/members/{id}/posts/new", page::post_form, page::record_post)
        .form("/posts/{id}/end", page::end_post_form, page::end_post)
}

/// The routes that take a regulation's file (given [`MAX_UPLOAD`] by the router).
pub fn upload_routes() -> crate::routes::Routes {
    crate::routes::Routes::new().form("/terms/{id}/regulation", page::regulation_form, page::adopt_regulation)
}

/// The API routes of committees.
pub fn api_routes() -> axum::Router<crate::AppState> {
    api::routes()
}

/// The API routes that take a regulation's file (given [`MAX_UPLOAD`] by the router).
pub fn api_upload_routes() -> axum::Router<crate::AppState> {
    api::upload_routes()
}
