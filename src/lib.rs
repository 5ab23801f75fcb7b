//! otpmap maps an Erlang/OTP code base from its sources, without compiling
//! or booting it.
//!
//! The modules follow the pipeline of docs/architecture.md:
//! [`discover`] walks the tree, [`config`] and [`syntax`] read what it found,
//! [`model`] holds the project, [`graph`] and [`lint`] analyse it and
//! [`render`] prints it.

// `pub` only what another crate (tests/, examples/, fuzz/, main.rs) uses;
// inside the crate `pub(crate)` or private, so the compiler reports dead
// code (docs/architecture.md, "Visibility").
#![warn(unreachable_pub)]

pub mod cli;
mod commands;
pub mod config;
pub mod diagnostic;
mod diff;
pub mod discover;
mod eval;
mod exit_code;
pub mod graph;
pub mod internal_error;
pub mod lint;
pub mod load;
pub mod model;
mod progress;
pub mod render;
pub mod source;
pub mod syntax;
