//! Child specs and supervisor flags, decoded from evaluated values in both
//! of OTP's forms (tuples and maps), with OTP's defaults filled in. Every
//! field keeps its source location and the raw value as written: an invalid
//! value (`restart => forever`) is kept and marked [`FieldValue::Invalid`],
//! not rejected, so lint rules can point at it.

use serde::Serialize;

use crate::eval::value::{Item, Loc, Val, Value};

/// `restart` of a child spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RestartType {
    /// Always restarted.
    Permanent,
    /// Restarted only after an abnormal exit.
    Transient,
    /// Never restarted.
    Temporary,
}

impl RestartType {
    /// Parses the atom.
    pub(crate) fn parse(s: &str) -> Option<RestartType> {
        Some(match s {
            "permanent" => RestartType::Permanent,
            "transient" => RestartType::Transient,
            "temporary" => RestartType::Temporary,
            _ => return None,
        })
    }

    /// The atom.
    pub fn as_str(self) -> &'static str {
        match self {
            RestartType::Permanent => "permanent",
            RestartType::Transient => "transient",
            RestartType::Temporary => "temporary",
        }
    }
}

/// `shutdown` of a child spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shutdown {
    /// `brutal_kill`
    BrutalKill,
    /// `infinity`
    Infinity,
    /// Milliseconds to wait after `exit(Child, shutdown)`.
    Timeout(u64),
}

impl Shutdown {
    /// Parses an atom or a non-negative integer.
    pub(crate) fn parse(v: &Val) -> Option<Shutdown> {
        match v.kind() {
            Value::Atom(a) if a == "brutal_kill" => Some(Shutdown::BrutalKill),
            Value::Atom(a) if a == "infinity" => Some(Shutdown::Infinity),
            Value::Int(i) => u64::try_from(*i).ok().map(Shutdown::Timeout),
            _ => None,
        }
    }
}

impl std::fmt::Display for Shutdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shutdown::BrutalKill => f.write_str("brutal_kill"),
            Shutdown::Infinity => f.write_str("infinity"),
            Shutdown::Timeout(ms) => write!(f, "{ms}"),
        }
    }
}

/// `type` of a child spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildType {
    Worker,
    Supervisor,
}

impl ChildType {
    /// Parses the atom.
    pub(crate) fn parse(s: &str) -> Option<ChildType> {
        match s {
            "worker" => Some(ChildType::Worker),
            "supervisor" => Some(ChildType::Supervisor),
            _ => None,
        }
    }

    /// The atom.
    pub fn as_str(self) -> &'static str {
        match self {
            ChildType::Worker => "worker",
            ChildType::Supervisor => "supervisor",
        }
    }
}

/// A supervisor's restart strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    OneForOne,
    OneForAll,
    RestForOne,
    SimpleOneForOne,
}

impl Strategy {
    /// Parses the atom.
    pub(crate) fn parse(s: &str) -> Option<Strategy> {
        Some(match s {
            "one_for_one" => Strategy::OneForOne,
            "one_for_all" => Strategy::OneForAll,
            "rest_for_one" => Strategy::RestForOne,
            "simple_one_for_one" => Strategy::SimpleOneForOne,
            _ => return None,
        })
    }

    /// The atom.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::OneForOne => "one_for_one",
            Strategy::OneForAll => "one_for_all",
            Strategy::RestForOne => "rest_for_one",
            Strategy::SimpleOneForOne => "simple_one_for_one",
        }
    }
}

/// `modules` of a child spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Modules {
    /// `dynamic` (gen_event managers).
    Dynamic,
    /// The callback modules.
    List(Vec<String>),
}

/// The start function `{M, F, A}` (OTP's `mfargs()`): arguments, not an
/// arity, unlike [`crate::eval::Mfa`].
#[derive(Debug, Clone)]
pub(crate) struct MfArgs {
    pub(crate) module: String,
    pub(crate) function: String,
    /// The argument list (may be partly unknown).
    args: Val,
}

impl MfArgs {
    /// `m:f(args)` in Erlang syntax.
    pub(crate) fn text(&self) -> String {
        // Argument by argument: the list printed whole would read `[9]`
        // as the string "\t".
        let inner = match self.arg_list() {
            Some(args) => args
                .iter()
                .map(Val::to_erlang)
                .collect::<Vec<_>>()
                .join(","),
            None => {
                let args = self.args.to_erlang();
                args.strip_prefix('[')
                    .and_then(|a| a.strip_suffix(']'))
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("{args}..."))
            }
        };
        format!(
            "{}:{}({inner})",
            crate::syntax::print::atom_text(&self.module),
            crate::syntax::print::atom_text(&self.function)
        )
    }

    /// The arguments when the list is fully known in length.
    pub(crate) fn arg_list(&self) -> Option<Vec<Val>> {
        match self.args.kind() {
            Value::List(items) => items
                .iter()
                .map(|i| match i {
                    crate::eval::value::Item::One(v) => Some(v.clone()),
                    _ => None,
                })
                .collect(),
            Value::Str(_) => self.args.as_proper_list(),
            _ => None,
        }
    }
}

/// What is known of a field.
#[derive(Debug, Clone)]
pub(crate) enum FieldValue<T> {
    /// Written (or computed) and valid.
    Given(T),
    /// Not written: OTP's default applies.
    Default(T),
    /// Written but not valid for the field; `raw` has what was written.
    Invalid,
    /// Not statically known; the reason.
    Unresolved(String),
}

/// One field of a child spec or of sup flags.
#[derive(Debug, Clone)]
pub(crate) struct Field<T> {
    pub(crate) value: FieldValue<T>,
    /// The value as written, in Erlang syntax; `None` when omitted.
    pub(crate) raw: Option<String>,
    /// Where the value is written; `None` when omitted.
    pub(crate) loc: Option<Loc>,
    /// When the value is the one of the default build only (an env
    /// default, a `-ifdef` branch), the condition it holds under.
    pub(crate) condition: Option<String>,
}

impl<T> Field<T> {
    /// The value, given or defaulted.
    pub(crate) fn get(&self) -> Option<&T> {
        match &self.value {
            FieldValue::Given(v) | FieldValue::Default(v) => Some(v),
            _ => None,
        }
    }

    /// Why the value is not known, if it is not.
    pub(crate) fn unresolved(&self) -> Option<&str> {
        match &self.value {
            FieldValue::Unresolved(r) => Some(r),
            _ => None,
        }
    }

    fn omitted(default: T) -> Field<T> {
        Field {
            value: FieldValue::Default(default),
            raw: None,
            loc: None,
            condition: None,
        }
    }

    fn unknown(reason: String) -> Field<T> {
        Field {
            value: FieldValue::Unresolved(reason),
            raw: None,
            loc: None,
            condition: None,
        }
    }
}

/// Decodes a written field: known values parsed, `Alt`s resolved to the
/// default build's value (with its condition), unknowns kept with reasons.
/// A field whose value holds alternatives none of which the default build
/// picks: not known statically.
fn branches_differ<T>(v: &Val, loc: Option<Loc>) -> Field<T> {
    Field {
        value: FieldValue::Unresolved(format!(
            "{}, depending on the branch taken",
            crate::eval::words::value(v)
        )),
        raw: Some(v.to_erlang()),
        loc,
        condition: None,
    }
}

fn decode<T>(v: &Val, parse: &dyn Fn(&Val) -> Option<T>) -> Field<T> {
    let loc = v.loc().cloned();
    match v.kind() {
        Value::Unknown(u) => Field {
            value: FieldValue::Unresolved(u.describe()),
            raw: Some(v.to_erlang()),
            loc,
            condition: None,
        },
        Value::Alt(alts) => {
            let chosen = alts
                .iter()
                .filter(|(c, _)| c.default == Some(true))
                .map(|(c, x)| (c, x.default_view()))
                .next();
            match chosen {
                Some((c, Some(d))) => {
                    let mut f = decode(&d, parse);
                    f.condition = Some(c.text.to_string());
                    f.raw = Some(v.to_erlang());
                    f.loc = loc;
                    f
                }
                _ => Field {
                    value: FieldValue::Unresolved(format!(
                        "{}, depending on the branch taken",
                        crate::eval::words::value(v)
                    )),
                    raw: Some(v.to_erlang()),
                    loc,
                    condition: None,
                },
            }
        }
        _ if !v.is_concrete() => match (parse(v), v.first_unknown()) {
            // `{Mod, start_link, []}` where `Mod` depends on the branch:
            // the default build's value, with the condition it holds under.
            (None, _) if default_parts(v).is_some() => {
                let (d, c) = default_parts(v).expect("checked");
                let mut f = decode(&d, parse);
                if matches!(f.value, FieldValue::Given(_)) {
                    f.condition = Some(c);
                    f.raw = Some(v.to_erlang());
                    f.loc = loc;
                    return f;
                }
                match v.first_unknown() {
                    Some(u) => Field {
                        value: FieldValue::Unresolved(u.describe()),
                        raw: Some(v.to_erlang()),
                        loc,
                        condition: None,
                    },
                    None => branches_differ(v, loc),
                }
            }
            (Some(x), _) => Field {
                value: FieldValue::Given(x),
                raw: Some(v.to_erlang()),
                loc,
                condition: None,
            },
            (None, Some(u)) => Field {
                value: FieldValue::Unresolved(u.describe()),
                raw: Some(v.to_erlang()),
                loc,
                condition: None,
            },
            // Not concrete and nothing unknown: alternatives inside
            // (`{Probe, start_link, []}` with `Probe` chosen by
            // `os:type()`). A value that differs between branches is not
            // judged, not called invalid.
            (None, None) => branches_differ(v, loc),
        },
        _ => Field {
            value: match parse(v) {
                Some(x) => FieldValue::Given(x),
                None => FieldValue::Invalid,
            },
            raw: Some(v.to_erlang()),
            loc,
            condition: None,
        },
    }
}

/// A term with alternatives inside (not at its top) as the default build
/// has it, and the condition of the first such alternative: `None` when
/// it has none, or no single default.
fn default_parts(v: &Val) -> Option<(Val, String)> {
    fn first_alt(v: &Val) -> Option<String> {
        match v.kind() {
            Value::Alt(alts) => alts
                .iter()
                .find(|(c, _)| c.default == Some(true))
                .map(|(c, _)| c.text.to_string()),
            Value::Tuple(es) => es.iter().find_map(first_alt),
            Value::List(items) => items.iter().find_map(|i| match i {
                Item::One(x) | Item::Splice(x) => first_alt(x),
                Item::Many { .. } => None,
            }),
            _ => None,
        }
    }
    let c = first_alt(v)?;
    let d = v.default_view()?;
    (d.key_fp() != v.key_fp()).then_some((d, c))
}

/// Which of OTP's two forms a spec or sup flags are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Form {
    /// `{Id, Start, Restart, Shutdown, Type, Modules}`, `{Strategy, Intensity, Period}`
    Tuple,
    /// `#{id => ..., start => ...}`, `#{strategy => ...}`
    Map,
}

/// A child spec as the supervisor's `init/1` returns it, evaluated.
#[derive(Debug, Clone)]
pub(crate) struct ChildSpec {
    pub(crate) form: Form,
    /// The id, printed in Erlang syntax as `~tp` would.
    pub(crate) id: Field<String>,
    pub(crate) start: Field<MfArgs>,
    pub(crate) restart: Field<RestartType>,
    pub(crate) shutdown: Field<Shutdown>,
    pub(crate) child_type: Field<ChildType>,
    pub(crate) modules: Field<Modules>,
    pub(crate) significant: Field<bool>,
    /// Where the spec is written (the tuple or map, or the call building it).
    pub(crate) loc: Option<Loc>,
}

/// A restart type; also the `{permanent, Delay}` and `{transient, Delay}`
/// of the supervisor clones that restart after a delay (`supervisor2`,
/// `supervisor3`: brod's clients), which restart as these.
fn parse_restart(v: &Val) -> Option<RestartType> {
    match v.kind() {
        Value::Atom(a) => RestartType::parse(a),
        Value::Tuple(es) => match es.as_slice() {
            [r, delay]
                if matches!(delay.kind(), Value::Int(d) if *d >= 0)
                    || delay.as_unknown().is_some() =>
            {
                match r.as_atom()? {
                    "permanent" => Some(RestartType::Permanent),
                    "transient" => Some(RestartType::Transient),
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

fn atom_of<T>(parse: fn(&str) -> Option<T>) -> impl Fn(&Val) -> Option<T> {
    move |v: &Val| v.as_atom().and_then(parse)
}

fn parse_mfa(v: &Val) -> Option<MfArgs> {
    match v.as_tuple()? {
        [m, f, a] => Some(MfArgs {
            module: m.as_atom()?.to_owned(),
            function: f.as_atom()?.to_owned(),
            args: match a.kind() {
                Value::List(_) | Value::Str(_) | Value::Unknown(_) | Value::Alt(_) => a.clone(),
                _ => return None,
            },
        }),
        _ => None,
    }
}

fn parse_modules(v: &Val) -> Option<Modules> {
    if v.as_atom() == Some("dynamic") {
        return Some(Modules::Dynamic);
    }
    v.as_proper_list()?
        .iter()
        .map(|m| m.as_atom().map(str::to_owned))
        .collect::<Option<Vec<_>>>()
        .map(Modules::List)
}

fn parse_id(v: &Val) -> Option<String> {
    if v.as_unknown().is_some() {
        return None;
    }
    Some(v.to_erlang())
}

impl ChildSpec {
    /// Decodes a child spec; `Err` with the reason when the value is not one.
    pub(crate) fn from_value(v: &Val) -> Result<ChildSpec, String> {
        match v.kind() {
            Value::Tuple(es) if es.len() == 6 => {
                let child_type = decode(&es[4], &atom_of(ChildType::parse));
                Ok(ChildSpec {
                    form: Form::Tuple,
                    id: decode(&es[0], &parse_id),
                    start: decode(&es[1], &parse_mfa),
                    restart: decode(&es[2], &parse_restart),
                    shutdown: decode(&es[3], &Shutdown::parse),
                    child_type,
                    modules: decode(&es[5], &parse_modules),
                    significant: Field::omitted(false),
                    loc: v.loc().cloned(),
                })
            }
            Value::Tuple(es) => Err(format!(
                "not a child spec: a tuple of {} elements, {}",
                es.len(),
                crate::eval::words::value(v)
            )),
            Value::Map(kvs) => {
                let get = |k: &str| kvs.iter().find(|(key, _)| key.as_atom() == Some(k));
                let field = |k: &str| get(k).map(|(_, v)| v.clone());
                let id = match field("id") {
                    Some(x) => decode(&x, &parse_id),
                    None => Field::unknown("child spec map without `id`".to_owned()),
                };
                let start = match field("start") {
                    Some(x) => decode(&x, &parse_mfa),
                    None => Field::unknown("child spec map without `start`".to_owned()),
                };
                let child_type = match field("type") {
                    Some(x) => decode(&x, &atom_of(ChildType::parse)),
                    None => Field::omitted(ChildType::Worker),
                };
                let shutdown = match field("shutdown") {
                    Some(x) => decode(&x, &Shutdown::parse),
                    None => match child_type.get() {
                        Some(ChildType::Supervisor) => Field::omitted(Shutdown::Infinity),
                        Some(ChildType::Worker) => Field::omitted(Shutdown::Timeout(5000)),
                        None => Field::unknown("default depends on the child type".to_owned()),
                    },
                };
                let modules = match field("modules") {
                    Some(x) => decode(&x, &parse_modules),
                    None => match start.get() {
                        Some(mfa) => Field::omitted(Modules::List(vec![mfa.module.clone()])),
                        None => Field::unknown("default is the start module".to_owned()),
                    },
                };
                Ok(ChildSpec {
                    form: Form::Map,
                    id,
                    start,
                    restart: match field("restart") {
                        Some(x) => decode(&x, &parse_restart),
                        None => Field::omitted(RestartType::Permanent),
                    },
                    shutdown,
                    child_type,
                    modules,
                    significant: match field("significant") {
                        Some(x) => decode(&x, &|v: &Val| match v.as_atom() {
                            Some("true") => Some(true),
                            Some("false") => Some(false),
                            _ => None,
                        }),
                        None => Field::omitted(false),
                    },
                    loc: v.loc().cloned(),
                })
            }
            Value::Unknown(u) => Err(u.describe()),
            _ => Err(match crate::eval::words::unknown_reasons(v) {
                Some(reasons) => reasons,
                None => format!("not a child spec: {}", crate::eval::words::value(v)),
            }),
        }
    }
}

/// A supervisor's flags, evaluated.
#[derive(Debug, Clone)]
pub(crate) struct SupFlags {
    pub(crate) strategy: Field<Strategy>,
    pub(crate) intensity: Field<u64>,
    pub(crate) period: Field<u64>,
    /// `auto_shutdown` (maps only; `never` by default), as written.
    pub(crate) auto_shutdown: Field<String>,
    pub(crate) loc: Option<Loc>,
}

fn non_negative(v: &Val) -> Option<u64> {
    v.as_int().and_then(|i| u64::try_from(i).ok())
}

impl SupFlags {
    /// Decodes sup flags; `Err` with the reason when the value is not one.
    pub(crate) fn from_value(v: &Val) -> Result<SupFlags, String> {
        match v.kind() {
            Value::Tuple(es) if es.len() == 3 => Ok(SupFlags {
                strategy: decode(&es[0], &atom_of(Strategy::parse)),
                intensity: decode(&es[1], &non_negative),
                period: decode(&es[2], &|v: &Val| non_negative(v).filter(|p| *p > 0)),
                auto_shutdown: Field::omitted("never".to_owned()),
                loc: v.loc().cloned(),
            }),
            Value::Map(kvs) => {
                let field = |k: &str| {
                    kvs.iter()
                        .find(|(key, _)| key.as_atom() == Some(k))
                        .map(|(_, v)| v.clone())
                };
                Ok(SupFlags {
                    strategy: match field("strategy") {
                        Some(x) => decode(&x, &atom_of(Strategy::parse)),
                        None => Field::omitted(Strategy::OneForOne),
                    },
                    intensity: match field("intensity") {
                        Some(x) => decode(&x, &non_negative),
                        None => Field::omitted(1),
                    },
                    period: match field("period") {
                        Some(x) => decode(&x, &|v: &Val| non_negative(v).filter(|p| *p > 0)),
                        None => Field::omitted(5),
                    },
                    auto_shutdown: match field("auto_shutdown") {
                        Some(x) => decode(&x, &|v: &Val| v.as_atom().map(str::to_owned)),
                        None => Field::omitted("never".to_owned()),
                    },
                    loc: v.loc().cloned(),
                })
            }
            Value::Unknown(u) => Err(u.describe()),
            Value::Alt(_) => Err(format!(
                "sup flags depend on the branch taken: {}",
                crate::eval::words::value(v)
            )),
            _ => Err(format!("not sup flags: {}", crate::eval::words::value(v))),
        }
    }
}
