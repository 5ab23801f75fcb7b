//! Long texts cut where a reader expects a break (issue 15): conditions
//! and values in words are capped, and a cap that falls in the middle of
//! a word or a term (`{ok, Co...`) leaves half a term and says nothing of
//! what is gone. [`cut`] keeps whole alternatives, conditions, elements
//! or words, closes the brackets it is inside, and counts what it left
//! out: `a and b … and 7 more`, `{x,y,… and 3 more}`.
//!
//! The text is read as Erlang-ish prose: brackets (`()`, `[]`, `{}`,
//! `<<>>`), quoted atoms and strings, `$c` characters, and separators
//! from the strongest to the weakest: ` or `, ` and `, `; `, `,`. A level
//! is cut between its elements at its strongest separator; when not even
//! its first element fits, inside that element (between its words, or
//! inside its first bracket that does not fit).

use std::collections::HashMap;
use std::fmt::Write as _;

/// What stands for the text left out.
const GONE: &str = "…";

/// Room kept inside a bracket before cutting into it rather than
/// stopping before it: less says nothing.
const MIN_INSIDE: usize = 12;

/// Room left after the elements kept whole before cutting into the next
/// one rather than counting it with the rest.
const MIN_NEXT: usize = 24;

/// `text` in at most `max` characters, cut at a boundary (see the module
/// documentation); `text` itself when it fits.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.len() <= max || text.chars().count() <= max {
        return text.to_owned();
    }
    // The same long text is cut again and again (a clause's condition,
    // met at every call of its function): each once per thread.
    CUTS.with(|cuts| {
        let mut cuts = cuts.borrow_mut();
        if let Some((_, c)) = cuts.get(text).filter(|(m, _)| *m == max) {
            return c.clone();
        }
        let mut out = String::with_capacity(max.min(text.len()) + 8);
        fit(text, max, &mut out);
        if cuts.len() >= CUTS_KEPT {
            cuts.clear();
        }
        cuts.insert(text.to_owned(), (max, out.clone()));
        out
    })
}

/// Cuts kept per thread before the cache starts again.
const CUTS_KEPT: usize = 1024;

thread_local! {
    /// Texts cut, by text: the cap and the cut.
    static CUTS: std::cell::RefCell<HashMap<String, (usize, String), foldhash::fast::FixedState>> =
        std::cell::RefCell::new(HashMap::default());
}

/// Room kept for the note of a joined text: ` … and 9999 more`.
const NOTE_ROOM: usize = 17;

/// `parts` joined by `sep` (` and `, ` or `), in at most `max`
/// characters: whole parts while they fit, the first one cut when not
/// even it does, the rest counted. Each part is read once, from its end
/// (its note), not parsed: paths and merged alternatives are joined again
/// and again from parts already at the cap, and most joins fit.
pub(crate) fn cut_joined<'a>(
    parts: impl IntoIterator<Item = &'a str>,
    sep: &str,
    max: usize,
) -> String {
    if max < 2 * NOTE_ROOM {
        // Too short a cap to keep room for a count: as one text.
        let parts: Vec<&str> = parts.into_iter().collect();
        return cut(&parts.join(sep), max);
    }
    let mut out = String::new();
    let mut used = 0;
    let mut counted = 0;
    let mut total = 0;
    let mut full = false;
    let mut parts = parts.into_iter().enumerate().peekable();
    while let Some((i, p)) = parts.next() {
        let (core, n) = weigh(p);
        total += n;
        if full {
            continue;
        }
        let before = if i > 0 { sep } else { "" };
        let room = if parts.peek().is_some() { NOTE_ROOM } else { 0 };
        // Bytes bound characters: most parts fit by their bytes.
        let whole = if used + before.len() + p.len() + room <= max {
            before.len() + p.len()
        } else {
            chars(before) + chars(p)
        };
        // A part already cut ends what is shown: its note counts the rest.
        if n == 1 && used + whole + room <= max {
            out.push_str(before);
            out.push_str(p);
            used += whole;
            counted += n;
            continue;
        }
        full = true;
        let shown = chars(before) + chars(core);
        if used + shown + NOTE_ROOM <= max {
            out.push_str(before);
            out.push_str(core);
            counted += 1;
        } else if i == 0 {
            // `out` is empty: the first part as `cut` gives it, whose cache
            // keeps the cut of a part merged again and again.
            out.push_str(&cut(core, max.saturating_sub(NOTE_ROOM)));
            counted += 1;
        }
    }
    if counted < total {
        let n = total - counted;
        push_note(&mut out, n, &format!(" {GONE} and {n} more"));
    }
    out
}

/// A separator at the top level of a text, from the weakest to the
/// strongest (the order elements are split by).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Sep {
    Comma,
    Semicolon,
    And,
    Or,
}

/// Something at the top level of a text, by byte offsets.
#[derive(Debug, Clone, Copy)]
enum Tok {
    /// A separator `start..end`.
    Sep(Sep, usize, usize),
    /// A space between words.
    Space(usize),
    /// A bracket: opened at `open..inner`, closed at `close..end`.
    Group {
        open: usize,
        inner: usize,
        close: usize,
        end: usize,
    },
}

fn chars(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// The top level of `s`: its separators, spaces and brackets.
fn top_level(s: &str) -> Vec<Tok> {
    let b = s.as_bytes();
    let mut toks = Vec::new();
    // Open brackets: where each opened, its opening's end, its closing.
    let mut open: Vec<(usize, usize, &'static [u8])> = Vec::new();
    // A quote with no closing one after some point has none after any
    // later point either.
    let mut unclosed = [false; 2];
    let mut i = 0;
    while i < b.len() {
        // Letters, digits and most punctuation say nothing of structure:
        // skipped without a look (conditions are cut by the thousand).
        if !SPECIAL[usize::from(b[i])] {
            i += 1;
            continue;
        }
        let c = b[i];
        let depth0 = open.is_empty();
        match c {
            b'\'' | b'"' => {
                let q = usize::from(c == b'"');
                let closing = if unclosed[q] {
                    None
                } else {
                    closing_quote(b, i)
                };
                match closing {
                    Some(j) => {
                        i = j + 1;
                        continue;
                    }
                    None => unclosed[q] = true,
                }
            }
            b'$' if i + 1 < b.len() => {
                // `$(` is a character, not a bracket.
                i += 1 + utf8_len(b[i + 1]);
                continue;
            }
            b'(' | b'[' | b'{' => {
                let close: &'static [u8] = match c {
                    b'(' => b")",
                    b'[' => b"]",
                    _ => b"}",
                };
                open.push((i, i + 1, close));
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                open.push((i, i + 2, b">>"));
                i += 2;
                continue;
            }
            b')' | b']' | b'}' | b'>' => {
                if let Some(&(o, inner, close)) = open.last() {
                    if b[i..].starts_with(close) {
                        open.pop();
                        let end = i + close.len();
                        if open.is_empty() {
                            toks.push(Tok::Group {
                                open: o,
                                inner,
                                close: i,
                                end,
                            });
                        }
                        i = end;
                        continue;
                    }
                }
            }
            b',' if depth0 => {
                let end = if b.get(i + 1) == Some(&b' ') {
                    i + 2
                } else {
                    i + 1
                };
                toks.push(Tok::Sep(Sep::Comma, i, end));
                i = end;
                continue;
            }
            b';' if depth0 && b.get(i + 1) == Some(&b' ') => {
                toks.push(Tok::Sep(Sep::Semicolon, i, i + 2));
                i += 2;
                continue;
            }
            b' ' if depth0 => {
                let rest = &s[i..];
                let word = if rest.starts_with(" and ") && !is_note(&rest[4..]) {
                    Some((Sep::And, 5))
                } else if rest.starts_with(" or ") {
                    Some((Sep::Or, 4))
                } else {
                    None
                };
                match word {
                    Some((sep, n)) => {
                        toks.push(Tok::Sep(sep, i, i + n));
                        i += n;
                    }
                    None => {
                        toks.push(Tok::Space(i));
                        i += 1;
                    }
                }
                continue;
            }
            _ => {}
        }
        i += utf8_len(c);
    }
    toks
}

/// The bytes [`top_level`] reads: quotes, `$`, brackets, `<`, `>`,
/// separators and blanks.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = b"'\"$()[]{}<>,; ";
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

/// Bytes of the character starting with byte `c`.
fn utf8_len(c: u8) -> usize {
    match c {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// The closing quote of the one at `at`, past escapes.
fn closing_quote(b: &[u8], at: usize) -> Option<usize> {
    let q = b[at];
    let mut j = at + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            c if c == q => return Some(j),
            _ => j += 1,
        }
    }
    None
}

/// Whether `s` (after ` and`) is a count of what was left out, ` N more`
/// ending the element: a note of an earlier cut, or of a list in words
/// (`one of: a, b and 3 more`), not a separator.
fn is_note(s: &str) -> bool {
    note_count(s).is_some()
}

/// `N` of a note ` N more` at the start of `s`, when nothing but a
/// separator or a bracket follows it.
fn note_count(s: &str) -> Option<usize> {
    let rest = s.strip_prefix(' ')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let n = rest[..digits].parse().ok()?;
    let after = rest[digits..].strip_prefix(" more")?;
    match after.bytes().next() {
        None | Some(b',' | b';' | b' ' | b')' | b']' | b'}' | b'>') => Some(n),
        _ => None,
    }
}

/// Whether `text` ends in the count of what a cut left out.
pub(crate) fn ends_in_count(text: &str) -> bool {
    text.ends_with(" more") && weigh(text).1 > 1
}

/// An element without the note ending it, and how many it stands for
/// (itself and those its note counts). Read from the end: most elements
/// have no note, and joined texts are weighed part by part.
fn weigh(e: &str) -> (&str, usize) {
    if !e.as_bytes().ends_with(b" more") {
        return (e, 1);
    }
    let rest = &e[..e.len() - " more".len()];
    let digits = rest.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (head, number) = rest.split_at(rest.len() - digits);
    let (Some(head), Ok(n)) = (head.strip_suffix(" and "), number.parse::<usize>()) else {
        return (e, 1);
    };
    let core = head.strip_suffix(GONE).unwrap_or(head).trim_end();
    let core = core.strip_suffix(',').unwrap_or(core);
    (core, 1 + n)
}

/// Decimal digits of `n`.
fn digits(mut n: usize) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// Appends `s` cut to at most `max` characters to `out`.
fn fit(s: &str, max: usize, out: &mut String) {
    if chars(s) <= max {
        out.push_str(s);
        return;
    }
    if max == 0 {
        return;
    }
    let toks = top_level(s);
    let strongest = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Sep(sep, ..) => Some(*sep),
            _ => None,
        })
        .max();
    match strongest {
        Some(sep) => fit_elements(s, &toks, sep, max, out),
        None => fit_words(s, &toks, max, out),
    }
}

/// Cuts `s` between its elements at separators `sep`.
fn fit_elements(s: &str, toks: &[Tok], sep: Sep, max: usize, out: &mut String) {
    // Elements and the separator text before each (empty for the first).
    let mut elems: Vec<(&str, &str)> = Vec::new();
    let mut from = 0;
    let mut before = "";
    for t in toks {
        if let Tok::Sep(x, a, b) = *t {
            if x == sep {
                elems.push((before, &s[from..a]));
                before = &s[a..b];
                from = b;
            }
        }
    }
    elems.push((before, &s[from..]));
    let sep_text = elems.get(1).map_or("", |e| e.0);
    let note = |n: usize| match sep {
        Sep::Comma => format!("{}{GONE} and {n} more", sep_text),
        _ => format!(" {GONE} and {n} more"),
    };
    // `chars(&note(n))`, without writing it.
    let lead = match sep {
        Sep::Comma => chars(sep_text),
        _ => 1,
    };
    let note_chars = |n: usize| lead + "… and ".chars().count() + digits(n) + " more".len();
    let weights: Vec<(&str, usize)> = elems.iter().map(|(_, e)| weigh(e)).collect();
    let total: usize = weights.iter().map(|(_, n)| n).sum();
    let mut used = 0;
    let mut counted = 0;
    for (i, (before, e)) in elems.iter().enumerate() {
        let (core, n) = weights[i];
        let left = total - counted - n;
        let room = if left > 0 { note_chars(left) } else { 0 };
        if used + chars(before) + chars(e) + room <= max {
            // Whole.
            out.push_str(before);
            out.push_str(e);
            used += chars(before) + chars(e);
            counted += n;
            continue;
        }
        // Shown in part, the rest counted: the first element always,
        // a later one when there is room enough to say something.
        let left = total - counted - 1;
        let gone = note(left);
        let room = max.saturating_sub(used + chars(before));
        if i == 0 || room >= note_chars(left) + MIN_NEXT.min(chars(core)) {
            if left == 0 {
                out.push_str(before);
                fit(core, room, out);
            } else if chars(&gone) + MIN_INSIDE.min(chars(core)) <= room {
                out.push_str(before);
                fit(core, room - chars(&gone), out);
                push_note(out, left, &gone);
            } else {
                // Too little room to count: only that something is gone.
                out.push_str(before);
                fit(core, room.saturating_sub(chars(GONE)), out);
                if !out.ends_with(GONE) {
                    out.push_str(GONE);
                }
            }
        } else {
            push_note(out, total - counted, &note(total - counted));
        }
        return;
    }
}

/// Appends `note`, the note for `n` left out, to `out`: merged into a
/// note `out` ends with (`… and 2 more` and 1 more is `… and 3 more`),
/// or counting the rest after an element cut short (`term … and 1 more`).
fn push_note(out: &mut String, n: usize, note: &str) {
    let (core, k) = weigh(out);
    if k > 1 && out[core.len()..].contains(GONE) {
        // `out` ends in `… and k more`: keep its `…`, count both.
        let at = out.len() - " more".len() - (k - 1).to_string().len() - " and ".len();
        out.truncate(at);
        let _ = write!(out, " and {} more", k - 1 + n);
        return;
    }
    if out.ends_with(GONE) {
        let _ = write!(out, " and {n} more");
        return;
    }
    out.push_str(note);
}

/// Cuts `s`, which has no separator at its top level, between its words,
/// or inside the first bracket that does not fit.
fn fit_words(s: &str, toks: &[Tok], max: usize, out: &mut String) {
    let tail = 1 + chars(GONE); // ` …`
    let mut from = 0;
    let mut kept_to = 0;
    let mut spaces = toks.iter().filter_map(|t| match t {
        Tok::Space(at) => Some(*at),
        _ => None,
    });
    loop {
        let to = spaces.next().unwrap_or(s.len());
        let more = to < s.len();
        if chars(&s[..to]) + if more { tail } else { 0 } <= max {
            kept_to = to;
            from = to + 1;
            if !more {
                break;
            }
            continue;
        }
        // The word `s[from..to]` does not fit: into its first bracket
        // that does not.
        let room = max.saturating_sub(chars(&s[..from]) + tail);
        for t in toks {
            let Tok::Group {
                open,
                inner,
                close,
                end,
            } = *t
            else {
                continue;
            };
            if open < from || open >= to {
                continue;
            }
            let head = chars(&s[from..inner]);
            let shut = chars(&s[close..end]);
            if chars(&s[from..end]) <= room {
                continue;
            }
            if head + shut + MIN_INSIDE <= room {
                out.push_str(&s[..inner]);
                fit(&s[inner..close], room - head - shut, out);
                out.push_str(&s[close..end]);
                if end < s.len() {
                    out.push(' ');
                    out.push_str(GONE);
                }
                return;
            }
            break;
        }
        break;
    }
    if kept_to > 0 {
        out.push_str(&s[..kept_to]);
        out.push(' ');
        out.push_str(GONE);
        return;
    }
    // One word with nothing to cut between (a term, a path): not cut in
    // half, only said to be there.
    if max >= chars(GONE) {
        out.push_str(GONE);
    }
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn short_texts_are_kept() {
        assert_eq!(cut("a and b", 7), "a and b");
        assert_eq!(cut("éèê", 3), "éèê");
    }

    #[test]
    fn conditions_are_cut_between_conditions_and_counted() {
        let text =
            "f(X) matches ok and g(Y) matches {error, E} and h() matches true and k() is empty";
        assert_eq!(cut(text, 50), "f(X) matches ok … and 3 more");
        assert_eq!(
            cut(text, 60),
            "f(X) matches ok and g(Y) matches {error, E} … and 2 more"
        );
    }

    #[test]
    fn alternatives_are_the_strongest_separator() {
        let text = "(a matches x and b matches y) or (c matches z and d matches w) or (e)";
        assert_eq!(cut(text, 50), "(a matches x and b matches y) … and 2 more");
    }

    #[test]
    fn terms_are_cut_between_elements_and_closed() {
        let text = "X matches {emqx_config,conf,prometheus,push_gateway_server,url}";
        let got = cut(text, 45);
        assert_eq!(got, "X matches {emqx_config,conf,… and 3 more}");
        assert!(got.chars().count() <= 45);
    }

    #[test]
    fn a_note_already_there_is_counted_again() {
        let first = cut("a1 and a2 and a3 and a4 and a5 and a6", 22);
        assert_eq!(first, "a1 and a2 … and 4 more");
        // Joined to one more and cut again: seven in all, two kept.
        let again = cut(&format!("{first} and a7"), 22);
        assert_eq!(again, "a1 and a2 … and 5 more");
        // A list in words counts the same way.
        assert_eq!(
            cut("one of: a, b, c and 3 more", 24),
            "one of: a, … and 5 more"
        );
    }

    #[test]
    fn words_are_kept_whole() {
        let text = "persistent term emqx_config conf cluster set at run time";
        assert_eq!(cut(text, 30), "persistent term emqx_config …");
    }

    #[test]
    fn quoted_text_and_characters_are_not_structure() {
        let text = "X matches {'a, b', \"c) d\", $(, zzzzzzzzzzzzzzzzzzzzzzzz}";
        let got = cut(text, 48);
        assert_eq!(got, "X matches {'a, b', \"c) d\", $(, … and 1 more}");
    }

    #[test]
    fn every_cut_fits_and_ends_no_term_halfway() {
        let text = "get_fd(Port) matches {ok, Fd} (the argument of httpd_sup:get_fd/1 is 0 \
                    (proplists:get_value(proplist_file, Config) matches undefined and \
                    proplists:get_value(bind_address, Properties) matches undefined and \
                    proplists:get_value(sock_type, Properties) matches ip_comm)) and \
                    (Port == 0) orelse (Fd =/= undefined) matches true";
        for max in 1..text.len() {
            let got = cut(text, max);
            assert!(got.chars().count() <= max, "{max}: {got}");
            assert!(!got.contains("..."), "{max}: {got}");
            let opens = got.matches(['(', '{', '[']).count();
            let closes = got.matches([')', '}', ']']).count();
            assert!(opens == closes, "{max}: {got}");
        }
    }
}
