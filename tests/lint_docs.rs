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
