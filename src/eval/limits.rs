//! The bounds of one evaluation: every evaluation stops, however large
//! the code it reads.

/// Bounds on one evaluation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Expressions evaluated in one top-level evaluation.
    pub(crate) steps: usize,
    /// Nested function calls.
    pub(crate) depth: usize,
    /// Calls of one function on the stack at once (recursion).
    pub(crate) same_function: usize,
    /// Calls of one function on the stack at once when it recurses over
    /// a list known to its end and adds children (a start function's
    /// loop of `supervisor:start_child/2` calls): followed to the list's
    /// end up to this many elements.
    pub(crate) list_walk: usize,
    /// Alternatives of one `Alt`.
    pub(crate) alternatives: usize,
    /// Elements a comprehension or list function builds.
    pub(crate) list: usize,
    /// Terms in one value ([`Val::size`]): alternatives nested in
    /// alternatives grow values geometrically, and every walk over them
    /// costs their size.
    pub(crate) value_size: u32,
}

/// The default of [`Limits::steps`] (`--max-steps`).
pub(crate) const DEFAULT_STEPS: usize = 10_000;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            steps: DEFAULT_STEPS,
            depth: 24,
            same_function: 12,
            list_walk: 256,
            alternatives: 16,
            list: 512,
            value_size: 20_000,
        }
    }
}

impl Limits {
    /// The default limits with `steps` evaluation steps (`--max-steps`;
    /// `None`: the default).
    pub(crate) fn with_steps(steps: Option<usize>) -> Limits {
        Limits {
            steps: steps.unwrap_or(DEFAULT_STEPS).max(1),
            ..Limits::default()
        }
    }

    /// These limits with a fifth of the steps, for what runs only at run
    /// time (a child a `start_child` call adds, a wrapper's call): what
    /// finishes does so in under 2 000 steps on OTP's sources, and the
    /// rest (start functions that parse options at length) would stop at
    /// the bound anyway, having cost five times as much.
    pub(crate) fn run_time_share(self) -> Limits {
        Limits {
            steps: self.steps / 5,
            ..self
        }
    }
}
