//! What a diagram is, whatever draws it: nodes, edges and clusters, for
//! `deps` and `tree` to build, `diagram.rs` to print and
//! `diagram_limits.rs` to measure.

/// The outline of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Regular applications (as in recon's app_deps), workers.
    Oval,
    /// Library applications.
    Box,
    /// Supervisors.
    RoundedBox,
    /// Something dynamic or computed (simple_one_for_one templates).
    Note,
}

/// How prominent a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Emphasis {
    Normal,
    /// OTP apps and other context: drawn grey.
    Muted,
    /// Missing or unresolved: drawn red and dashed.
    Problem,
    /// Dynamic or conditional: dashed.
    Dashed,
}

/// A line style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineStyle {
    Solid,
    Dashed,
    Bold,
}

/// A node of a diagram.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// Unique within the diagram; any text.
    pub(crate) id: String,
    /// Lines of the label; the first is the name.
    pub(crate) label: Vec<String>,
    pub(crate) shape: Shape,
    pub(crate) emphasis: Emphasis,
    /// A class name for Mermaid styling (`regular`, `library`, `otp`, ...).
    pub(crate) class: &'static str,
}

/// An edge of a diagram.
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) style: LineStyle,
    pub(crate) label: Option<String>,
}

/// A group of nodes drawn in a box (a release).
#[derive(Debug, Clone)]
pub(crate) struct Cluster {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) nodes: Vec<String>,
}

/// Layout direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    TopDown,
}

/// A whole diagram. Nodes and edges are drawn in the order given, so callers
/// give them sorted for deterministic output.
#[derive(Debug, Clone)]
pub struct Diagram {
    pub(crate) name: String,
    pub(crate) direction: Direction,
    pub(crate) nodes: Vec<Node>,
    pub(crate) edges: Vec<Edge>,
    pub(crate) clusters: Vec<Cluster>,
}
