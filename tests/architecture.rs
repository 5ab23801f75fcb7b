//! The import graph between the files of `src/`: which file names which
//! (a `use` of `crate::`, `super::`, `self::` or a child module, and any
//! `crate::a::b`, `super::a::b`, `self::a` or `child::f` path written in
//! code). A name re-exported by a `mod.rs` is an edge to that `mod.rs` as
//! well as to the file defining it, as a structure checker reading the
//! paths sees it. docs/architecture.md asks that data flow one way; this
//! test fails on a cycle between files other than the lint registry and
//! its rules, which name each other by design.
//!
//! `cargo test --test architecture -- --nocapture` prints the cycles.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The cycles allowed: a cycle (a strongly connected component, of any
/// number of files) passes when all its files fall under one group (a
/// file, or a folder ending in `/`), any other fails, so no new one
/// appears; a group no cycle falls under fails too, so that it is removed
/// once its cycle is gone (issue 19, item 1).
const KNOWN: &[&[&str]] = &[
    // By design: the registry lists the rules (`rules::ALL`), and a rule
    // is a `RuleMeta` whose check takes the registry's `Context` and
    // gives its `Finding`s.
    &["lint/registry.rs", "lint/rules/"],
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

/// `text` without its `#[cfg(test)] mod tests { ... }` blocks: the
/// braces counted outside strings, characters and comments.
fn without_test_modules(text: &str) -> String {
    const START: &str = "#[cfg(test)]\nmod tests {";
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(START) {
        out.push_str(&rest[..at]);
        let body = &rest[at + START.len()..];
        let (mut depth, mut end) = (1, body.len());
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    while let Some((_, s)) = chars.next() {
                        match s {
                            '\\' => {
                                chars.next();
                            }
                            '"' => break,
                            _ => {}
                        }
                    }
                }
                '\'' => {
                    // A character ('{', '\\'') or a lifetime ('a).
                    let lit: String = body[i..].chars().take(4).collect();
                    if lit.starts_with("'\\") {
                        chars.next();
                        chars.next();
                        chars.next();
                    } else if lit.chars().nth(2) == Some('\'') {
                        chars.next();
                        chars.next();
                    }
                }
                '/' if chars.peek().map(|p| p.1) == Some('/') => {
                    while chars.next_if(|p| p.1 != '\n').is_some() {}
                }
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

/// The paths a file names, as written: `use` trees expanded and
/// `crate::` paths in code; `pub use` items apart (its re-exports).
fn written_paths(text: &str) -> (Vec<String>, Vec<String>) {
    // Unit tests are inline modules, where `super` is the file itself;
    // what they import is no dependency of the file's code (code after
    // them is).
    let text = without_test_modules(text);
    let text = text.as_str();
    let (mut paths, mut reexports) = (Vec::new(), Vec::new());
    // `use` items, which may span lines.
    let mut rest = text;
    while let Some(i) = rest.find("use ") {
        let head = &rest[..i];
        let before = head.chars().last();
        let head_end = head.trim_end();
        let public = head_end.ends_with("pub")
            || (head_end.ends_with(')')
                && head_end
                    .rsplit_once("pub(")
                    .is_some_and(|(_, v)| !v.contains(' ')));
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
    // Paths written in code: `crate::a::b::f(...)`, `super::a::f(...)`,
    // `self::a::f(...)` and `a::f(...)` (a child module, which `absolute`
    // tells from another crate's path); not in comments, where they are
    // doc links, nor in string literals.
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let bytes = line.as_bytes();
        for (i, _) in line.match_indices("::") {
            // The start of the path this `::` follows.
            let mut start = i;
            while start > 0
                && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_')
            {
                start -= 1;
            }
            let first = &line[start..i];
            let before = line[..start].chars().last();
            let in_string = line[..start].matches('"').count() % 2 == 1;
            if first.is_empty()
                || in_string
                || before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                || !first.starts_with(|c: char| c.is_ascii_lowercase())
            {
                continue;
            }
            let tail: String = line[start..]
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
            // The file the path names (a `mod.rs` re-exporting the item)
            // and the file defining it.
            let edges = paths
                .iter()
                .flat_map(|p| {
                    file_of(p)
                        .into_iter()
                        .chain(defining_file(p, &reexports, 0))
                })
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
        .filter(|c| !KNOWN.iter().any(|g| within(c, g)))
        .collect();
    assert!(bad.is_empty(), "import cycles between files: {bad:#?}");
    let stale: Vec<&&[&str]> = KNOWN
        .iter()
        .filter(|g| !all.iter().any(|c| within(c, g)))
        .collect();
    assert!(
        stale.is_empty(),
        "no cycle left in {stale:?}: remove it from KNOWN"
    );
}

/// What the reader must see for the cycle test to mean anything: a cycle
/// of three files, and the edges each way of writing a path gives.
#[test]
fn the_reader_sees_every_kind_of_edge() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")] {
        g.entry(a.to_owned()).or_default().insert(b.to_owned());
    }
    assert_eq!(
        cycles(&g),
        vec![vec!["a".to_owned(), "b".into(), "c".into()]]
    );

    let module = |f: &str| module_of(f);
    let (paths, reexports) = written_paths(
        "use super::value::{Val, Value};\npub(super) use callback::Callback;\n\
         fn f() { crate::eval::words::value(x); registry::find(n); \"a::b\"; Value::Atom }\n",
    );
    assert!(paths.contains(&"super::value::Val".to_owned()), "{paths:?}");
    assert!(
        paths.contains(&"crate::eval::words::value".to_owned()),
        "{paths:?}"
    );
    assert!(paths.contains(&"registry::find".to_owned()), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("a::")), "{paths:?}");
    assert_eq!(reexports, vec!["callback::Callback".to_owned()]);
    // A unit test module is left out, braces in its strings and
    // characters counted right; code after it is read.
    let (paths, _) = written_paths(
        "#[cfg(test)]\nmod tests {\n    use super::x::Y;\n    \
         fn f() { let s = \"}\"; let c = '}'; }\n}\nfn g() { crate::eval::words::value(v); }\n",
    );
    assert_eq!(paths, vec!["crate::eval::words::value".to_owned()]);
    // A child module named in code, `super::` from a file and from a
    // `mod.rs`, and a name a `mod.rs` re-exports.
    assert_eq!(
        absolute(&module("lint/mod.rs"), "registry::find"),
        Some(vec!["lint".into(), "registry".into(), "find".into()])
    );
    assert_eq!(absolute(&module("lint/mod.rs"), "Value::Atom"), None);
    assert_eq!(
        absolute(&module("eval/builtins/mod.rs"), "super::value::Val"),
        Some(vec!["eval".into(), "value".into(), "Val".into()])
    );
    let graph = import_graph();
    assert!(graph["lint/mod.rs"].contains("lint/registry.rs"));
    assert!(graph["eval/builtins/erlang.rs"].contains("eval/equal.rs"));
    // `crate::graph::supervision::Limits` (in registry.rs) names the `mod.rs` that
    // re-exports it and eval/limits.rs that defines it.
    assert!(graph["lint/registry.rs"].contains("graph/supervision/mod.rs"));
    assert!(graph["lint/registry.rs"].contains("eval/limits.rs"));
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

/// Data flows one way (docs/architecture.md, "The Run"): the loading
/// stage reads every file (OTP's `.app` files included), after it no
/// stage changes the `Project` (the boot orders live in `graph::Run`, not
/// in the model's releases), and diagnostics are sorted in one place, the
/// sink (`diagnostic::Sink`), never by a renderer or a command.
#[test]
fn no_stage_writes_back_and_one_diagnostics_sink() {
    let files = common::files_with_extension(&src(), "rs");
    assert!(files.len() > 50, "only {} files under src/", files.len());
    let mut bad = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(f).unwrap();
        let builds_the_model = ["load/", "config/", "model/"]
            .iter()
            .any(|stage| rel.starts_with(stage));
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let mut why = Vec::new();
            if !builds_the_model
                && [
                    "&mut Project",
                    "mut project",
                    "project.diagnostics.",
                    ".boot_order =",
                ]
                .iter()
                .any(|w| code.contains(w) && !code.contains("project.diagnostics.iter()"))
            {
                why.push("changes the loaded project");
            }
            if rel != "diagnostic.rs"
                && (code.contains("sort_and_dedup") || code.contains("Diagnostic::sort_key"))
            {
                why.push("sorts diagnostics outside the sink");
            }
            if (rel.starts_with("render/") || rel.starts_with("commands/"))
                && code.contains("sort_key()")
            {
                why.push("a renderer or command sorts by sort_key");
            }
            if rel != "model/sources.rs"
                && rel != "graph/run.rs"
                && rel != "lint/mod.rs"
                && code.contains("late_diagnostics()")
            {
                why.push("collects the parse timeouts outside a run's sink");
            }
            if rel.starts_with("graph/")
                && (code.contains("std::fs") || code.contains("read_terms"))
            {
                why.push("reads a file in the analysis stage (the loading stage reads)");
            }
            // The model is plain types: reading the sources (and looking on
            // disk for an include not read) is load/sources.rs's.
            if rel.starts_with("model/")
                && !in_test_module(&text, n)
                && (code.contains("std::fs") || code.contains("index_files"))
            {
                why.push("reads files in the model (the loading stage reads)");
            }
            for w in why {
                bad.push(format!("{rel}:{}: {w}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// True when line `n` (from 0) of `text` is inside its `#[cfg(test)]`
/// module, which may write fixtures to disk.
fn in_test_module(text: &str, n: usize) -> bool {
    text.lines()
        .take(n)
        .any(|l| l.trim_start().starts_with("#[cfg(test)]"))
}
