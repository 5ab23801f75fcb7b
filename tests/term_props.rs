//! Properties of the term reader: printed terms read back as the same
//! term, and no input, however broken, makes it panic.

use num_bigint::BigInt;
use proptest::prelude::*;

use otpmap::config::term::{
    canonical, consult, consult_bytes, consult_recovering, Integer, Pos, Term, TermKind,
};

fn term(kind: TermKind) -> Term {
    Term {
        kind,
        pos: Pos::default(),
    }
}

/// Characters Erlang allows in strings and quoted atoms (all but the two
/// non-characters U+FFFE and U+FFFF), biased towards the interesting ones.
fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range(' ', '~'),
        1 => proptest::char::range('\0', '\u{1f}'),
        1 => proptest::char::range('\u{7f}', '\u{ff}'),
        1 => any::<char>().prop_filter("non-character", |c| *c != '\u{fffe}' && *c != '\u{ffff}'),
        1 => Just('\''),
        1 => Just('"'),
        1 => Just('\\'),
    ]
}

fn atom_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z][a-zA-Z0-9_@]{0,12}",
        1 => proptest::sample::select(vec![
            "case", "end", "maybe", "else", "fun", "Foo", "_", "café", "nonode@nohost", "",
        ])
        .prop_map(str::to_owned),
        2 => proptest::collection::vec(text_char(), 0..20).prop_map(|cs| cs.into_iter().collect()),
    ]
}

fn integer() -> impl Strategy<Value = Integer> {
    prop_oneof![
        4 => any::<i64>().prop_map(Integer::Small),
        1 => (-1000i64..1000).prop_map(Integer::Small),
        2 => (any::<i128>(), any::<u64>()).prop_map(|(high, low)| {
            Integer::from_big((BigInt::from(high) << 64) + BigInt::from(low))
        }),
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
        Just(0.0),
        Just(-0.0),
        Just(f64::MIN_POSITIVE),
        Just(5e-324),
        Just(f64::MAX),
        (-1e6f64..1e6),
    ]
}

fn binary() -> impl Strategy<Value = TermKind> {
    (proptest::collection::vec(any::<u8>(), 0..12), 0u8..8).prop_map(|(mut bytes, trailing)| {
        if bytes.is_empty() {
            return TermKind::Binary {
                bytes,
                trailing_bits: 0,
            };
        }
        if let Some(last) = bytes.last_mut() {
            *last &= 0xffu8.checked_shl(u32::from(8 - trailing)).unwrap_or(0xff);
        }
        TermKind::Binary {
            bytes,
            trailing_bits: trailing,
        }
    })
}

fn leaf() -> impl Strategy<Value = Term> {
    prop_oneof![
        atom_name().prop_map(|a| term(TermKind::Atom(a))),
        integer().prop_map(|n| term(TermKind::Integer(n))),
        float().prop_map(|f| term(TermKind::Float(f))),
        proptest::collection::vec(text_char(), 0..16)
            .prop_map(|cs| term(TermKind::String(cs.into_iter().collect()))),
        binary().prop_map(term),
        (atom_name(), atom_name(), any::<u8>()).prop_map(|(module, function, arity)| {
            term(TermKind::Fun {
                module,
                function,
                arity,
            })
        }),
    ]
}

fn any_term() -> impl Strategy<Value = Term> {
    leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6)
                .prop_map(|items| term(TermKind::Tuple(items))),
            (
                proptest::collection::vec(inner.clone(), 0..6),
                proptest::option::of(inner.clone())
            )
                .prop_map(|(items, tail)| {
                    let tail = if items.is_empty() {
                        None
                    } else {
                        tail.map(Box::new)
                    };
                    term(TermKind::List { items, tail })
                }),
            proptest::collection::vec((inner.clone(), inner), 0..5)
                .prop_map(|entries| term(TermKind::Map(entries))),
        ]
    })
}

fn atom_fits(t: &Term) -> bool {
    // Atoms over 255 characters cannot be written (and the strategy makes
    // none); everything else must round-trip.
    match &t.kind {
        TermKind::Atom(a) => a.chars().count() <= 255,
        _ => true,
    }
}

/// Pieces of Erlang text, valid and not, for token soup.
const SOUP: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "<<",
    ">>",
    "#{",
    "#",
    "=>",
    ":=",
    ",",
    "|",
    "||",
    ".",
    ". ",
    ".\n",
    "-",
    "+",
    "--",
    ":",
    "/",
    "a",
    "'q a'",
    "'",
    "\"",
    "\"s\"",
    "\"\\x{",
    "\\",
    "$",
    "$a",
    "$\\",
    "1",
    "16#",
    "16#ff",
    "1.5",
    "1.",
    "e",
    "1_0",
    "_",
    "X",
    "case",
    "fun",
    "m:f/1",
    "%",
    "%c\n",
    "\n",
    "\r\n",
    " ",
    "\t",
    "é",
    "日",
    "\u{feff}",
    "\u{fffe}",
    "utf8",
    "integer",
    "unit:8",
    "0",
    "255",
    "-1",
    "1e",
    "\u{a0}",
    "\0",
    "\\x{1F600}",
    "...",
    "..",
    "?",
    "!",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn printed_terms_read_back_as_the_same_term(t in any_term()) {
        prop_assume!(atom_fits(&t));
        let text = format!("{}.\n", t.to_erlang());
        let read = consult(&text);
        prop_assert!(read.is_ok(), "{text:?}: {:?}", read.err());
        let read = read.unwrap_or_default();
        prop_assert_eq!(read.len(), 1);
        prop_assert_eq!(canonical(&read[0]), canonical(&t), "text {:?}", text);
    }

    #[test]
    fn several_printed_terms_read_back_in_order(ts in proptest::collection::vec(any_term(), 0..5)) {
        prop_assume!(ts.iter().all(atom_fits));
        let text: String = ts.iter().map(|t| format!("{}.%\n", t.to_erlang())).collect();
        let read = consult(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        let expected: Vec<String> = ts.iter().map(canonical).collect();
        let got: Vec<String> = read.iter().map(canonical).collect();
        prop_assert_eq!(got, expected);
        let (recovered, errors) = consult_recovering(&text);
        prop_assert!(errors.is_empty());
        prop_assert_eq!(recovered, read);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = consult_bytes(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        let _ = consult(&text);
        let (terms, _) = consult_recovering(&text);
        for t in &terms {
            let _ = canonical(t);
            let _ = t.to_erlang();
        }
    }

    #[test]
    fn token_soup_never_panics(pieces in proptest::collection::vec(proptest::sample::select(SOUP), 0..60)) {
        let text: String = pieces.concat();
        let strict = consult(&text);
        let (terms, errors) = consult_recovering(&text);
        if let Ok(read) = &strict {
            prop_assert!(errors.is_empty());
            prop_assert_eq!(read, &terms);
        } else {
            prop_assert!(!errors.is_empty());
        }
        for t in &terms {
            // Whatever the reader accepts it can print, and read back.
            let again = consult(&format!("{}.", t.to_erlang()));
            prop_assert!(again.is_ok(), "{:?} printed as {:?}", text, t.to_erlang());
            let again = again.unwrap_or_default();
            prop_assert_eq!(again.first().map(canonical), Some(canonical(t)));
        }
    }
}
