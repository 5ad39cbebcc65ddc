//! Importing and exporting member lists: the upload, check, mapping and commit pages, the
//! background job that runs each step, and the export the import reads back.

mod form;
mod job;
mod page;
mod texts;

pub(crate) use form::FormatQuery;
pub(crate) use page::{download, download_file};

/// Largest file accepted (a 100,000-row workbook is about 6 MB).
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;

/// The routes of this module (given a larger body limit by the router).
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .form("/import", page::upload_form, page::upload)
        .get("/import/{id}", page::show)
        .get("/import/{id}/status", page::status)
        .post("/import/{id}/mapping", page::remap)
        .post("/import/{id}/commit", page::commit)
        .get("/import/{id}/rejected.xlsx", page::rejected)
        .get("/export/members", page::export_members)
}
