//! `otpmap report`: the `otpmap.report/1` document (docs/json.md) and the
//! self-contained HTML page that renders it in a browser.
//!
//! The document reuses the other commands' documents (scan, tree, lint)
//! so that the page shows nothing the contracts do not, and adds what only
//! the page needs: the application graph with its groups, and for every
//! tree node what a crash of it takes down ([`crashes`]).

mod crashes;

use serde::Serialize;
use serde_json::{json, Value};

use crate::graph::supervision::{Supervision, TreeNode};
use crate::graph::{Analysis, Run};
use crate::lint::LintReport;
use crate::model::Project;
use crate::render::json::deps::EdgeOut;

/// The schema name and version of the embedded document.
const SCHEMA: &str = "otpmap.report/1";

/// Where the project comes from: the page's title and its source links.
#[derive(Debug, Clone)]
pub(crate) struct Provenance {
    /// The project folder's name.
    pub(crate) name: String,
    /// `git rev-parse HEAD`, when asked for source links in a checkout.
    pub(crate) revision: Option<String>,
    /// The project folder's path inside the git work tree (`sub/dir/`).
    pub(crate) prefix: String,
    /// `--source-url`.
    pub(crate) source_url: Option<String>,
}

#[derive(Serialize)]
struct GraphNode<'a> {
    name: &'a str,
    vsn: Option<&'a str>,
    kind: &'static str,
    source: &'static str,
    /// The folder the app sits in (`apps`, `deps`, `core`): the page
    /// clusters the project's apps by it.
    group: Option<String>,
    releases: &'a [String],
}

/// Parses a document another renderer wrote, without its diagnostics
/// (the report holds them once, merged) and its schema (named in docs).
fn embedded(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    if let Some(map) = v.as_object_mut() {
        map.remove("diagnostics");
    }
    v
}

/// The folder holding an app's folder: `apps` for `apps/web`.
fn group_of(dir: &str) -> Option<String> {
    let parent = std::path::Path::new(dir).parent()?.to_str()?;
    (!parent.is_empty()).then(|| parent.to_owned())
}

fn app_graph(project: &Project, analysis: &Analysis) -> Value {
    let g = &analysis.graph;
    let mut nodes: Vec<GraphNode> = g
        .nodes_by_name()
        .into_iter()
        .map(|i| {
            let n = g.node(i);
            let dir = project.app(&n.name).map(|a| a.dir.as_str());
            GraphNode {
                name: &n.name,
                vsn: n.vsn.as_deref(),
                kind: n.kind.as_str(),
                source: n.source.as_str(),
                group: dir.and_then(group_of),
                releases: &n.releases,
            }
        })
        .collect();
    nodes.sort_by(|a, b| a.name.cmp(b.name));
    let mut edges: Vec<EdgeOut> = g.graph.edge_indices().map(|e| EdgeOut::of(g, e)).collect();
    edges.sort_by(|a, b| a.key().cmp(&b.key()));
    edges.dedup_by(|a, b| a.key() == b.key());
    json!({ "nodes": nodes, "edges": edges, "cycles": g.cycles() })
}

/// Adds to each node of the tree document what the page needs beyond
/// `otpmap.tree/1`: `crash` (what a crash of it takes down) and `run` (on
/// the first of identical indexed siblings, how many there are).
fn annotate(trees: &mut Value, s: &Supervision, run: &Run) {
    let Some(list) = trees.get_mut("trees").and_then(Value::as_array_mut) else {
        return;
    };
    for (out, tree) in list.iter_mut().zip(&s.trees) {
        let root = [tree.root.id.clone()];
        if let (Some(map), Some(b)) = (
            out.as_object_mut(),
            crashes::of(&run.project.releases, &run.boot_orders, s, &tree.app, &root),
        ) {
            map.insert("releases".into(), crashes::releases(&b));
        }
        let mut path = Vec::new();
        if let Some(root) = out.get_mut("root") {
            annotate_node(root, &tree.root, &tree.app, s, run, &mut path);
        }
    }
}

fn annotate_node(
    out: &mut Value,
    node: &TreeNode,
    app: &str,
    s: &Supervision,
    run: &Run,
    path: &mut Vec<String>,
) {
    path.push(node.id.clone());
    if let Some(map) = out.as_object_mut() {
        if let Some(b) = crashes::of(&run.project.releases, &run.boot_orders, s, app, path) {
            map.insert("crash".into(), crashes::member(&b));
        }
    }
    if let (Some(sup), Some(children)) = (
        &node.supervisor,
        out.get_mut("children").and_then(Value::as_array_mut),
    ) {
        for (first, len) in crate::render::human::repeats::runs(&sup.children) {
            if len > 1 {
                if let Some(m) = children.get_mut(first).and_then(Value::as_object_mut) {
                    m.insert("run".into(), Value::from(len));
                }
            }
        }
        for (c_out, c) in children.iter_mut().zip(&sup.children) {
            annotate_node(c_out, c, app, s, run, path);
        }
    }
    path.pop();
}

/// The whole `otpmap.report/1` document: the run (with its trees, and the
/// lint's diagnostics among its own) and the lint's findings.
pub(crate) fn document(run: &Run, lint: &LintReport, from: &Provenance) -> Value {
    let trees = run.trees();
    let mut tree_doc = embedded(&crate::render::json::tree::render(run));
    annotate(&mut tree_doc, trees, run);
    json!({
        "schema": SCHEMA,
        "otpmap": env!("CARGO_PKG_VERSION"),
        "project": from.name,
        "revision": from.revision,
        "source_prefix": from.prefix,
        "source_url": from.source_url,
        "scan": embedded(&crate::render::json::scan::render(run)),
        "graph": app_graph(&run.project, &run.analysis),
        "tree": tree_doc,
        "lint": embedded(&crate::render::json::lint::render(lint)),
        "diagnostics": run.diagnostics,
    })
}

/// The document as the page embeds it: JSON in which `<`, `>` and `&` are
/// `\u` escapes, so no string from the input can close the script element
/// (`</script>`) or open a comment; invisible characters are escaped too.
fn embedded_json(doc: &Value) -> String {
    let text = serde_json::to_string(doc).unwrap_or_else(|_| "null".to_owned());
    let mut out = String::with_capacity(text.len() + text.len() / 50);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if invisible(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Characters that change how the text around them reads without being
/// seen: line and paragraph separators, bidirectional overrides and
/// isolates, zero-width characters. The page's JSON keeps them as `\u`
/// escapes (JSON.parse restores them; the page shows them as text).
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// `&`, `<`, `>`, `"` and `'` as HTML character references.
fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() || invisible(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// The HTML page: style, document and script inline; nothing is fetched.
pub(crate) fn page(doc: &Value) -> String {
    let title = doc
        .get("project")
        .and_then(Value::as_str)
        .unwrap_or("project");
    let data = embedded_json(doc);
    let mut out = String::with_capacity(data.len() + STYLE.len() + SCRIPT.len() + 2048);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str(&format!(
        "<title>{} \u{2014} otpmap report</title>\n",
        html_text(title)
    ));
    out.push_str("<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    out.push_str(
        "<noscript><p class=\"noscript\">This report is drawn by JavaScript: \
         allow scripts for this file to see it.</p></noscript>\n\
         <div id=\"errors\" hidden></div>\n<div id=\"app\"></div>\n\
         <svg id=\"svg-template\" width=\"0\" height=\"0\" aria-hidden=\"true\"></svg>\n",
    );
    // Errors are shown on the page (and read by the browser tests), not
    // only in a console nobody opens.
    out.push_str(
        "<script>window.__otpmapErrors=[];window.addEventListener('error',function(e){\
         var m=String(e.message)+' ('+(e.lineno||0)+':'+(e.colno||0)+')';\
         window.__otpmapErrors.push(m);var b=document.getElementById('errors');\
         if(b){b.hidden=false;b.textContent+='The report failed to draw: '+m+'\\n';}});</script>\n",
    );
    out.push_str("<script type=\"application/json\" id=\"otpmap-data\">");
    out.push_str(&data);
    out.push_str("</script>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_the_script() {
        let doc = json!({"x": "</script><script>alert(1)</script><!-- & \u{2028}\u{202e}"});
        let text = embedded_json(&doc);
        assert!(
            !text.contains(['<', '>', '&', '\u{2028}', '\u{202e}']),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn titles_are_escaped() {
        assert_eq!(
            html_text("<a href='x'>&"),
            "&lt;a href=&#39;x&#39;&gt;&amp;"
        );
    }
}
