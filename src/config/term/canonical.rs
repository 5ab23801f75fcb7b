//! The canonical form of a term and Erlang's term order.
//!
//! A term is first flattened into an arena of nodes, bottom-up and without
//! recursion; maps get their entries deduplicated (last wins) and sorted
//! once, so that comparing and printing never need to recurse either. The
//! Erlang side of the oracle (`tests/oracle/canonical.escript`) prints the
//! same format from what `file:consult/1` returns.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt::Write;

use num_bigint::BigInt;

use super::value::{Integer, Term, TermKind};

/// The canonical form of `term`: equal for two terms exactly when Erlang
/// says they are `=:=`.
pub(crate) fn canonical(term: &Term) -> String {
    let (arena, root) = Arena::build(term);
    let mut out = String::new();
    arena.write(root, &mut out);
    out
}

/// A term flattened for comparison and printing.
enum Node<'a> {
    Int(&'a Integer),
    Float(f64),
    Atom(&'a str),
    Fun(&'a str, &'a str, u8),
    Tuple(Vec<usize>),
    Map {
        /// Entries in term order of their keys (the printing order).
        by_order: Vec<(usize, usize)>,
        /// Entries in map-key order (exact: integers before floats), the
        /// order in which Erlang compares two maps.
        by_key: Vec<(usize, usize)>,
    },
    Nil,
    /// Elements, then what follows them (the nil node, a list or string
    /// node to continue with, or the tail of an improper list).
    List(Vec<usize>, usize),
    /// A non-empty string: a proper list of code points.
    Str(&'a str),
    Bits(&'a [u8], u8),
}

/// A list element: a node, or a character of a string node.
#[derive(Clone, Copy)]
enum Elem {
    Node(usize),
    Code(u32),
}

/// A position inside a list: a node and an element (or byte) index.
#[derive(Clone, Copy)]
struct Cursor {
    node: usize,
    index: usize,
}

enum ListStep {
    Elem(Elem, Cursor),
    /// The list ends with this node: nil for a proper list.
    End(usize),
}

/// A number, for comparison.
enum Num<'a> {
    Small(i64),
    Big(&'a BigInt),
    Float(f64),
}

/// Erlang's order of types: number < atom < reference < fun < port < pid
/// < tuple < map < nil < list < bitstring.
const LIST_RANK: u8 = 9;

const NIL: usize = 0;

struct Arena<'a> {
    nodes: Vec<Node<'a>>,
}

/// Work for the bottom-up build.
enum Build<'a> {
    Enter(&'a Term),
    Exit(&'a Term),
}

/// Work for the comparison.
enum Compare {
    Elems(Elem, Elem, bool),
    Lists(Cursor, Cursor, bool),
}

/// Work for printing.
enum Print {
    Node(usize),
    Code(u32),
    Text(&'static str),
    Owned(String),
    /// The rest of a list; the flag is true before its first element.
    ListRest(Cursor, bool),
}

impl<'a> Arena<'a> {
    fn build(root: &'a Term) -> (Arena<'a>, usize) {
        let mut arena = Arena {
            nodes: vec![Node::Nil],
        };
        let mut work = vec![Build::Enter(root)];
        let mut done: Vec<usize> = Vec::new();
        while let Some(step) = work.pop() {
            match step {
                Build::Enter(term) => match &term.kind {
                    TermKind::Tuple(items) => {
                        work.push(Build::Exit(term));
                        work.extend(items.iter().rev().map(Build::Enter));
                    }
                    TermKind::List { items, tail } => {
                        work.push(Build::Exit(term));
                        if let Some(tail) = tail {
                            work.push(Build::Enter(tail));
                        }
                        work.extend(items.iter().rev().map(Build::Enter));
                    }
                    TermKind::Map(entries) => {
                        work.push(Build::Exit(term));
                        for (key, value) in entries.iter().rev() {
                            work.push(Build::Enter(value));
                            work.push(Build::Enter(key));
                        }
                    }
                    TermKind::String(s) if s.is_empty() => done.push(NIL),
                    leaf => {
                        let node = match leaf {
                            TermKind::Atom(a) => Node::Atom(a),
                            TermKind::Integer(n) => Node::Int(n),
                            TermKind::Float(f) => Node::Float(*f),
                            TermKind::String(s) => Node::Str(s),
                            TermKind::Binary {
                                bytes,
                                trailing_bits,
                            } => Node::Bits(bytes, *trailing_bits),
                            TermKind::Fun {
                                module,
                                function,
                                arity,
                            } => Node::Fun(module, function, *arity),
                            _ => Node::Nil,
                        };
                        done.push(arena.add(node));
                    }
                },
                Build::Exit(term) => {
                    let id = match &term.kind {
                        TermKind::Tuple(items) => {
                            let ids = done.split_off(done.len().saturating_sub(items.len()));
                            arena.add(Node::Tuple(ids))
                        }
                        TermKind::List { items, tail } => {
                            let count = items.len() + usize::from(tail.is_some());
                            let mut ids = done.split_off(done.len().saturating_sub(count));
                            let tail = if tail.is_some() {
                                ids.pop().unwrap_or(NIL)
                            } else {
                                NIL
                            };
                            if ids.is_empty() {
                                tail
                            } else {
                                arena.add(Node::List(ids, tail))
                            }
                        }
                        TermKind::Map(entries) => {
                            let ids = done.split_off(done.len().saturating_sub(2 * entries.len()));
                            let pairs = ids.chunks(2).map(|p| (p[0], p[1])).collect();
                            let node = arena.map(pairs);
                            arena.add(node)
                        }
                        _ => NIL,
                    };
                    done.push(id);
                }
            }
        }
        let root = done.pop().unwrap_or(NIL);
        (arena, root)
    }

    fn add(&mut self, node: Node<'a>) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// A map node from entries in source order: later duplicates replace
    /// earlier ones, as in `maps:from_list/1`.
    fn map(&self, pairs: Vec<(usize, usize)>) -> Node<'a> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut entries: Vec<(String, usize, usize)> = Vec::new();
        for (key, value) in pairs {
            let mut text = String::new();
            self.write(key, &mut text);
            match seen.get(&text) {
                Some(&i) => entries[i].2 = value,
                None => {
                    seen.insert(text.clone(), entries.len());
                    entries.push((text, key, value));
                }
            }
        }
        // Keys distinct under =:= can be equal in term order ({1} == {1.0});
        // their canonical text breaks the tie, as the escript does.
        let mut by_order = entries.clone();
        by_order.sort_by(|a, b| self.compare(a.1, b.1, false).then_with(|| a.0.cmp(&b.0)));
        entries.sort_by(|a, b| self.compare(a.1, b.1, true).then_with(|| a.0.cmp(&b.0)));
        Node::Map {
            by_order: by_order.into_iter().map(|(_, k, v)| (k, v)).collect(),
            by_key: entries.into_iter().map(|(_, k, v)| (k, v)).collect(),
        }
    }

    fn rank(&self, elem: Elem) -> u8 {
        let Elem::Node(id) = elem else {
            return 0;
        };
        match &self.nodes[id] {
            Node::Int(_) | Node::Float(_) => 0,
            Node::Atom(_) => 1,
            Node::Fun(..) => 3,
            Node::Tuple(_) => 6,
            Node::Map { .. } => 7,
            Node::Nil => 8,
            Node::List(..) | Node::Str(_) => LIST_RANK,
            Node::Bits(..) => 10,
        }
    }

    fn num(&self, elem: Elem) -> Option<Num<'a>> {
        match elem {
            Elem::Code(c) => Some(Num::Small(i64::from(c))),
            Elem::Node(id) => match &self.nodes[id] {
                Node::Int(Integer::Small(i)) => Some(Num::Small(*i)),
                Node::Int(Integer::Big(b)) => Some(Num::Big(b)),
                Node::Float(f) => Some(Num::Float(*f)),
                _ => None,
            },
        }
    }

    fn next(&self, mut cursor: Cursor) -> ListStep {
        loop {
            match &self.nodes[cursor.node] {
                Node::List(items, tail) => match items.get(cursor.index) {
                    Some(&item) => {
                        let next = Cursor {
                            index: cursor.index + 1,
                            ..cursor
                        };
                        return ListStep::Elem(Elem::Node(item), next);
                    }
                    None => {
                        cursor = Cursor {
                            node: *tail,
                            index: 0,
                        }
                    }
                },
                Node::Str(s) => {
                    return match s.get(cursor.index..).and_then(|r| r.chars().next()) {
                        Some(c) => ListStep::Elem(
                            Elem::Code(u32::from(c)),
                            Cursor {
                                index: cursor.index + c.len_utf8(),
                                ..cursor
                            },
                        ),
                        None => ListStep::End(NIL),
                    }
                }
                Node::Nil => return ListStep::End(NIL),
                _ => return ListStep::End(cursor.node),
            }
        }
    }

    /// Erlang's term order (`<`, `==`); with `exact`, the map-key order in
    /// which integers come before floats and 1 and 1.0 differ.
    fn compare(&self, a: usize, b: usize, exact: bool) -> Ordering {
        let mut work = vec![Compare::Elems(Elem::Node(a), Elem::Node(b), exact)];
        while let Some(item) = work.pop() {
            let order = match item {
                Compare::Elems(x, y, exact) => self.compare_elems(x, y, exact, &mut work),
                Compare::Lists(cx, cy, exact) => match (self.next(cx), self.next(cy)) {
                    (ListStep::Elem(x, cx), ListStep::Elem(y, cy)) => {
                        work.push(Compare::Lists(cx, cy, exact));
                        work.push(Compare::Elems(x, y, exact));
                        Ordering::Equal
                    }
                    (ListStep::End(t), ListStep::Elem(..)) => {
                        self.rank(Elem::Node(t)).cmp(&LIST_RANK)
                    }
                    (ListStep::Elem(..), ListStep::End(t)) => {
                        LIST_RANK.cmp(&self.rank(Elem::Node(t)))
                    }
                    (ListStep::End(t), ListStep::End(u)) => {
                        work.push(Compare::Elems(Elem::Node(t), Elem::Node(u), exact));
                        Ordering::Equal
                    }
                },
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    }

    /// Compares two elements directly, or pushes the comparisons of their
    /// parts (to be done first to last) and answers `Equal`.
    fn compare_elems(&self, x: Elem, y: Elem, exact: bool, work: &mut Vec<Compare>) -> Ordering {
        let by_rank = self.rank(x).cmp(&self.rank(y));
        if by_rank != Ordering::Equal {
            return by_rank;
        }
        if let (Some(m), Some(n)) = (self.num(x), self.num(y)) {
            return compare_numbers(&m, &n, exact);
        }
        let (Elem::Node(x), Elem::Node(y)) = (x, y) else {
            return Ordering::Equal;
        };
        match (&self.nodes[x], &self.nodes[y]) {
            (Node::Atom(a), Node::Atom(b)) => a.cmp(b),
            (Node::Fun(m1, f1, a1), Node::Fun(m2, f2, a2)) => {
                m1.cmp(m2).then(f1.cmp(f2)).then(a1.cmp(a2))
            }
            (Node::Tuple(a), Node::Tuple(b)) => {
                let by_size = a.len().cmp(&b.len());
                if by_size == Ordering::Equal {
                    for (&p, &q) in a.iter().zip(b).rev() {
                        work.push(Compare::Elems(Elem::Node(p), Elem::Node(q), exact));
                    }
                }
                by_size
            }
            (Node::Map { by_key: a, .. }, Node::Map { by_key: b, .. }) => {
                let by_size = a.len().cmp(&b.len());
                if by_size == Ordering::Equal {
                    // All keys first (exactly), then the values in key order.
                    for (&(_, p), &(_, q)) in a.iter().zip(b).rev() {
                        work.push(Compare::Elems(Elem::Node(p), Elem::Node(q), exact));
                    }
                    for (&(p, _), &(q, _)) in a.iter().zip(b).rev() {
                        work.push(Compare::Elems(Elem::Node(p), Elem::Node(q), true));
                    }
                }
                by_size
            }
            (Node::Bits(a, abits), Node::Bits(b, bbits)) => compare_bits(a, *abits, b, *bbits),
            (Node::List(..) | Node::Str(_), Node::List(..) | Node::Str(_)) => {
                work.push(Compare::Lists(
                    Cursor { node: x, index: 0 },
                    Cursor { node: y, index: 0 },
                    exact,
                ));
                Ordering::Equal
            }
            _ => Ordering::Equal,
        }
    }

    /// Writes the canonical form of node `id`.
    fn write(&self, id: usize, out: &mut String) {
        let mut work = vec![Print::Node(id)];
        while let Some(item) = work.pop() {
            match item {
                Print::Text(text) => out.push_str(text),
                Print::Owned(text) => out.push_str(&text),
                Print::Code(c) => {
                    let _ = write!(out, "{c}");
                }
                Print::ListRest(cursor, first) => match self.next(cursor) {
                    ListStep::Elem(elem, next) => {
                        if !first {
                            out.push(',');
                        }
                        work.push(Print::ListRest(next, false));
                        work.push(match elem {
                            Elem::Node(n) => Print::Node(n),
                            Elem::Code(c) => Print::Code(c),
                        });
                    }
                    ListStep::End(NIL) => out.push(']'),
                    ListStep::End(tail) => {
                        out.push('|');
                        work.push(Print::Text("]"));
                        work.push(Print::Node(tail));
                    }
                },
                Print::Node(id) => match &self.nodes[id] {
                    Node::Int(n) => {
                        let _ = write!(out, "{n}");
                    }
                    Node::Float(f) => {
                        // 0.0 =:= -0.0 in Erlang/OTP 25.
                        let bits = if *f == 0.0 { 0 } else { f.to_bits() };
                        let _ = write!(out, "f:{bits:016x}");
                    }
                    Node::Atom(a) => write_atom(a, out),
                    Node::Fun(m, f, arity) => {
                        out.push_str("fun:");
                        write_atom(m, out);
                        out.push(':');
                        write_atom(f, out);
                        let _ = write!(out, "/{arity}");
                    }
                    Node::Tuple(items) => {
                        out.push('{');
                        work.push(Print::Text("}"));
                        for (i, &item) in items.iter().enumerate().rev() {
                            work.push(Print::Node(item));
                            if i > 0 {
                                work.push(Print::Text(","));
                            }
                        }
                    }
                    Node::Map { by_order, .. } => {
                        out.push_str("#{");
                        work.push(Print::Text("}"));
                        for (i, &(key, value)) in by_order.iter().enumerate().rev() {
                            work.push(Print::Node(value));
                            work.push(Print::Text("=>"));
                            work.push(Print::Node(key));
                            if i > 0 {
                                work.push(Print::Text(","));
                            }
                        }
                    }
                    Node::Nil => out.push_str("[]"),
                    Node::List(..) | Node::Str(_) => {
                        out.push('[');
                        work.push(Print::ListRest(Cursor { node: id, index: 0 }, true));
                    }
                    Node::Bits(bytes, trailing) => {
                        let mut text = String::from("<<");
                        write_bits(bytes, *trailing, &mut text);
                        text.push_str(">>");
                        work.push(Print::Owned(text));
                    }
                },
            }
        }
    }
}

/// `'name'` with every character outside `!`..`~` (and `'`, `\`) written
/// as `\x{HEX}`, so the form has no spaces and no ambiguity.
fn write_atom(name: &str, out: &mut String) {
    out.push('\'');
    for c in name.chars() {
        if ('!'..='~').contains(&c) && c != '\'' && c != '\\' {
            out.push(c);
        } else {
            let _ = write!(out, "\\x{{{:X}}}", u32::from(c));
        }
    }
    out.push('\'');
}

/// Whole bytes as decimals, a partial last byte as `Value:Bits`.
fn write_bits(bytes: &[u8], trailing: u8, out: &mut String) {
    let trailing = trailing.min(7);
    let whole = if trailing == 0 {
        bytes.len()
    } else {
        bytes.len().saturating_sub(1)
    };
    let mut first = true;
    for byte in &bytes[..whole] {
        if !first {
            out.push(',');
        }
        first = false;
        let _ = write!(out, "{byte}");
    }
    if trailing > 0 {
        if let Some(last) = bytes.last() {
            if !first {
                out.push(',');
            }
            let _ = write!(out, "{}:{trailing}", last >> (8 - trailing));
        }
    }
}

fn compare_numbers(a: &Num<'_>, b: &Num<'_>, exact: bool) -> Ordering {
    match (a, b) {
        (Num::Small(x), Num::Small(y)) => x.cmp(y),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Num::Float(_), _) if exact => Ordering::Greater,
        (_, Num::Float(_)) if exact => Ordering::Less,
        (Num::Float(x), int) => compare_int_float(int, *x).reverse(),
        (int, Num::Float(y)) => compare_int_float(int, *y),
        (x, y) => to_big(x).cmp(&to_big(y)),
    }
}

fn to_big(n: &Num<'_>) -> BigInt {
    match n {
        Num::Small(i) => BigInt::from(*i),
        Num::Big(b) => (*b).clone(),
        Num::Float(_) => BigInt::from(0),
    }
}

/// Compares an integer with a float by their exact values, as BEAM does.
fn compare_int_float(int: &Num<'_>, f: f64) -> Ordering {
    let floor = f.floor();
    let int = to_big(int);
    // With a fraction, int == floor(f) means int < f.
    match int.cmp(&float_to_big(floor)) {
        Ordering::Equal if floor < f => Ordering::Less,
        order => order,
    }
}

/// The exact value of an integral float.
fn float_to_big(f: f64) -> BigInt {
    let bits = f.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64;
    if exponent == 0 {
        return BigInt::from(0);
    }
    let mantissa = BigInt::from((bits & ((1 << 52) - 1)) | (1 << 52));
    let shift = exponent - 1075;
    let magnitude = if shift >= 0 {
        mantissa << shift as usize
    } else {
        mantissa >> (-shift) as usize
    };
    if f < 0.0 {
        -magnitude
    } else {
        magnitude
    }
}

/// Bit strings compare bit by bit; a proper prefix is smaller.
fn compare_bits(a: &[u8], abits: u8, b: &[u8], bbits: u8) -> Ordering {
    let len = |bytes: &[u8], trailing: u8| {
        if trailing == 0 || bytes.is_empty() {
            bytes.len() * 8
        } else {
            bytes.len().saturating_sub(1) * 8 + usize::from(trailing.min(7))
        }
    };
    let (alen, blen) = (len(a, abits), len(b, bbits));
    let common = alen.min(blen);
    let whole = common / 8;
    let order = a[..whole].cmp(&b[..whole]);
    if order != Ordering::Equal {
        return order;
    }
    let rest = common % 8;
    if rest > 0 {
        let shift = 8 - rest;
        let order = (a[whole] >> shift).cmp(&(b[whole] >> shift));
        if order != Ordering::Equal {
            return order;
        }
    }
    alen.cmp(&blen)
}

#[cfg(test)]
mod tests {
    use super::super::consult;
    use super::*;

    fn canon(text: &str) -> String {
        let terms = consult(text).expect("valid term");
        terms.iter().map(canonical).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn strings_are_lists() {
        assert_eq!(canon("\"ab\"."), "[97,98]");
        assert_eq!(canon("\"ab\"."), canon("[$a, $b]."));
        assert_eq!(canon("[a|\"bc\"]."), "['a',98,99]");
        assert_eq!(canon("\"\"."), "[]");
        assert_eq!(canon("[a|b]."), "['a'|'b']");
        assert_eq!(canon("[a,b|[c]]."), canon("[a,b,c]."));
    }

    #[test]
    fn maps_sort_and_keep_last() {
        assert_eq!(canon("#{b => 1, a => 2, b => 3}."), "#{'a'=>2,'b'=>3}");
        assert_eq!(
            canon("#{1.0 => a, 1 => b, 2 => c, 1.5 => d}."),
            "#{1=>'b',f:3ff0000000000000=>'a',f:3ff8000000000000=>'d',2=>'c'}"
        );
        assert_eq!(
            canon("#{0.0 => a, -0.0 => b}."),
            "#{f:0000000000000000=>'b'}"
        );
    }

    #[test]
    fn atoms_and_bits() {
        assert_eq!(canon("'a b'."), "'a\\x{20}b'");
        assert_eq!(canon("<<1:4>>."), "<<1:4>>");
        assert_eq!(canon("<<1,2,3:2>>."), "<<1,2,3:2>>");
    }

    #[test]
    fn term_order() {
        let order = |a: &str, b: &str| {
            let pair = consult(&format!("{{{a}, {b}}}.")).expect("valid");
            let (arena, root) = Arena::build(&pair[0]);
            let Node::Tuple(ids) = &arena.nodes[root] else {
                panic!("not a tuple")
            };
            arena.compare(ids[0], ids[1], false)
        };
        assert_eq!(order("1", "1.0"), Ordering::Equal);
        assert_eq!(order("1", "a"), Ordering::Less);
        assert_eq!(order("{1}", "{1.0}"), Ordering::Equal);
        assert_eq!(order("#{1 => a}", "#{1.0 => a}"), Ordering::Less);
        assert_eq!(order("#{2 => a}", "#{1.0 => a}"), Ordering::Less);
        assert_eq!(order("[a|b]", "[a,b]"), Ordering::Less);
        assert_eq!(order("[a|<<>>]", "[a,b]"), Ordering::Greater);
        assert_eq!(order("<<1:1>>", "<<1>>"), Ordering::Greater);
        assert_eq!(order("<<128>>", "<<1:1>>"), Ordering::Greater);
        assert_eq!(order("[]", "[a]"), Ordering::Less);
        assert_eq!(order("\"ab\"", "[97, 99]"), Ordering::Less);
        assert_eq!(
            order("9007199254740993", "9007199254740992.0"),
            Ordering::Greater
        );
        assert_eq!(order("-1", "-0.5"), Ordering::Less);
        assert_eq!(order("fun a:b/1", "{}"), Ordering::Less);
    }
}
