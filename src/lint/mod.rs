//! See DESIGN.md: the lint stage.
