//! Residence links: a member who works in one cell and also takes part, where they live, in
//! the cell of their residential area (sinh hoạt nơi cư trú), with the residence cell's
//! yearly comment.

pub mod audit;
