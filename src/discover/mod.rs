//! See DESIGN.md: the discover stage.
