//! `otpmap tree`: each application's supervision tree drawn with
//! box-drawing characters, children numbered in start order.

use anstyle::AnsiColor;

use super::{diagnostics, repeats};
use crate::graph::supervision::{AppTree, ChildType, StartCall, Strategy, TreeNode};
use crate::graph::Run;
use crate::render::shown::shown;
use crate::render::Painter;

/// Longest condition shown on a child's line; cut between conditions
/// past it (the JSON document keeps the whole text).
const CONDITION_CHARS: usize = 480;

/// Renders every tree of the run, then the diagnostics.
pub fn render(run: &Run, p: &Painter) -> String {
    let s = run.trees();
    let mut out = String::new();
    if s.trees.is_empty() {
        out.push_str(
            "No application with a `mod` callback: nothing is started, so there is no \
             supervision tree (library applications have none).\n",
        );
    }
    for (i, t) in s.trees.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&app_tree(t, p));
    }
    if !s.unstarted.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            p.heading("Supervisors not started by any application here:")
        ));
        for u in &s.unstarted {
            let app = u
                .app
                .as_deref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {}{app}  {}\n",
                p.name(&u.module),
                p.dim(&u.loc.to_string())
            ));
        }
        out.push_str(&format!(
            "  {}\n",
            p.dim("draw one with `otpmap tree --root MODULE` (or MODULE:FUNCTION)")
        ));
    }
    out.push_str(&diagnostics(&run.diagnostics, p));
    crate::render::shown::for_terminal(&out, p.enabled)
}

fn app_tree(t: &AppTree, p: &Painter) -> String {
    let at = t
        .loc
        .as_ref()
        .map(|l| format!("  {}", p.dim(&l.to_string())))
        .unwrap_or_default();
    let mut out = format!(
        "{} {}{at}\n",
        p.heading(&format!("{}:", t.app)),
        shown(&t.start.to_string())
    );
    if !t.included_in.is_empty() {
        out.push_str(&format!(
            "  {}\n",
            p.dim(&format!(
                "included by {}: started by its tree, not on its own",
                t.included_in.join(", ")
            ))
        ));
    }
    if t.root.has_partial() {
        out.push_str(&format!(
            "  {}\n",
            p.paint(
                AnsiColor::Red.on_default(),
                "partial tree: code it depends on was not fully read (see `partial` below)"
            )
        ));
    }
    out.push_str(&line(&t.root, None, p));
    details(&t.root, None, true, "", p, &mut out);
    children(&t.root, "", p, &mut out);
    out
}

fn children(n: &TreeNode, prefix: &str, p: &Painter, out: &mut String) {
    let Some(sup) = &n.supervisor else { return };
    let runs = repeats::runs(&sup.children);
    let mut previous: Option<&TreeNode> = None;
    for (r, &(i, len)) in runs.iter().enumerate() {
        let c = &sup.children[i];
        let last = r + 1 == runs.len();
        let (branch, cont) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        let number = if c.dynamic {
            "*".to_owned()
        } else if len > 1 {
            format!("{}-{}", i + 1, i + len)
        } else {
            (i + 1).to_string()
        };
        out.push_str(prefix);
        out.push_str(&p.dim(branch));
        if len > 1 {
            // Children alike but for an index: one line, the first's
            // details and subtree, the ids' range and the count.
            let mut shown = c.clone();
            shown.id = format!("{} … {} ×{len}", c.id, sup.children[i + len - 1].id);
            out.push_str(&line(&shown, Some(&number), p));
        } else {
            out.push_str(&line(c, Some(&number), p));
        }
        let inner = format!("{prefix}{cont}");
        // A dynamic child of a supervisor that is not simple_one_for_one
        // is one a start_child/2 call adds, not a template.
        let template = sup.strategy == Some(Strategy::SimpleOneForOne);
        details(c, previous, template, &inner, p, out);
        children(c, &inner, p, out);
        previous = Some(&sup.children[i + len - 1]);
    }
}

/// One node: number, id (module when different), type with the strategy
/// and intensity of supervisors, restart, shutdown, behaviour and name.
fn line(n: &TreeNode, number: Option<&str>, p: &Painter) -> String {
    let mut parts: Vec<String> = Vec::new();
    let is_sup = n.supervisor.is_some();
    let id = crate::render::term_text(&n.id);
    let mut name = if is_sup {
        p.name(&id)
    } else {
        shown(&id).into_owned()
    };
    if let Some(m) = &n.module {
        if *m != n.id {
            name.push_str(&format!(" ({})", shown(m)));
        }
    }
    let head = match number {
        Some(num) => format!("{} {name}", p.dim(num)),
        None => name,
    };
    parts.push(head);
    let kind = match (n.child_type, &n.supervisor) {
        (_, Some(s)) => {
            let mut k = "supervisor".to_owned();
            if let Some(st) = s.strategy {
                k.push(' ');
                k.push_str(&p.accent(st.as_str()));
            }
            match (s.intensity, s.period) {
                (Some(i), Some(pe)) => k.push_str(&format!(" {i}/{pe}s")),
                _ => k.push_str(" ?/?"),
            }
            k
        }
        (Some(ChildType::Supervisor), None) => "supervisor (leaf)".to_owned(),
        (Some(ChildType::Worker), None) => "worker".to_owned(),
        (None, None) => "?".to_owned(),
    };
    parts.push(kind);
    parts.push(n.restart.map_or("?", |r| r.as_str()).to_owned());
    parts.push(format!(
        "shutdown {}",
        n.shutdown.map_or("?".to_owned(), |s| s.to_string())
    ));
    let mut who = Vec::new();
    if let Some(b) = &n.started.behaviour {
        if !(is_sup && b == "supervisor") {
            who.push(b.clone());
        }
    }
    if let Some(name) = &n.started.name {
        who.push(crate::render::term_text(name));
    }
    if !who.is_empty() {
        parts.push(p.dim(&who.join(" ")));
    }
    let mut tags = Vec::new();
    if n.dynamic {
        tags.push(p.paint(AnsiColor::Magenta.on_default(), "dynamic"));
    }
    if !n.presence.is_always() {
        tags.push(p.paint(AnsiColor::Yellow.on_default(), "conditional"));
    }
    if n.computed.is_some() {
        tags.push(p.paint(AnsiColor::Yellow.on_default(), "computed"));
    }
    if !n.unresolved.is_empty() {
        tags.push(p.paint(AnsiColor::Red.on_default(), "unresolved"));
    }
    if n.partial.is_some() {
        tags.push(p.paint(AnsiColor::Red.on_default(), "partial"));
    }
    if !tags.is_empty() {
        parts.push(format!("[{}]", tags.join(", ")));
    }
    format!("{}\n", parts.join("  "))
}

/// Lines under a node: when, why not known, who starts instances. What
/// the previous sibling already said is written "as above".
fn details(
    n: &TreeNode,
    previous: Option<&TreeNode>,
    template: bool,
    prefix: &str,
    p: &Painter,
    out: &mut String,
) {
    let pad = format!("{prefix}     ");
    let mut put = |text: String| {
        out.push_str(&pad);
        out.push_str(&text);
        out.push('\n');
    };
    let yellow = AnsiColor::Yellow.on_default();
    if !n.presence.is_always() {
        let default = match n.presence.default() {
            Some(true) => "; present in the default build",
            Some(false) => "; absent from the default build",
            None => "",
        };
        let same = previous.is_some_and(|q| q.presence == n.presence);
        let when = if same {
            "condition as above".to_owned()
        } else {
            format!("only when {}", n.presence.text_within(CONDITION_CHARS))
        };
        put(p.paint(yellow, &format!("{when}{default}")));
    }
    if let Some(c) = &n.computed {
        put(p.paint(yellow, &format!("template for a computed list: {c}")));
    }
    for u in &n.unresolved {
        put(p.paint(AnsiColor::Red.on_default(), &format!("unresolved: {u}")));
    }
    if let Some(why) = &n.partial {
        put(p.paint(
            AnsiColor::Red.on_default(),
            &format!("partial: may be incomplete, not all of its code was read: {why}"),
        ));
    }
    // Word for word: notes name modules, lines and arities, and one
    // differing only there (`started by cachelib:…` after `started by
    // queuelib:…`, `…_app.erl:88` after `…_app.erl:86`) says something
    // else.
    let same_notes = previous.is_some_and(|q| !q.notes.is_empty() && q.notes == n.notes);
    if same_notes {
        put(p.dim("notes: as above"));
    } else {
        for note in &n.notes {
            put(p.dim(&format!("note: {note}")));
        }
    }
    if let Some(s) = &n.supervisor {
        if let Some(ig) = &s.ignore {
            put(p.dim(&format!("init/1 returns ignore when {ig}")));
        }
        for c in &s.start_calls {
            put(p.dim(&format!(
                "children added by {} at {} ({}){}",
                c.caller,
                c.loc,
                how(c),
                uncalled(c)
            )));
        }
    }
    let started = if template {
        "instances started by"
    } else {
        "added at run time by"
    };
    for c in &n.start_calls {
        put(p.dim(&format!(
            "{started} {} at {} ({}){}",
            c.caller,
            c.loc,
            how(c),
            uncalled(c)
        )));
    }
}

/// What to add when nothing in the project calls the function that adds
/// children with what it is given: the line reads as an API, not as
/// something the project does.
fn uncalled(c: &StartCall) -> String {
    match c.uncalled {
        true => format!("; nothing in the project calls {}", c.caller),
        false => String::new(),
    }
}

/// How a call adds children: `supervisor:start_child/2` itself, or a
/// function of the project that makes that call with what it is given.
fn how(c: &StartCall) -> String {
    match &c.through {
        Some(t) => format!(
            "through {}, supervisor:start_child/2 at {}",
            t.function, t.loc
        ),
        None => "supervisor:start_child/2".to_owned(),
    }
}
