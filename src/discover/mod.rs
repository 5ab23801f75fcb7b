//! Discovery: walk the tree once, classify the files otpmap reads, and report
//! what could not be walked. Nothing here reads file contents.

mod fetched;
pub(crate) mod revision;

pub(crate) use fetched::{is_under_any, DepFolder, FolderStatus};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::relative_path;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What a file is to otpmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum FileKind {
    /// `<app>.app.src`, or `<app>.app.src.in`: the template an autotools
    /// build (CloudI) fills in with `configure`.
    AppSrc,
    /// `<app>.app.src.script`: rebar3 evaluates it; we cannot.
    AppSrcScript,
    /// `<app>.app` (in `ebin/`)
    App,
    RebarConfig,
    /// `rebar.config.script`: rebar3 evaluates it; we cannot.
    RebarConfigScript,
    /// `rebar.lock`: the versions rebar3 pinned, transitive deps included.
    RebarLock,
    RelxConfig,
    ReltoolConfig,
    /// A systools release file, `<name>.rel`.
    Rel,
    SysConfig,
    /// `Makefile`: an erlang.mk project when it sets `PROJECT`.
    Makefile,
    OtpmapConfig,
    /// `mix.exs`: a Mix project, read statically.
    MixExs,
    Erl,
    Hrl,
}

/// Every `.erl` and `.hrl` file below `dir`, sorted, with none of
/// [`discover`]'s project rules (no skipped directories, no configs): the
/// corpus of benchmarks, examples and corpus tests.
pub fn erlang_sources(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "erl" || x == "hrl"))
        .collect();
    out.sort();
    out
}

/// Classifies a file by its name.
fn classify(name: &str) -> Option<FileKind> {
    Some(match name {
        "rebar.config" => FileKind::RebarConfig,
        "rebar.config.script" => FileKind::RebarConfigScript,
        "rebar.lock" => FileKind::RebarLock,
        "relx.config" => FileKind::RelxConfig,
        "reltool.config" => FileKind::ReltoolConfig,
        "sys.config" => FileKind::SysConfig,
        "otpmap.config" => FileKind::OtpmapConfig,
        "mix.exs" => FileKind::MixExs,
        "Makefile" | "GNUmakefile" | "makefile" => FileKind::Makefile,
        _ if name.ends_with(".app.src.script") => FileKind::AppSrcScript,
        _ if name.ends_with(".app.src") || name.ends_with(".app.src.in") => FileKind::AppSrc,
        _ if name.ends_with(".app") && name.len() > 4 => FileKind::App,
        _ if name.ends_with(".rel") && name.len() > 4 => FileKind::Rel,
        _ if name.ends_with(".erl") && name.len() > 4 => FileKind::Erl,
        _ if name.ends_with(".hrl") && name.len() > 4 => FileKind::Hrl,
        _ => return None,
    })
}

/// A file discovery found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) path: PathBuf,
    /// Relative to the scanned root, `/`-separated.
    pub(crate) rel: String,
    pub(crate) kind: FileKind,
    /// Under a fetched-dependency folder (see [`DepFolder`]).
    pub(crate) in_deps: bool,
}

/// Options for the walk.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Also walk the folders of fetched dependencies (`_build`, and what
    /// the repository ignores under `deps/` and `_checkouts/`).
    pub(crate) include_deps: bool,
    /// Follow symbolic links (loops are then reported and cut).
    pub(crate) follow_links: bool,
}

/// The result of the walk, sorted by relative path.
#[derive(Debug, Clone)]
pub struct Discovered {
    /// The directory paths are relative to (the parent when PATH is a file).
    pub(crate) root: PathBuf,
    pub(crate) files: Vec<Found>,
    /// The folders of dependencies, vendored or fetched, sorted.
    pub(crate) dep_folders: Vec<DepFolder>,
    /// The fetched ones among them.
    pub(crate) fetched: BTreeSet<String>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// The walk could not start at all.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    #[error(
        "{path}: neither a directory nor a regular file (a named pipe, a socket or a device); \
         pass the directory of an Erlang project or one of its files"
    )]
    NotFileOrDirectory { path: PathBuf },
    #[error("{path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The folder of test data or templates that holds `rel`, if any: the
/// path up to the first `priv`, `test`, `tests` or `<suite>_SUITE_data`
/// folder. rebar3 builds only its project app folders (`apps/*`, `lib/*`,
/// `.`) and erlang.mk only the project and `apps/`: an `.app.src`, a
/// `rebar.config` or a `Makefile` in such a folder belongs to a fixture
/// project (a test suite's data, a `priv/` template or skeleton), never to
/// the project being read. `rel` is relative to the scanned root, so
/// pointing otpmap at the fixture itself still reads it.
pub(crate) fn fixture_folder(rel: &str) -> Option<&str> {
    let mut end = 0;
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        // The file's own name is never the folder.
        parts.peek()?;
        end += part.len();
        if matches!(part, "priv" | "test" | "tests") || part.ends_with("_SUITE_data") {
            return Some(&rel[..end]);
        }
        end += 1;
    }
    None
}

/// Build output and tool folders that never hold the project's own sources.
const ALWAYS_SKIPPED: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".erlang.mk",
    ".rebar3",
    "_rel",
    "node_modules",
    ".elixir_ls",
    "logs",
];

/// Walks `root` (a directory or a single file).
pub fn discover(root: &Path, opts: &DiscoverOptions) -> Result<Discovered, DiscoverError> {
    let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DiscoverError::NotFound {
            path: root.to_path_buf(),
        },
        _ => DiscoverError::Unreadable {
            path: root.to_path_buf(),
            source: e,
        },
    })?;
    if meta.is_file() {
        return Ok(discover_single_file(root));
    }
    if !meta.is_dir() {
        return Err(DiscoverError::NotFileOrDirectory {
            path: root.to_path_buf(),
        });
    }

    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let rules = RefCell::new(fetched::FetchedRules::new(root));
    let mut linked = LinkedFolders::default();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(opts.follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if !e.file_type().is_dir() {
                return true;
            }
            if e.depth() > 0 {
                let name = e.file_name().to_string_lossy();
                if ALWAYS_SKIPPED.contains(&name.as_ref()) {
                    return false;
                }
                // Vendored or fetched: the repository's own rules decide.
                let rel = relative_path(root, e.path());
                if !rules.borrow_mut().admit_dir(&rel, &name, opts.include_deps) {
                    return false;
                }
            }
            !opts.follow_links || linked.first_visit(root, e)
        });

    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // PATH itself cannot be listed: nothing at all can be reported.
            Err(err) if err.depth() == 0 && err.loop_ancestor().is_none() => {
                let source = err
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("cannot walk"));
                return Err(DiscoverError::Unreadable {
                    path: root.to_path_buf(),
                    source,
                });
            }
            Err(err) => {
                diagnostics.push(walk_error(root, &err));
                continue;
            }
        };
        let rel = relative_path(root, entry.path());
        if entry.path_is_symlink() && !opts.follow_links {
            if let Some(d) = symlink_loop(root, entry.path(), &rel) {
                diagnostics.push(d);
            } else if classify(&entry.file_name().to_string_lossy()).is_some()
                && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file())
            {
                // A source or config file left out must be said (issue 18).
                diagnostics.push(Diagnostic::file_level(
                    Severity::Info,
                    "symlink-not-followed",
                    rel.clone(),
                    "symbolic link to a file otpmap reads; not followed, so not read \
                     (--follow-links reads it)",
                ));
            }
            continue;
        }
        // A folder with such a name is said once, not for every file in it.
        if entry.file_type().is_dir() && entry.depth() > 0 && entry.file_name().to_str().is_none() {
            diagnostics.push(Diagnostic::file_level(
                Severity::Warning,
                "non-utf8-path",
                rel.clone(),
                "folder name is not valid UTF-8; paths under it are shown with replacement characters",
            ));
        }
        let name = entry.file_name().to_string_lossy();
        let Some(kind) = classify(&name) else {
            continue;
        };
        if !entry.file_type().is_file() {
            if !entry.file_type().is_dir() {
                // Never opened: reading a FIFO blocks, /dev/zero never ends.
                diagnostics.push(Diagnostic::file_level(
                    Severity::Warning,
                    "not-a-regular-file",
                    rel.clone(),
                    "a named pipe, socket or device, not a regular file; not read",
                ));
            }
            continue;
        }
        if entry.file_name().to_str().is_none() {
            diagnostics.push(Diagnostic::file_level(
                Severity::Warning,
                "non-utf8-path",
                rel.clone(),
                "file name is not valid UTF-8; it is shown with replacement characters",
            ));
        }
        let in_deps = rules.borrow().is_fetched(&rel);
        files.push(Found {
            path: entry.into_path(),
            rel,
            kind,
            in_deps,
        });
    }
    diagnostics.append(&mut linked.diagnostics);
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    let rules = rules.into_inner();
    diagnostics.extend(rules.diagnostics);
    let mut dep_folders = rules.folders;
    dep_folders.sort();
    Ok(Discovered {
        root: root.to_path_buf(),
        files,
        dep_folders,
        fetched: rules.fetched,
        diagnostics,
    })
}

/// With `--follow-links`, the folders walked so far, by device and inode:
/// each real folder is walked once however many links lead to it (a
/// folder linking twice to the next, 18 levels deep, was 2^18 walks), and
/// a link into a kernel file system (/proc, /sys, /dev, where walks never
/// end or read devices) is not followed.
#[derive(Default)]
struct LinkedFolders {
    seen: std::collections::HashMap<(u64, u64), String>,
    diagnostics: Vec<Diagnostic>,
}

/// Kernel file systems: their trees are endless or made of devices.
const SPECIAL_FILE_SYSTEMS: &[&str] = &["/proc", "/sys", "/dev"];

impl LinkedFolders {
    /// False (and a diagnostic) when the folder `e` must not be walked.
    fn first_visit(&mut self, root: &Path, e: &walkdir::DirEntry) -> bool {
        let rel = relative_path(root, e.path());
        if e.path_is_symlink() {
            if let Ok(target) = std::fs::canonicalize(e.path()) {
                if SPECIAL_FILE_SYSTEMS.iter().any(|s| target.starts_with(s)) {
                    self.diagnostics.push(Diagnostic::file_level(
                        Severity::Warning,
                        "special-file-system",
                        rel,
                        format!(
                            "symbolic link into {}, a kernel file system; not followed",
                            target.display()
                        ),
                    ));
                    return false;
                }
            }
        }
        let Some(key) = file_id(e) else { return true };
        match self.seen.get(&key) {
            Some(first) => {
                self.diagnostics.push(Diagnostic::file_level(
                    Severity::Info,
                    "symlink-revisit",
                    rel,
                    format!("the same folder as {first}, read there; not read twice"),
                ));
                false
            }
            None => {
                let shown = if rel.is_empty() { ".".to_owned() } else { rel };
                self.seen.insert(key, shown);
                true
            }
        }
    }
}

#[cfg(unix)]
fn file_id(e: &walkdir::DirEntry) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = e.metadata().ok()?;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &walkdir::DirEntry) -> Option<(u64, u64)> {
    None
}

fn discover_single_file(file: &Path) -> Discovered {
    let root = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let rel = relative_path(&root, file);
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut diagnostics = Vec::new();
    let files = match classify(&name) {
        Some(kind) => vec![Found {
            path: file.to_path_buf(),
            rel,
            kind,
            in_deps: false,
        }],
        None => {
            diagnostics.push(Diagnostic::file_level(
                Severity::Warning,
                "unknown-file",
                rel,
                "not a file otpmap reads (.erl, .hrl, .app, .app.src, rebar.config, ...); \
                 pass the project directory instead",
            ));
            vec![]
        }
    };
    Discovered {
        root,
        files,
        dep_folders: Vec::new(),
        fetched: BTreeSet::new(),
        diagnostics,
    }
}

fn walk_error(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err
        .path()
        .map(|p| relative_path(root, p))
        .unwrap_or_default();
    if let Some(ancestor) = err.loop_ancestor() {
        return Diagnostic::file_level(
            Severity::Warning,
            "symlink-loop",
            path,
            format!(
                "symbolic link loop: leads back to {}; not followed",
                relative_path(root, ancestor)
            ),
        );
    }
    let reason = err
        .io_error()
        .map(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            std::io::ErrorKind::NotFound => "vanished during the walk".to_owned(),
            _ => e.to_string(),
        })
        .unwrap_or_else(|| err.to_string());
    Diagnostic::file_level(
        Severity::Warning,
        "unreadable",
        path,
        format!("cannot read: {reason}; skipped"),
    )
}

/// A link we do not follow is only worth a word when following it would
/// loop: a link to one of its own ancestors.
fn symlink_loop(root: &Path, link: &Path, rel: &str) -> Option<Diagnostic> {
    let target = std::fs::canonicalize(link).ok()?;
    let parent = std::fs::canonicalize(link.parent()?).ok()?;
    if parent.starts_with(&target) {
        Some(Diagnostic::file_level(
            Severity::Warning,
            "symlink-loop",
            rel.to_owned(),
            format!(
                "symbolic link loop: points to its own ancestor {}; not followed",
                relative_path(&std::fs::canonicalize(root).ok()?, &target)
            ),
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_otp_files() {
        assert_eq!(classify("foo.app.src"), Some(FileKind::AppSrc));
        assert_eq!(classify("foo.app.src.script"), Some(FileKind::AppSrcScript));
        assert_eq!(classify("foo.app.src.in"), Some(FileKind::AppSrc));
        assert_eq!(classify("foo.app"), Some(FileKind::App));
        assert_eq!(classify(".app"), None);
        assert_eq!(classify("foo.erl"), Some(FileKind::Erl));
        assert_eq!(classify("rebar.config"), Some(FileKind::RebarConfig));
        assert_eq!(classify("test.config"), None);
    }

    #[test]
    fn fixture_folders_are_priv_test_and_suite_data() {
        let f = fixture_folder;
        assert_eq!(f("apps/a/priv/skel/src/skel.app.src"), Some("apps/a/priv"));
        assert_eq!(f("test/test.app.src"), Some("test"));
        assert_eq!(
            f("apps/a/test/x_SUITE_data/p/rebar.config"),
            Some("apps/a/test")
        );
        assert_eq!(
            f("systest/all_SUITE_data/p/src/p.app.src"),
            Some("systest/all_SUITE_data")
        );
        assert_eq!(
            f("deps/rabbit/test/fixtures/ebin/f.app"),
            Some("deps/rabbit/test")
        );
        // Real apps whose names only look alike, and a file named so.
        assert_eq!(f("core/kazoo_data/src/kazoo_data.app.src"), None);
        assert_eq!(f("apps/test_server/src/test_server.app.src"), None);
        assert_eq!(f("src/docs/src/docs.app.src"), None);
        assert_eq!(f("test"), None);
        assert_eq!(f("rebar.config"), None);
    }
}
