//! Positions, error messages, recovery and the depth limit.

use super::*;

fn pos(line: u32, column: u32) -> Pos {
    Pos { line, column }
}

fn one(text: &str) -> Term {
    let mut terms = consult(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    assert_eq!(terms.len(), 1, "{text:?}");
    terms.remove(0)
}

fn err(text: &str) -> TermError {
    match consult(text) {
        Ok(terms) => panic!("{text:?} read as {terms:?}"),
        Err(e) => e,
    }
}

/// Runs `f` on a thread with a 2 MB stack, as test threads and rayon
/// workers have.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no stack overflow");
}

#[test]
fn positions_of_nested_values() {
    let t = one("\n  {a, [b, 1],\n   #{k => <<\"v\">>}}.");
    assert_eq!(t.pos, pos(2, 3));
    let items = t.as_tuple().expect("tuple");
    assert_eq!(items[0].pos, pos(2, 4));
    assert_eq!(items[1].pos, pos(2, 7));
    assert_eq!(items[1].as_list().expect("list")[1].pos, pos(2, 11));
    let TermKind::Map(entries) = &items[2].kind else {
        panic!("map")
    };
    assert_eq!(items[2].pos, pos(3, 4));
    assert_eq!(entries[0].0.pos, pos(3, 6));
    assert_eq!(entries[0].1.pos, pos(3, 11));
}

#[test]
fn positions_with_crlf_and_multibyte_characters() {
    let terms = consult("a.\r\n{\"é日\", x,\r\n  'ü', $é, y}.\r\n").expect("valid");
    let items = terms[1].as_tuple().expect("tuple");
    assert_eq!(terms[1].pos, pos(2, 1));
    assert_eq!(items[1].pos, pos(2, 8));
    assert_eq!(items[2].pos, pos(3, 3));
    assert_eq!(items[3].pos, pos(3, 8));
    assert_eq!(items[4].pos, pos(3, 12));
}

#[test]
fn positions_of_signed_numbers_and_strings_spanning_lines() {
    let t = one("[- 1, \"a\nb\", c].");
    let items = t.as_list().expect("list");
    assert_eq!(items[0].pos, pos(1, 2));
    assert_eq!(items[0].as_integer(), Some(-1));
    assert_eq!(items[1].pos, pos(1, 7));
    assert_eq!(items[2].pos, pos(2, 5));
}

#[test]
fn latin1_file_positions() {
    let terms = consult_bytes(b"%% coding: latin-1\n{caf\xe9, x}.\n").expect("latin-1");
    let items = terms[0].as_tuple().expect("tuple");
    assert_eq!(items[0].as_atom(), Some("café"));
    assert_eq!(items[1].pos, pos(2, 8));
}

#[test]
fn error_messages_and_positions() {
    let cases: &[(&str, Pos, &str)] = &[
        (
            "{a foo}.",
            pos(1, 4),
            "expected `,` or `}` after a tuple element, found atom `foo`",
        ),
        (
            "x.\n\n{a,\n    \"abc}.\n",
            pos(4, 5),
            "unterminated string starting at 4:5",
        ),
        ("{ok, Foo}.", pos(1, 6), "variables are not allowed in a term: `Foo`"),
        (
            "#{a := 1}.",
            pos(1, 5),
            "`:=` is not allowed in a map term (it only updates an existing key); use `=>`",
        ),
        (
            "[a, case].",
            pos(1, 5),
            "`case` is a reserved word, not an atom: write 'case'",
        ),
        (
            "{a, b}",
            pos(1, 7),
            "expected `.` after the term starting at 1:1, found end of file",
        ),
        (
            "a.b.",
            pos(1, 2),
            "expected `.` after the term, found `.` (a full stop needs white space after it)",
        ),
        ("[a, b.", pos(1, 6), "expected `,`, `|` or `]` after a list element, found `.` (end of term)"),
        ("\"\\x{zz}\".", pos(1, 2), "invalid escape sequence `\\x{z`"),
        ("1.0e400.", pos(1, 1), "float `1.0e400` is out of range"),
        ("-a.", pos(1, 1), "unary `-` in a term applies only to a number literal"),
        ("<<1.5>>.", pos(1, 3), "an integer segment cannot hold a float"),
        ("日本.", pos(1, 1), "unexpected character `日` (U+65E5) (only Latin-1 letters may appear in an unquoted atom: quote it)"),
        ("fun map/2.", pos(1, 8), "expected `:` (only `fun Module:Function/Arity` can appear in a term), found `/`"),
    ];
    for (text, at, message) in cases {
        let e = err(text);
        assert_eq!((&e.pos, e.message.as_str()), (at, *message), "{text:?}");
    }
    let long = format!("{}.", "a".repeat(256));
    assert_eq!(
        err(&long).message,
        "atom is too long (256 characters; Erlang allows 255)"
    );
}

#[test]
fn error_display_is_line_column_message() {
    let e = err("{a foo}.");
    assert_eq!(
        e.to_string(),
        "1:4: expected `,` or `}` after a tuple element, found atom `foo`"
    );
}

#[test]
fn recovery_skips_to_the_end_of_the_bad_term() {
    let text = "a.\n{b.\nc.\n[d e].\n{x, \"not. the end\", Y}.\n'q. r' z.\n$. .\nf.\n";
    let (terms, errors) = consult_recovering(text);
    let shown: Vec<String> = terms.iter().map(Term::to_erlang).collect();
    assert_eq!(shown, ["a", "c", "46", "f"]);
    let lines: Vec<u32> = errors.iter().map(|e| e.pos.line).collect();
    assert_eq!(lines, [2, 4, 5, 6]);
}

#[test]
fn recovery_after_lexical_errors_and_at_the_end() {
    let (terms, errors) = consult_recovering("\"\\x{zz}\". ok. \"unterminated. x.");
    assert_eq!(terms.len(), 1);
    assert_eq!(terms[0].as_atom(), Some("ok"));
    assert_eq!(errors.len(), 2);
    let (terms, errors) = consult_recovering("a. b");
    assert_eq!(terms.len(), 1);
    assert_eq!(errors.len(), 1);
}

#[test]
fn empty_and_comment_only_files_have_no_terms() {
    assert!(consult("").expect("empty").is_empty());
    assert!(consult("  % nothing\n%% here\n")
        .expect("comments")
        .is_empty());
    assert_eq!(consult_recovering(""), (vec![], vec![]));
}

#[test]
fn values_read_as_erlang_reads_them() {
    assert_eq!(one("\"a\" \"b\" \"\".").as_string().as_deref(), Some("ab"));
    assert_eq!(one("$\\^G.").as_integer(), Some(7));
    assert_eq!(one("- 16#ff_ff.").as_integer(), Some(-65535));
    assert_eq!(one("-9223372036854775808.").as_integer(), Some(i64::MIN));
    assert!(matches!(
        one("9223372036854775808.").kind,
        TermKind::Integer(Integer::Big(_))
    ));
    assert_eq!(
        one("<<\"é\"/utf8>>.").as_binary_text().as_deref(),
        Some("é")
    );
    assert_eq!(
        one("<<1:4>>.").kind,
        TermKind::Binary {
            bytes: vec![0x10],
            trailing_bits: 4
        }
    );
    assert_eq!(canonical(&one("[a,b|[c]].")), canonical(&one("[a,b,c].")));
    assert_eq!(one("[a | \"bc\"].").as_list().map(<[Term]>::len), Some(3));
    assert_eq!(
        one("fun logger_filters:domain/2.").kind,
        TermKind::Fun {
            module: "logger_filters".into(),
            function: "domain".into(),
            arity: 2
        }
    );
}

#[test]
fn bom_and_invalid_utf8_are_refused_like_file_consult() {
    let e = consult_bytes(b"\xef\xbb\xbfa.").unwrap_err();
    assert!(e.message.contains("byte-order mark"), "{e}");
    let e = consult_bytes(b"a.\n\"\xe9\".").unwrap_err();
    assert_eq!(e.pos, pos(2, 2));
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}{}.", open.repeat(depth), close.repeat(depth))
}

#[test]
fn very_deep_input_is_an_error_not_a_crash() {
    on_small_stack(|| {
        for (open, close) in [
            ("[", "]"),
            ("{", "}"),
            ("(", ")"),
            ("#{a=>", "}"),
            ("- ", ""),
        ] {
            let text = format!("{}1{}.", open.repeat(100_000), close.repeat(100_000));
            let e = consult(&text).expect_err("too deep");
            assert!(e.message.contains("nested deeper"), "{e}");
            let (terms, errors) = consult_recovering(&format!("{text}\nok."));
            assert_eq!(terms.len(), 1);
            assert_eq!(errors.len(), 1);
        }
        assert!(consult(&nested("[", "]", MAX_DEPTH + 1)).is_err());
    });
}

#[test]
fn a_term_at_max_depth_survives_every_operation_on_a_small_stack() {
    on_small_stack(|| {
        let shapes = [
            nested("[", "]", MAX_DEPTH),
            nested("{", "}", MAX_DEPTH),
            format!(
                "{}x{}.",
                "[a|{".repeat(MAX_DEPTH / 2),
                "}]".repeat(MAX_DEPTH / 2)
            ),
            format!(
                "{}#{{}}{}.",
                "#{".repeat(MAX_DEPTH - 1),
                " => 1}".repeat(MAX_DEPTH - 1)
            ),
            format!(
                "{}1{}.",
                "#{k => ".repeat(MAX_DEPTH - 1),
                "}".repeat(MAX_DEPTH - 1)
            ),
        ];
        for text in shapes {
            let terms = consult(&text).expect("at the limit");
            let term = terms.into_iter().next().expect("one term");
            let copy = term.clone();
            assert_eq!(copy, term);
            assert!(format!("{term:?}").len() > MAX_DEPTH);
            // `{:#?}` recurses the same way; its indentation makes the text
            // (and the time) grow with the square of the depth, so it is
            // checked on a shallower term below.
            assert!(term.to_erlang().len() >= MAX_DEPTH);
            assert!(canonical(&term).len() >= MAX_DEPTH);
            drop(copy);
            drop(term);
        }
        let term = consult(&nested("[", "]", 100)).expect("valid").remove(0);
        assert!(format!("{term:#?}").lines().count() > 100);
    });
}

#[test]
fn huge_files_read_in_linear_time() {
    let entry = "{app_name, \"1.0.0\", [kernel, stdlib], #{key => <<\"value\">>}, 1.5e3}.\n";
    let small = entry.repeat(2_000);
    let large = entry.repeat(20_000);
    let time = |text: &str| {
        let start = std::time::Instant::now();
        let terms = consult(text).expect("valid");
        (start.elapsed(), terms.len())
    };
    let (t_small, n_small) = time(&small);
    let (t_large, n_large) = time(&large);
    assert_eq!((n_small, n_large), (2_000, 20_000));
    // Ten times the input may take ten times as long, with ample slack.
    assert!(
        t_large < t_small * 40 + std::time::Duration::from_millis(200),
        "{t_small:?} for 2k terms, {t_large:?} for 20k"
    );
}

#[test]
fn binary_limit_is_per_file_not_per_binary() {
    // Found by the term fuzz target: each of these binaries is under the
    // limit, but a few lines of them took gigabytes and seconds.
    let big = "<<0:100000000>>.\n";
    assert!(consult(big).is_ok());
    let (terms, errors) = consult_recovering(&big.repeat(50));
    assert_eq!(terms.len(), 1);
    assert_eq!(errors.len(), 49);
    assert!(
        errors[0].message.contains("per file"),
        "{}",
        errors[0].message
    );
    // Segments of binaries dropped on an error count too.
    let (_, errors) = consult_recovering(&"<<0:100000000, x>>.\n".repeat(50));
    assert_eq!(errors.len(), 50);
    assert!(
        errors[1].message.contains("per file"),
        "{}",
        errors[1].message
    );
}

#[test]
fn unaligned_segments_keep_their_bits() {
    let read = |text: &str| canonical(&consult(text).unwrap()[0]);
    assert_eq!(read("<<1:3, 16#abcd:16, 5:5>>."), "<<53,121,165>>");
    assert_eq!(read("<<1:1, <<255, 1>>/binary>>."), "<<255,128,1:1>>");
    assert_eq!(read("<<1:3, -1:20>>."), "<<63,255,127:7>>");
}

#[test]
fn little_endian_segments_are_whole_bytes_reversed() {
    let read = |text: &str| canonical(&consult(text).unwrap()[0]);
    assert_eq!(read("<<16#0102:16/little>>."), "<<2,1>>");
    assert_eq!(read("<<1:1, 16#0102:16/little>>."), "<<129,0,1:1>>");
    assert_eq!(read("<<16#abc:12/little>>."), "<<188,10:4>>");
    // Found by the term fuzz target: 15 MB of little-endian integer, built
    // bit by bit, took seconds.
    let start = std::time::Instant::now();
    assert!(consult("<<16#abc:123333333/little>>.").is_ok());
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}
