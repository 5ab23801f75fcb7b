//! See DESIGN.md: the graph stage.
