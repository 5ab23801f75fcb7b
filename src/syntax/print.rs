//! Printing the AST back in Erlang syntax: for `??Arg` stringification,
//! messages, and child ids that outputs show "in Erlang syntax".

use std::fmt::{self, Display, Formatter, Write};

use super::ast::*;
use super::lower::{STACK_GROWTH, STACK_RED_ZONE};

/// Quotes an atom when Erlang needs it (`'Foo'`, `'a b'`, reserved words).
pub(crate) fn atom_text(name: &str) -> String {
    const RESERVED: &[&str] = &[
        "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
        "catch", "cond", "div", "else", "end", "fun", "if", "let", "maybe", "not", "of", "or",
        "orelse", "receive", "rem", "try", "when", "xor",
    ];
    let mut chars = name.chars();
    let plain = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@')
        && !RESERVED.contains(&name);
    if plain {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('\'');
    escape_into(&mut out, name, '\'');
    out.push('\'');
    out
}

fn escape_into(out: &mut String, s: &str, quote: char) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\x{{{:X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// A string literal with quotes and escapes.
pub(crate) fn string_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    escape_into(&mut out, s, '"');
    out.push('"');
    out
}

fn join<T>(
    f: &mut Formatter<'_>,
    items: &[T],
    sep: &str,
    each: impl Fn(&mut Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        each(f, item)?;
    }
    Ok(())
}

fn exprs(f: &mut Formatter<'_>, es: &[Expr]) -> fmt::Result {
    join(f, es, ", ", |f, e| write!(f, "{e}"))
}

fn clause(f: &mut Formatter<'_>, c: &Clause, parens: bool) -> fmt::Result {
    if parens {
        f.write_char('(')?;
        exprs(f, &c.patterns)?;
        f.write_char(')')?;
    } else {
        exprs(f, &c.patterns)?;
    }
    guards(f, &c.guards, !c.patterns.is_empty() || parens)?;
    f.write_str(" -> ")?;
    exprs(f, &c.body)
}

fn guards(f: &mut Formatter<'_>, gs: &[Vec<Expr>], with_when: bool) -> fmt::Result {
    if gs.is_empty() {
        return Ok(());
    }
    if with_when {
        f.write_str(" when ")?;
    }
    join(f, gs, "; ", |f, g| exprs(f, g))
}

fn clauses(f: &mut Formatter<'_>, cs: &[Clause], parens: bool) -> fmt::Result {
    join(f, cs, "; ", |f, c| clause(f, c, parens))
}

fn map_field(f: &mut Formatter<'_>, m: &MapField) -> fmt::Result {
    write!(
        f,
        "{} {} {}",
        m.key,
        if m.exact { ":=" } else { "=>" },
        m.value
    )
}

fn record_fields(f: &mut Formatter<'_>, fs: &[RecordField]) -> fmt::Result {
    f.write_char('{')?;
    join(f, fs, ", ", |f, r| match &r.value {
        Some(v) => write!(f, "{} = {v}", atom_text(&r.name)),
        None => f.write_str(&atom_text(&r.name)),
    })?;
    f.write_char('}')
}

fn record_name(name: &str) -> String {
    if name.starts_with('?') {
        name.to_owned()
    } else {
        atom_text(name)
    }
}

fn qualifiers(f: &mut Formatter<'_>, qs: &[Qualifier]) -> fmt::Result {
    join(f, qs, ", ", qualifier)
}

fn qualifier(f: &mut Formatter<'_>, q: &Qualifier) -> fmt::Result {
    match q {
        Qualifier::Generator {
            pattern,
            source,
            strict,
        } => {
            write!(
                f,
                "{pattern} {} {source}",
                if *strict { "<:-" } else { "<-" }
            )
        }
        Qualifier::BinaryGenerator {
            pattern,
            source,
            strict,
        } => {
            write!(
                f,
                "{pattern} {} {source}",
                if *strict { "<:=" } else { "<=" }
            )
        }
        Qualifier::MapGenerator {
            pattern,
            source,
            strict,
        } => {
            map_field(f, pattern)?;
            write!(f, " {} {source}", if *strict { "<:-" } else { "<-" })
        }
        Qualifier::Zip(qs) => join(f, qs, " && ", qualifier),
        Qualifier::Filter(e) => write!(f, "{e}"),
    }
}

/// Wraps operands that are themselves operators, so the printed text
/// reads back the same without knowing precedences.
struct Operand<'a>(&'a Expr);

impl Display for Operand<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0.kind {
            ExprKind::BinaryOp { .. }
            | ExprKind::Match { .. }
            | ExprKind::MaybeMatch { .. }
            | ExprKind::Catch(_) => {
                write!(f, "({})", self.0)
            }
            _ => write!(f, "{}", self.0),
        }
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || self.write(f))
    }
}

impl Expr {
    fn write(&self, f: &mut Formatter<'_>) -> fmt::Result {
        use ExprKind as K;
        match &self.kind {
            K::Atom(a) => f.write_str(&atom_text(a)),
            K::Var(v) => f.write_str(v),
            K::Integer { text, .. } => f.write_str(text),
            K::Float { text, .. } => f.write_str(text),
            K::String(s) => f.write_str(&string_text(s)),
            K::Concat(parts) => join(f, parts, " ", |f, e| write!(f, "{e}")),
            K::Binary(els) => {
                f.write_str("<<")?;
                join(f, els, ", ", |f, el| {
                    write!(f, "{}", Operand(&el.value))?;
                    if let Some(s) = &el.size {
                        write!(f, ":{}", Operand(s))?;
                    }
                    if !el.types.is_empty() {
                        write!(f, "/{}", el.types.join("-"))?;
                    }
                    Ok(())
                })?;
                f.write_str(">>")
            }
            K::Tuple(es) => {
                f.write_char('{')?;
                exprs(f, es)?;
                f.write_char('}')
            }
            K::List { elems, tail } => {
                f.write_char('[')?;
                exprs(f, elems)?;
                if let Some(t) = tail {
                    write!(f, " | {t}")?;
                }
                f.write_char(']')
            }
            K::Map(fields) => {
                f.write_str("#{")?;
                join(f, fields, ", ", map_field)?;
                f.write_char('}')
            }
            K::MapUpdate { base, fields } => {
                write!(f, "{}#{{", Operand(base))?;
                join(f, fields, ", ", map_field)?;
                f.write_char('}')
            }
            K::Record { name, fields } => {
                write!(f, "#{}", record_name(name))?;
                record_fields(f, fields)
            }
            K::RecordUpdate { base, name, fields } => {
                write!(f, "{}#{}", Operand(base), record_name(name))?;
                record_fields(f, fields)
            }
            K::RecordField { base, name, field } => {
                write!(
                    f,
                    "{}#{}.{}",
                    Operand(base),
                    record_name(name),
                    atom_text(field)
                )
            }
            K::RecordIndex { name, field } => {
                write!(f, "#{}.{}", record_name(name), atom_text(field))
            }
            K::Call {
                module,
                function,
                args,
            } => {
                if let Some(m) = module {
                    write!(f, "{}:", Operand(m))?;
                }
                match function.kind {
                    K::Atom(_) | K::Var(_) | K::Macro { .. } => write!(f, "{function}")?,
                    _ => write!(f, "({function})")?,
                }
                f.write_char('(')?;
                exprs(f, args)?;
                f.write_char(')')
            }
            K::Remote { module, function } => {
                write!(f, "{}:{}", Operand(module), Operand(function))
            }
            K::FunRef {
                module,
                function,
                arity,
            } => {
                f.write_str("fun ")?;
                if let Some(m) = module {
                    write!(f, "{m}:")?;
                }
                write!(f, "{function}/{arity}")
            }
            K::Fun { name, clauses: cs } => {
                f.write_str("fun ")?;
                match name {
                    Some(n) => join(f, cs, "; ", |f, c| {
                        f.write_str(n)?;
                        clause(f, c, true)
                    })?,
                    None => clauses(f, cs, true)?,
                }
                f.write_str(" end")
            }
            K::Match { pattern, value } => write!(f, "{pattern} = {value}"),
            K::MaybeMatch { pattern, value } => write!(f, "{pattern} ?= {value}"),
            K::BinaryOp { op, lhs, rhs } => {
                write!(f, "{} {} {}", Operand(lhs), op.as_str(), Operand(rhs))
            }
            K::UnaryOp { op, operand } => match op {
                UnaryOp::Plus | UnaryOp::Minus => write!(f, "{}{}", op.as_str(), Operand(operand)),
                _ => write!(f, "{} {}", op.as_str(), Operand(operand)),
            },
            K::Case { expr, clauses: cs } => {
                write!(f, "case {expr} of ")?;
                clauses(f, cs, false)?;
                f.write_str(" end")
            }
            K::If(cs) => {
                f.write_str("if ")?;
                join(f, cs, "; ", |f, c| {
                    guards(f, &c.guards, false)?;
                    f.write_str(" -> ")?;
                    exprs(f, &c.body)
                })?;
                f.write_str(" end")
            }
            K::Receive { clauses: cs, after } => {
                f.write_str("receive ")?;
                clauses(f, cs, false)?;
                if let Some(a) = after {
                    write!(f, " after {} -> ", a.timeout)?;
                    exprs(f, &a.body)?;
                }
                f.write_str(" end")
            }
            K::Try(t) => {
                let TryExpr {
                    body,
                    of_clauses,
                    catch_clauses,
                    after,
                } = &**t;
                f.write_str("try ")?;
                exprs(f, body)?;
                if !of_clauses.is_empty() {
                    f.write_str(" of ")?;
                    clauses(f, of_clauses, false)?;
                }
                if !catch_clauses.is_empty() {
                    f.write_str(" catch ")?;
                    join(f, catch_clauses, "; ", |f, c| {
                        if let Some(class) = &c.class {
                            write!(f, "{class}:")?;
                        }
                        write!(f, "{}", c.pattern)?;
                        if let Some(st) = &c.stacktrace {
                            write!(f, ":{st}")?;
                        }
                        guards(f, &c.guards, true)?;
                        f.write_str(" -> ")?;
                        exprs(f, &c.body)
                    })?;
                }
                if !after.is_empty() {
                    f.write_str(" after ")?;
                    exprs(f, after)?;
                }
                f.write_str(" end")
            }
            K::Catch(e) => write!(f, "catch {e}"),
            K::Block(es) => {
                f.write_str("begin ")?;
                exprs(f, es)?;
                f.write_str(" end")
            }
            K::ListComprehension {
                template,
                qualifiers: qs,
            } => {
                write!(f, "[{template} || ")?;
                qualifiers(f, qs)?;
                f.write_char(']')
            }
            K::BinaryComprehension {
                template,
                qualifiers: qs,
            } => {
                write!(f, "<<{template} || ")?;
                qualifiers(f, qs)?;
                f.write_str(">>")
            }
            K::MapComprehension {
                template,
                qualifiers: qs,
            } => {
                f.write_str("#{")?;
                map_field(f, template)?;
                f.write_str(" || ")?;
                qualifiers(f, qs)?;
                f.write_char('}')
            }
            K::Maybe { body, else_clauses } => {
                f.write_str("maybe ")?;
                exprs(f, body)?;
                if let Some(cs) = else_clauses {
                    f.write_str(" else ")?;
                    clauses(f, cs, false)?;
                }
                f.write_str(" end")
            }
            K::Macro(m) => {
                write!(f, "?{}", m.name)?;
                if let Some(args) = &m.args {
                    f.write_char('(')?;
                    exprs(f, args)?;
                    f.write_char(')')?;
                }
                Ok(())
            }
            K::MacroString(name) => write!(f, "??{name}"),
            K::Conditional(alts) => {
                f.write_str("(")?;
                join(f, alts, " | ", |f, a| {
                    write!(f, "{} if {}", a.expr, a.condition)
                })?;
                f.write_str(")")
            }
            K::Error(reason) => write!(f, "<error: {reason}>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoms_are_quoted_when_needed() {
        assert_eq!(atom_text("ok"), "ok");
        assert_eq!(atom_text("Ok"), "'Ok'");
        assert_eq!(atom_text("a b"), "'a b'");
        assert_eq!(atom_text("end"), "'end'");
        assert_eq!(atom_text("it's"), "'it\\'s'");
        assert_eq!(string_text("a\"b\n"), "\"a\\\"b\\n\"");
    }
}
