//! See DESIGN.md: the model stage.
