//! otpmap maps an Erlang/OTP code base from its sources, without compiling
//! or booting it.
//!
//! The modules follow the pipeline of docs/architecture.md:
//! [`discover`] walks the tree, [`config`] and [`syntax`] read what it found,
//! [`model`] holds the project, [`graph`] and [`lint`] analyse it and
//! [`render`] prints it.

pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod eval;
pub mod exit_code;
pub mod graph;
pub mod internal_error;
pub mod lint;
pub mod load;
pub mod model;
pub mod progress;
pub mod render;
pub mod source;
pub mod syntax;
