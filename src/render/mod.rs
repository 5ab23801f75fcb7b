//! See DESIGN.md: the render stage.
