//! `io_lib:format/2` of a known format and known arguments, for the
//! directives names and versions are made of (`~s`, `~w`, `~p`, `~b`,
//! `~i`, `~n`, `~~`, with no field width, precision or modifier): a
//! registered name or an application's version built with it is then
//! known (gproc's `.app.src.script` makes its vsn with
//! `io_lib:fwrite("~w.~w.~w", [1, 2, 0])`). Anything else is not
//! computed: `None`.

use super::pure::iolist_text;
use crate::eval::value::{Val, Value};

/// The text `io_lib:format(Format, Args)` returns, flattened.
pub(super) fn format(format: &Val, args: &Val) -> Option<String> {
    let format = match format.kind() {
        Value::Atom(a) => a.clone(),
        _ => iolist_text(format)?,
    };
    let args = args.as_proper_list()?;
    let mut args = args.iter();
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '~' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '~' => out.push('~'),
            'n' => out.push('\n'),
            's' => out.push_str(&chardata(args.next()?)?),
            'w' | 'p' => out.push_str(&simple_term(args.next()?)?),
            'b' | 'B' => out.push_str(&args.next()?.as_int()?.to_string()),
            'i' => {
                args.next()?;
            }
            // A width, a precision, a modifier or another directive.
            _ => return None,
        }
    }
    // An argument left over is a `badarg` at run time.
    args.next().is_none().then_some(out)
}

/// What `~s` prints: an atom's name, a string, a binary, an iolist.
fn chardata(v: &Val) -> Option<String> {
    match v.kind() {
        Value::Atom(a) => Some(a.clone()),
        // A character alone is no chardata: `badarg`.
        Value::Int(_) => None,
        _ => iolist_text(v),
    }
}

/// What `~w` and `~p` print alike: an atom (quoted where Erlang needs
/// it) or an integer. A string, a list or a tuple prints differently
/// under each, and long terms break lines under `~p`: not computed.
fn simple_term(v: &Val) -> Option<String> {
    match v.kind() {
        Value::Atom(a) => Some(crate::syntax::print::atom_text(a)),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::format;
    use crate::eval::value::{Val, Value};

    fn s(text: &str) -> Val {
        Val::new(Value::Str(text.to_owned()), None)
    }

    fn list(items: Vec<Val>) -> Val {
        Val::new(
            Value::List(
                items
                    .into_iter()
                    .map(crate::eval::value::Item::One)
                    .collect(),
            ),
            None,
        )
    }

    fn int(i: i128) -> Val {
        Val::new(Value::Int(i), None)
    }

    fn atom(a: &str) -> Val {
        Val::atom(a, None)
    }

    #[test]
    fn names_and_versions_are_formatted_as_io_lib_does() {
        // Each expected text is what io_lib:format/2 of OTP 25 returns
        // (flattened), and each `None` a `badarg` or a directive left out.
        let cases: Vec<(&str, Vec<Val>, Option<&str>)> = vec![
            ("~w.~w.~w", vec![int(1), int(2), int(0)], Some("1.2.0")),
            ("~s_sup", vec![atom("pool")], Some("pool_sup")),
            ("~s_~b", vec![s("worker"), int(7)], Some("worker_7")),
            ("~p~n", vec![atom("Node")], Some("'Node'\n")),
            (
                "~w ~~ ~i~s",
                vec![
                    int(-3),
                    atom("skipped"),
                    Val::new(Value::Binary("b".into()), None),
                ],
                Some("-3 ~ b"),
            ),
            ("~10s", vec![atom("x")], None),
            ("~w", vec![s("ab")], None),
            ("~s", vec![int(1)], None),
            ("~w", vec![], None),
            ("~w", vec![int(1), int(2)], None),
            ("~w", vec![Val::unknown("argument 1", None)], None),
        ];
        for (fmt, args, expected) in cases {
            assert_eq!(format(&s(fmt), &list(args)).as_deref(), expected, "{fmt}");
        }
    }
}
