//! Path globs: those of a lint configuration (`{exclude, ["test/**"]}`)
//! and rebar3's `project_app_dirs` (`["apps/*", "lib/*"]`), matched in time
//! linear in the path: a glob is turned into a regular
//! expression once, when the configuration is read, and the `regex` crate
//! never backtracks. (A backtracking matcher took 21 s on ten `**/` and one
//! file 20 folders deep, issue 18.)

use regex::Regex;

/// One glob: `*` and `?` within one path component, `**` for any number
/// of components, and (made with [`PathGlob::new`]) a glob matching a
/// directory matches every path under it (`test` excludes
/// `test/a_SUITE.erl`). Other characters, `[`, `{` and `\` included,
/// stand for themselves.
#[derive(Debug, Clone)]
pub(crate) struct PathGlob {
    regex: Option<Regex>,
}

/// Longest glob read, in bytes: a path glob is a few dozen characters,
/// and the compiled expression grows with its length.
const MAX_GLOB: usize = 4096;

impl PathGlob {
    /// The glob `text`, matching a path or a directory holding it, or why
    /// it cannot be used.
    pub(crate) fn new(text: &str) -> Result<PathGlob, String> {
        PathGlob::compile(text, "(?:/.*)?$")
    }

    /// The glob `text` matching a path whole, not what lies under it: a
    /// folder pattern of `project_app_dirs` (`apps/*`) names the folders
    /// it matches, and `apps/web/priv` is none of them.
    pub(crate) fn whole(text: &str) -> Result<PathGlob, String> {
        PathGlob::compile(text, "$")
    }

    fn compile(text: &str, end: &str) -> Result<PathGlob, String> {
        if text.len() > MAX_GLOB {
            return Err(format!(
                "a path glob of {} bytes (at most {MAX_GLOB}) is ignored",
                text.len()
            ));
        }
        let text = text.trim_start_matches("./").trim_end_matches('/');
        let parts: Vec<&str> = text.split('/').filter(|c| !c.is_empty()).collect();
        if parts.is_empty() {
            // As before: an empty glob matches nothing.
            return Ok(PathGlob { regex: None });
        }
        // The path is matched with a `/` in front, so every component,
        // the first too, is `/` then its text.
        let mut re = String::from("^");
        let mut previous_any = false;
        for part in parts {
            if part == "**" {
                // `a/**/**/b` is `a/**/b`: one repetition, not nested ones.
                if !previous_any {
                    re.push_str("(?:/[^/]*)*");
                }
                previous_any = true;
                continue;
            }
            previous_any = false;
            re.push('/');
            for c in part.chars() {
                match c {
                    '*' => re.push_str("[^/]*"),
                    '?' => re.push_str("[^/]"),
                    c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
                }
            }
        }
        re.push_str(end);
        Regex::new(&re)
            .map(|r| PathGlob { regex: Some(r) })
            .map_err(|e| format!("path glob ignored: {e}"))
    }

    /// True when `path` (relative, `/`-separated) matches, or (for a glob
    /// made with [`PathGlob::new`]) one of the directories holding it.
    pub(crate) fn matches(&self, path: &str) -> bool {
        let Some(re) = &self.regex else { return false };
        let mut slashed = String::with_capacity(path.len() + 1);
        slashed.push('/');
        slashed.push_str(path);
        re.is_match(&slashed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn m(glob: &str, path: &str) -> bool {
        PathGlob::new(glob).unwrap().matches(path)
    }

    /// `project_app_dirs` patterns: a folder matches whole, one folder
    /// name per `*`.
    #[test]
    fn whole_globs_name_the_folders_they_match() {
        let w = |glob: &str, path: &str| PathGlob::whole(glob).unwrap().matches(path);
        assert!(w("apps/*", "apps/quay"));
        assert!(w("apps/*/", "apps/quay"));
        assert!(!w("apps/*", "apps/quay/sub"));
        assert!(!w("apps/*", "apps"));
        assert!(!w("apps/*", "lib/quay"));
        assert!(w(".", "."));
        assert!(!w(".", "apps"));
        assert!(w("lib/rope_*", "lib/rope_knot"));
        assert!(!w("lib/rope_*", "lib/knot_rope"));
        assert!(w("*/*_app", "a/b_app"));
    }

    #[test]
    fn documented_globs() {
        assert!(m("test/**", "test/a_SUITE.erl"));
        assert!(m("test/**", "test"));
        assert!(m("test", "test/sub/a.erl"));
        assert!(m("./test/", "test/sub/a.erl"));
        assert!(m("**/test/**", "apps/a/test/x.erl"));
        assert!(m("**/test/**", "test/x.erl"));
        assert!(m("**/x.erl", "x.erl"));
        assert!(m("src/legacy_*.erl", "src/legacy_db.erl"));
        assert!(m("src/legacy_*.erl", "src/legacy_.erl"));
        assert!(!m("src/legacy_*.erl", "src/db.erl"));
        assert!(!m("src/*.erl", "src/sub/a.erl"));
        assert!(m("apps/*/test", "apps/web/test/w_SUITE.erl"));
        assert!(!m("test", "src/test.erl"));
        assert!(!m("test", "tests/a.erl"));
        assert!(m("src/a?.erl", "src/ab.erl"));
        assert!(!m("src/a?.erl", "src/a.erl"));
        assert!(m("src/[x].erl", "src/[x].erl"));
        assert!(!m("src/[x].erl", "src/x.erl"));
        assert!(m("a.b/{c}", "a.b/{c}"));
        assert!(!m("a.b", "axb"));
        assert!(!m("", "x.erl"));
        assert!(!m("./", "x.erl"));
    }

    /// Issue 18: ten `**/` against a path 20 folders deep took 21 s.
    #[test]
    fn many_double_stars_are_linear() {
        let glob = "**/".repeat(200) + "z";
        let path = "d/".repeat(2000) + "y.erl";
        let g = PathGlob::new(&glob).unwrap();
        let start = Instant::now();
        assert!(!g.matches(&path));
        assert!(g.matches(&(path.clone() + "/z")));
        let g = PathGlob::new(&"*a".repeat(500)).unwrap();
        assert!(!g.matches(&("a".repeat(20_000) + "b")));
        assert!(start.elapsed() < Duration::from_secs(5));
        assert!(PathGlob::new(&"*".repeat(10_000)).is_err());
    }
}
