//! The import graph between the files of `src/`: which file names which
//! (a `use` of `crate::`, `super::`, `self::` or a child module, and any
//! `crate::a::b` path written in code). docs/architecture.md asks that
//! data flow one way; this test fails on a cycle between files other than
//! the lint registry and its rules, which name each other by design.
//!
//! `cargo test --test architecture -- --nocapture` prints the cycles.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The cycles allowed by design: every file of such a cycle is one of
/// these (a prefix of the path under `src/`).
const ALLOWED: &[&str] = &["lint/mod.rs", "lint/registry.rs", "lint/rules/"];

/// Cycles that exist and are to be removed (issue 19, item 1): a cycle
/// whose files all fall under one group passes, any other fails, so no
/// new one appears. Remove a group once its cycle is gone.
const KNOWN: &[&[&str]] = &[
    // erlang_mk.rs reads conditionals with make_conditional.rs, which
    // expands values with erlang_mk.rs's expand_value.
    &["config/erlang_mk.rs", "config/make_conditional.rs"],
    // The trees (tree.rs) and the unstarted children (unstarted.rs) read
    // each other and mod.rs's types.
    &["graph/supervision/"],
    // lint/config.rs checks rule names with the registry, whose rules
    // take a Context holding the LintConfig.
    &["lint/"],
    // diagram.rs lays out with diagram_limits.rs, which measures a Diagram.
    &["render/diagram.rs", "render/diagram_limits.rs"],
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The module path of a file: `graph/calls.rs` is `[graph, calls]`,
/// `graph/mod.rs` is `[graph]`, `lib.rs` and `main.rs` are `[]`.
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The file holding the longest prefix of `path` that is a module.
fn file_of(path: &[String]) -> Option<String> {
    for k in (1..=path.len()).rev() {
        let base = path[..k].join("/");
        for candidate in [format!("{base}.rs"), format!("{base}/mod.rs")] {
            if src().join(&candidate).is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// The paths a `use` tree names, braces expanded: `a::{b, c::d}` gives
/// `a::b` and `a::c::d`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.to_owned()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |e| format!("{prefix}{e}")))
        .collect()
}

/// The paths a file names, as written: `use` trees expanded and
/// `crate::` paths in code; `pub use` items apart (its re-exports).
fn written_paths(text: &str) -> (Vec<String>, Vec<String>) {
    // Unit tests are inline modules, where `super` is the file itself;
    // what they import is no dependency of the file's code.
    let text = text
        .split("#[cfg(test)]\nmod tests {")
        .next()
        .unwrap_or(text);
    let (mut paths, mut reexports) = (Vec::new(), Vec::new());
    // `use` items, which may span lines.
    let mut rest = text;
    while let Some(i) = rest.find("use ") {
        let head = &rest[..i];
        let before = head.chars().last();
        let public = head.trim_end().ends_with("pub") || head.trim_end().ends_with("pub(crate)");
        rest = &rest[i + 4..];
        if before.is_some_and(|c| !c.is_whitespace()) {
            continue;
        }
        let Some(end) = rest.find(';') else { break };
        let tree: String = rest[..end].split_whitespace().collect();
        if tree
            .chars()
            .all(|c| c.is_alphanumeric() || "_:{},*".contains(c))
        {
            if public {
                reexports.extend(expand(&tree));
            }
            paths.extend(expand(&tree));
        }
    }
    // Paths written in code, `crate::a::b::f(...)` and `super::a::f(...)`
    // (not in comments, where they are doc links).
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (i, _) in line
            .match_indices("crate::")
            .chain(line.match_indices("super::"))
        {
            let before = line[..i].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let tail: String = line[i..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            // `use super::{a, b}` is read with the `use` items above.
            if !tail.ends_with("::") {
                paths.push(tail);
            }
        }
    }
    (paths, reexports)
}

/// A written path made absolute (from the crate root), or `None` for
/// another crate's.
fn absolute(module: &[String], path: &str) -> Option<Vec<String>> {
    let mut segs: Vec<String> = path
        .split("::")
        .filter(|s| !s.is_empty() && *s != "*")
        .map(str::to_owned)
        .collect();
    match segs.first().map(String::as_str) {
        Some("crate") => Some(segs.split_off(1)),
        Some("self") => Some(module.iter().cloned().chain(segs.split_off(1)).collect()),
        Some("super") => {
            let mut base = module.to_vec();
            while segs.first().map(String::as_str) == Some("super") {
                base.pop();
                segs.remove(0);
            }
            Some(base.into_iter().chain(segs).collect())
        }
        // A child module named without `self::` (`use rules::x` in
        // `lint/mod.rs`); anything else is another crate.
        Some(first) => {
            let child: Vec<String> = module.iter().cloned().chain([first.to_owned()]).collect();
            file_of(&child)
                .is_some_and(|f| module_of(&f) == child)
                .then(|| module.iter().cloned().chain(segs).collect())
        }
        None => None,
    }
}

/// Each file's re-exports: the name a `pub use` gives, and the absolute
/// path it stands for.
type Reexports = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// The file defining what `path` names, looking through re-exports
/// (`crate::syntax::Expr` is `syntax/ast.rs`, not the `syntax/mod.rs`
/// that re-exports it).
fn defining_file(path: &[String], reexports: &Reexports, depth: usize) -> Option<String> {
    let file = file_of(path)?;
    let module = module_of(&file);
    if depth < 8 && path.len() > module.len() {
        let name = &path[module.len()];
        if let Some(target) = reexports.get(&file).and_then(|r| r.get(name)) {
            let mut full = target.clone();
            full.extend(path[module.len() + 1..].iter().cloned());
            if let Some(f) = defining_file(&full, reexports, depth + 1) {
                return Some(f);
            }
        }
    }
    Some(file)
}

/// The strongly connected components with more than one file (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out.sort();
    s.out
}

fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = common::files_with_extension(&src(), "rs");
    assert!(files.len() > 50, "only {} files under src/", files.len());
    let mut written = BTreeMap::new();
    let mut reexports: Reexports = BTreeMap::new();
    for f in &files {
        let rel = f
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let module = module_of(&rel);
        let (paths, public) = written_paths(&std::fs::read_to_string(f).unwrap());
        let names = reexports.entry(rel.clone()).or_default();
        for p in public {
            if let Some(abs) = absolute(&module, &p) {
                if let Some(name) = abs.last() {
                    names.insert(name.clone(), abs.clone());
                }
            }
        }
        let paths: Vec<Vec<String>> = paths.iter().filter_map(|p| absolute(&module, p)).collect();
        written.insert(rel, paths);
    }
    written
        .into_iter()
        .map(|(rel, paths)| {
            let edges = paths
                .iter()
                .filter_map(|p| defining_file(p, &reexports, 0))
                .filter(|f| *f != rel)
                .collect();
            (rel, edges)
        })
        .collect()
}

#[test]
fn the_reader_finds_edges() {
    let graph = import_graph();
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    assert!(edges > 200, "only {edges} import edges found");
    assert!(graph["lint/registry.rs"].contains("lint/rules/mod.rs"));
    assert!(graph["commands/lint.rs"].contains("lint/registry.rs"));
}

#[test]
fn no_import_cycles_but_registry_and_rules() {
    let graph = import_graph();
    let all = cycles(&graph);
    for c in &all {
        println!("cycle: {}", c.join(" "));
        for f in c {
            let inside: Vec<&str> = graph[f]
                .iter()
                .filter(|g| c.contains(g))
                .map(String::as_str)
                .collect();
            println!("  {f} -> {}", inside.join(" "));
        }
    }
    let within =
        |c: &Vec<String>, group: &[&str]| c.iter().all(|f| group.iter().any(|a| f.starts_with(a)));
    let bad: Vec<&Vec<String>> = all
        .iter()
        .filter(|c| !within(c, ALLOWED) && !KNOWN.iter().any(|g| within(c, g)))
        .collect();
    assert!(bad.is_empty(), "import cycles between files: {bad:#?}");
}

/// The stages of docs/architecture.md, in the order data flows: a file
/// may import from its own stage and earlier ones only. The files at the
/// root that every stage shares (diagnostics, reading a file, exit codes,
/// progress) come first; `lib.rs` and `main.rs` last.
const STAGES: &[&[&str]] = &[
    &[
        "diagnostic.rs",
        "source.rs",
        "exit_code.rs",
        "internal_error.rs",
        "progress.rs",
    ],
    &["discover/"],
    &["syntax/"],
    &["eval/"],
    &["config/term/"],
    &["model/"],
    &["config/"],
    &["load/"],
    &["graph/"],
    &["lint/"],
    &["diff/"],
    &["render/"],
    &["commands/"],
    &["cli.rs"],
    &["lib.rs", "main.rs"],
];

/// Imports from a later stage that exist and are to be removed (issue
/// 19, item 1), as (importing file, imported file); any other fails.
const KNOWN_LATER: &[(&str, &str)] = &[];

fn stage_of(file: &str) -> usize {
    STAGES
        .iter()
        .position(|s| s.iter().any(|p| file.starts_with(p)))
        .unwrap_or_else(|| panic!("{file} is in no stage of STAGES (docs/architecture.md)"))
}

#[test]
fn no_import_from_a_later_stage() {
    let graph = import_graph();
    let mut bad = Vec::new();
    for (file, imports) in &graph {
        for to in imports {
            if stage_of(to) > stage_of(file) {
                println!("later: {file} -> {to}");
                if !KNOWN_LATER.contains(&(file.as_str(), to.as_str())) {
                    bad.push(format!("{file} -> {to}"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "imports from a later stage: {bad:#?}");
}
