//! The value domain of the partial evaluator: Erlang terms where they are
//! known, `Unknown` (with the reason and where) where they are not, and
//! `Alt` where the code takes one of several branches that only the build
//! or the run time decides.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde::Serialize;

pub(crate) use super::key_fp::KeyFp;

use crate::syntax::Clause;

/// A position in a source file (relative path, 1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    /// Relative path with `/` separators.
    pub(crate) file: Arc<str>,
    /// 1-based line.
    pub(crate) line: u32,
    /// 1-based character column.
    pub(crate) column: u32,
    /// Byte offset one past the end of what is located, in the file's
    /// text; 0 when not known (a whole file, an `.app.src` entry).
    pub(crate) end: usize,
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One condition a branch is taken under: `TEST defined`,
/// `application:get_env(app, k, true) matches true`.
#[derive(Debug, Clone)]
pub(crate) struct Cond {
    /// The condition in words, close to the source. Not changed once
    /// made (its fingerprint is kept): a new text is a new `Cond`.
    pub(crate) text: CondText,
    /// Whether it holds in the default build and environment (`TEST` and
    /// other `-ifdef` macros undefined, application env as in the `.app.src`,
    /// OS variables unset); `None` when that cannot be told.
    pub(crate) default: Option<bool>,
    /// The fingerprint of `text`, computed on first use: every `Alt`'s key
    /// and every memo key hashes its conditions' texts, the same texts
    /// again and again (7% of `tree` on kazoo).
    text_fp: OnceLock<KeyFp>,
}

impl PartialEq for Cond {
    fn eq(&self, other: &Cond) -> bool {
        self.default == other.default && self.text == other.text
    }
}

impl Eq for Cond {}

impl std::hash::Hash for Cond {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.text_fp().hash(h);
        self.default.hash(h);
    }
}

impl Cond {
    /// A condition with its default-build truth.
    pub(crate) fn new(text: impl Into<Arc<str>>, default: Option<bool>) -> Cond {
        Cond {
            text: CondText(text.into()),
            default,
            text_fp: OnceLock::new(),
        }
    }

    /// [`KeyFp`] of the text, as a key printing it gives.
    pub(super) fn text_fp(&self) -> KeyFp {
        *self.text_fp.get_or_init(|| KeyFp::of_text(&self.text))
    }
}

/// The text of a [`Cond`], shared: conditions are cloned into every path,
/// combination and alternative that stands under them, and their texts
/// run to hundreds of bytes (a copy at each clone was 3% of `tree`).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct CondText(Arc<str>);

impl CondText {
    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for CondText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CondText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for CondText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

/// Three-valued `and`.
pub(crate) fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Three-valued `or`.
pub(crate) fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// When something exists: always, or under any of several conjunctions of
/// conditions (a disjunctive normal form).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Presence {
    /// Disjuncts; empty means always.
    any_of: Vec<Vec<Cond>>,
}

/// More disjuncts than this are summarised: the text would not help.
const MAX_DISJUNCTS: usize = 6;

/// Joins disjuncts that differ only in one condition and its complement:
/// `(A and B) or (A and not B)` is A. A child that both branches of a
/// later `case` keep (`Specs = case Key of {ok, _} -> [Extra | Base]; _ ->
/// Base end`) is then present "only when A", not under the two branches
/// spelled out. False when a join leaves nothing: always.
fn merge_complements(any_of: &mut Vec<Vec<Cond>>) -> bool {
    loop {
        let mut joined = None;
        'pairs: for (i, a) in any_of.iter().enumerate() {
            for (j, b) in any_of.iter().enumerate().skip(i + 1) {
                if a.len() != b.len() {
                    continue;
                }
                let mut only_a = a.iter().filter(|c| !b.contains(c));
                let mut only_b = b.iter().filter(|c| !a.contains(c));
                if let (Some(x), None, Some(y), None) =
                    (only_a.next(), only_a.next(), only_b.next(), only_b.next())
                {
                    if complementary(x, y) {
                        let common: Vec<Cond> = a.iter().filter(|c| *c != x).cloned().collect();
                        joined = Some((i, j, common));
                        break 'pairs;
                    }
                }
            }
        }
        let Some((i, j, common)) = joined else {
            return true;
        };
        if common.is_empty() {
            return false;
        }
        any_of.remove(j);
        if any_of.contains(&common) {
            any_of.remove(i);
        } else {
            any_of[i] = common;
        }
    }
}

/// Between a clause's subject and its pattern in its condition ("`S`
/// matches P", `super::expr`), and in the catch-all's after it ("`S` does
/// not match P", [`super::words::catch_all_text`]): [`complementary`]
/// reads them back.
pub(crate) const MATCHES: &str = " matches ";
pub(crate) const DOES_NOT_MATCH: &str = " does not match ";

/// Whether one condition holds exactly when the other does not: a clause
/// "`S` matches P" and the catch-all after it alone, "`S` does not match
/// P" (see [`super::words::catch_all_text`]), same subject, same pattern.
fn complementary(a: &Cond, b: &Cond) -> bool {
    let negates = |positive: &str, negative: &str| {
        negative
            .split_once(DOES_NOT_MATCH)
            .is_some_and(|(subject, pattern)| {
                positive
                    .strip_prefix(subject)
                    .and_then(|rest| rest.strip_prefix(MATCHES))
                    == Some(pattern)
            })
    };
    negates(&a.text, &b.text) || negates(&b.text, &a.text)
}

impl Presence {
    /// Unconditional.
    pub(crate) fn always() -> Presence {
        Presence { any_of: Vec::new() }
    }

    /// True when unconditional.
    pub fn is_always(&self) -> bool {
        self.any_of.is_empty()
    }

    /// This presence, only when `cond` also holds.
    pub(crate) fn and(&self, cond: &[Cond]) -> Presence {
        if cond.is_empty() {
            return self.clone();
        }
        if self.any_of.is_empty() {
            // A condition met again deeper in a recursion is said once.
            let mut c: Vec<Cond> = Vec::with_capacity(cond.len());
            for x in cond {
                if !c.contains(x) {
                    c.push(x.clone());
                }
            }
            return Presence { any_of: vec![c] };
        }
        Presence {
            any_of: self
                .any_of
                .iter()
                .map(|c| {
                    let mut c = c.clone();
                    for x in cond {
                        if !c.contains(x) {
                            c.push(x.clone());
                        }
                    }
                    c
                })
                .collect(),
        }
    }

    /// Either presence (`always` absorbs everything).
    pub(crate) fn or(&self, other: &Presence) -> Presence {
        if self.is_always() || other.is_always() {
            return Presence::always();
        }
        let mut any_of = self.any_of.clone();
        for c in &other.any_of {
            if !any_of.contains(c) {
                any_of.push(c.clone());
            }
        }
        if !merge_complements(&mut any_of) {
            return Presence::always();
        }
        if any_of.len() > MAX_DISJUNCTS {
            let default = any_of
                .iter()
                .map(|c| conj_default(c))
                .fold(Some(false), or3);
            any_of = vec![vec![Cond::new(
                format!("one of {} branches", any_of.len()),
                default,
            )]];
        }
        Presence { any_of }
    }

    /// Whether it exists in the default build (see [`Cond::default`]).
    pub fn default(&self) -> Option<bool> {
        if self.any_of.is_empty() {
            return Some(true);
        }
        self.any_of
            .iter()
            .map(|c| conj_default(c))
            .fold(Some(false), or3)
    }

    /// The condition in words; empty for `always`.
    pub fn text(&self) -> String {
        let conj = |c: &Vec<Cond>| {
            c.iter()
                .map(|x| x.text.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        };
        match self.any_of.as_slice() {
            [] => String::new(),
            [one] => conj(one),
            many => many
                .iter()
                .map(|c| format!("({})", conj(c)))
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }
}

impl Presence {
    /// [`Presence::text`] in at most `max` characters for people, cut
    /// between conditions with how many are left out (the JSON document
    /// keeps the whole text).
    pub fn text_within(&self, max: usize) -> String {
        super::cut::cut(&self.text(), max)
    }
}

fn conj_default(c: &[Cond]) -> Option<bool> {
    c.iter().map(|x| x.default).fold(Some(true), and3)
}

/// A value that is not statically known, and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Unknown {
    /// Why: `application env courier.port`, `evaluation limit`, ...
    pub(crate) reason: String,
    /// Where the unknown value comes from.
    pub(crate) loc: Option<Loc>,
    /// Set when the value is the result of a call into a module that is
    /// not in the project: the call, as `gen_server2:start_link/4`.
    pub(crate) external: Option<String>,
}

impl Unknown {
    /// The reason with its location: `app env x (src/a.erl:3)`.
    pub(crate) fn describe(&self) -> String {
        let mut out = String::new();
        self.describe_into(&mut out);
        out
    }

    /// [`Unknown::describe`] appended to `out`, written piece by piece: a
    /// reason is described for every value in words, and the formatting
    /// machinery cost more than the text.
    pub(crate) fn describe_into(&self, out: &mut String) {
        match &self.loc {
            Some(l) => {
                out.reserve(self.reason.len() + l.file.len() + 14);
                out.push_str(&self.reason);
                out.push_str(" (");
                // As `Loc` displays.
                out.push_str(&l.file);
                out.push(':');
                push_int(out, i128::from(l.line));
                out.push(')');
            }
            None => out.push_str(&self.reason),
        }
    }
}

/// `i` in decimal, as `{i}` formats it, without the formatting machinery:
/// keys print every integer and every unknown's line, and reasons every
/// line and arity.
pub(super) fn push_int(out: &mut impl std::fmt::Write, i: i128) {
    let mut digits = [0u8; 40];
    let mut at = digits.len();
    let mut wide = i.unsigned_abs();
    // The digits above 64 bits first, in 128-bit divisions (calls); most
    // integers (every line number) have none, and the rest are divided in
    // 64 bits, one instruction each.
    while wide > u128::from(u64::MAX) {
        at -= 1;
        digits[at] = b'0' + (wide % 10) as u8;
        wide /= 10;
    }
    let mut n = wide as u64;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        at -= 1;
        digits[at] = b'-';
    }
    let _ = out.write_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// Variable bindings. foldhash rather than SipHash: every variable bound
/// or read hashes its name, and Env maps are built, grown and cloned at
/// every clause tried (SipHash was 3-5% of `tree`'s instructions).
pub(crate) type Env = HashMap<String, Val, foldhash::fast::FixedState>;

/// A function value.
#[derive(Debug, Clone)]
pub(crate) enum Closure {
    /// `fun f/1`, `fun m:f/1`.
    Named {
        module: String,
        function: String,
        arity: u32,
    },
    /// `fun (X) -> ... end` with the variables it captured.
    Lambda {
        module: String,
        clauses: Arc<Vec<Clause>>,
        env: Arc<Env>,
        /// The name of a named fun (`fun Loop(..) -> .. Loop(..) end`).
        name: Option<String>,
    },
}

/// How a process is started: the OTP start function that was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum StartKind {
    /// `supervisor:start_link/2,3`
    Supervisor,
    /// `supervisor_bridge:start_link/2,3`
    SupervisorBridge,
    /// `gen_server:start*`
    GenServer,
    /// `gen_statem:start*`
    GenStatem,
    /// `gen_fsm:start*`
    GenFsm,
    /// `gen_event:start*` (an event manager: no callback module)
    GenEvent,
    /// `proc_lib:start*`/`spawn*`: a special process or a plain one
    ProcLib,
    /// `erlang:spawn*`: a plain process
    Spawn,
}

impl StartKind {
    /// The behaviour (or module) name the start function belongs to.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            StartKind::Supervisor => "supervisor",
            StartKind::SupervisorBridge => "supervisor_bridge",
            StartKind::GenServer => "gen_server",
            StartKind::GenStatem => "gen_statem",
            StartKind::GenFsm => "gen_fsm",
            StartKind::GenEvent => "gen_event",
            StartKind::ProcLib => "proc_lib",
            StartKind::Spawn => "erlang",
        }
    }
}

/// A process started by an OTP start call the evaluator reached.
#[derive(Debug, Clone)]
pub(crate) struct Process {
    pub(crate) kind: StartKind,
    /// The start function as called: `gen_server:start_link/4`.
    pub(crate) call: String,
    /// The callback module (or the module of `proc_lib:spawn_link(M, F, A)`).
    pub(crate) callback: Val,
    /// The argument `init/1` receives (for gen_* and supervisors).
    pub(crate) arg: Option<Val>,
    /// The registered name argument: `{local, N}`, `{global, N}`, `{via, M, N}`.
    pub(crate) name: Option<Val>,
    /// Where the start call is.
    pub(crate) loc: Option<Loc>,
}

/// An element of a list value.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// One element.
    One(Val),
    /// The elements of another list-valued value that is not concrete
    /// (an `Alt` of lists, an unknown list).
    Splice(Val),
    /// Zero or more elements like `template`, built by a comprehension or
    /// a fold over a list that is not known.
    Many { template: Val, reason: String },
}

/// An Erlang term, partially known.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Atom(String),
    Int(i128),
    Float(f64),
    /// A string literal (a list of characters).
    Str(String),
    /// A binary of UTF-8 text.
    Binary(String),
    Tuple(Vec<Val>),
    List(Vec<Item>),
    Map(Vec<(Val, Val)>),
    Record {
        name: String,
        fields: Vec<(String, Val)>,
    },
    Fun(Arc<Closure>),
    /// A started process (its pid).
    Pid(Arc<Process>),
    Unknown(Unknown),
    /// One of several values, each under a condition.
    Alt(Vec<(Cond, Val)>),
}

#[derive(Debug)]
struct Node {
    kind: Value,
    loc: Option<Loc>,
    /// [`Val::key_fp`], computed on first use: values share parts, so
    /// printing keys whole is exponential in the nesting of `Alt`s.
    key_fp: OnceLock<KeyFp>,
    /// [`Val::size`].
    size: u32,
}

/// A value with the place it was written; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Val(Arc<Node>);

impl Val {
    /// A value written at `loc`.
    pub(crate) fn new(kind: Value, loc: Option<Loc>) -> Val {
        let size = kind_size(&kind);
        Val(Arc::new(Node {
            kind,
            loc,
            key_fp: OnceLock::new(),
            size,
        }))
    }

    /// The number of terms in the value counted as printed, shared parts
    /// once per use (saturating): what a walk over the value costs.
    pub(crate) fn size(&self) -> u32 {
        self.0.size
    }

    /// An unknown value.
    pub(crate) fn unknown(reason: impl Into<String>, loc: Option<Loc>) -> Val {
        Val::new(
            Value::Unknown(Unknown {
                reason: reason.into(),
                loc: loc.clone(),
                external: None,
            }),
            loc,
        )
    }

    /// The result of `call`, a function of a module not in the project.
    pub(crate) fn external(call: String, loc: Option<Loc>) -> Val {
        Val::new(
            Value::Unknown(Unknown {
                reason: [call.as_str(), " is not in the project"].concat(),
                loc: loc.clone(),
                external: Some(call),
            }),
            loc,
        )
    }

    /// An atom.
    pub(crate) fn atom(name: &str, loc: Option<Loc>) -> Val {
        Val::new(Value::Atom(name.to_owned()), loc)
    }

    /// A proper list of these elements.
    pub(crate) fn list(elems: Vec<Val>, loc: Option<Loc>) -> Val {
        Val::new(Value::List(elems.into_iter().map(Item::One).collect()), loc)
    }

    /// A tuple.
    pub(crate) fn tuple(elems: Vec<Val>, loc: Option<Loc>) -> Val {
        Val::new(Value::Tuple(elems), loc)
    }

    /// What the value is.
    pub(crate) fn kind(&self) -> &Value {
        &self.0.kind
    }

    /// Where it was written.
    pub(crate) fn loc(&self) -> Option<&Loc> {
        self.0.loc.as_ref()
    }

    /// The same value, said to be written at `loc`.
    pub(crate) fn at(&self, loc: Option<Loc>) -> Val {
        // The key does not depend on where the value stands.
        Val(Arc::new(Node {
            kind: self.0.kind.clone(),
            loc,
            key_fp: self.0.key_fp.clone(),
            size: self.0.size,
        }))
    }

    /// The atom's name.
    pub(crate) fn as_atom(&self) -> Option<&str> {
        match self.kind() {
            Value::Atom(a) => Some(a),
            _ => None,
        }
    }

    /// The integer.
    pub(crate) fn as_int(&self) -> Option<i128> {
        match self.kind() {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The tuple's elements.
    pub(crate) fn as_tuple(&self) -> Option<&[Val]> {
        match self.kind() {
            Value::Tuple(t) => Some(t),
            _ => None,
        }
    }

    /// The unknown, if this is one.
    pub(crate) fn as_unknown(&self) -> Option<&Unknown> {
        match self.kind() {
            Value::Unknown(u) => Some(u),
            _ => None,
        }
    }

    /// The elements when this is a fully known proper list (strings included).
    pub(crate) fn as_proper_list(&self) -> Option<Vec<Val>> {
        match self.kind() {
            Value::List(items) => items
                .iter()
                .map(|i| match i {
                    Item::One(v) => Some(v.clone()),
                    _ => None,
                })
                .collect(),
            Value::Str(s) => Some(
                s.chars()
                    .map(|c| Val::new(Value::Int(c as i128), self.loc().cloned()))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The text of a string, an atom, or a list of characters.
    pub(crate) fn as_text(&self) -> Option<String> {
        match self.kind() {
            Value::Str(s) | Value::Atom(s) | Value::Binary(s) => Some(s.clone()),
            Value::List(_) => self
                .as_proper_list()?
                .iter()
                .map(|c| {
                    c.as_int()
                        .and_then(|i| u32::try_from(i).ok())
                        .and_then(char::from_u32)
                })
                .collect(),
            _ => None,
        }
    }

    /// True when the value holds no `Unknown`, `Alt`, splice or pid anywhere.
    pub(crate) fn is_concrete(&self) -> bool {
        match self.kind() {
            Value::Atom(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::Str(_)
            | Value::Binary(_)
            | Value::Fun(_) => true,
            Value::Tuple(es) => es.iter().all(Val::is_concrete),
            Value::List(items) => items.iter().all(|i| match i {
                Item::One(v) => v.is_concrete(),
                _ => false,
            }),
            Value::Map(kvs) => kvs.iter().all(|(k, v)| k.is_concrete() && v.is_concrete()),
            Value::Record { fields, .. } => fields.iter().all(|(_, v)| v.is_concrete()),
            Value::Pid(_) | Value::Unknown(_) | Value::Alt(_) => false,
        }
    }

    /// The first unknown inside the value, for messages.
    pub(crate) fn first_unknown(&self) -> Option<Unknown> {
        match self.kind() {
            Value::Unknown(u) => Some(u.clone()),
            Value::Tuple(es) => es.iter().find_map(Val::first_unknown),
            Value::List(items) => items.iter().find_map(|i| match i {
                Item::One(v) | Item::Splice(v) => v.first_unknown(),
                Item::Many { reason, .. } => Some(Unknown {
                    reason: reason.clone(),
                    loc: None,
                    external: None,
                }),
            }),
            Value::Map(kvs) => kvs
                .iter()
                .find_map(|(k, v)| k.first_unknown().or_else(|| v.first_unknown())),
            Value::Record { fields, .. } => fields.iter().find_map(|(_, v)| v.first_unknown()),
            Value::Alt(alts) => alts.iter().find_map(|(_, v)| v.first_unknown()),
            _ => None,
        }
    }

    /// The value in the default build: every `Alt` replaced by its
    /// alternative whose condition holds by default. `None` when some `Alt`
    /// has no such alternative.
    pub(crate) fn default_view(&self) -> Option<Val> {
        Some(self.default_change()?.unwrap_or_else(|| self.clone()))
    }

    /// [`Val::default_view`], `Some(None)` when it is the value itself:
    /// every clause chosen views its arguments, most of them holding no
    /// `Alt`, and building them again was a copy of each at every call.
    fn default_change(&self) -> Option<Option<Val>> {
        let loc = || self.loc().cloned();
        Some(match self.kind() {
            Value::Alt(alts) => {
                let mut d = alts.iter().filter(|(c, _)| c.default == Some(true));
                let (_, v) = d.next()?;
                if d.next().is_some() {
                    return None;
                }
                Some(v.default_view()?)
            }
            Value::Tuple(es) => default_parts(es)?.map(|es| Val::new(Value::Tuple(es), loc())),
            Value::List(items) => {
                let mut changed = false;
                let mut viewed = Vec::with_capacity(items.len());
                for i in items {
                    viewed.push(match i {
                        Item::One(v) | Item::Splice(v) => {
                            let d = v.default_change()?;
                            changed |= d.is_some();
                            let d = d.unwrap_or_else(|| v.clone());
                            if matches!(i, Item::One(_)) {
                                Item::One(d)
                            } else {
                                Item::Splice(d)
                            }
                        }
                        Item::Many { .. } => i.clone(),
                    });
                }
                // A splice is inlined when concrete: the list changes.
                let spliced = items.iter().any(|i| matches!(i, Item::Splice(_)));
                (changed || spliced).then(|| Val::new(Value::List(viewed), loc()).normalized())
            }
            Value::Map(kvs) => {
                let mut changed = false;
                let mut viewed = Vec::with_capacity(kvs.len());
                for (k, v) in kvs {
                    let (dk, dv) = (k.default_change()?, v.default_change()?);
                    changed |= dk.is_some() || dv.is_some();
                    viewed.push((
                        dk.unwrap_or_else(|| k.clone()),
                        dv.unwrap_or_else(|| v.clone()),
                    ));
                }
                changed.then(|| Val::new(Value::Map(viewed), loc()))
            }
            _ => None,
        })
    }

    /// A list with spliced concrete lists inlined.
    fn normalized(&self) -> Val {
        match self.kind() {
            Value::List(items) if items.iter().any(|i| matches!(i, Item::Splice(_))) => {
                Val::new(Value::List(inline_items(items)), self.loc().cloned())
            }
            _ => self.clone(),
        }
    }

    /// Where [`Val::key_fp`] (in `term_text.rs`, which prints keys) keeps
    /// the fingerprint once computed.
    pub(super) fn key_fp_cell(&self) -> &OnceLock<KeyFp> {
        &self.0.key_fp
    }
}

/// [`Val::default_change`] of each of `vs`: `Some(None)` when none changes.
fn default_parts(vs: &[Val]) -> Option<Option<Vec<Val>>> {
    let mut out: Option<Vec<Val>> = None;
    for (i, v) in vs.iter().enumerate() {
        match (v.default_change()?, &mut out) {
            (Some(d), Some(out)) => out.push(d),
            (Some(d), None) => {
                let mut o = Vec::with_capacity(vs.len());
                o.extend_from_slice(&vs[..i]);
                o.push(d);
                out = Some(o);
            }
            (None, Some(out)) => out.push(v.clone()),
            (None, None) => {}
        }
    }
    Some(out)
}

fn kind_size(kind: &Value) -> u32 {
    let sum =
        |vs: &mut dyn Iterator<Item = &Val>| vs.fold(1u32, |acc, v| acc.saturating_add(v.size()));
    match kind {
        Value::Tuple(es) => sum(&mut es.iter()),
        Value::List(items) => sum(&mut items.iter().map(|i| match i {
            Item::One(v) | Item::Splice(v) => v,
            Item::Many { template, .. } => template,
        })),
        Value::Map(kvs) => sum(&mut kvs.iter().flat_map(|(k, v)| [k, v])),
        Value::Record { fields, .. } => sum(&mut fields.iter().map(|(_, v)| v)),
        Value::Pid(p) => sum(&mut std::iter::once(&p.callback)),
        Value::Alt(alts) => sum(&mut alts.iter().map(|(_, v)| v)),
        // Text counts by its length (a term per 16 bytes), so that a string
        // or binary doubled in a loop reaches the size bound (issue 18).
        Value::Atom(s) | Value::Str(s) | Value::Binary(s) => {
            1u32.saturating_add(u32::try_from(s.len() / 16).unwrap_or(u32::MAX))
        }
        Value::Int(_) | Value::Float(_) | Value::Fun(_) | Value::Unknown(_) => 1,
    }
}

/// Inlines spliced concrete lists and strings into the item list.
pub(crate) fn inline_items(items: &[Item]) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        match i {
            Item::Splice(v) => match v.kind() {
                Value::List(inner) => out.extend(inline_items(inner)),
                Value::Str(s) => out.extend(
                    s.chars()
                        .map(|c| Item::One(Val::new(Value::Int(c as i128), v.loc().cloned()))),
                ),
                _ => out.push(i.clone()),
            },
            _ => out.push(i.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_tp() {
        let l = None;
        let v = Val::tuple(
            vec![
                Val::atom("local", l.clone()),
                Val::atom("My", l.clone()),
                Val::new(Value::Str("ab".into()), l.clone()),
                Val::list(vec![], l.clone()),
                Val::new(Value::Binary("x".into()), l.clone()),
            ],
            l,
        );
        assert_eq!(v.to_erlang(), r#"{local,'My',"ab",[],<<"x">>}"#);
    }

    #[test]
    fn integers_and_places_print_as_formatted() {
        for i in [
            0,
            7,
            -7,
            10,
            -100,
            u64::MAX.into(),
            1 << 64,
            1 << 70,
            i128::MAX,
            i128::MIN,
        ] {
            assert_eq!(Val::new(Value::Int(i), None).to_erlang(), format!("{i}"));
        }
        let loc = Loc {
            file: "src/a.erl".into(),
            line: 120,
            column: 3,
            end: 0,
        };
        let u = Val::unknown("env x", Some(loc.clone()));
        assert_eq!(u.key(), format!("?(env x ({loc}))"));
    }

    #[test]
    fn key_fingerprints_agree_with_keys() {
        let l = None;
        let atom = |a: &str| Val::atom(a, None);
        let int = |i: i128| Val::new(Value::Int(i), None);
        let map = |kvs: Vec<(Val, Val)>| Val::new(Value::Map(kvs), None);
        let alt = |vs: Vec<Val>| {
            Val::new(
                Value::Alt(vs.into_iter().map(|v| (Cond::new("c", None), v)).collect()),
                None,
            )
        };
        let shared = alt(vec![atom("a"), int(1)]);
        let values = [
            Val::new(Value::Str("ab".into()), l.clone()),
            // Prints as "ab" too: equal keys, so equal fingerprints.
            Val::list(vec![int(97), int(98)], l.clone()),
            Val::list(vec![int(97)], l.clone()),
            map(vec![(atom("x"), int(1)), (atom("y"), int(2))]),
            map(vec![(atom("y"), int(2)), (atom("x"), int(1))]),
            map(vec![(atom("x"), int(2)), (atom("y"), int(1))]),
            Val::tuple(vec![shared.clone(), shared.clone()], l.clone()),
            Val::tuple(vec![shared.clone(), shared.at(None)], l.clone()),
            Val::tuple(vec![shared.clone(), atom("a")], l.clone()),
            Val::unknown("env x", l.clone()),
            Val::unknown("env y", l),
        ];
        for a in &values {
            for b in &values {
                assert_eq!(
                    a.key() == b.key(),
                    a.key_fp() == b.key_fp(),
                    "{} vs {}",
                    a.key(),
                    b.key()
                );
            }
        }
    }

    #[test]
    fn descriptions_are_as_formatted() {
        for line in [0, 1, 9, 10, 4321, u32::MAX] {
            let loc = Loc {
                file: "src/a.erl".into(),
                line,
                column: 1,
                end: 0,
            };
            let u = Unknown {
                reason: "env x".into(),
                loc: Some(loc.clone()),
                external: None,
            };
            assert_eq!(u.describe(), format!("env x ({loc})"));
        }
    }

    #[test]
    fn presence_logic() {
        let t = Cond::new("TEST defined", Some(false));
        let e = Cond::new("env x", None);
        let p = Presence::always().and(std::slice::from_ref(&t));
        assert_eq!(p.default(), Some(false));
        let q = p.or(&Presence::always().and(std::slice::from_ref(&e)));
        assert_eq!(q.default(), None);
        assert_eq!(q.text(), "(TEST defined) or (env x)");
        assert!(q.or(&Presence::always()).is_always());
    }

    /// A clause's condition and the catch-all's after it cancel out; any
    /// other pair of conditions stays.
    #[test]
    fn complementary_branches_join() {
        let mode = Cond::new("Mode matches follow", Some(true));
        let key = Cond::new("Key matches {ok, _}", None);
        let no_key = Cond::new("Key does not match {ok, _}", None);
        let other_key = Cond::new("Key does not match {ok, 1}", None);
        let under = |cs: &[&Cond]| {
            Presence::always().and(&cs.iter().map(|c| (*c).clone()).collect::<Vec<_>>())
        };
        let joined = under(&[&mode, &key]).or(&under(&[&no_key, &mode]));
        assert_eq!(joined.text(), "Mode matches follow");
        assert_eq!(joined.default(), Some(true));
        assert!(under(&[&key]).or(&under(&[&no_key])).is_always());
        let kept = under(&[&mode, &key]).or(&under(&[&mode, &other_key]));
        assert_eq!(
            kept.text(),
            "(Mode matches follow and Key matches {ok, _}) or \
             (Mode matches follow and Key does not match {ok, 1})"
        );
        // Joined into a disjunct already there: said once.
        let once = under(&[&mode])
            .or(&under(&[&mode, &key]))
            .or(&under(&[&mode, &no_key]));
        assert_eq!(once.text(), "Mode matches follow");
    }
}
