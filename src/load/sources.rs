//! Reading the project's Erlang sources: every module and header indexed
//! once, `-include`/`-include_lib` resolved the way epp and rebar3 resolve
//! them (looking on disk to say why an include was not read), and each
//! module's macro table. The result is the model's plain `Sources`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{FileKind, Found};
use crate::model::sources::{is_test_path, module_stem, owning_app, ModuleSource, Sources};
use crate::model::{App, ResourceKind};
use crate::syntax::{
    self, Define, DefineLists, IndexOptions, MacroContext, MacroTable, ModuleIndex,
};

/// The include path of a file: its own directory first (as epp does), then
/// the app's `include/` and `src/`, the app directory, and `{i, Dir}` from
/// the project's `erl_opts`, relative to the app and to the project root.
fn include_dirs(file: &str, app: Option<&App>, erl_opts_i: &[String]) -> Vec<String> {
    let mut dirs = vec![parent(file)];
    if let Some(app) = app {
        dirs.push(join(&app.dir, "include"));
        dirs.push(join(&app.dir, "src"));
        dirs.push(app.dir.clone());
        for i in erl_opts_i {
            dirs.push(normalize(&join(&app.dir, i)));
        }
    }
    for i in erl_opts_i {
        dirs.push(normalize(i));
    }
    dirs.dedup();
    dirs
}

fn parent(rel: &str) -> String {
    match rel.rfind('/') {
        Some(i) => rel[..i].to_owned(),
        None => ".".to_owned(),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir == "." || dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// Resolves `.` and `..` in a relative `/` path.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            _ => parts.push(p),
        }
    }
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// erlc's limit on nested include files (epp: "include too deep").
const MAX_INCLUDE_DEPTH: usize = 8;

/// Context for resolving includes across the project.
struct Resolver<'a> {
    /// The scanned root, to say why an include that exists was not read.
    root: &'a Path,
    headers: &'a BTreeMap<String, Arc<ModuleIndex>>,
    apps: &'a [App],
    erl_opts_i: &'a [String],
    /// Modules that see the same defines share one list (and its index).
    lists: DefineLists,
}

impl Resolver<'_> {
    /// The header an include names, as a key of `headers`.
    fn resolve(&self, from_file: &str, app: Option<&App>, inc: &syntax::Include) -> Option<String> {
        let path = inc.path.as_str();
        for dir in include_dirs(from_file, app, self.erl_opts_i) {
            let candidate = normalize(&join(&dir, path));
            if self.headers.contains_key(&candidate) {
                return Some(candidate);
            }
        }
        // `../../kernel/src/x.hrl` from an OTP lib dir where the folder is
        // `kernel-8.5.3`: map the app name to its versioned directory.
        if let Some(found) = self.resolve_versioned(from_file, path) {
            return Some(found);
        }
        if inc.lib {
            // -include_lib("app/include/x.hrl"): the first component names an app.
            let (app_name, rest) = path.split_once('/')?;
            let app_name = app_name.split('-').next().unwrap_or(app_name);
            for a in self.apps.iter().filter(|a| a.name == app_name) {
                let candidate = normalize(&join(&a.dir, rest));
                if self.headers.contains_key(&candidate) {
                    return Some(candidate);
                }
            }
        }
        None
    }

    /// Why an include that names something on disk was not read: it is a
    /// symbolic link not followed, or not a regular file (a folder, a
    /// device such as /dev/zero, a pipe). `None` when nothing is there.
    fn not_read(
        &self,
        from_file: &str,
        app: Option<&App>,
        inc: &syntax::Include,
    ) -> Option<String> {
        for dir in include_dirs(from_file, app, self.erl_opts_i) {
            let candidate = self.root.join(normalize(&join(&dir, &inc.path)));
            let Ok(meta) = std::fs::symlink_metadata(&candidate) else {
                continue;
            };
            return Some(if meta.file_type().is_symlink() {
                "is a symbolic link, not followed (--follow-links reads it)".to_owned()
            } else if meta.is_dir() {
                "is a folder".to_owned()
            } else if meta.is_file() {
                // Skipped by discovery (a folder it does not walk, too large).
                "was not read with the sources (see its own diagnostic)".to_owned()
            } else {
                "is not a regular file (a device, a pipe or a socket)".to_owned()
            });
        }
        None
    }

    fn resolve_versioned(&self, from_file: &str, path: &str) -> Option<String> {
        let joined = normalize(&join(&parent(from_file), path));
        let mut parts: Vec<&str> = joined.split('/').collect();
        for i in 0..parts.len().saturating_sub(1) {
            let name = parts[i];
            if let Some(app) = self.apps.iter().find(|a| {
                a.name == name && a.dir.rsplit('/').next() != Some(name) && a.dir.contains(name)
            }) {
                let dir_name = app.dir.rsplit('/').next().unwrap_or(&app.dir);
                parts[i] = dir_name;
                let candidate = parts.join("/");
                if self.headers.contains_key(&candidate) {
                    return Some(candidate);
                }
                parts[i] = name;
            }
        }
        None
    }

    /// The defines visible after processing `index` top to bottom, with the
    /// headers it includes expanded in place.
    fn collect<'i>(
        &'i self,
        index: &'i ModuleIndex,
        app: Option<&App>,
        out: &mut Vec<&'i Arc<Define>>,
        stack: &mut Vec<String>,
        diags: &mut Vec<Diagnostic>,
    ) {
        // Interleave own defines and includes by position: both lists are
        // in source order, so a merge (a sort here, once per module and
        // header it includes, was a twentieth of a `scan` of OTP's lib).
        let mut defines = index.defines.iter().peekable();
        for inc in &index.includes {
            while let Some(d) = defines.next_if(|d| d.span().start < inc.span.start) {
                out.push(d);
            }
            if !inc.literal {
                continue;
            }
            let at = |severity, code: &'static str, message: String| {
                Diagnostic::new(
                    severity,
                    code,
                    index.file.path.clone(),
                    inc.span.line,
                    Some(inc.span.column),
                    message,
                )
            };
            match self.resolve(&index.file.path, app, inc) {
                Some(key) => {
                    // A header including itself, directly or not, would loop:
                    // erlc stops it only by an -ifndef guard otpmap does
                    // not evaluate here, or at its depth limit.
                    if stack.contains(&key) {
                        diags.push(at(
                            Severity::Info,
                            "include-cycle",
                            format!(
                                "\"{}\" includes itself ({}); read once (erlc needs an \
                                 -ifndef guard here, or stops at {MAX_INCLUDE_DEPTH} nested \
                                 includes)",
                                inc.path,
                                stack.join(" -> ")
                            ),
                        ));
                        continue;
                    }
                    if stack.len() >= MAX_INCLUDE_DEPTH {
                        diags.push(at(
                            Severity::Error,
                            "include-too-deep",
                            format!(
                                "include too deep: \"{}\" would be the {}th nested include \
                                 file, erlc allows {MAX_INCLUDE_DEPTH}; not read (its macros \
                                 are unknown)",
                                inc.path,
                                stack.len() + 1
                            ),
                        ));
                        continue;
                    }
                    if let Some(h) = self.headers.get(&key) {
                        stack.push(key);
                        self.collect(h, app, out, stack, diags);
                        stack.pop();
                    }
                }
                // Info, not a warning: generated headers (yecc, asn1) and
                // include paths set outside rebar.config are common.
                None if !inc.lib && self.not_read(&index.file.path, app, inc).is_some() => {
                    let why = self
                        .not_read(&index.file.path, app, inc)
                        .unwrap_or_default();
                    diags.push(at(
                        Severity::Warning,
                        "include-not-read",
                        format!(
                            "include file \"{}\" exists but {why}; not read (its macros are \
                             unknown)",
                            inc.path
                        ),
                    ));
                }
                None if !inc.lib => diags.push(Diagnostic::new(
                    Severity::Info,
                    "include-not-found",
                    index.file.path.clone(),
                    inc.span.line,
                    Some(inc.span.column),
                    format!(
                        "cannot find include file \"{}\"; macros it defines are unknown ({})",
                        inc.path,
                        match app.map(|a| a.resource) {
                            // erlang.mk passes ERLC_OPTS to erlc.
                            Some(ResourceKind::ErlangMk) => {
                                "add `-I Dir` to ERLC_OPTS in the Makefile"
                            }
                            Some(ResourceKind::MixExs) => {
                                "add {:i, \"Dir\"} to erlc_options in mix.exs"
                            }
                            _ => "add its directory with {i, Dir} in erl_opts",
                        }
                    ),
                )),
                // -include_lib of an app outside the project (OTP, a dep not
                // fetched): expected, and its macros show as unresolved.
                None => {}
            }
        }
        out.extend(defines);
    }
}

/// The index of every module, then of every header, among `files` (in
/// that order: what [`read_sources`] takes).
pub(crate) fn index_sources(
    root: &Path,
    files: &[Found],
    options: IndexOptions,
) -> Vec<ModuleIndex> {
    let paths: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.kind == FileKind::Erl)
        .chain(files.iter().filter(|f| f.kind == FileKind::Hrl))
        .map(|f| f.path.clone())
        .collect();
    syntax::index_files(root, &paths, options)
}

/// The sources discovery found, from their indexes ([`index_sources`]),
/// with their includes resolved.
pub(crate) fn read_sources(
    root: &Path,
    files: &[Found],
    indexes: Vec<ModuleIndex>,
    apps: &[App],
    erl_opts_i: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Sources {
    let erl: Vec<&Found> = files.iter().filter(|f| f.kind == FileKind::Erl).collect();
    let hrl: Vec<&Found> = files.iter().filter(|f| f.kind == FileKind::Hrl).collect();
    let mut indexes = indexes.into_iter();
    let module_indexes: Vec<ModuleIndex> = indexes.by_ref().take(erl.len()).collect();
    let headers: BTreeMap<String, Arc<ModuleIndex>> = hrl
        .iter()
        .zip(indexes)
        .map(|(f, i)| {
            diags.extend(i.diagnostics.iter().cloned());
            (f.rel.clone(), Arc::new(i))
        })
        .collect();

    let resolver = Resolver {
        root,
        headers: &headers,
        apps,
        erl_opts_i,
        lists: DefineLists::default(),
    };
    // Per module on rayon's threads (include resolution was a sixth of a
    // `scan` when done in a loop); diagnostics keep the modules' order.
    let resolved: Vec<(ModuleSource, Vec<Diagnostic>)> = erl
        .par_iter()
        .zip(module_indexes.into_par_iter())
        .with_max_len(crate::syntax::FILES_PER_JOB)
        .map(|(f, index)| {
            let mut diags = Vec::new();
            let module = resolve_module(&resolver, f, index, apps, &mut diags);
            (module, diags)
        })
        .collect();
    let mut modules = Vec::with_capacity(resolved.len());
    for (module, module_diags) in resolved {
        diags.extend(module_diags);
        modules.push(module);
    }
    modules.sort_by(|a, b| a.file.cmp(&b.file));
    let mut by_name = crate::model::sources::ModulesByName::default();
    for (i, m) in modules.iter().enumerate() {
        if let Some(&first) = by_name.get(&m.name) {
            // Test and example copies are common; only two src/ modules
            // clash, and not when one is an example application's (each
            // example of a repository is a project of its own: cowboy's
            // have a toppage_h each).
            if m.app.is_some()
                && modules[first].app.is_some()
                && !is_test_path(&m.file)
                && !is_test_path(&modules[first].file)
            {
                diags.push(Diagnostic::file_level(
                    Severity::Warning,
                    "duplicate-module",
                    m.file.clone(),
                    format!(
                        "module `{}` is also defined in {}; using that one",
                        m.name, modules[first].file
                    ),
                ));
            }
            // Prefer a module inside an app's src/ over a stray copy.
            if modules[first].app.is_none() && m.app.is_some() {
                by_name.insert(m.name.clone(), i);
            }
        } else {
            by_name.insert(m.name.clone(), i);
        }
    }
    Sources::from_parts(modules, headers, by_name)
}

/// One module's source: its name (checked against the file name), app and
/// macro table with the defines of the headers it includes.
fn resolve_module(
    resolver: &Resolver<'_>,
    f: &Found,
    index: ModuleIndex,
    apps: &[App],
    diags: &mut Vec<Diagnostic>,
) -> ModuleSource {
    let stem = module_stem(&f.rel);
    let app = owning_app(&f.rel, apps);
    diags.extend(index.diagnostics.iter().map(|d| {
        match d.code {
            // A `.erl` file outside every application's source directories with
            // no `-module` is no module at all (shell snippets kept for a live
            // upgrade, a script to paste): nothing compiles it, nothing is wrong.
            "missing-module" if app.is_none() => Diagnostic {
                severity: Severity::Info,
                message: "no `-module` attribute: outside every application's source \
                      directories, so read as a snippet, not a module"
                    .to_owned(),
                ..d.clone()
            },
            _ => d.clone(),
        }
    }));
    let name = match index.name() {
        Some(n) if !n.starts_with('?') => {
            if n != stem && !index.is_unreadable() && !index.file.is_escript() {
                diags.push(Diagnostic::file_level(
                    Severity::Warning,
                    "module-name-mismatch",
                    f.rel.clone(),
                    format!(
                        "module `{n}` is in a file named {stem}.erl; the compiler rejects this"
                    ),
                ));
            }
            n.to_owned()
        }
        _ => stem,
    };
    let mut defines = Vec::new();
    let mut stack = Vec::new();
    // A test suite is no module of its app, but rebar3 compiles it with
    // the app's include path, so its headers are found the same way.
    let include_app = app.or_else(|| enclosing_app(&f.rel, apps));
    resolver.collect(&index, include_app, &mut defines, &mut stack, diags);
    let macros = MacroTable::shared(
        resolver.lists.intern(&defines),
        MacroContext::for_module(&index),
    );
    ModuleSource {
        name,
        file: f.rel.clone(),
        app: app.map(|a| a.name.clone()),
        index: Arc::new(index),
        macros: Arc::new(macros),
    }
}

/// The app whose directory holds `rel` at any depth (`test/`, `examples/`),
/// the innermost when apps nest.
fn enclosing_app<'a>(rel: &str, apps: &'a [App]) -> Option<&'a App> {
    apps.iter()
        .filter(|a| {
            a.dir == "."
                || a.dir.is_empty()
                || (rel.starts_with(a.dir.as_str()) && rel[a.dir.len()..].starts_with('/'))
        })
        .max_by_key(|a| a.dir.len())
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normalizes_relative_paths() {
        assert_eq!(
            normalize("apps/a/src/../include/x.hrl"),
            "apps/a/include/x.hrl"
        );
        assert_eq!(normalize("./include"), "include");
        assert_eq!(normalize("../x"), "../x");
    }
}
