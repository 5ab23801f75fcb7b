//! Where a tree starts ([`AppRoot`]): an application's `start/2`
//! (`roots.rs`) or a function given with `--root` (`unstarted.rs`), read by
//! the tree builder (`tree.rs`).

use std::sync::Arc;

use crate::eval::value::{Loc, Process};
use crate::eval::StartChildEffect;

/// Where an application's tree starts.
#[derive(Debug, Clone)]
pub(crate) struct AppRoot {
    /// `courier_app:start/2`
    pub(crate) start: String,
    /// Where `start/2` is.
    pub(crate) loc: Option<Loc>,
    /// The top supervisor's start call, or why it is not known.
    pub(crate) process: Result<Arc<Process>, String>,
    /// `supervisor:start_child/2` calls `start/2` made (children added to
    /// the top supervisor at boot).
    pub(crate) effects: Vec<StartChildEffect>,
    /// How the top supervisor was found when `start/2` itself could not be
    /// evaluated (see `called_supervisor` in roots.rs).
    pub(crate) note: Option<String>,
}
