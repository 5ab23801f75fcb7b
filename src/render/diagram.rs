//! Diagrams shared by `deps` and `tree`: a neutral description of nodes,
//! edges and clusters (`diagram_model.rs`), printed as DOT (graphviz-rust), laid out as SVG/PNG by
//! graphviz's `dot` when installed, as SVG by layout-rs (pure Rust) when not,
//! and printed as Mermaid for GitHub markdown.

pub use super::diagram_model::Diagram;
use super::diagram_model::{Cluster, Direction, Edge, Emphasis, LineStyle, Node, Shape};
use super::shown::{shown, shown_id};
use graphviz_rust::cmd::{CommandArg, Format};
use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt,
    Subgraph, Vertex,
};
use graphviz_rust::printer::PrinterContext;
use std::collections::BTreeMap;

/// Which program laid out an SVG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Renderer {
    Graphviz,
    LayoutRs,
}

impl Renderer {
    /// A name for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Renderer::Graphviz => "graphviz dot",
            Renderer::LayoutRs => {
                "built-in layout (layout-rs; install graphviz for better diagrams)"
            }
        }
    }
}

/// The diagram with every text from input made drawable: control
/// characters, ESC and bidi controls escaped as in the human output
/// ([`shown`]), so the SVG is well-formed XML 1.0 (which forbids most
/// control characters even as character references) and the DOT and
/// Mermaid texts have no raw line breaks. Ids stay distinct ([`shown_id`]).
fn for_drawing(d: &Diagram) -> Diagram {
    let text = |s: &str| shown(s).into_owned();
    let id = |s: &str| shown_id(s).into_owned();
    Diagram {
        name: text(&d.name),
        direction: d.direction,
        nodes: d
            .nodes
            .iter()
            .map(|n| Node {
                id: id(&n.id),
                label: n.label.iter().map(|l| text(l)).collect(),
                shape: n.shape,
                emphasis: n.emphasis,
                class: n.class,
            })
            .collect(),
        edges: d
            .edges
            .iter()
            .map(|e| Edge {
                from: id(&e.from),
                to: id(&e.to),
                style: e.style,
                label: e.label.as_deref().map(text),
            })
            .collect(),
        clusters: d
            .clusters
            .iter()
            .map(|c| Cluster {
                id: id(&c.id),
                label: text(&c.label),
                nodes: c.nodes.iter().map(|n| id(n)).collect(),
            })
            .collect(),
    }
}

fn quoted(s: &str) -> Id {
    let escaped = s.replace('\\', "\\\\").replace('"', "\\\"");
    Id::Escaped(format!("\"{escaped}\""))
}

fn attr(k: &str, v: &str) -> Attribute {
    Attribute(Id::Plain(k.to_owned()), quoted(v))
}

/// The DOT graph of a diagram.
fn to_dot_graph(d: &Diagram) -> Graph {
    let d = &for_drawing(d);
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr(
                "rankdir",
                match d.direction {
                    Direction::TopDown => "TB",
                },
            ),
            attr("fontname", "Helvetica"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "11"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "9"),
        ])),
    ];
    let mut in_cluster: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in d.clusters.iter().enumerate() {
        for n in &c.nodes {
            in_cluster.entry(n.as_str()).or_insert(i);
        }
    }
    let node_stmt = |n: &Node| -> Stmt {
        let mut attrs = vec![attr("label", &n.label.join("\n"))];
        let (shape, style) = match n.shape {
            Shape::Oval => ("ellipse", None),
            Shape::Box => ("box", None),
            Shape::RoundedBox => ("box", Some("rounded")),
            Shape::Note => ("note", None),
        };
        attrs.push(attr("shape", shape));
        let mut styles: Vec<&str> = style.into_iter().collect();
        match n.emphasis {
            Emphasis::Normal => {}
            Emphasis::Muted => {
                attrs.push(attr("color", "gray60"));
                attrs.push(attr("fontcolor", "gray40"));
            }
            Emphasis::Problem => {
                attrs.push(attr("color", "red"));
                attrs.push(attr("fontcolor", "red"));
                styles.push("dashed");
            }
            Emphasis::Dashed => styles.push("dashed"),
        }
        if !styles.is_empty() {
            attrs.push(attr("style", &styles.join(",")));
        }
        Stmt::Node(DotNode::new(NodeId(quoted(&n.id), None), attrs))
    };
    for (i, c) in d.clusters.iter().enumerate() {
        let mut sub = vec![Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("label", &c.label),
            attr("style", "rounded"),
            attr("color", "steelblue"),
        ]))];
        for n in d
            .nodes
            .iter()
            .filter(|n| in_cluster.get(n.id.as_str()) == Some(&i))
        {
            sub.push(node_stmt(n));
        }
        stmts.push(Stmt::Subgraph(Subgraph {
            id: quoted(&format!("cluster_{}", c.id)),
            stmts: sub,
        }));
    }
    for n in d
        .nodes
        .iter()
        .filter(|n| !in_cluster.contains_key(n.id.as_str()))
    {
        stmts.push(node_stmt(n));
    }
    let stagger = staggered(d);
    for e in &d.edges {
        let mut attrs = vec![];
        if let Some(len) = stagger.get(e.from.as_str()).filter(|&&l| l > 1) {
            attrs.push(attr("minlen", &len.to_string()));
        }
        match e.style {
            LineStyle::Solid => {}
            LineStyle::Dashed => attrs.push(attr("style", "dashed")),
            LineStyle::Bold => attrs.push(attr("style", "bold")),
        }
        if let Some(l) = &e.label {
            attrs.push(attr("label", l));
        }
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(quoted(&e.from), None)),
                Vertex::N(NodeId(quoted(&e.to), None)),
            ),
            attributes: attrs,
        }));
    }
    Graph::DiGraph {
        id: quoted(&d.name),
        strict: false,
        stmts,
    }
}

/// Nodes on one rank beyond which graphviz's ranks get staggered.
const WIDE_RANK: usize = 12;

/// graphviz puts nodes of equal height side by side: 60 applications that
/// each need only the core app made a drawing 11,000 pt wide. As
/// graphviz's `unflatten` does for leaves, on a row of more than
/// [`WIDE_RANK`] nodes of the same height (longest path to a node with no
/// out-edge) the out-edges of the k-th node get `minlen` 1 + k mod L,
/// spreading the row over L ranks (L at most 6).
fn staggered(d: &Diagram) -> BTreeMap<&str, usize> {
    let index: BTreeMap<&str, usize> = d
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); d.nodes.len()];
    for e in &d.edges {
        if let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            if a != b {
                out[a].push(b);
            }
        }
    }
    let dag = super::diagram_limits::acyclic(&out);
    let mut height = vec![0usize; dag.len()];
    for &v in super::diagram_limits::topological(&dag).iter().rev() {
        height[v] = dag[v].iter().map(|&w| height[w] + 1).max().unwrap_or(0);
    }
    let mut rows: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (v, succ) in out.iter().enumerate() {
        if !succ.is_empty() {
            rows.entry(height[v]).or_default().push(v);
        }
    }
    let mut minlen = BTreeMap::new();
    for row in rows.values().filter(|r| r.len() > WIDE_RANK) {
        let ranks = row.len().div_ceil(WIDE_RANK).min(6);
        for (k, &v) in row.iter().enumerate() {
            minlen.insert(d.nodes[v].id.as_str(), 1 + k % ranks);
        }
    }
    minlen
}

/// DOT text.
pub fn to_dot(d: &Diagram) -> String {
    let mut s = graphviz_rust::print(to_dot_graph(d), &mut PrinterContext::default());
    s.push('\n');
    s
}

/// Whether graphviz's `dot` can be run.
pub fn graphviz_available() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// SVG, laid out by graphviz when available and by layout-rs otherwise.
/// The built-in layout's SVG says so in a comment (graphviz's already names
/// itself). A diagram the built-in layout would take long over is refused
/// before it starts, with what to do instead; `narrow` names the options
/// that draw less (`--app NAME`, `--depth N`).
pub(crate) fn to_svg(
    d: &Diagram,
    prefer_graphviz: bool,
    narrow: &str,
) -> anyhow::Result<(String, Renderer)> {
    if prefer_graphviz && graphviz_available() {
        if let Ok(bytes) = graphviz_rust::exec(
            to_dot_graph(d),
            &mut PrinterContext::default(),
            vec![CommandArg::Format(Format::Svg)],
        ) {
            if let Ok(svg) = String::from_utf8(bytes) {
                return Ok((svg, Renderer::Graphviz));
            }
        }
    }
    let seconds = super::diagram_limits::builtin_layout_seconds(d);
    if seconds > super::diagram_limits::BUILTIN_BUDGET_SECONDS {
        anyhow::bail!(
            "the built-in layout cannot draw this diagram in reasonable time ({} nodes, {} \
             edges: estimated {} s, the limit is {} s); install graphviz (apt-get install \
             graphviz, brew install graphviz) and otpmap uses its `dot`, or draw less with {narrow}",
            d.nodes.len(),
            d.edges.len(),
            if seconds > 1e6 {
                "more than 1000000".to_owned()
            } else {
                format!("{seconds:.0}")
            },
            super::diagram_limits::BUILTIN_BUDGET_SECONDS
        );
    }
    Ok((layout_svg(d), Renderer::LayoutRs))
}

/// Fill colours of clusters in the built-in layout, which cannot draw
/// cluster boxes: a node takes its cluster's colour and a legend names them.
const CLUSTER_FILLS: &[&str] = &[
    "#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#ede9fe", "#cffafe", "#ffedd5", "#e5e7eb",
];

/// PNG through graphviz; there is no pure-Rust PNG renderer.
pub(crate) fn to_png(d: &Diagram) -> anyhow::Result<Vec<u8>> {
    if !graphviz_available() {
        anyhow::bail!(
            "PNG needs graphviz's `dot` (apt-get install graphviz, brew install graphviz); \
             --format svg works without it"
        );
    }
    Ok(graphviz_rust::exec(
        to_dot_graph(d),
        &mut PrinterContext::default(),
        vec![CommandArg::Format(Format::Png)],
    )?)
}

/// SVG laid out in pure Rust by layout-rs.
fn layout_svg(d: &Diagram) -> String {
    use layout::backends::svg::SVGWriter;
    use layout::core::base::Orientation;
    use layout::core::color::Color;
    use layout::core::geometry::Point;
    use layout::core::style::{LineStyleKind, StyleAttr};
    use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
    use layout::topo::layout::VisualGraph;

    let d = &for_drawing(d);
    let orientation = match d.direction {
        Direction::TopDown => Orientation::TopToBottom,
    };
    let mut vg = VisualGraph::new(orientation);
    let mut handles = BTreeMap::new();
    let mut cluster_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in d.clusters.iter().enumerate() {
        for n in &c.nodes {
            cluster_of.entry(n.as_str()).or_insert(i);
        }
    }
    for n in &d.nodes {
        let (line, mut fill) = match n.emphasis {
            Emphasis::Normal | Emphasis::Dashed => ("black", "white"),
            Emphasis::Muted => ("gray", "whitesmoke"),
            Emphasis::Problem => ("red", "mistyrose"),
        };
        if let Some(&c) = cluster_of.get(n.id.as_str()) {
            if n.emphasis != Emphasis::Problem {
                fill = CLUSTER_FILLS[c % CLUSTER_FILLS.len()];
            }
        }
        let rounded = match n.shape {
            Shape::Oval => 20,
            Shape::RoundedBox => 8,
            Shape::Box | Shape::Note => 0,
        };
        // Supervisors get a heavier outline: the corner radius alone does
        // not tell them from workers at a glance.
        let width = if n.shape == Shape::RoundedBox { 2 } else { 1 };
        let look = StyleAttr::new(
            Color::fast(line),
            width,
            Some(Color::fast(fill)),
            rounded,
            13,
        );
        let label = n.label.join("\n");
        let widest = n.label.iter().map(|l| l.chars().count()).max().unwrap_or(1);
        let size = Point::new(
            (widest as f64 * 8.0 + 24.0).max(60.0),
            n.label.len() as f64 * 17.0 + 16.0,
        );
        let el = Element::create(ShapeKind::new_box(&label), look, orientation, size);
        handles.insert(n.id.as_str(), vg.add_node(el));
    }
    for e in &d.edges {
        let (Some(&from), Some(&to)) = (handles.get(e.from.as_str()), handles.get(e.to.as_str()))
        else {
            continue;
        };
        let line = match e.style {
            LineStyle::Solid | LineStyle::Bold => LineStyleKind::Normal,
            LineStyle::Dashed => LineStyleKind::Dashed,
        };
        let arrow = Arrow::new(
            LineEndKind::None,
            LineEndKind::Arrow,
            line,
            e.label.as_deref().unwrap_or(""),
            &StyleAttr::simple(),
            &None,
            &None,
        );
        vg.add_edge(arrow, from, to);
    }
    let mut svg = SVGWriter::new();
    if d.nodes.is_empty() {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>\n"
            .to_owned();
    }
    vg.do_it(false, false, false, &mut svg);
    let legend: Vec<(&str, &str)> = d
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| (CLUSTER_FILLS[i % CLUSTER_FILLS.len()], c.label.as_str()))
        .collect();
    let svg = add_legend(&fit_height(&sorted_styles(&svg.finalize())), &legend);
    match svg.find("?>") {
        Some(i) => format!(
            "{}\n<!-- {} -->{}",
            &svg[..i + 2],
            BUILTIN_COMMENT,
            &svg[i + 2..]
        ),
        None => format!("<!-- {BUILTIN_COMMENT} -->\n{svg}"),
    }
}

/// Names the renderer inside SVGs laid out by layout-rs.
const BUILTIN_COMMENT: &str = "laid out by otpmap's built-in layout (layout-rs)";

/// layout-rs writes its font classes from a hash map, in a different order
/// on every run; sorting the lines of the `<style>` block makes the SVG
/// byte-for-byte reproducible.
fn sorted_styles(svg: &str) -> String {
    let (Some(start), Some(end)) = (svg.find("<style>\n"), svg.find("</style>")) else {
        return svg.to_owned();
    };
    let body_start = start + "<style>\n".len();
    if end < body_start {
        return svg.to_owned();
    }
    let mut lines: Vec<&str> = svg[body_start..end].lines().collect();
    lines.sort_unstable();
    let mut out = String::with_capacity(svg.len());
    out.push_str(&svg[..body_start]);
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&svg[end..]);
    out
}

/// layout-rs sizes the canvas for its dummy nodes too, which can leave a
/// tall empty band under the drawing; shrinks the height to what is drawn
/// (boxes, text and edge paths).
fn fit_height(svg: &str) -> String {
    let attr = |tag: &str, key: &str| -> Option<f64> {
        let at = tag.find(&format!(" {key}=\""))? + key.len() + 3;
        let rest = &tag[at..];
        rest[..rest.find('"')?].trim().parse().ok()
    };
    let body = svg.find("</defs>").map_or(svg, |i| &svg[i..]);
    let mut bottom: f64 = 0.0;
    for (i, _) in body.match_indices('<') {
        let tag = &body[i..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if tag.starts_with("<rect") {
            if let (Some(y), Some(h)) = (attr(tag, "y"), attr(tag, "height")) {
                bottom = bottom.max(y + h);
            }
        } else if tag.starts_with("<text") {
            if let Some(y) = attr(tag, "y") {
                let lines = body[i..]
                    .split("</text>")
                    .next()
                    .map_or(1, |t| t.matches("<tspan").count().max(1));
                bottom = bottom.max(y + 16.0 * lines as f64);
            }
        } else if tag.starts_with("<path") {
            if let Some(d) = tag.split(" d=\"").nth(1).and_then(|r| r.split('"').next()) {
                let numbers: Vec<f64> = d
                    .split(|c: char| c == ' ' || c == ',' || c.is_ascii_alphabetic())
                    .filter_map(|n| n.parse().ok())
                    .collect();
                for pair in numbers.chunks(2) {
                    if let [_, y] = pair {
                        bottom = bottom.max(*y);
                    }
                }
            }
        }
    }
    let header = |svg: &str| -> Option<(f64, f64)> {
        let tag = &svg[svg.find("<svg")?..];
        let tag = &tag[..tag.find('>')?];
        Some((attr(tag, "width")?, attr(tag, "height")?))
    };
    let Some((width, height)) = header(svg) else {
        return svg.to_owned();
    };
    let fitted = (bottom + 10.0).ceil();
    if bottom <= 0.0 || fitted >= height {
        return svg.to_owned();
    }
    svg.replacen(
        &format!("width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\""),
        &format!("width=\"{width}\" height=\"{fitted}\" viewBox=\"0 0 {width} {fitted}\""),
        1,
    )
}

/// Adds a legend of coloured swatches under the drawing, growing the
/// canvas to fit.
fn add_legend(svg: &str, entries: &[(&str, &str)]) -> String {
    if entries.is_empty() {
        return svg.to_owned();
    }
    let number = |key: &str| -> Option<f64> {
        let at = svg.find(&format!(" {key}=\""))? + key.len() + 3;
        let rest = &svg[at..];
        rest[..rest.find('"')?].parse().ok()
    };
    let (Some(width), Some(height), Some(close)) =
        (number("width"), number("height"), svg.rfind("</svg>"))
    else {
        return svg.to_owned();
    };
    let row = 20.0;
    let widest = entries
        .iter()
        .map(|(_, l)| l.chars().count())
        .max()
        .unwrap_or(0) as f64;
    let new_width = width.max(widest * 7.5 + 40.0);
    let new_height = height + row * entries.len() as f64 + 10.0;
    let mut legend = String::from("<g class=\"legend\">\n");
    for (i, (fill, label)) in entries.iter().enumerate() {
        let y = height + 5.0 + row * i as f64;
        legend.push_str(&format!(
            "<rect x=\"10\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{fill}\" stroke=\"#333333\" />\n\
             <text x=\"30\" y=\"{}\" font-size=\"12\" font-family=\"Helvetica, sans-serif\">{}</text>\n",
            y + 11.0,
            xml_escape(label)
        ));
    }
    legend.push_str("</g>\n");
    let header_old =
        format!("width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"");
    let header_new = format!(
        "width=\"{new_width}\" height=\"{new_height}\" viewBox=\"0 0 {new_width} {new_height}\""
    );
    let mut out = svg[..close].replacen(&header_old, &header_new, 1);
    out.push_str(&legend);
    out.push_str(&svg[close..]);
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Mermaid flowchart text (pastes into GitHub markdown inside a
/// ```` ```mermaid ```` block).
pub fn to_mermaid(d: &Diagram) -> String {
    let d = &for_drawing(d);
    let mut out = format!(
        "flowchart {}\n",
        match d.direction {
            Direction::TopDown => "TD",
        }
    );
    // Mermaid ids must be simple; map every node to n0, n1, ...
    let ids: BTreeMap<&str, String> = d
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), format!("n{i}")))
        .collect();
    let label = |n: &Node| {
        let text = n
            .label
            .iter()
            .map(|l| mermaid_escape(l))
            .collect::<Vec<_>>()
            .join("<br/>");
        match n.shape {
            Shape::Oval => format!("([\"{text}\"])"),
            Shape::Box => format!("[\"{text}\"]"),
            Shape::RoundedBox => format!("(\"{text}\")"),
            Shape::Note => format!("[/\"{text}\"/]"),
        }
    };
    let mut in_cluster = BTreeMap::new();
    for c in &d.clusters {
        for n in &c.nodes {
            in_cluster.entry(n.as_str()).or_insert(c.id.as_str());
        }
    }
    // Subgraph ids are generated too: derived from names, `a-b`, `a.b` and
    // `a_b` would be one subgraph, and `end` or `default` would break the
    // parser.
    for (i, c) in d.clusters.iter().enumerate() {
        out.push_str(&format!(
            "  subgraph c{i}[\"{}\"]\n",
            mermaid_escape(&c.label)
        ));
        for n in d
            .nodes
            .iter()
            .filter(|n| in_cluster.get(n.id.as_str()) == Some(&c.id.as_str()))
        {
            out.push_str(&format!("    {}{}\n", ids[n.id.as_str()], label(n)));
        }
        out.push_str("  end\n");
    }
    for n in d
        .nodes
        .iter()
        .filter(|n| !in_cluster.contains_key(n.id.as_str()))
    {
        out.push_str(&format!("  {}{}\n", ids[n.id.as_str()], label(n)));
    }
    for e in &d.edges {
        let (Some(from), Some(to)) = (ids.get(e.from.as_str()), ids.get(e.to.as_str())) else {
            continue;
        };
        let arrow = match e.style {
            LineStyle::Solid => "-->",
            LineStyle::Dashed => "-.->",
            LineStyle::Bold => "==>",
        };
        match &e.label {
            Some(l) => out.push_str(&format!(
                "  {from} {arrow}|\"{}\"| {to}\n",
                mermaid_escape(l)
            )),
            None => out.push_str(&format!("  {from} {arrow} {to}\n")),
        }
    }
    let mut classes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for n in &d.nodes {
        classes
            .entry(n.class)
            .or_default()
            .push(&ids[n.id.as_str()]);
    }
    for (class, style) in [
        ("otp", "fill:#f4f4f4,stroke:#999,color:#666"),
        (
            "missing",
            "fill:#fee,stroke:#c00,color:#c00,stroke-dasharray: 4 2",
        ),
        ("library", "fill:#fff,stroke:#333"),
        ("dep", "fill:#fff,stroke:#333,stroke-dasharray: 2 2"),
        ("regular", "fill:#eef6ff,stroke:#336"),
        ("supervisor", "fill:#eef6ff,stroke:#336"),
        ("worker", "fill:#fff,stroke:#333"),
        ("dynamic", "fill:#fffbe6,stroke:#a80,stroke-dasharray: 4 2"),
        ("unresolved", "fill:#fee,stroke:#c00,stroke-dasharray: 4 2"),
    ] {
        if classes.contains_key(class) {
            out.push_str(&format!("  classDef {class} {style}\n"));
        }
    }
    for (class, members) in classes {
        if !members.is_empty() {
            out.push_str(&format!("  class {} {class}\n", members.join(",")));
        }
    }
    out
}

/// Mermaid labels are quoted, and inside quotes only a few characters
/// still mean something: `"` ends the label, `<` and `>` are HTML, `#`
/// starts an entity, a backtick a markdown string, and `%%` a comment or,
/// as `%%{...}%%`, a directive Mermaid reads anywhere in the text (themes,
/// CSS). Each becomes an entity (`#37;` for `%`), so no name can change
/// the diagram.
fn mermaid_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '%' => out.push_str("#37;"),
            '`' => out.push_str("#96;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagram {
        Diagram {
            name: "deps".into(),
            direction: Direction::TopDown,
            nodes: vec![
                Node {
                    id: "web".into(),
                    label: vec!["web".into(), "1.0.0".into()],
                    shape: Shape::Oval,
                    emphasis: Emphasis::Normal,
                    class: "regular",
                },
                Node {
                    id: "kernel".into(),
                    label: vec!["kernel".into()],
                    shape: Shape::Box,
                    emphasis: Emphasis::Muted,
                    class: "otp",
                },
            ],
            edges: vec![Edge {
                from: "web".into(),
                to: "kernel".into(),
                style: LineStyle::Solid,
                label: None,
            }],
            clusters: vec![Cluster {
                id: "shop".into(),
                label: "release shop 1.0.0".into(),
                nodes: vec!["web".into()],
            }],
        }
    }

    #[test]
    fn dot_names_nodes_and_edges() {
        let dot = to_dot(&sample());
        assert!(dot.contains("\"web\" -> \"kernel\""), "{dot}");
        assert!(dot.contains("cluster_shop"), "{dot}");
        assert!(dot.contains("shape=\"ellipse\""), "{dot}");
    }

    #[test]
    fn builtin_svg_names_every_node() {
        let svg = layout_svg(&sample());
        assert!(svg.contains("<svg"));
        assert!(svg.contains("web") && svg.contains("kernel"));
    }

    #[test]
    fn mermaid_flowchart() {
        let m = to_mermaid(&sample());
        assert!(m.starts_with("flowchart TD\n"));
        assert!(m.contains("n0([\"web<br/>1.0.0\"])"), "{m}");
        assert!(m.contains("n0 --> n1"), "{m}");
    }
}
