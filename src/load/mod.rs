//! The loading stage: reads every configuration file and source of a
//! discovered tree once, with the readers of config/, into the plain
//! model types of model/ (docs/architecture.md).

mod build;
mod mix;
pub(crate) mod otp;
mod paths;
mod sources;

pub use build::{load, LoadOptions};
