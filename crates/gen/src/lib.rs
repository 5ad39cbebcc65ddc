//! chibo-gen: the demo scenario reproduced from the source articles (Quảng Ninh) and
//! synthetic national data, loaded in bulk.
//!
//! Everything is deterministic for a given seed: the same seed gives the same organizations,
//! people and dates on both engines.

pub mod committee;
pub mod demo;
pub mod life;
pub mod names;
pub mod people;
pub mod places;
pub mod reform;
pub mod scale;

pub use demo::load_demo;
pub use scale::{Scale, load_scale};
