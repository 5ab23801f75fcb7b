use super::*;

fn no_files(path: &str) -> Result<String, String> {
    Err(format!("no file {path} in this test"))
}

fn read_ok(text: &str) -> (MixProject, Vec<Diagnostic>) {
    let (p, d) = read(text, "mix.exs", &no_files);
    (p.expect("a project"), d)
}

fn names(refs: &[AppRef]) -> Vec<&str> {
    refs.iter().map(|r| r.name.as_str()).collect()
}

const FULL: &str = r#"defmodule Vend.MixProject do
  use Mix.Project

  @version "2.1.0"

  def project do
    [
      app: :vend,
      version: @version,
      description: "Vending " <> "machines",
      language: :erlang,
      deps: deps()
    ]
  end

  def application do
    [mod: {:vend_app, [:normal]}, extra_applications: [:crypto, {:os_mon, :optional}],
     env: [port: 8080, name: "v"], registered: [:vend_sup]]
  end

  # Every form Mix accepts.
  defp deps do
    [
      {:coin, in_umbrella: true},
      {:jsx, "~> 3.1"},
      {:gun, git: "https://example.com/gun.git", tag: "2.0.1"},
      {:ranch, github: "ninenines/ranch", branch: "master"},
      {:local, path: "../local"},
      {:lint, "~> 1.0", runtime: false},
      {:meck, "~> 0.9", only: :test},
      {:dev_tool, "1.0.0", only: [:dev, :prod]},
      {:telemetry, "~> 1.0", optional: true},
      {:pkg_alias, "~> 1.0", hex: :other_pkg}
    ]
  end
end
"#;

#[test]
fn reads_every_key_mix_turns_into_the_app_file() {
    let (p, d) = read_ok(FULL);
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(p.app.as_deref(), Some("vend"));
    assert_eq!(p.version.as_deref(), Some("2.1.0"));
    assert_eq!(p.description.as_deref(), Some("Vending machines"));
    assert!(p.language_erlang);
    assert_eq!(p.line, 6);
    assert_eq!(p.application_line, 16);
    let m = p.mod_.clone().expect("mod");
    assert_eq!(
        (m.module.as_str(), m.args.as_str()),
        ("vend_app", "[normal]")
    );
    assert_eq!(p.registered, vec!["vend_sup"]);
    let env: Vec<(&str, &str)> = p
        .env
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(env, vec![("port", "8080"), ("name", "<<\"v\">>")]);
    let (all, optional) = p.applications();
    assert_eq!(
        names(&all),
        vec![
            "kernel",
            "stdlib",
            "crypto",
            "os_mon",
            "coin",
            "jsx",
            "gun",
            "ranch",
            "local",
            "dev_tool",
            "telemetry",
            "pkg_alias"
        ]
    );
    assert_eq!(names(&optional), vec!["os_mon", "telemetry"]);
    let dep = |n: &str| &p.deps.iter().find(|d| d.dep.name == n).expect(n).dep;
    assert_eq!(dep("coin").source, DepSource::Path);
    assert_eq!(dep("jsx").version.as_deref(), Some("~> 3.1"));
    assert_eq!(dep("gun").git_ref, Some(GitRef::Tag("2.0.1".into())));
    assert_eq!(
        dep("ranch").url.as_deref(),
        Some("https://github.com/ninenines/ranch.git")
    );
    assert_eq!(dep("ranch").git_ref, Some(GitRef::Branch("master".into())));
    assert_eq!(dep("local").url.as_deref(), Some("../local"));
    assert_eq!(dep("lint").profile.as_deref(), Some("build"));
    assert_eq!(dep("meck").profile.as_deref(), Some("test"));
    assert_eq!(dep("dev_tool").profile, None);
    assert_eq!(dep("pkg_alias").package.as_deref(), Some("other_pkg"));
    assert_eq!(dep("meck").line, 30);
}

#[test]
fn elixir_is_an_application_unless_the_language_is_erlang() {
    let text = "defmodule A.MixProject do\n  use Mix.Project\n  def project, do: [app: :a, version: \"0.1.0\"]\nend\n";
    let (p, _) = read_ok(text);
    assert_eq!(
        names(&p.applications().0),
        vec!["kernel", "stdlib", "elixir"]
    );
}

#[test]
fn version_read_from_a_file_of_the_repository() {
    let text = r#"defmodule A.MixProject do
  use Mix.Project
  def project do
    [app: :a, version: version()]
  end
  defp version, do: File.read!("VERSION") |> String.trim()
end
"#;
    let files = |p: &str| {
        if p == "VERSION" {
            Ok("3.4.5\n".to_owned())
        } else {
            Err("absent".to_owned())
        }
    };
    let (p, d) = read(text, "mix.exs", &files);
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(p.unwrap().version.as_deref(), Some("3.4.5"));
    // Without the file: a diagnostic at the line of the read.
    let (p, d) = read(text, "mix.exs", &no_files);
    assert_eq!(p.unwrap().version, None);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!((d[0].code, d[0].line), (MIX_COMPUTED, 6));
}

#[test]
fn umbrella_root_and_child_with_explicit_applications() {
    let root = "defmodule U.MixProject do\n  use Mix.Project\n  def project do\n    [apps_path: \"apps\", deps: []]\n  end\nend\n";
    let (p, d) = read_ok(root);
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(p.apps_path.as_deref(), Some("apps"));
    assert_eq!(p.app, None);
    let child = r#"defmodule C.MixProject do
  use Mix.Project
  def project, do: [app: :c, version: "1.0.0", deps: [{:b, in_umbrella: true}, {:x, "1.0.0"}]]
  def application, do: [applications: [:b], included_applications: [:x]]
end
"#;
    let (p, _) = read_ok(child);
    assert_eq!(
        names(&p.applications().0),
        vec!["kernel", "stdlib", "elixir", "b"]
    );
    assert_eq!(names(&p.included_applications), vec!["x"]);
}

#[test]
fn computed_values_are_reported_with_their_line_and_the_rest_is_used() {
    let text = r#"defmodule C.MixProject do
  use Mix.Project
  alias Top.MixProject, as: Top

  def project do
    [
      app: :c,
      version: Top.version(),
      deps: deps()
    ]
  end

  def application do
    [mod: {:c_app, []}, extra_applications: [:ssl] ++ Top.extra_applications()]
  end

  defp deps do
    Top.deps([{:b, in_umbrella: true}, :gproc]) ++
      if Mix.env() == :test do
        [{:meck, "1.0.0"}]
      else
        []
      end
  end
end
"#;
    let (p, d) = read_ok(text);
    let found: Vec<(u32, Severity)> = d.iter().map(|d| (d.line, d.severity)).collect();
    assert_eq!(
        found,
        vec![
            (8, Severity::Info),
            (18, Severity::Warning),
            (19, Severity::Warning),
            (14, Severity::Warning)
        ],
        "{d:#?}"
    );
    assert!(
        d[1].message.contains("using the 2 dependencies"),
        "{}",
        d[1].message
    );
    assert_eq!(p.version, None);
    assert_eq!(
        names(&p.applications().0),
        vec!["kernel", "stdlib", "elixir", "ssl", "b", "gproc"]
    );
    let gproc = &p.deps.iter().find(|d| d.dep.name == "gproc").unwrap().dep;
    assert_eq!((gproc.source, gproc.line), (DepSource::Other, 18));
}

#[test]
fn bad_input_is_a_diagnostic_not_a_panic() {
    let (p, d) = read(
        "defmodule X do\n  def project, do: [app: :x,\nend\n",
        "mix.exs",
        &no_files,
    );
    assert!(d.iter().any(|d| d.code == MIX_SYNTAX), "{d:#?}");
    drop(p);
    let (p, d) = read("IO.puts(:hello)\n", "mix.exs", &no_files);
    assert!(p.is_none());
    assert_eq!(d[0].code, MIX_NO_PROJECT);
    let text = "defmodule A.MixProject do\n  use Mix.Project\n  def project, do: [app: :a, deps: [\"nope\", {:ok, 1, 2, 3}]]\nend\n";
    let (p, d) = read_ok(text);
    assert!(p.deps.is_empty());
    assert_eq!(
        d.iter().filter(|d| d.code == MIX_BAD_DEP).count(),
        2,
        "{d:#?}"
    );
    // A function calling itself stops at the depth bound.
    let text = "defmodule A.MixProject do\n  use Mix.Project\n  def project, do: [app: :a, deps: deps()]\n  defp deps, do: [{:x, \"1.0.0\"}] ++ deps()\nend\n";
    let (p, d) = read_ok(text);
    assert_eq!(p.deps.first().map(|d| d.dep.name.as_str()), Some("x"));
    assert!(d.iter().any(|d| d.code == MIX_COMPUTED), "{d:#?}");
}

#[test]
fn clauses_are_chosen_by_their_literal_parameters() {
    let text = r#"defmodule U.MixProject do
  use Mix.Project
  def project, do: [apps_path: "apps", deps: [dep(:gun), dep(:cowlib, "2.13.0"), dep(:other)]]
  def dep(:gun), do: {:gun, github: "ninenines/gun", tag: "2.1.0"}
  def dep(name) when is_atom(name), do: {name, "1.0.0"}
  def dep(name, vsn), do: {name, vsn}
end
"#;
    let (p, d) = read_ok(text);
    let got: Vec<(&str, Option<&str>)> = p
        .deps
        .iter()
        .map(|d| (d.dep.name.as_str(), d.dep.version.as_deref()))
        .collect();
    assert_eq!(got, vec![("gun", None), ("cowlib", Some("2.13.0"))]);
    // `dep(:other)` reaches the guarded clause: decided when Mix runs.
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!((d[0].code, d[0].line), (MIX_COMPUTED, 3));
    assert!(d[0].message.contains("guard"), "{}", d[0].message);
}

#[test]
fn a_comprehension_is_left_to_mix_without_guessing_from_its_arguments() {
    let text = "defmodule A.MixProject do\n  use Mix.Project\n  def project, do: [app: :a, deps: [{:x, \"1.0.0\"}] ++ extra()]\n  \
                defp extra do\n    for {true, dep} <- [{on?(), {:y, \"2.0.0\"}}], do: dep\n  end\nend\n";
    let (p, d) = read_ok(text);
    let names: Vec<&str> = p.deps.iter().map(|d| d.dep.name.as_str()).collect();
    assert_eq!(names, vec!["x"]);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!((d[0].code, d[0].line), (MIX_COMPUTED, 5));
    assert!(d[0].message.contains("`for`"), "{}", d[0].message);
}
