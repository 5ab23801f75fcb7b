//! The analysis stage (docs/architecture.md): the application graph, the boot
//! order of each release, and the checks over both.
//!
//! [`Run::analyse`] runs them all and starts a run ([`run`]): the value
//! every command and renderer reads.

mod app_graph;
pub(crate) mod blast;
pub mod boot_order;
pub(crate) mod calls;
mod checks;
#[cfg(test)]
mod fixture;
pub(crate) mod reduce;
mod run;
pub mod supervision;
mod view;

pub(crate) use app_graph::{AppGraph, AppNode, AppSource, EdgeKind, NodeKind};
pub(crate) use boot_order::{BootAction, BootStep};
#[cfg(test)]
use run::analyse;
pub(crate) use run::Analysis;
pub use run::{Analysing, Run};
pub(crate) use view::{Focus, GraphView, ViewOptions};

#[cfg(test)]
use crate::model::OtpLibrary;

#[cfg(test)]
mod tests {
    use super::fixture::{app, dep, project, release};
    use super::*;
    use crate::diagnostic::Severity;
    use crate::model::{ReleaseSource, StartType};

    fn steps(a: &Analysis, i: usize) -> Vec<(String, &'static str, &'static str)> {
        a.plans[i]
            .steps
            .iter()
            .map(|s| (s.app.clone(), s.start_type.as_str(), s.action.as_str()))
            .collect()
    }

    #[test]
    fn relx_pulls_in_needs_depth_first_and_loads_included_apps() {
        let p = project(
            vec![
                app("common", false, &["kernel", "stdlib", "crypto"], &[], &[]),
                app("store", true, &["kernel", "stdlib", "common"], &[], &[]),
                app(
                    "back",
                    true,
                    &["kernel", "stdlib", "common"],
                    &["store"],
                    &[],
                ),
            ],
            vec![],
            vec![release(
                "admin",
                ReleaseSource::Rebar3,
                &[("back", StartType::Permanent), ("sasl", StartType::Load)],
            )],
        );
        let a = analyse(&p, &OtpLibrary::none());
        assert_eq!(
            a.plans[0].boot_order(),
            vec!["kernel", "stdlib", "crypto", "common", "back"]
        );
        let s = steps(&a, 0);
        assert!(s.contains(&("store".into(), "load", "load")), "{s:?}");
        assert!(s.contains(&("sasl".into(), "load", "load")), "{s:?}");
        let store = a.plans[0].steps.iter().find(|s| s.app == "store").unwrap();
        assert_eq!(store.included_by.as_deref(), Some("back"));
        assert_eq!(store.pulled_in_by.as_deref(), Some("back"));
    }

    #[test]
    fn rel_file_order_is_kept_where_dependencies_allow() {
        // systools keeps the .rel order and moves an app only behind what
        // it needs: b needs a, so a moves up; c stays where it is.
        let p = project(
            vec![
                app("a", false, &["kernel", "stdlib"], &[], &[]),
                app("b", true, &["kernel", "stdlib", "a"], &[], &[]),
                app("c", true, &["kernel", "stdlib"], &[], &[]),
            ],
            vec![],
            vec![release(
                "r",
                ReleaseSource::Rel,
                &[
                    ("kernel", StartType::Permanent),
                    ("stdlib", StartType::Permanent),
                    ("c", StartType::Permanent),
                    ("b", StartType::Permanent),
                    ("a", StartType::Permanent),
                ],
            )],
        );
        let a = analyse(&p, &OtpLibrary::none());
        assert_eq!(
            a.plans[0].boot_order(),
            vec!["kernel", "stdlib", "c", "a", "b"]
        );
    }

    #[test]
    fn cycles_have_a_full_path_and_no_boot_order() {
        let p = project(
            vec![
                app("auth", true, &["kernel", "stdlib", "session"], &[], &[]),
                app("session", false, &["kernel", "stdlib", "profile"], &[], &[]),
                app("profile", false, &["kernel", "stdlib", "auth"], &[], &[]),
            ],
            vec![],
            vec![release(
                "accounts",
                ReleaseSource::Rebar3,
                &[("auth", StartType::Permanent)],
            )],
        );
        let a = analyse(&p, &OtpLibrary::none());
        let cycle = vec!["auth", "session", "profile", "auth"];
        assert_eq!(a.graph.cycles(), vec![cycle.clone()]);
        assert_eq!(
            a.plans[0].cycle.as_deref(),
            Some(&cycle.iter().map(|s| s.to_string()).collect::<Vec<_>>()[..])
        );
        assert!(a.plans[0].boot_order().is_empty());
        let d = a
            .diagnostics
            .iter()
            .find(|d| d.code == checks::APP_CYCLE)
            .unwrap();
        assert_eq!(
            (d.file.as_str(), d.line),
            ("apps/auth/src/auth.app.src", 12)
        );
        assert!(a
            .diagnostics
            .iter()
            .any(|d| d.code == checks::RELEASE_NO_BOOT_ORDER && d.line == 99));
    }

    #[test]
    fn includer_may_be_listed_by_the_included_app() {
        // OTP allows "X includes Y, Y uses X": not a cycle.
        let p = project(
            vec![
                app("x", true, &["kernel", "stdlib"], &["y"], &[]),
                app("y", true, &["kernel", "stdlib", "x"], &[], &[]),
            ],
            vec![],
            vec![release(
                "r",
                ReleaseSource::Rebar3,
                &[("x", StartType::Permanent)],
            )],
        );
        let a = analyse(&p, &OtpLibrary::none());
        assert!(a.graph.cycles().is_empty());
        assert_eq!(a.plans[0].boot_order(), vec!["kernel", "stdlib", "x"]);
    }

    #[test]
    fn checks_missing_apps_unused_deps_and_unknown_release_apps() {
        let p = project(
            vec![app(
                "notifier",
                true,
                &["kernel", "stdlib", "hackney", "estatsd", "otel"],
                &[],
                &["otel"],
            )],
            vec![dep("hackney", 3), dep("jiffy", 4)],
            vec![release(
                "notifier",
                ReleaseSource::Rebar3,
                &[
                    ("notifier", StartType::Permanent),
                    ("dashboard", StartType::Permanent),
                ],
            )],
        );
        let a = analyse(&p, &OtpLibrary::none());
        let found: Vec<(&str, &str, u32)> = a
            .diagnostics
            .iter()
            .map(|d| (d.code, d.file.as_str(), d.line))
            .collect();
        assert!(
            found.contains(&(
                checks::UNKNOWN_APPLICATION,
                "apps/notifier/src/notifier.app.src",
                13
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                checks::OPTIONAL_APPLICATION_ABSENT,
                "apps/notifier/src/notifier.app.src",
                50
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(checks::UNUSED_DEP, "rebar.config", 4)),
            "{found:?}"
        );
        assert!(
            found.contains(&(checks::UNKNOWN_RELEASE_APP, "rebar.config", 101)),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|(_, _, l)| *l == 3),
            "hackney is used: {found:?}"
        );
        assert_eq!(
            a.plans[0].boot_order(),
            vec!["kernel", "stdlib", "hackney", "notifier"]
        );
        assert_eq!(a.graph.app("estatsd").unwrap().source, AppSource::Missing);
    }

    #[test]
    fn unlisted_dependency_a_reltool_target_holds_or_a_raw_one_is_no_warning() {
        let mut node = release(
            "node",
            ReleaseSource::Reltool,
            &[("web", StartType::Permanent)],
        );
        node.file = "rel/reltool.config".to_owned();
        node.carried.apps.push(("metrics".to_owned(), 40));
        let mut ui = dep("ui", 5);
        ui.raw = true;
        let p = project(
            vec![app("web", true, &["kernel", "stdlib"], &[], &[])],
            vec![dep("metrics", 3), dep("cache", 4), ui],
            vec![node],
        );
        let a = analyse(&p, &OtpLibrary::none());
        let unused: Vec<(Severity, u32, &str)> = a
            .diagnostics
            .iter()
            .filter(|d| d.code == checks::UNUSED_DEP)
            .map(|d| (d.severity, d.line, d.message.as_str()))
            .collect();
        assert_eq!(unused.len(), 2, "none for the raw `ui`: {unused:?}");
        let (severity, line, message) = unused[0];
        assert_eq!((severity, line), (Severity::Info, 3));
        assert!(
            message.contains("release `node` holds its code (`{app, metrics, [{incl_cond, include}]}` at rel/reltool.config:40), but its boot does not start it"),
            "{message}"
        );
        assert_eq!((unused[1].0, unused[1].1), (Severity::Warning, 4));
        assert!(unused[1]
            .2
            .contains("releases will neither start nor include it"));
    }

    #[test]
    fn the_release_of_the_dependencys_own_folder_is_named() {
        // `apps/web_admin` begins with the letters of `apps/web`, but is
        // another folder.
        let held = |name: &str, file: &str| {
            let mut r = release(
                name,
                ReleaseSource::Reltool,
                &[("web", StartType::Permanent)],
            );
            r.file = file.to_owned();
            r.carried.apps.push(("metrics".to_owned(), 40));
            r
        };
        let mut metrics = dep("metrics", 3);
        metrics.file = "apps/web/rebar.config".to_owned();
        let p = project(
            vec![app("web", true, &["kernel", "stdlib"], &[], &[])],
            vec![metrics],
            vec![
                held("admin", "apps/web_admin/rel/reltool.config"),
                held("web", "apps/web/rel/reltool.config"),
            ],
        );
        let a = analyse(&p, &OtpLibrary::none());
        let d = a
            .diagnostics
            .iter()
            .find(|d| d.code == checks::UNUSED_DEP)
            .unwrap();
        assert!(
            d.message.contains("release `web` holds its code"),
            "{}",
            d.message
        );
    }

    #[test]
    fn started_app_needing_a_loaded_one_is_reported() {
        let p = project(
            vec![
                app("common", false, &["kernel", "stdlib"], &[], &[]),
                app("back", true, &["kernel", "stdlib", "common"], &[], &[]),
            ],
            vec![],
            vec![release(
                "r",
                ReleaseSource::Rebar3,
                &[("back", StartType::Permanent), ("common", StartType::Load)],
            )],
        );
        let a = analyse(&p, &OtpLibrary::none());
        assert_eq!(
            a.plans[0].not_started,
            vec![("back".to_owned(), "common".to_owned())]
        );
        assert!(a
            .diagnostics
            .iter()
            .any(|d| d.code == checks::RELEASE_NOT_STARTED && d.line == 101));
    }

    #[test]
    fn reltool_adds_kernel_and_stdlib_and_needs() {
        let p = project(
            vec![
                app("a", false, &["kernel", "stdlib", "crypto"], &[], &[]),
                app("b", true, &["kernel", "stdlib", "a"], &[], &[]),
            ],
            vec![],
            vec![release(
                "r",
                ReleaseSource::Reltool,
                &[("b", StartType::Permanent)],
            )],
        );
        let a = analyse(&p, &OtpLibrary::none());
        assert_eq!(
            a.plans[0].boot_order(),
            vec!["kernel", "stdlib", "crypto", "a", "b"]
        );
    }

    #[test]
    fn views_filter_by_app_reverse_depth_and_exclude() {
        let p = project(
            vec![
                app("common", false, &["kernel", "stdlib", "crypto"], &[], &[]),
                app("store", true, &["kernel", "stdlib", "common"], &[], &[]),
                app("web", true, &["kernel", "stdlib", "store"], &[], &[]),
            ],
            vec![],
            vec![],
        );
        let a = analyse(&p, &OtpLibrary::none());
        let names = |v: &GraphView| -> Vec<String> {
            let mut n: Vec<String> = v
                .nodes
                .iter()
                .map(|&i| a.graph.node(i).name.clone())
                .collect();
            n.sort();
            n
        };
        let v = GraphView::select(
            &a.graph,
            &ViewOptions {
                focus: Focus::DependenciesOf("store".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            names(&v),
            vec!["common", "crypto", "kernel", "stdlib", "store"]
        );
        let v = GraphView::select(
            &a.graph,
            &ViewOptions {
                focus: Focus::DependentsOf("common".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(names(&v), vec!["common", "store", "web"]);
        let v = GraphView::select(
            &a.graph,
            &ViewOptions {
                focus: Focus::DependenciesOf("web".into()),
                depth: Some(1),
                hide_otp: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(names(&v), vec!["store", "web"]);
        let v = GraphView::select(
            &a.graph,
            &ViewOptions {
                exclude: ["store".to_owned()].into(),
                hide_otp: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(names(&v), vec!["common", "web"]);
        let e = GraphView::select(
            &a.graph,
            &ViewOptions {
                focus: Focus::DependenciesOf("stor".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.close, vec!["store"]);
    }
}
