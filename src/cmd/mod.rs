//! The command-line commands. Each parses nothing itself: `main.rs` hands it typed arguments.

pub mod check;
pub mod diff;
pub mod new;
pub mod report;
pub mod schema;
pub mod search;
pub mod serve;

/// The procedures folder bundled with the project, used when no folder is given.
pub const DEFAULT_PROCEDURES_DIR: &str = "procedures";
