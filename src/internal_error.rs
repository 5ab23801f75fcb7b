//! Internal errors: a bug in otpmap met while handling one file must not
//! take the whole run down. [`guard`] runs one unit of work (reading a
//! file, evaluating one application's tree, one lint rule); a panic inside
//! becomes an `internal-error` diagnostic naming the file, the run goes on,
//! and the command exits 2 at the end ([`exit_code_for`]).
//!
//! The default panic hook would print `thread 'main' panicked at ...` in
//! the middle of the output; [`install_hook`] replaces it with one that
//! stays silent while a guard is active and keeps the panic's location for
//! the diagnostic instead.

use crate::diagnostic::{Diagnostic, Severity};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock};

/// The code of the diagnostic a caught panic becomes.
pub const INTERNAL_ERROR: &str = "internal-error";

/// Testing hook: a panic is raised in every guarded unit of work whose
/// file's relative path ends with this variable's value, or whose
/// description contains it (`` `tides` `` for that app's tree,
/// `` `blocking-init` `` for that rule). It exists so the tests can check
/// the isolation; it changes nothing when unset.
const FAULT_INJECTION_ENV: &str = "OTPMAP_INJECT_PANIC";

/// Guards running now, on any thread: a panic on a rayon worker is caught
/// by the guard of the thread that waits for it.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
/// Where the last silenced panic happened (`src/x.rs:12:5`).
static LAST_LOCATION: Mutex<Option<String>> = Mutex::new(None);
static HOOK: Once = Once::new();

thread_local! {
    /// Where the last silenced panic of this thread happened: files are
    /// guarded on the thread that reads them, so two files panicking at
    /// once on two threads keep their own locations.
    static THREAD_LOCATION: std::cell::RefCell<Option<String>> =
        const { std::cell::RefCell::new(None) };
}

/// Replaces the panic hook (once per process): while a guard is active,
/// panics are not printed but their location is kept for the diagnostic;
/// otherwise the previous hook runs as usual.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if ACTIVE.load(Ordering::SeqCst) == 0 {
                return previous(info);
            }
            let location = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            THREAD_LOCATION.with(|l| *l.borrow_mut() = location.clone());
            // A panic on a rayon worker reaches the guard on another thread.
            if let Ok(mut last) = LAST_LOCATION.lock() {
                *last = location;
            }
        }));
    });
}

/// Keeps the active count right even when the work unwinds.
struct Active;

impl Active {
    fn enter() -> Active {
        ACTIVE.fetch_add(1, Ordering::SeqCst);
        Active
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `work` for `file` (relative path, or `.` for the whole project);
/// a panic becomes an `internal-error` diagnostic saying `what` failed.
pub(crate) fn guard<T>(file: &str, what: &str, work: impl FnOnce() -> T) -> Result<T, Diagnostic> {
    install_hook();
    let _active = Active::enter();
    panic::catch_unwind(AssertUnwindSafe(|| {
        inject_fault(file, what);
        work()
    }))
    .map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        let location = THREAD_LOCATION
            .with(|l| l.borrow_mut().take())
            .or_else(|| LAST_LOCATION.lock().ok().and_then(|mut l| l.take()))
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        Diagnostic::file_level(
            Severity::Error,
            INTERNAL_ERROR,
            file,
            format!(
                "internal error (a bug in otpmap, please report it) while {what}: \
                 {message}{location}"
            ),
        )
    })
}

/// Panics when [`FAULT_INJECTION_ENV`] names this file or this work.
fn inject_fault(file: &str, what: &str) {
    static TARGET: OnceLock<Option<String>> = OnceLock::new();
    let target = TARGET.get_or_init(|| {
        std::env::var(FAULT_INJECTION_ENV)
            .ok()
            .filter(|v| !v.is_empty())
    });
    if let Some(t) = target {
        if file.ends_with(t.as_str()) || what.contains(t.as_str()) {
            panic!("fault injected by {FAULT_INJECTION_ENV} for {file}");
        }
    }
}

/// True when a diagnostic records an internal error.
pub(crate) fn is_internal(d: &Diagnostic) -> bool {
    d.code == INTERNAL_ERROR
}

/// The exit code of a command that otherwise exits `code`: 2 when an
/// internal error was caught along the way (the output is still printed:
/// it is all otpmap could do).
pub(crate) fn exit_code_for<'a>(
    code: i32,
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
) -> i32 {
    if diagnostics.into_iter().any(is_internal) {
        crate::exit_code::ERROR
    } else {
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_diagnostic_naming_the_file() {
        let d = guard("src/a.erl", "indexing", || -> u32 { panic!("boom") }).unwrap_err();
        assert_eq!(
            (d.code, d.file.as_str(), d.line),
            (INTERNAL_ERROR, "src/a.erl", 1)
        );
        assert!(d.message.contains("boom"), "{}", d.message);
        assert!(d.message.contains("internal_error.rs"), "{}", d.message);
        assert_eq!(guard("src/b.erl", "indexing", || 7).unwrap(), 7);
        assert_eq!(exit_code_for(1, [&d]), crate::exit_code::ERROR);
        assert_eq!(exit_code_for(1, []), 1);
    }
}
