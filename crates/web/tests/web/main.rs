//! Web tests: the real application on a free port over a fresh database, on both engines,
//! driven by a cookie-aware HTTP client and (in `browser`) by headless Chromium.

mod access;
mod api;
mod auth;
mod browser;
mod committee;
mod concurrency;
mod first_install;
mod hardening;
mod helpers;
mod holes;
mod import;
mod meeting;
mod pages;
mod positions;
mod stats;
