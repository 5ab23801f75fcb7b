//! `rebar.config.script` and `<app>.app.src.script`, evaluated statically.
//!
//! rebar3 runs such a script with `file:script/2`, binding `CONFIG` to the
//! terms of the file the script stands next to (`[]` when there is none)
//! and `SCRIPT` to the script's path; the script's value (its last
//! expression's) replaces that file's terms, a value that is not a list
//! counting as a list of one. otpmap never runs it: the expressions are
//! parsed by the syntax layer and evaluated by the partial evaluator
//! ([`crate::eval`]) with a [`host::ScriptHost`] that
//! reads the repository's files for real, answers `os:getenv/1` from
//! `--env` (`false` otherwise) and `init:get_plain_arguments/0` with `[]`.
//! Whatever the value leaves unknown (an OTP release, a file outside the
//! repository) is a diagnostic with the line, and the rest is used.
//!
//! `SCRIPT` is the path relative to the scanned root, which is where
//! rebar3 runs from: a script's `filename:dirname(SCRIPT)` then names the
//! same files as under rebar3.

mod convert;
mod host;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::config::term::Term;
use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::{is_raise, Code, Env, Evaluator, Limits, ModCtx, ModuleView, Source, Val, Value};
use crate::syntax::{index_module, split_forms, MacroContext, MacroTable, ModuleIndex, SourceFile};

pub(crate) use convert::NOT_SETTLED;

/// The diagnostic code of a script that gives nothing usable.
pub(crate) const NOT_EVALUATED: &str = "script-not-evaluated";

/// What the script's evaluation needs besides its text.
pub struct ScriptInput<'a> {
    /// The scanned root: files are read under it.
    pub root: &'a Path,
    /// The script's path relative to the root (also `SCRIPT`).
    pub rel: &'a str,
    /// `CONFIG`: the terms of the file the script stands next to.
    pub config: &'a [Term],
    /// That file's path relative to the root, when there is one.
    pub config_file: Option<&'a str>,
    /// `--env NAME=VALUE`.
    pub env: &'a BTreeMap<String, String>,
    /// Largest file read.
    pub max_bytes: u64,
}

/// The terms the script stands for, each with the file it is placed in
/// (the script, or the file `CONFIG` was read from for an entry passed
/// through unchanged); `None` when its value is not known at all (a syntax
/// error, an exception, an unknown value): the caller then falls back to
/// the static file, if any. Diagnostics in both cases.
pub fn evaluate(
    text: &str,
    input: &ScriptInput<'_>,
) -> (Option<Vec<(String, Term)>>, Vec<Diagnostic>) {
    let rel = input.rel;
    let mut diags = Vec::new();
    let Some((index, bodies)) = parse(text, rel, &mut diags) else {
        return (None, diags);
    };
    // The script is the project's one module, so that funs it defines
    // know their file when they are called.
    let script = Script::new(index);
    let code = Code::new(&script);
    let mut ev = Evaluator::new(&code);
    // A script is one straight run, not a search over branches: room for
    // recursion over a whole config (a named fun per entry) and long lists.
    ev.limits = Limits {
        steps: 200_000,
        depth: 400,
        same_function: 400,
        list_walk: 400,
        alternatives: 16,
        list: 10_000,
        value_size: 1_000_000,
    };
    let host = std::rc::Rc::new(host::ScriptHost {
        root: input.root.to_path_buf(),
        env: std::cell::RefCell::new(input.env.clone()),
        max_bytes: input.max_bytes,
        notes: Default::default(),
        unset: Default::default(),
    });
    ev.host = Some(host.clone());
    ev.begin();
    let file: Arc<str> = Arc::from(rel);
    let ctx = ModCtx {
        name: "$script".to_owned(),
        file: file.clone(),
        app: None,
    };
    let mut env = Env::default();
    // CONFIG's terms keep their own file: what the script passes through
    // unchanged is placed at the script's last expression, not at lines of
    // another file.
    let config_file: Arc<str> = Arc::from(input.config_file.unwrap_or(""));
    let config: Vec<Val> = input
        .config
        .iter()
        .map(|t| convert::term_to_val(t, &config_file))
        .collect();
    env.insert("CONFIG".to_owned(), Val::list(config, None));
    env.insert(
        "SCRIPT".to_owned(),
        Val::new(Value::Str(rel.to_owned()), None),
    );
    let mut last: Option<(Val, u32)> = None;
    for e in bodies.iter().flatten() {
        let v = ev.eval(&ctx, e, &mut env);
        diags.append(&mut host.notes.borrow_mut());
        if is_raise(&v) {
            diags.push(Diagnostic::new(
                Severity::Warning,
                NOT_EVALUATED,
                rel,
                e.span.line,
                None,
                raise_message(&host.unset.borrow()),
            ));
            return (None, diags);
        }
        last = Some((v, e.span.line));
    }
    let Some((value, line)) = last else {
        diags.push(Diagnostic::file_level(
            Severity::Warning,
            NOT_EVALUATED,
            rel,
            "the script has no expression: its value is not known",
        ));
        return (None, diags);
    };
    if ev.limit_hit {
        diags.push(Diagnostic::new(
            Severity::Warning,
            NOT_SETTLED,
            rel,
            line,
            None,
            "the script is too long to evaluate in full: what otpmap could not reach is left out",
        ));
    }
    let mut to = convert::ToTerms {
        rel,
        config_file: input.config_file,
        origin: rel.to_owned(),
        line,
        diagnostics: Vec::new(),
    };
    let terms = to.top_level(&value);
    diags.append(&mut to.diagnostics);
    if terms.is_empty() && !to_list(&value) {
        // The value itself is not known: nothing to use.
        return (None, diags);
    }
    (Some(terms), diags)
}

/// The script as the evaluator's code: its one module.
struct Script {
    name: String,
    index: ModuleIndex,
    macros: MacroTable,
}

impl Script {
    fn new(index: ModuleIndex) -> Script {
        let macros = MacroTable::new(
            index.defines.iter().cloned(),
            MacroContext::for_module(&index),
        );
        Script {
            name: index.name().unwrap_or_default().to_owned(),
            index,
            macros,
        }
    }
}

impl Source for Script {
    fn module(&self, name: &str) -> Option<ModuleView<'_>> {
        (name == self.name).then(|| ModuleView {
            name: &self.name,
            file: &self.index.file.path,
            app: None,
            index: &self.index,
            macros: &self.macros,
        })
    }
}

/// The script's expression sequences (one per dot), parsed as the bodies
/// of functions so the syntax layer reads them; lines are kept.
fn parse(
    text: &str,
    rel: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(crate::syntax::ModuleIndex, Vec<Vec<crate::syntax::Expr>>)> {
    let forms = split_forms(&SourceFile::from_text(rel, text));
    // Each sequence becomes `'$scriptN'() -> Seq.`, written on the line
    // where the sequence starts so that every line number stays the same.
    let mut wrapped = String::from("-module('$script'). ");
    let mut at = 0;
    for (i, form) in forms.forms.iter().enumerate() {
        wrapped.push_str(&text[at..form.range.start]);
        wrapped.push_str(&format!("'$script{i}'() -> "));
        at = form.range.start;
    }
    wrapped.push_str(&text[at..]);
    let index = index_module(SourceFile::from_text(rel, wrapped));
    let errors: Vec<Diagnostic> = index
        .full_check(std::time::Duration::from_secs(5))
        .into_iter()
        .chain(index.diagnostics.iter().cloned())
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let mut errors = errors;
    errors.sort_by(|a, b| (a.line, &a.message).cmp(&(b.line, &b.message)));
    errors.dedup_by(|a, b| a.line == b.line && a.message == b.message);
    if !errors.is_empty() {
        for d in errors {
            diags.push(Diagnostic::new(
                Severity::Error,
                NOT_EVALUATED,
                rel,
                d.line,
                None,
                format!(
                    "{}: otpmap cannot read the script (Erlang would not run it either)",
                    d.message
                ),
            ));
        }
        return None;
    }
    let mut bodies = Vec::new();
    for i in 0..forms.forms.len() {
        let f = index.function(&format!("$script{i}"), 0)?;
        bodies.push(f.clauses.first()?.body.clone());
    }
    Some((index, bodies))
}

/// Whether a value is a list (possibly empty) rather than a single term.
fn to_list(v: &Val) -> bool {
    matches!(v.kind(), Value::List(_) | Value::Str(_))
}

/// What to say of a script that raises: the variables it read unset are
/// the likely cause (a build that sets them before running rebar3).
fn raise_message(unset: &std::collections::BTreeSet<String>) -> String {
    let base = "the script raises an exception here when run as otpmap reads it (files of \
                the repository, os:getenv/1 from `--env`): its value is not known";
    match unset.iter().next() {
        None => base.to_owned(),
        Some(first) => {
            let names: Vec<&str> = unset.iter().map(String::as_str).collect();
            format!(
                "{base}; it reads {} unset: run otpmap with `--env {first}=VALUE` as your build sets it",
                names.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests;
