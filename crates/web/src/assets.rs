//! The stylesheet and htmx, vendored and embedded in the binary: nothing is loaded from the
//! internet, and a deployment is one file.

use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("../assets/app.css");
const HTMX: &str = include_str!("../assets/htmx.min.js");
/// Changes with every build's assets so browsers may cache them for a day.
const CACHE: &str = "public, max-age=86400";

/// The routes of this module.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/assets/app.css", || async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], CSS).into_response() })
        .get("/assets/htmx.min.js", || async {
            ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], HTMX).into_response()
        })
}
