//! See DESIGN.md: the syntax stage.
