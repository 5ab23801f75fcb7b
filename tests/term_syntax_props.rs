//! The term reader on generated text written every way Erlang allows:
//! integers in any base with `_` separators, `$c` characters, escapes in
//! strings and quoted atoms (`\x{..}`, octal, `\^c`), adjacent strings,
//! exponents, binary segments with sizes, improper lists, maps, comments
//! between tokens. Each piece of text is generated with the term it must
//! read as, so a reader that accepts the text but returns something else is
//! caught (`tests/term_props.rs` checks the printer's own syntax instead).

use num_bigint::BigInt;
use proptest::prelude::*;

use otpmap::config::term::{canonical, consult, Integer, Pos, Term, TermKind};

fn term(kind: TermKind) -> Term {
    Term {
        kind,
        pos: Pos::default(),
    }
}

/// Text and the term it reads as.
type Written = (String, Term);

/// One character of a string or quoted atom, written plainly or as one of
/// the escapes, with the code point it stands for. `quote` is the
/// delimiter, which must be escaped.
fn written_char(quote: char) -> impl Strategy<Value = (String, char)> {
    let plain = prop_oneof![
        4 => proptest::char::range(' ', '~'),
        1 => proptest::char::range('\u{a0}', '\u{ff}'),
        1 => any::<char>().prop_filter("allowed", |c| {
            !c.is_control() && *c != '\u{fffe}' && *c != '\u{ffff}'
        }),
    ]
    .prop_map(move |c| {
        let text = if c == quote || c == '\\' {
            format!("\\{c}")
        } else {
            c.to_string()
        };
        (text, c)
    });
    let named = proptest::sample::select(vec![
        ("\\n", '\n'),
        ("\\r", '\r'),
        ("\\t", '\t'),
        ("\\v", '\u{b}'),
        ("\\b", '\u{8}'),
        ("\\f", '\u{c}'),
        ("\\e", '\u{1b}'),
        ("\\s", ' '),
        ("\\d", '\u{7f}'),
        ("\\\\", '\\'),
        ("\\'", '\''),
        ("\\\"", '"'),
        // Any other character after a backslash stands for itself.
        ("\\z", 'z'),
        ("\\%", '%'),
    ])
    .prop_map(|(t, c)| (t.to_owned(), c));
    let hex = any::<char>()
        .prop_filter("allowed", |c| *c != '\u{fffe}' && *c != '\u{ffff}')
        .prop_map(|c| (format!("\\x{{{:X}}}", u32::from(c)), c));
    // Always three digits: `\101` then `1` would otherwise be ambiguous.
    let octal = (0u32..0o400).prop_map(|n| (format!("\\{n:03o}"), char::from(n as u8)));
    let two_hex = any::<u8>().prop_map(|n| (format!("\\x{n:02x}"), char::from(n)));
    let control = proptest::char::range('@', '_').prop_map(|c| {
        let code = u32::from(c) & 31;
        (format!("\\^{c}"), char::from(code as u8))
    });
    prop_oneof![6 => plain, 2 => named, 1 => hex, 1 => octal, 1 => two_hex, 1 => control]
}

fn written_text(quote: char, max: usize) -> impl Strategy<Value = (String, String)> {
    proptest::collection::vec(written_char(quote), 0..max).prop_map(|cs| {
        let text: String = cs.iter().map(|(t, _)| t.as_str()).collect();
        let value: String = cs.iter().map(|(_, c)| *c).collect();
        (text, value)
    })
}

const RESERVED: &[&str] = &[
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "else", "end", "fun", "if", "let", "maybe", "not", "of", "or",
    "orelse", "receive", "rem", "try", "when", "xor",
];

fn atom() -> impl Strategy<Value = Written> {
    let plain = "[a-z][a-zA-Z0-9_@]{0,10}"
        .prop_filter("not reserved", |a| !RESERVED.contains(&a.as_str()))
        .prop_map(|a| (a.clone(), term(TermKind::Atom(a))));
    let quoted = written_text('\'', 12)
        .prop_map(|(text, value)| (format!("'{text}'"), term(TermKind::Atom(value))));
    prop_oneof![plain, quoted]
}

fn string() -> impl Strategy<Value = Written> {
    // Adjacent literals are one string, with anything blank between them.
    let sep = proptest::sample::select(vec!["", " ", "\n", "%c\n", "\t"]);
    proptest::collection::vec((written_text('"', 10), sep), 1..4).prop_map(|parts| {
        let mut text = String::new();
        let mut value = String::new();
        for (i, ((t, v), sep)) in parts.iter().enumerate() {
            if i > 0 {
                text.push_str(sep);
            }
            text.push('"');
            text.push_str(t);
            text.push('"');
            value.push_str(v);
        }
        (text, term(TermKind::String(value)))
    })
}

fn character() -> impl Strategy<Value = Written> {
    let plain = any::<char>()
        .prop_filter("printable", |c| {
            !c.is_control()
                && !c.is_whitespace()
                && *c != '\\'
                && *c != '\u{fffe}'
                && *c != '\u{ffff}'
        })
        .prop_map(|c| format!("${c}"));
    let escaped = written_char('\'').prop_filter_map("an escape", |(t, c)| {
        t.starts_with('\\').then(|| (format!("${t}"), c))
    });
    prop_oneof![
        plain.prop_map(|t| {
            let c = t.chars().nth(1).unwrap_or('a');
            (t, c)
        }),
        escaped,
    ]
    .prop_map(|(t, c)| {
        (
            t,
            term(TermKind::Integer(Integer::Small(i64::from(u32::from(c))))),
        )
    })
}

/// `digits` of `value` in `base`, with `_` between some of them.
fn digits_in(value: &BigInt, base: u32, underscores: &[bool]) -> String {
    let digits = value.magnitude().to_str_radix(base);
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && underscores.get(i).copied().unwrap_or(false) {
            out.push('_');
        }
        out.push(d);
    }
    out
}

fn integer() -> impl Strategy<Value = Written> {
    let value = prop_oneof![
        any::<i64>().prop_map(BigInt::from),
        (-300i64..300).prop_map(BigInt::from),
        (any::<i128>(), any::<u64>()).prop_map(|(h, l)| (BigInt::from(h) << 64) + l),
    ];
    (
        value,
        prop_oneof![Just(10u32), 2u32..=36],
        proptest::collection::vec(proptest::bool::weighted(0.2), 0..50),
        any::<bool>(),
    )
        .prop_map(|(value, base, underscores, upper)| {
            let mut digits = digits_in(&value, base, &underscores);
            if upper {
                digits = digits.to_uppercase();
            }
            let sign = if value.sign() == num_bigint::Sign::Minus {
                "-"
            } else {
                ""
            };
            let text = if base == 10 {
                format!("{sign}{digits}")
            } else {
                format!("{sign}{base}#{digits}")
            };
            (text, term(TermKind::Integer(Integer::from_big(value))))
        })
}

fn float() -> impl Strategy<Value = Written> {
    // Written as `I.F` or `I.FeX`; the value is what Rust reads for the
    // same digits (both round correctly).
    (
        0u64..1_000_000,
        "[0-9]{1,6}",
        proptest::option::of(-300i32..300),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_filter_map("finite", |(int, frac, exp, negative, upper)| {
            let mut text = format!("{int}.{frac}");
            if let Some(e) = exp {
                text.push(if upper { 'E' } else { 'e' });
                text.push_str(&e.to_string());
            }
            let value: f64 = text.parse().ok()?;
            if !value.is_finite() {
                return None;
            }
            let sign = if negative { "-" } else { "" };
            let value = if negative { -value } else { value };
            Some((format!("{sign}{text}"), term(TermKind::Float(value))))
        })
}

/// A binary segment: its text and the bits it appends, high bit first.
fn segment() -> impl Strategy<Value = (String, Vec<bool>)> {
    let sized = (any::<u64>(), 1usize..40, any::<bool>()).prop_map(|(v, size, little)| {
        // Little-endian only on whole bytes, where it is simple to model.
        let little = little && size % 8 == 0;
        let bits: Vec<bool> = (0..size)
            .rev()
            .map(|i| i < 64 && (v >> i) & 1 == 1)
            .collect();
        let bits = if little {
            bits.chunks(8).rev().flatten().copied().collect()
        } else {
            bits
        };
        let ty = if little { "/little" } else { "" };
        (format!("{v}:{size}{ty}"), bits)
    });
    let byte = any::<u8>().prop_map(|b| (b.to_string(), byte_bits(b)));
    let text = "[a-z ]{0,6}".prop_map(|s| {
        let bits = s.bytes().flat_map(byte_bits).collect();
        (format!("\"{s}\""), bits)
    });
    let utf8 = any::<char>().prop_map(|c| {
        let mut buf = [0; 4];
        let bits = c
            .encode_utf8(&mut buf)
            .bytes()
            .flat_map(byte_bits)
            .collect();
        (format!("{}/utf8", u32::from(c)), bits)
    });
    prop_oneof![2 => sized, 2 => byte, 1 => text, 1 => utf8]
}

fn byte_bits(b: u8) -> Vec<bool> {
    (0..8).rev().map(|i| (b >> i) & 1 == 1).collect()
}

fn binary() -> impl Strategy<Value = Written> {
    proptest::collection::vec(segment(), 0..6).prop_map(|segments| {
        let text = segments
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let bits: Vec<bool> = segments
            .iter()
            .flat_map(|(_, b)| b.iter().copied())
            .collect();
        let bytes = bits
            .chunks(8)
            .map(|chunk| {
                chunk
                    .iter()
                    .enumerate()
                    .fold(0u8, |acc, (i, &bit)| acc | (u8::from(bit) << (7 - i)))
            })
            .collect();
        let kind = TermKind::Binary {
            bytes,
            trailing_bits: (bits.len() % 8) as u8,
        };
        (format!("<<{text}>>"), term(kind))
    })
}

fn leaf() -> impl Strategy<Value = Written> {
    prop_oneof![
        atom(),
        string(),
        character(),
        integer(),
        float(),
        binary(),
        Just((
            "[]".to_owned(),
            term(TermKind::List {
                items: vec![],
                tail: None
            })
        )),
    ]
}

/// Blank text between tokens: spaces, newlines, comments.
fn gap() -> impl Strategy<Value = &'static str> + Clone {
    proptest::sample::select(vec!["", "", " ", "\n", "\r\n", " % note\n", "\t"])
}

fn joined(items: &[(Written, &str)]) -> String {
    items
        .iter()
        .map(|((t, _), g)| format!("{g}{t}{g}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn written_term() -> impl Strategy<Value = Written> {
    leaf().prop_recursive(4, 48, 5, |inner| {
        let items = proptest::collection::vec((inner.clone(), gap()), 0..5);
        prop_oneof![
            items.clone().prop_map(|items| {
                let terms = items.iter().map(|((_, t), _)| t.clone()).collect();
                (
                    format!("{{{}}}", joined(&items)),
                    term(TermKind::Tuple(terms)),
                )
            }),
            (items.clone(), proptest::option::of(inner.clone())).prop_map(|(items, tail)| {
                let terms: Vec<Term> = items.iter().map(|((_, t), _)| t.clone()).collect();
                match tail {
                    Some((tail_text, tail)) if !items.is_empty() => (
                        format!("[{} | {tail_text}]", joined(&items)),
                        term(TermKind::List {
                            items: terms,
                            tail: Some(Box::new(tail)),
                        }),
                    ),
                    _ => (
                        format!("[{}]", joined(&items)),
                        term(TermKind::List {
                            items: terms,
                            tail: None,
                        }),
                    ),
                }
            }),
            proptest::collection::vec((inner.clone(), inner), 0..4).prop_map(|entries| {
                let text = entries
                    .iter()
                    .map(|((k, _), (v, _))| format!("{k} => {v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let kind =
                    TermKind::Map(entries.into_iter().map(|((_, k), (_, v))| (k, v)).collect());
                (format!("#{{{text}}}"), term(kind))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn text_written_every_way_reads_as_its_term((text, expected) in written_term()) {
        let source = format!("{text}.\n");
        let read = consult(&source);
        prop_assert!(read.is_ok(), "{source:?}: {:?}", read.err());
        let read = read.unwrap_or_default();
        prop_assert_eq!(read.len(), 1, "{:?}", source);
        prop_assert_eq!(canonical(&read[0]), canonical(&expected), "text {:?}", source);
    }
}
