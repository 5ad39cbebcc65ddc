//! The residence rule (sinh hoạt nơi cư trú) on the web: the link on a member and the
//! residence cell's residents with its yearly comments (`page`), and their forms (`form`),
//! read into the domain's commands (`chibo_domain::residence::command`).

mod form;
mod page;

/// The routes of the residence pages.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .form("/members/{id}/residence", page::residence_form, page::link_residence)
        .get("/orgs/{id}/residents", page::residents)
        .post("/residences/{id}/comment", page::comment)
}
