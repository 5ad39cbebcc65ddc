//! Committees and terms on the web: an organization's committee as it stood on any day, its
//! terms, positions, duties, concurrent posts and working regulation (`page`), their forms
//! (`form`, read into `chibo_domain::committee::command`), and the API (`api`).

pub mod api;
mod form;
mod page;

/// The routes of the committee pages.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/orgs/{id}/committee", page::show)
        .form("/orgs/{id}/terms/new", page::term_form, page::open_term)
        .form("/terms/{id}/close", page::close_form, page::close_term)
        .form("/terms/{id}/seats/new", page::seat_form, page::assign_seat)
        .form("/terms/{id}/regulation", page::regulation_form, page::adopt_regulation)
        .form("/seats/{id}/end", page::end_seat_form, page::end_seat)
        .form("/seats/{id}/duties/new", page::duty_form, page::assign_duty)
        .form("/members/{id}/posts/new", page::post_form, page::record_post)
        .form("/posts/{id}/end", page::end_post_form, page::end_post)
}

/// The API routes of committees.
pub fn api_routes() -> axum::Router<crate::AppState> {
    api::routes()
}
