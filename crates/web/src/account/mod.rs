//! Accounts: the administrators' pages that list, create, reset and disable accounts.

mod form;
mod page;

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/accounts", page::list)
        .form("/accounts/new", page::new_form, page::create)
        .post("/accounts/{id}/password", page::reset_password)
        .post("/accounts/{id}/active", page::set_active)
        .post("/accounts/{id}/unlock", page::unlock)
}
