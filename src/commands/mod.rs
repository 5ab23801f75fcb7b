//! One module per command: what it loads, which analyses it runs, and which
//! renderer prints it.

pub(crate) mod blast;
pub(crate) mod common;
pub(crate) mod deps;
pub(crate) mod diff;
pub(crate) mod lint;
pub(crate) mod report;
pub(crate) mod scan;
pub(crate) mod tree;

use crate::diagnostic::Diagnostic;
use crate::discover::DiscoverError;

/// Turns a root that cannot be walked into an error that says what to do.
fn root_error(e: DiscoverError) -> anyhow::Error {
    match e {
        DiscoverError::NotFound { path } => anyhow::anyhow!(
            "{}: no such file or directory; pass the directory of an Erlang project \
             (the one holding rebar.config, erlang.mk's Makefile or src/)",
            path.display()
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

/// Loads the project at the command's PATH. A PATH holding no Erlang/OTP
/// project is an error (exit 2) for every command: "0 modules" or "ok: no
/// findings" about an empty folder or a typo in CI would be a false success.
fn load_project(
    common: &crate::commands::common::CommonArgs,
) -> anyhow::Result<crate::model::Project> {
    let project = crate::load::load(&common.path, &common.load_options()).map_err(root_error)?;
    if !project.apps.is_empty() || !project.sources.modules.is_empty() {
        return Ok(project);
    }
    let fetched: Vec<&str> = project
        .dep_folders
        .folders
        .iter()
        .filter(|f| f.status == crate::discover::FolderStatus::Fetched)
        .map(|f| f.dir.as_str())
        .collect();
    let skipped = match (fetched.as_slice(), common.include_deps) {
        ([], _) | (_, true) => String::new(),
        ([only], false) => format!("; the fetched dependencies in {only} were skipped: --include-deps reads them"),
        ([first, rest @ ..], false) => format!(
            "; the fetched dependencies in {first} and {} more folders were skipped: --include-deps reads them",
            rest.len()
        ),
    };
    anyhow::bail!(
        "no Erlang/OTP project found in {} (looked for application resource files \
         (src/*.app.src, ebin/*.app, *.app.src.script), erlang.mk Makefiles and .erl files{skipped}); \
         pass the directory of an Erlang project (the one holding rebar.config, erlang.mk's \
         Makefile or src/)",
        common.path.display()
    )
}

/// The exit code of a command that would exit `code`: 2 when an internal
/// error was caught on the way (README, exit codes). Formats that cannot show
/// diagnostics (diagrams) get the internal errors on stderr instead, so
/// an exit 2 is never unexplained.
fn exit_code<'a>(
    code: i32,
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    shown_in_output: bool,
) -> i32 {
    let internal: Vec<&Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| crate::internal_error::is_internal(d))
        .collect();
    if !shown_in_output {
        for d in &internal {
            eprintln!(
                "otpmap: error: {}: {}",
                crate::render::shown::shown(&d.file),
                crate::render::shown::shown(&d.message)
            );
        }
    }
    crate::internal_error::exit_code_for(code, internal)
}

/// Ends the life of what a command built without freeing it: the process
/// exits right after the output is written, and freeing a large project's
/// indexes, one allocation at a time, cost a fifth of a `scan`.
fn keep_until_exit<T>(value: T) {
    std::mem::forget(value);
}
