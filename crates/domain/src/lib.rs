//! chibo-domain: the types and rules of grassroots party work, free of I/O.
//!
//! Everything here is pure: no async, no SQL, no HTTP. The store persists these types and the
//! web layer renders them; both rely on the invariants established here.

pub mod account;
pub mod admission;
pub mod audit;
pub mod calendar;
pub mod committee;
pub mod error;
pub mod lunar;
pub mod meeting;
pub mod member;
pub mod org;
pub mod residence;
pub mod rules;
pub mod scope;
pub mod stats;
pub mod text;
pub mod todo;
pub mod transfer;

pub use error::{ErrorCode, FieldError, ValidationErrors};
