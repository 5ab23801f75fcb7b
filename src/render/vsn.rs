//! Versions as a label shows them. A resource file's `vsn` is a string,
//! or something rebar3 computes at build time (`git`, `{cmd, "..."}`,
//! `{file, "VERSION"}` with a plugin); the model keeps the term as written
//! (the JSON shows it so), and a label says where the version comes from
//! in a few words instead of printing the term.

use crate::config::term::consult;

/// The longest command a label quotes before cutting it.
const MAX_COMMAND: usize = 32;

/// A short label for a `vsn` value as the model holds it.
pub(crate) fn vsn_label(vsn: &str) -> String {
    if vsn == "git" || vsn == "semver" {
        return format!("vsn from {vsn}");
    }
    if !vsn.starts_with('{') {
        return vsn.to_owned();
    }
    let parsed = consult(&format!("{vsn}.")).ok();
    let Some(term) = parsed.as_ref().and_then(|t| t.first()) else {
        return "vsn computed at build time".to_owned();
    };
    if let Some([what, arg]) = term.as_tuple() {
        match (what.as_atom(), arg.as_text()) {
            (Some("file"), Some(path)) => return format!("vsn from {path}"),
            // relx's `{git, short | long}` and `{semver, _}`: a git ref or tag.
            (Some("git"), _) => return "vsn from git".to_owned(),
            (Some("semver"), _) => return "vsn from git tags".to_owned(),
            (Some("cmd"), Some(cmd)) => {
                let mut cut: String = cmd.chars().take(MAX_COMMAND).collect();
                if cut.len() < cmd.len() {
                    cut.push('…');
                }
                return format!("vsn from `{cut}`");
            }
            _ => {}
        }
    }
    "vsn computed at build time".to_owned()
}

#[cfg(test)]
mod tests {
    use super::vsn_label;

    #[test]
    fn labels_say_where_a_computed_version_comes_from() {
        assert_eq!(vsn_label("1.2.0"), "1.2.0");
        assert_eq!(
            vsn_label("{file, \"../../VERSION\"}"),
            "vsn from ../../VERSION"
        );
        assert_eq!(vsn_label("git"), "vsn from git");
        assert_eq!(
            vsn_label("{cmd, \"cat ../../VERSION\"}"),
            "vsn from `cat ../../VERSION`"
        );
        assert_eq!(
            vsn_label("{cmd, \"git describe --tags --always --dirty --abbrev=12\"}"),
            "vsn from `git describe --tags --always --d…`"
        );
        assert_eq!(vsn_label("{git, short}"), "vsn from git");
        assert_eq!(vsn_label("{semver, \"\"}"), "vsn from git tags");
        assert_eq!(vsn_label("{semver, v}"), "vsn from git tags");
        assert_eq!(vsn_label("{other, 1, 2}"), "vsn computed at build time");
    }
}
