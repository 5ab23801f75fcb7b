//! What a configuration script may ask of the world, answered without
//! running anything: files of the repository are read for real (never
//! written), the OS environment is what `--env` sets, the command line is
//! empty. Also the `lists`, `string` and `filename` functions scripts use
//! that supervision trees have no need of.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::diagnostic::{Diagnostic, Severity};

use crate::eval::{equal, Loc, Val, Value};
use crate::eval::{Evaluator, Host};

use super::convert::term_to_val;

/// The answers of one script's evaluation.
pub(crate) struct ScriptHost {
    /// The repository's root on disk: files are read under it only.
    pub(crate) root: PathBuf,
    /// `--env NAME=VALUE`, and what the script sets with `os:putenv/2`.
    pub(crate) env: RefCell<BTreeMap<String, String>>,
    /// Largest file read.
    pub(crate) max_bytes: u64,
    /// What was answered from outside the repository, said once per line.
    pub(crate) notes: RefCell<Vec<Diagnostic>>,
    /// Variables the script read that `--env` does not set.
    pub(crate) unset: RefCell<std::collections::BTreeSet<String>>,
}

/// The version rebar3 is taken to have: the script is read as rebar3 reads
/// it, and scripts only ask whether they run under rebar3 (`IsRebar3`).
const REBAR_VSN: &str = "3.0.0";

/// The modules the runtime system preloads (erts's `.app`, OTP 21.2 and
/// later, where `persistent_term`, `atomics` and `counters` joined): their
/// `code:which/1` is `preloaded` on any node rebar3 runs on today.
const PRELOADED: &[&str] = &[
    "atomics",
    "counters",
    "erl_init",
    "erl_prim_loader",
    "erl_tracer",
    "erlang",
    "erts_code_purger",
    "erts_dirty_process_signal_handler",
    "erts_internal",
    "erts_literal_area_collector",
    "init",
    "persistent_term",
    "prim_buffer",
    "prim_eval",
    "prim_file",
    "prim_inet",
    "prim_net",
    "prim_socket",
    "prim_zip",
    "socket_registry",
    "zlib",
];

impl Host for ScriptHost {
    fn call(
        &self,
        ev: &mut Evaluator<'_, '_>,
        m: &str,
        f: &str,
        args: &[Val],
        at: &Option<Loc>,
    ) -> Option<Val> {
        let loc = at.clone();
        let v = match (m, f, args.len()) {
            ("os", "getenv", 1 | 2) => {
                let name = text(&args[0])?;
                match self.env.borrow().get(&name) {
                    Some(value) => Val::new(Value::Str(value.clone()), loc),
                    None => {
                        self.unset.borrow_mut().insert(name);
                        if args.len() == 2 {
                            args[1].clone()
                        } else {
                            Val::atom("false", loc)
                        }
                    }
                }
            }
            ("os", "putenv", 2) => {
                let (name, value) = (text(&args[0])?, text(&args[1])?);
                self.env.borrow_mut().insert(name, value);
                Val::atom("true", loc)
            }
            ("os", "getenv", 0) => Val::list(
                self.env
                    .borrow()
                    .iter()
                    .map(|(k, v)| Val::new(Value::Str(format!("{k}={v}")), loc.clone()))
                    .collect(),
                loc,
            ),
            ("init", "get_plain_arguments", 0) => Val::list(vec![], loc),
            ("os", "type", 0) => {
                let (family, name) = os_type();
                self.note(
                    at,
                    format!("os:type() read as {{{family}, {name}}}, the system otpmap runs on"),
                );
                Val::tuple(
                    vec![Val::atom(family, loc.clone()), Val::atom(name, loc.clone())],
                    loc,
                )
            }
            ("erlang", "system_info", 1) if args[0].as_atom() == Some("otp_release") => {
                let release = otp_release()?;
                self.note(
                    at,
                    format!("erlang:system_info(otp_release) read as \"{release}\", the release of the `erl` on PATH"),
                );
                string(release, loc)
            }
            ("application", "get_key", 2)
                if args[0].as_atom() == Some("rebar") && args[1].as_atom() == Some("vsn") =>
            {
                self.note(
                    at,
                    format!("application:get_key(rebar, vsn) read as {{ok, \"{REBAR_VSN}\"}}: otpmap reads the script as rebar3 runs it"),
                );
                Val::tuple(
                    vec![Val::atom("ok", loc.clone()), string(REBAR_VSN, loc.clone())],
                    loc,
                )
            }
            ("init", "get_argument", 1) => Val::atom("error", loc),
            // The other test scripts make for "is it rebar3", asked of the
            // running code: rebar3's own module is loaded while it runs.
            ("erlang", "function_exported", 3)
                if args[0].as_atom() == Some("rebar3")
                    && args[1].as_atom() == Some("main")
                    && args[2].as_int() == Some(1) =>
            {
                self.note(
                    at,
                    "erlang:function_exported(rebar3, main, 1) read as true: otpmap reads the \
                     script as rebar3 runs it"
                        .to_owned(),
                );
                Val::atom("true", loc)
            }
            // "Does this OTP have it", asked of a module of the runtime
            // system; any other module's file depends on the code path.
            ("code", "which", 1) if args[0].as_atom().is_some_and(|m| PRELOADED.contains(&m)) => {
                let module = args[0].as_atom().unwrap_or_default();
                self.note(
                    at,
                    format!(
                        "code:which({module}) read as preloaded: the runtime system preloads \
                         {module} (OTP 21.2 and later)"
                    ),
                );
                Val::atom("preloaded", loc)
            }
            ("file", "consult", 1) => self.consult(&args[0], loc),
            ("file", "read_file", 1) => self.read_file(&args[0], loc),
            ("file", "read_file_info", 1 | 2) => match self.read(&args[0], &loc) {
                Ok(Some(_)) => Val::tuple(
                    vec![
                        Val::atom("ok", loc.clone()),
                        Val::unknown("a #file_info{} record", loc.clone()),
                    ],
                    loc,
                ),
                Ok(None) => enoent(loc),
                Err(u) => u,
            },
            ("file", "get_cwd", 0) => {
                self.note(
                    at,
                    "file:get_cwd() read as {ok, \".\"}: rebar3 runs from the root otpmap reads"
                        .to_owned(),
                );
                Val::tuple(
                    vec![Val::atom("ok", loc.clone()), string(".", loc.clone())],
                    loc,
                )
            }
            ("filelib", "is_file" | "is_regular" | "is_dir", 1) => {
                let path = match self.resolve(&args[0]) {
                    Ok(p) => p,
                    Err(why) => return Some(Val::unknown(why, loc)),
                };
                let yes = match f {
                    "is_file" => path.exists(),
                    "is_regular" => path.is_file(),
                    _ => path.is_dir(),
                };
                Val::atom(if yes { "true" } else { "false" }, loc)
            }
            _ => return self.library(ev, m, f, args, loc),
        };
        Some(v)
    }
}

/// Text of a string or binary argument (atoms are not file names here).
fn text(v: &Val) -> Option<String> {
    match v.kind() {
        Value::Atom(_) => None,
        _ => v.as_text(),
    }
}

/// Text of a file name: string, binary, atom, or a deep list of them.
fn name_text(v: &Val) -> Option<String> {
    match v.kind() {
        Value::Atom(a) => Some(a.clone()),
        Value::List(_) => {
            if let Some(t) = v.as_text() {
                return Some(t);
            }
            v.as_proper_list()?.iter().map(name_text).collect()
        }
        _ => v.as_text(),
    }
}

fn string(s: impl Into<String>, loc: Option<Loc>) -> Val {
    Val::new(Value::Str(s.into()), loc)
}

fn boolean(b: bool, loc: Option<Loc>) -> Val {
    Val::atom(if b { "true" } else { "false" }, loc)
}

impl ScriptHost {
    fn note(&self, at: &Option<Loc>, message: String) {
        let Some(at) = at else { return };
        let mut notes = self.notes.borrow_mut();
        if notes
            .iter()
            .any(|d| d.line == at.line && d.message == message)
        {
            return;
        }
        notes.push(Diagnostic::new(
            Severity::Info,
            super::convert::NOT_SETTLED,
            &*at.file,
            at.line,
            None,
            message,
        ));
    }

    /// The file a script names, under the root; an absolute path or one
    /// leaving the repository is not read.
    fn resolve(&self, v: &Val) -> Result<PathBuf, String> {
        let Some(name) = name_text(v) else {
            return Err("a file name not known".to_owned());
        };
        let p = Path::new(&name);
        if p.is_absolute() {
            return Err(format!("{name} is outside the repository"));
        }
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                Component::Normal(x) => out.push(x),
                Component::CurDir => {}
                Component::ParentDir => {
                    if !out.pop() {
                        return Err(format!("{name} is outside the repository"));
                    }
                }
                _ => return Err(format!("{name} is outside the repository")),
            }
        }
        Ok(self.root.join(out))
    }

    fn read(&self, v: &Val, loc: &Option<Loc>) -> Result<Option<(String, Vec<u8>)>, Val> {
        let path = self
            .resolve(v)
            .map_err(|why| Val::unknown(why, loc.clone()))?;
        if !path.is_file() {
            return Ok(None);
        }
        let rel = crate::source::relative_path(&self.root, &path);
        match crate::config::read_bytes(&path, &rel, self.max_bytes) {
            Ok(b) => Ok(Some((rel, b))),
            Err(d) => Err(Val::unknown(d.message, loc.clone())),
        }
    }

    /// `file:consult/1` through the project's term reader.
    fn consult(&self, v: &Val, loc: Option<Loc>) -> Val {
        let (rel, bytes) = match self.read(v, &loc) {
            Ok(Some(x)) => x,
            Ok(None) => return enoent(loc),
            Err(u) => return u,
        };
        match crate::config::term::consult_bytes(&bytes) {
            Ok(terms) => {
                let rel: Arc<str> = Arc::from(rel.as_str());
                let vals = terms.iter().map(|t| term_to_val(t, &rel)).collect();
                Val::tuple(
                    vec![Val::atom("ok", loc.clone()), Val::list(vals, loc.clone())],
                    loc,
                )
            }
            Err(e) => Val::unknown(
                format!(
                    "file:consult/1 of {rel}, which has a syntax error at line {}",
                    e.pos.line
                ),
                loc,
            ),
        }
    }

    fn read_file(&self, v: &Val, loc: Option<Loc>) -> Val {
        let (rel, bytes) = match self.read(v, &loc) {
            Ok(Some(x)) => x,
            Ok(None) => return enoent(loc),
            Err(u) => return u,
        };
        match String::from_utf8(bytes) {
            Ok(s) => Val::tuple(
                vec![
                    Val::atom("ok", loc.clone()),
                    Val::new(Value::Binary(s), loc.clone()),
                ],
                loc,
            ),
            Err(_) => Val::unknown(format!("the bytes of {rel}, which are not UTF-8"), loc),
        }
    }

    /// Library functions over known values.
    fn library(
        &self,
        ev: &mut Evaluator<'_, '_>,
        m: &str,
        f: &str,
        args: &[Val],
        loc: Option<Loc>,
    ) -> Option<Val> {
        if !matches!(m, "lists" | "string" | "filename" | "proplists") {
            return None;
        }
        if matches!(m, "string" | "filename") {
            // Text functions of a value not known: say what is not known.
            if let Some(u) = args.iter().find_map(|a| match a.kind() {
                Value::Fun(_) => None,
                _ => a.first_unknown(),
            }) {
                return Some(Val::new(Value::Unknown(u), loc));
            }
        }
        // Elements may be partly known: only the keys compared must be.
        let list = |i: usize| args.get(i).and_then(Val::as_proper_list);
        let int = |i: usize| args.get(i).and_then(Val::as_int);
        let undecided = |loc: Option<Loc>| {
            Some(Val::unknown(
                format!("{m}:{f}/{} over elements not known", args.len()),
                loc,
            ))
        };
        let v = match (m, f, args.len()) {
            ("lists", "keymember", 3) => {
                let (n, l) = (int(1)?, list(2)?);
                match key_position(&l, n, &args[0]) {
                    Ok(i) => boolean(i.is_some(), loc),
                    Err(()) => return undecided(loc),
                }
            }
            ("lists", "keystore" | "keyreplace", 4) => {
                let (n, mut l) = (int(1)?, list(2)?);
                match key_position(&l, n, &args[0]) {
                    Ok(Some(i)) => l[i] = args[3].clone(),
                    Ok(None) if f == "keystore" => l.push(args[3].clone()),
                    Ok(None) => {}
                    Err(()) => return undecided(loc),
                }
                Val::list(l, loc)
            }
            ("lists", "keydelete", 3) => {
                let (n, mut l) = (int(1)?, list(2)?);
                match key_position(&l, n, &args[0]) {
                    Ok(Some(i)) => {
                        l.remove(i);
                    }
                    Ok(None) => {}
                    Err(()) => return undecided(loc),
                }
                Val::list(l, loc)
            }
            ("lists", "keytake", 3) => {
                let (n, mut l) = (int(1)?, list(2)?);
                match key_position(&l, n, &args[0]) {
                    Ok(Some(i)) => {
                        let t = l.remove(i);
                        Val::tuple(
                            vec![
                                Val::atom("value", loc.clone()),
                                t,
                                Val::list(l, loc.clone()),
                            ],
                            loc,
                        )
                    }
                    Ok(None) => Val::atom("false", loc),
                    Err(()) => return undecided(loc),
                }
            }
            ("lists", "delete", 2) => {
                let mut l = list(1)?;
                if !args[0].is_concrete() || !l.iter().all(Val::is_concrete) {
                    return undecided(loc);
                }
                if let Some(i) = l.iter().position(|x| equal(x, &args[0]) == Some(true)) {
                    l.remove(i);
                }
                Val::list(l, loc)
            }
            ("lists", "subtract", 2) => {
                let (mut l, r) = (list(0)?, list(1)?);
                if !args[0].is_concrete() || !args[1].is_concrete() {
                    return undecided(loc);
                }
                for x in r {
                    if let Some(i) = l.iter().position(|y| equal(y, &x) == Some(true)) {
                        l.remove(i);
                    }
                }
                Val::list(l, loc)
            }
            ("lists", "prefix" | "suffix", 2) => {
                let (a, b) = (list(0)?, list(1)?);
                if !args[0].is_concrete() || !args[1].is_concrete() {
                    return undecided(loc);
                }
                if a.len() > b.len() {
                    return Some(boolean(false, loc));
                }
                let part = if f == "prefix" {
                    &b[..a.len()]
                } else {
                    &b[b.len() - a.len()..]
                };
                boolean(
                    a.iter().zip(part).all(|(x, y)| equal(x, y) == Some(true)),
                    loc,
                )
            }
            ("lists", "nthtail", 2) => {
                let (n, l) = (int(0)?, list(1)?);
                let n = usize::try_from(n).ok().filter(|n| *n <= l.len())?;
                Val::list(l[n..].to_vec(), loc)
            }
            ("lists", "dropwhile" | "takewhile" | "any" | "all" | "partition" | "splitwith", 2) => {
                let l = list(1)?;
                let mut held = Vec::new();
                for x in &l {
                    let r = ev.apply_fun(&args[0], vec![x.clone()], loc.clone());
                    match r.as_atom() {
                        Some("true") => held.push(true),
                        Some("false") => held.push(false),
                        _ => {
                            return Some(Val::unknown(
                                format!("lists:{f}/2 of a fun whose value is not known"),
                                loc,
                            ))
                        }
                    }
                    // any/all and the while functions stop at their answer.
                    let last = held[held.len() - 1];
                    let stop = match f {
                        "any" => last,
                        "partition" => false,
                        _ => !last,
                    };
                    if stop {
                        break;
                    }
                }
                let first_false = held.iter().position(|h| !h).unwrap_or(l.len());
                match f {
                    "any" => boolean(held.iter().any(|h| *h), loc),
                    "all" => boolean(held.iter().all(|h| *h), loc),
                    "dropwhile" => Val::list(l[first_false..].to_vec(), loc),
                    "takewhile" => Val::list(l[..first_false].to_vec(), loc),
                    "splitwith" => Val::tuple(
                        vec![
                            Val::list(l[..first_false].to_vec(), loc.clone()),
                            Val::list(l[first_false..].to_vec(), loc.clone()),
                        ],
                        loc,
                    ),
                    _ => {
                        let (yes, no): (Vec<_>, Vec<_>) =
                            l.iter().zip(&held).partition(|(_, h)| **h);
                        Val::tuple(
                            vec![
                                Val::list(
                                    yes.into_iter().map(|(x, _)| x.clone()).collect(),
                                    loc.clone(),
                                ),
                                Val::list(
                                    no.into_iter().map(|(x, _)| x.clone()).collect(),
                                    loc.clone(),
                                ),
                            ],
                            loc,
                        )
                    }
                }
            }
            ("proplists", "delete", 2) => {
                let l = list(1)?;
                if !args[1].is_concrete() {
                    return undecided(loc);
                }
                let kept = l
                    .into_iter()
                    .filter(|x| {
                        let key = match x.kind() {
                            Value::Tuple(es) => es.first().cloned(),
                            _ => Some(x.clone()),
                        };
                        key.is_none_or(|k| equal(&k, &args[0]) != Some(true))
                    })
                    .collect();
                Val::list(kept, loc)
            }
            ("string", _, _) => string_call(f, args, loc)?,
            ("filename", _, _) => filename_call(f, args, loc)?,
            _ => return None,
        };
        Some(v)
    }
}

fn enoent(loc: Option<Loc>) -> Val {
    Val::tuple(
        vec![
            Val::atom("error", loc.clone()),
            Val::atom("enoent", loc.clone()),
        ],
        loc,
    )
}

/// The index of the first tuple of `l` whose element `n` (1-based) equals
/// `key`; `Err` when an element before it cannot be told.
fn key_position(l: &[Val], n: i128, key: &Val) -> Result<Option<usize>, ()> {
    let n = usize::try_from(n).map_err(|_| ())?;
    for (i, t) in l.iter().enumerate() {
        let is = match t.kind() {
            Value::Tuple(es) if n >= 1 && n <= es.len() => equal(&es[n - 1], key),
            Value::Tuple(_) | Value::Atom(_) | Value::Int(_) | Value::Str(_) | Value::Binary(_) => {
                Some(false)
            }
            Value::List(_) | Value::Map(_) | Value::Float(_) | Value::Fun(_) => Some(false),
            _ => None,
        };
        match is {
            Some(true) => return Ok(Some(i)),
            Some(false) => {}
            None => return Err(()),
        }
    }
    Ok(None)
}

fn string_call(f: &str, args: &[Val], loc: Option<Loc>) -> Option<Val> {
    if (f, args.len()) == ("join", 2) {
        let parts: Option<Vec<String>> = args[0].as_proper_list()?.iter().map(text).collect();
        return Some(string(parts?.join(&text(&args[1])?), loc));
    }
    let s = args.first().and_then(text)?;
    // The functions of the string module give binaries for binaries.
    let bin = matches!(args[0].kind(), Value::Binary(_));
    let out = |t: &str, loc: Option<Loc>| {
        if bin {
            Val::new(Value::Binary(t.to_owned()), loc)
        } else {
            string(t, loc)
        }
    };
    let arg = |i: usize| args.get(i).and_then(text);
    let list_of = |parts: Vec<String>, loc: Option<Loc>| {
        Val::list(
            parts.into_iter().map(|p| string(p, loc.clone())).collect(),
            loc,
        )
    };
    Some(match (f, args.len()) {
        ("tokens", 2) => {
            let seps: Vec<char> = arg(1)?.chars().collect();
            list_of(
                s.split(|c| seps.contains(&c))
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect(),
                loc,
            )
        }
        ("split", 2) => {
            let sep = arg(1)?;
            if sep.is_empty() {
                return None;
            }
            let parts = match s.split_once(&sep) {
                Some((a, b)) => vec![out(a, loc.clone()), out(b, loc.clone())],
                None => vec![out(&s, loc.clone())],
            };
            Val::list(parts, loc)
        }
        ("trim", 1) => out(s.trim_matches(|c: char| c.is_whitespace()), loc),
        // string:strip/1 removes spaces only, and works on lists.
        ("strip", 1) if !bin => string(s.trim_matches(' '), loc),
        ("lowercase", 1) => out(&s.to_lowercase(), loc),
        ("uppercase", 1) => out(&s.to_uppercase(), loc),
        ("to_lower", 1) if !bin => string(s.to_lowercase(), loc),
        ("to_upper", 1) if !bin => string(s.to_uppercase(), loc),
        ("len" | "length", 1) => Val::new(Value::Int(s.chars().count() as i128), loc),
        ("str" | "rstr", 2) => {
            let sub = arg(1)?;
            let chars: Vec<char> = s.chars().collect();
            let needle: Vec<char> = sub.chars().collect();
            let mut found = 0;
            if !needle.is_empty() && needle.len() <= chars.len() {
                for i in 0..=chars.len() - needle.len() {
                    if chars[i..i + needle.len()] == needle[..] {
                        found = i + 1;
                        if f == "str" {
                            break;
                        }
                    }
                }
            }
            Val::new(Value::Int(found as i128), loc)
        }
        ("sub_string" | "substr", 2 | 3) => {
            let chars: Vec<char> = s.chars().collect();
            let start = usize::try_from(args[1].as_int()?)
                .ok()
                .filter(|i| *i >= 1)?;
            let end = match (f, args.get(2)) {
                (_, None) => chars.len(),
                ("sub_string", Some(e)) => usize::try_from(e.as_int()?).ok()?,
                (_, Some(n)) => start - 1 + usize::try_from(n.as_int()?).ok()?,
            };
            let end = end.min(chars.len());
            if start - 1 > end {
                return None;
            }
            string(chars[start - 1..end].iter().collect::<String>(), loc)
        }
        ("prefix", 2) => match s.strip_prefix(arg(1)?.as_str()) {
            Some(rest) => out(rest, loc),
            None => Val::atom("nomatch", loc),
        },
        ("equal", 2) => boolean(s == arg(1)?, loc),
        _ => return None,
    })
}

fn filename_call(f: &str, args: &[Val], loc: Option<Loc>) -> Option<Val> {
    let name = |i: usize| args.get(i).and_then(name_text);
    Some(match (f, args.len()) {
        ("join", 1) => {
            let parts: Option<Vec<String>> =
                args[0].as_proper_list()?.iter().map(name_text).collect();
            string(join_all(&parts?)?, loc)
        }
        ("join", 2) => string(join_all(&[name(0)?, name(1)?])?, loc),
        ("dirname", 1) => string(dirname(&name(0)?), loc),
        ("basename", 1) => string(basename(&name(0)?), loc),
        ("basename", 2) => {
            let b = basename(&name(0)?);
            let ext = name(1)?;
            string(b.strip_suffix(ext.as_str()).unwrap_or(&b), loc)
        }
        ("rootname", 1) => {
            let n = name(0)?;
            let ext = extension(&n);
            string(&n[..n.len() - ext.len()], loc)
        }
        ("rootname", 2) => {
            let n = name(0)?;
            let ext = name(1)?;
            string(n.strip_suffix(ext.as_str()).unwrap_or(&n), loc)
        }
        ("extension", 1) => string(extension(&name(0)?), loc),
        ("split", 1) => {
            let n = name(0)?;
            let mut parts: Vec<String> = Vec::new();
            if n.starts_with('/') {
                parts.push("/".to_owned());
            }
            parts.extend(n.split('/').filter(|p| !p.is_empty()).map(str::to_owned));
            Val::list(
                parts.into_iter().map(|p| string(p, loc.clone())).collect(),
                loc,
            )
        }
        _ => return None,
    })
}

/// `filename:join/1`: an absolute part restarts the path, repeated
/// slashes go, and so do `.` segments but the first and the last, as
/// Erlang's does (`join(".", "a")` is `"./a"`, `join("a", ".")` `"a/."`).
fn join_all(parts: &[String]) -> Option<String> {
    let mut absolute = false;
    let mut segs: Vec<&str> = Vec::new();
    for p in parts {
        if p.starts_with('/') {
            absolute = true;
            segs.clear();
        }
        segs.extend(p.split('/').filter(|s| !s.is_empty()));
    }
    let n = segs.len();
    let kept: Vec<&str> = segs
        .iter()
        .enumerate()
        .filter(|(i, s)| **s != "." || *i == 0 || *i + 1 == n)
        .map(|(_, s)| *s)
        .collect();
    let body = kept.join("/");
    Some(match (absolute, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => return None,
        (false, false) => body,
    })
}

/// `filename:dirname/1`: what is before the last slash.
fn dirname(n: &str) -> String {
    match n.rfind('/') {
        Some(i) => {
            let d = n[..i].trim_end_matches('/');
            if d.is_empty() {
                "/".to_owned()
            } else {
                d.to_owned()
            }
        }
        None => ".".to_owned(),
    }
}

fn basename(n: &str) -> String {
    let t = n.trim_end_matches('/');
    t.rsplit('/').next().unwrap_or(t).to_owned()
}

fn extension(n: &str) -> String {
    let b = basename(n);
    match b.rfind('.') {
        Some(i) if i > 0 => b[i..].to_owned(),
        _ => String::new(),
    }
}

/// `os:type()` of the system otpmap runs on.
fn os_type() -> (&'static str, &'static str) {
    match std::env::consts::OS {
        "windows" => ("win32", "nt"),
        "macos" => ("unix", "darwin"),
        "freebsd" => ("unix", "freebsd"),
        "openbsd" => ("unix", "openbsd"),
        "netbsd" => ("unix", "netbsd"),
        _ => ("unix", "linux"),
    }
}

/// The OTP release of the first `erl` on PATH, read from its root's
/// `releases/` directory (never by starting it): the OTP rebar3 would run
/// the script with. `None` without one.
fn otp_release() -> Option<String> {
    static RELEASE: OnceLock<Option<String>> = OnceLock::new();
    RELEASE
        .get_or_init(|| {
            let path = std::env::var_os("PATH")?;
            let erl = std::env::split_paths(&path)
                .map(|d| d.join("erl"))
                .find(|p| p.is_file())?;
            let root = std::fs::canonicalize(erl)
                .ok()?
                .parent()?
                .parent()?
                .to_path_buf();
            std::fs::read_dir(root.join("releases"))
                .ok()?
                .flatten()
                .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
                .max()
                .map(|r| r.to_string())
        })
        .clone()
}
