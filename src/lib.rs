//! giayto: which papers an administrative procedure needs.

pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod model;
pub mod querylog;
pub mod search;
pub mod web;
