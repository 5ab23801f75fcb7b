//! Which folders hold fetched dependencies and which the project's own
//! code: the one place that decides it, for discovery, the model and the
//! lint.
//!
//! `_build` is always build output. A folder directly under `deps/` or
//! `_checkouts/` (rebar2, erlang.mk and rebar3 put fetched dependencies
//! there), or under `apps/` or `lib/` (where umbrellas keep their own), is
//! fetched when the repository's own ignore rules say so (`.gitignore`
//! files from the top of the git work tree down, and `.git/info/exclude`,
//! read with git's semantics by the `ignore` crate) or when it is a clone
//! of its own (`.git` inside). Otherwise it is the project's own: RabbitMQ
//! commits its ~55 applications under `deps/` and whitelists them in its
//! `.gitignore`.

use crate::diagnostic::{Diagnostic, Severity};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Folders whose children are dependency checkouts unless the repository
/// says otherwise.
const DEPS_DIRS: &[&str] = &["deps", "_checkouts"];
/// Folders whose children are the project's applications unless the
/// repository says otherwise.
const APP_DIRS: &[&str] = &["apps", "lib"];
/// Build output: fetched dependencies and compiled code, always.
const BUILD_DIR: &str = "_build";

/// Whether a dependency folder is the project's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FolderStatus {
    /// Committed with the project: scanned, drawn and linted as its own.
    Vendored,
    /// Fetched by the build tool: read only with `--include-deps`.
    Fetched,
}

/// A folder under `deps/`, `_checkouts/` or `_build`, or an application
/// folder the repository ignores, with what decided its status.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct DepFolder {
    /// Relative to the scanned root, `/`-separated.
    pub(crate) dir: String,
    pub(crate) status: FolderStatus,
    /// Why, in words: the ignore rule and where it is written, a `.git`
    /// inside, build output, or no rule naming it.
    pub(crate) reason: String,
}

/// The decisions taken during one walk.
pub(super) struct FetchedRules {
    /// The scanned root, canonical.
    root: PathBuf,
    /// The top of the git work tree holding the root (the root itself
    /// when there is none): ignore files are read from there down.
    top: PathBuf,
    /// Each directory's `.gitignore`, read once.
    matchers: BTreeMap<PathBuf, Option<IgnoreFile>>,
    /// `.git/info/exclude` of the work tree: below every `.gitignore`.
    exclude: Option<IgnoreFile>,
    pub(super) folders: Vec<DepFolder>,
    /// The fetched folders, relative: everything below them is a dependency's.
    pub(super) fetched: BTreeSet<String>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

struct IgnoreFile {
    matcher: Gitignore,
    /// The file, relative to the scanned root when under it.
    shown: String,
    /// The line each rule is written on (the last, for a rule written twice).
    lines: BTreeMap<String, usize>,
}

/// What the ignore rules say about one path.
enum Verdict<'a> {
    Ignored(&'a IgnoreFile, String),
    Kept(&'a IgnoreFile, String),
    Unsaid,
}

impl FetchedRules {
    pub(super) fn new(root: &Path) -> FetchedRules {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let top = root
            .ancestors()
            .find(|a| a.join(".git").symlink_metadata().is_ok())
            .unwrap_or(&root)
            .to_path_buf();
        let mut rules = FetchedRules {
            root: root.clone(),
            top: top.clone(),
            matchers: BTreeMap::new(),
            exclude: None,
            folders: Vec::new(),
            fetched: BTreeSet::new(),
            diagnostics: Vec::new(),
        };
        let exclude = top.join(".git/info/exclude");
        if exclude.is_file() {
            rules.exclude = rules.read_ignore_file(&top, &exclude);
        }
        rules
    }

    /// Decides a directory met in the walk (`rel` to the root, `name` its
    /// last component): `false` when it is fetched and not to be walked.
    pub(super) fn admit_dir(&mut self, rel: &str, name: &str, include_deps: bool) -> bool {
        let parent = rel.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
        let parent_name = parent.rsplit('/').next().unwrap_or(parent);
        let status = if self.is_fetched(parent) {
            // Inside a fetched folder: already said.
            None
        } else if name == BUILD_DIR {
            Some((FolderStatus::Fetched, "build output".to_owned()))
        } else if DEPS_DIRS.contains(&parent_name) {
            Some(self.decide(rel, true))
        } else if APP_DIRS.contains(&parent_name) {
            // An umbrella's own app unless the repository says otherwise:
            // listed only then.
            Some(self.decide(rel, false)).filter(|(s, _)| *s == FolderStatus::Fetched)
        } else {
            None
        };
        match status {
            Some((status, reason)) => {
                if status == FolderStatus::Fetched {
                    self.fetched.insert(rel.to_owned());
                }
                self.folders.push(DepFolder {
                    dir: rel.to_owned(),
                    status,
                    reason,
                });
                status == FolderStatus::Vendored || include_deps
            }
            None => include_deps || !self.is_fetched(parent),
        }
    }

    /// Whether `rel` is in (or is) a folder found fetched.
    pub(super) fn is_fetched(&self, rel: &str) -> bool {
        is_under_any(rel, &self.fetched)
    }

    fn decide(&mut self, rel: &str, under_deps: bool) -> (FolderStatus, String) {
        let abs = self.root.join(rel);
        if abs.join(".git").symlink_metadata().is_ok() {
            return (
                FolderStatus::Fetched,
                format!("a clone of its own ({rel}/.git)"),
            );
        }
        match self.verdict(&abs) {
            Verdict::Ignored(file, rule) => (
                FolderStatus::Fetched,
                format!("ignored by `{rule}` ({})", file.at(&rule)),
            ),
            Verdict::Kept(file, rule) => (
                FolderStatus::Vendored,
                format!("kept by `{rule}` ({})", file.at(&rule)),
            ),
            Verdict::Unsaid if under_deps => (
                FolderStatus::Vendored,
                "committed: no ignore rule of the repository names it".to_owned(),
            ),
            Verdict::Unsaid => (FolderStatus::Vendored, String::new()),
        }
    }

    /// Git's answer for a directory: ignored when it, or any folder between
    /// the root and it, is ignored (git does not look inside an ignored
    /// folder, so nothing in it can be kept); the deepest `.gitignore` with
    /// a matching rule decides for each folder.
    fn verdict(&mut self, abs: &Path) -> Verdict<'_> {
        // Folders above the root are not judged: the user chose to scan
        // inside them (a project under an ignored work folder is still one).
        let Ok(below_root) = abs.strip_prefix(&self.root) else {
            return Verdict::Unsaid;
        };
        let mut steps: Vec<PathBuf> = Vec::new();
        let mut here = self.root.clone();
        for c in below_root.components() {
            here.push(c);
            steps.push(here.clone());
        }
        for step in &steps {
            for dir in step.ancestors().skip(1) {
                self.load(dir);
                if dir == self.top {
                    break;
                }
            }
        }
        let mut last = Verdict::Unsaid;
        for step in &steps {
            match self.matched(step) {
                found @ Verdict::Ignored(..) => return found,
                other => last = other,
            }
        }
        last
    }

    /// The deepest matching rule for one path, `.git/info/exclude` last.
    fn matched(&self, path: &Path) -> Verdict<'_> {
        let files = path
            .ancestors()
            .skip(1)
            .take_while(|d| d.starts_with(&self.top))
            .filter_map(|d| self.matchers.get(d).and_then(Option::as_ref))
            .chain(self.exclude.as_ref());
        for file in files {
            let m = file.matcher.matched(path, true);
            if let Some(glob) = m.inner() {
                let rule = glob.original().to_owned();
                return if m.is_ignore() {
                    Verdict::Ignored(file, rule)
                } else {
                    Verdict::Kept(file, rule)
                };
            }
        }
        Verdict::Unsaid
    }

    fn load(&mut self, dir: &Path) {
        if self.matchers.contains_key(dir) {
            return;
        }
        let file = dir.join(".gitignore");
        let read = if file.is_file() {
            self.read_ignore_file(dir, &file)
        } else {
            None
        };
        self.matchers.insert(dir.to_path_buf(), read);
    }

    fn read_ignore_file(&mut self, dir: &Path, file: &Path) -> Option<IgnoreFile> {
        // Relative to the root, with `..` for the work tree's files above
        // it: the output does not depend on where the checkout is.
        let shown = match (file.strip_prefix(&self.root), file.strip_prefix(&self.top)) {
            (Ok(rel), _) => rel.to_string_lossy().replace('\\', "/"),
            (Err(_), Ok(from_top)) => {
                let up = self
                    .root
                    .strip_prefix(&self.top)
                    .map_or(0, |p| p.components().count());
                format!(
                    "{}{}",
                    "../".repeat(up),
                    from_top.to_string_lossy().replace('\\', "/")
                )
            }
            _ => file.display().to_string(),
        };
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                self.diagnostics.push(Diagnostic::file_level(
                    Severity::Warning,
                    "unreadable-file",
                    shown,
                    format!("cannot read: {e}; its ignore rules are not applied"),
                ));
                return None;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let mut builder = GitignoreBuilder::new(dir);
        let mut lines = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            match builder.add_line(Some(file.to_path_buf()), line) {
                Ok(_) => {
                    lines.insert(line.trim_end().to_owned(), i + 1);
                }
                Err(e) => self.diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    "ignore-rule",
                    shown.clone(),
                    i as u32 + 1,
                    None,
                    format!("ignore rule not understood ({e}); skipped, as git does"),
                )),
            }
        }
        let matcher = builder.build().ok()?;
        Some(IgnoreFile {
            matcher,
            shown,
            lines,
        })
    }
}

impl IgnoreFile {
    fn at(&self, rule: &str) -> String {
        match self.lines.get(rule) {
            Some(line) => format!("{}:{line}", self.shown),
            None => self.shown.clone(),
        }
    }
}

/// Whether `rel` is one of `dirs` or under one of them.
pub(crate) fn is_under_any(rel: &str, dirs: &BTreeSet<String>) -> bool {
    let mut here = rel;
    loop {
        if dirs.contains(here) {
            return true;
        }
        match here.rsplit_once('/') {
            Some((parent, _)) => here = parent,
            None => return false,
        }
    }
}
