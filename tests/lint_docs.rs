//! `docs/rules/<name>.md` and `docs/rules/README.md` are generated from the
//! rules' doc comments; this test fails when they are stale.
//! `OTPMAP_BLESS=1 cargo test --test lint_docs` rewrites them.

use std::path::Path;

use otpmap::lint::registry::{index_markdown, RULES};

#[test]
fn rule_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let bless = std::env::var("OTPMAP_BLESS").as_deref() == Ok("1");
    let mut pages: Vec<(String, String)> = RULES
        .iter()
        .map(|r| (format!("{}.md", r.name), r.markdown()))
        .collect();
    pages.push(("README.md".to_owned(), index_markdown()));
    let mut stale = Vec::new();
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
    }
    for (name, text) in &pages {
        let path = dir.join(name);
        if bless {
            std::fs::write(&path, text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    // No page for a rule that no longer exists.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            if !pages.iter().any(|(p, _)| *p == name) {
                stale.push(format!("{name} (no such rule)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule docs: {}; run `OTPMAP_BLESS=1 cargo test --test lint_docs`",
        stale.join(", ")
    );
}

/// The rule tables of README.md and docs/lint.md, between the markers
/// `<!-- rules:start ...-->` and `<!-- rules:end -->`, are generated from
/// the registry.
#[test]
fn rule_tables_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var("OTPMAP_BLESS").as_deref() == Ok("1");
    let mut stale = Vec::new();
    for (file, docs) in [("README.md", "docs/rules/"), ("docs/lint.md", "rules/")] {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let start = text
            .find("<!-- rules:start")
            .unwrap_or_else(|| panic!("{file} has no `<!-- rules:start` marker"));
        let body = start + text[start..].find('\n').unwrap() + 1;
        let end = text[body..]
            .find("<!-- rules:end -->")
            .map(|i| body + i)
            .unwrap_or_else(|| panic!("{file} has no `<!-- rules:end -->` marker"));
        let table = otpmap::lint::registry::rules_table(docs);
        if text[body..end] == table {
            continue;
        }
        if bless {
            let new = format!("{}{table}{}", &text[..body], &text[end..]);
            std::fs::write(&path, new).unwrap();
        } else {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule tables in {}; run `OTPMAP_BLESS=1 cargo test --test lint_docs`",
        stale.join(", ")
    );
}

/// The rule modules and `ALL` in `src/lint/rules/mod.rs`, between
/// `// rules:start` and `// rules:end`, are generated from the files of
/// that folder: every file but `mod.rs` is a rule, listed in code order
/// (the `code: "OTP..."` of its `RULE`). A new rule is its file and its
/// fixtures; this test (blessed) declares it.
#[test]
fn rule_modules_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lint/rules");
    let bless = std::env::var("OTPMAP_BLESS").as_deref() == Ok("1");
    let mut rules = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") || stem == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text
            .split_once("code: \"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(code, _)| code.to_owned())
            .unwrap_or_else(|| panic!("{} has no `RULE` with a `code`", path.display()));
        rules.push((code, stem));
    }
    assert!(rules.len() >= 5, "only {} rule files found", rules.len());
    rules.sort();
    let mut names: Vec<&str> = rules.iter().map(|(_, n)| n.as_str()).collect();
    names.sort();
    let mut section = String::new();
    for name in &names {
        section.push_str(&format!("pub(crate) mod {name};\n"));
    }
    section
        .push_str("\n/// Every rule, in code order.\npub(crate) static ALL: &[&RuleMeta] = &[\n");
    for (_, name) in &rules {
        section.push_str(&format!("    &{name}::RULE,\n"));
    }
    section.push_str("];\n");
    let path = dir.join("mod.rs");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text
        .find("// rules:start")
        .expect("mod.rs has a `// rules:start` line");
    let body = start + text[start..].find('\n').unwrap() + 1;
    let end = body
        + text[body..]
            .find("// rules:end")
            .expect("mod.rs has `// rules:end`");
    if text[body..end] == section {
        return;
    }
    assert!(
        bless,
        "src/lint/rules/mod.rs does not declare exactly the rule files; \
         run `OTPMAP_BLESS=1 cargo test --test lint_docs`"
    );
    std::fs::write(&path, format!("{}{section}{}", &text[..body], &text[end..])).unwrap();
}
