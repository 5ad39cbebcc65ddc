//! Personal API tokens: their owner's page to create, see and revoke them.

mod form;
mod page;

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().form("/tokens", page::list, page::create).post("/tokens/{id}/revoke", page::revoke)
}
