//! A finding's fingerprint, stable across line moves: what SARIF and
//! GitLab reports carry and what `otpmap diff` matches findings by.

use super::registry::Finding;
use super::source::source_file;
use crate::model::Project;

/// A finding's fingerprint: FNV-1a over the rule, the file, the call
/// chain's functions and the offending line's text (not its line number),
/// so that it survives lines moving. GitLab's code quality report uses it
/// too.
pub(crate) fn fingerprint(project: &Project, f: &Finding) -> u64 {
    let line_text = source_file(project, &f.file)
        .map(|s| s.line_index().line_text(&s.text, f.line).trim().to_owned())
        .unwrap_or_default();
    let chain = f.chain.iter().map(|s| s.function.as_str());
    fnv1a(
        [f.rule.code, f.file.as_str()]
            .into_iter()
            .chain(chain)
            .chain([line_text.as_str()]),
    )
}

/// FNV-1a, 64 bits, over `parts`, each followed by a 0 byte: stable across
/// platforms and releases, unlike std's hasher.
pub(crate) fn fnv1a<'a>(parts: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}
