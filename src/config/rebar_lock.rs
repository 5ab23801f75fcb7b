//! `rebar.lock`: every dependency rebar3 pinned, transitive ones included,
//! with its exact version or commit and its level (0 for what
//! `rebar.config` declares, 1 for their deps, ...).
//!
//! Two formats: rebar3 before 3.5 wrote one list,
//! `[{<<"name">>, Source, Level}, ...].`; later ones write
//! `{"1.2.0", [...]}.` followed by `[{pkg_hash, [{<<"name">>, <<"HASH">>}]},
//! {pkg_hash_ext, [...]}].`.

use super::rebar::source;
use super::term::Term;
use super::{app_resource::short, term_diagnostic};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Dep, DepSource, LockedDep};
use std::collections::BTreeMap;

/// The locked dependencies of one `rebar.lock`, in file order.
pub(crate) fn from_terms(terms: &[Term], rel: &str, diags: &mut Vec<Diagnostic>) -> Vec<LockedDep> {
    let (entries, hashes) = match terms {
        [] => return Vec::new(),
        [first, rest @ ..] => match first.as_tuple() {
            // {"1.2.0", [...]} then the package hashes.
            Some([vsn, list]) if vsn.as_string().is_some() && list.as_list().is_some() => {
                let hashes = rest.first().map(pkg_hashes).unwrap_or_default();
                (list.as_list().unwrap_or_default(), hashes)
            }
            _ => match first.as_list() {
                Some(list) => (list, BTreeMap::new()),
                None => {
                    diags.push(term_diagnostic(
                        Severity::Warning,
                        "bad-lock",
                        rel,
                        first,
                        format!(
                            "expected a list of locked dependencies or {{\"1.2.0\", [...]}}, \
                             found {}; the lock is not used",
                            short(first)
                        ),
                    ));
                    return Vec::new();
                }
            },
        },
    };
    entries
        .iter()
        .filter_map(|t| entry(t, rel, &hashes, diags))
        .collect()
}

/// `{<<"name">>, Source, Level}`.
fn entry(
    t: &Term,
    rel: &str,
    hashes: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<LockedDep> {
    let parsed = match t.as_tuple() {
        Some([name, src, level]) => name
            .as_text()
            .zip(level.as_integer().and_then(|l| u32::try_from(l).ok()))
            .map(|(name, level)| (name, src, level)),
        _ => None,
    };
    let Some((name, src, level)) = parsed else {
        diags.push(term_diagnostic(
            Severity::Warning,
            "bad-lock",
            rel,
            t,
            format!(
                "expected {{<<\"name\">>, Source, Level}} in the lock, found {}; skipped",
                short(t)
            ),
        ));
        return None;
    };
    let mut d = Dep {
        name: name.clone(),
        source: DepSource::Other,
        version: None,
        url: None,
        git_ref: None,
        package: None,
        profile: None,
        file: rel.to_owned(),
        line: t.pos.line,
        raw: false,
    };
    if !source(src, &mut d) {
        diags.push(term_diagnostic(
            Severity::Warning,
            "bad-lock",
            rel,
            src,
            format!(
                "unrecognised source {} for `{name}` in the lock",
                short(src)
            ),
        ));
    }
    Some(LockedDep {
        hash: hashes.get(&name).cloned(),
        // `{pkg, <<"name">>, ...}` names the package only when it differs.
        package: d.package.filter(|p| *p != name),
        name,
        source: d.source,
        version: d.version,
        url: d.url,
        git_ref: d.git_ref,
        level,
        file: d.file,
        line: d.line,
    })
}

/// `[{pkg_hash, [{<<"name">>, <<"HASH">>}]}, ...]`: the outer checksum of
/// each hex package.
fn pkg_hashes(t: &Term) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for section in t.as_list().unwrap_or_default() {
        let Some([list]) = section.tagged("pkg_hash") else {
            continue;
        };
        for pair in list.as_list().unwrap_or_default() {
            if let Some([name, hash]) = pair.as_tuple() {
                if let (Some(n), Some(h)) = (name.as_text(), hash.as_text()) {
                    out.insert(n, h);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::term::consult;
    use crate::model::GitRef;

    fn read(text: &str) -> (Vec<LockedDep>, Vec<Diagnostic>) {
        let terms = consult(text).expect("consults");
        let mut diags = Vec::new();
        (from_terms(&terms, "rebar.lock", &mut diags), diags)
    }

    #[test]
    fn reads_the_current_format_with_hashes() {
        let (locks, diags) = read(
            "{\"1.2.0\",\n[{<<\"cowboy\">>,{pkg,<<\"cowboy\">>,<<\"2.10.0\">>},0},\n \
             {<<\"cowlib\">>,{pkg,<<\"cowlib\">>,<<\"2.12.1\">>},1},\n \
             {<<\"jsx\">>,{pkg,<<\"jsx_fork\">>,<<\"3.1.0\">>},0},\n \
             {<<\"relay\">>,{git,\"https://example.org/relay.git\",{ref,\"0a1b2c3d\"}},0}]}.\n\
             [{pkg_hash,[{<<\"cowboy\">>, <<\"AB12\">>}]},{pkg_hash_ext,[{<<\"cowboy\">>, <<\"CD34\">>}]}].\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let view: Vec<(&str, DepSource, Option<&str>, u32, u32)> = locks
            .iter()
            .map(|l| {
                (
                    l.name.as_str(),
                    l.source,
                    l.version.as_deref(),
                    l.level,
                    l.line,
                )
            })
            .collect();
        assert_eq!(
            view,
            [
                ("cowboy", DepSource::Hex, Some("2.10.0"), 0, 2),
                ("cowlib", DepSource::Hex, Some("2.12.1"), 1, 3),
                ("jsx", DepSource::Hex, Some("3.1.0"), 0, 4),
                ("relay", DepSource::Git, None, 0, 5),
            ]
        );
        assert_eq!(locks[0].hash.as_deref(), Some("AB12"));
        assert_eq!(locks[0].package, None);
        assert_eq!(locks[2].package.as_deref(), Some("jsx_fork"));
        assert_eq!(locks[3].git_ref, Some(GitRef::Ref("0a1b2c3d".into())));
    }

    #[test]
    fn reads_the_old_list_and_reports_bad_entries() {
        let (locks, diags) = read(
            "[{<<\"lager\">>,{git,\"https://example.org/lager.git\",{ref,\"ffee\"}},0},\n \
             {<<\"goldrush\">>,{pkg,<<\"goldrush\">>,<<\"0.1.9\">>},1},\n \
             {broken}].\n",
        );
        assert_eq!(locks.len(), 2);
        assert_eq!((locks[1].name.as_str(), locks[1].level), ("goldrush", 1));
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].code, diags[0].line), ("bad-lock", 3));
        let (locks, diags) = read("{oops}.\n");
        assert!(locks.is_empty());
        assert_eq!(diags[0].code, "bad-lock");
        let (locks, diags) = read("[].\n");
        assert!(locks.is_empty() && diags.is_empty());
    }
}
