//! Admissions (phát triển đảng viên) on the web: the pages of the scope's cases and the
//! candidate file (`page`), their forms (`form`) and the API (`api`). Pages and API read
//! every write into the domain's command (`chibo_domain::admission::command`).

pub(crate) mod api;
mod form;
mod page;

/// The routes of the admission pages.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .form("/admissions", page::list, page::create)
        .get("/admissions/new", page::new_form)
        .get("/admissions/{id}", page::show)
        .post("/admissions/{id}/step", page::step)
}
