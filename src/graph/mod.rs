//! See DESIGN.md: the graph stage.

pub mod calls;
