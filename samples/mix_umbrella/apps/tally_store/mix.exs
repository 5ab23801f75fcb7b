defmodule TallyStore.MixProject do
  use Mix.Project

  def project do
    [
      app: :tally_store,
      version: version(),
      build_path: "../../_build",
      deps_path: "../../deps",
      lockfile: "../../mix.lock",
      elixir: "~> 1.14",
      deps: deps() ++ test_deps()
    ]
  end

  def application do
    [
      mod: {:tally_store_app, []},
      extra_applications: [:logger],
      registered: [:tally_store_sup, :tally_store_server],
      env: [flush_interval: 5000, table: :tally_counters]
    ]
  end

  # The version lives in a file the release scripts also read.
  defp version do
    File.read!("VERSION") |> String.trim()
  end

  defp deps do
    [
      {:tally_core, in_umbrella: true},
      {:jsx, "~> 3.1"},
      {:telemetry, "~> 1.2", optional: true},
      {:recon, github: "ferd/recon", tag: "2.5.5"}
    ]
  end

  # Decided when Mix runs: otpmap reports it and uses the rest.
  defp test_deps do
    if Mix.env() == :test do
      [{:meck, "~> 0.9"}]
    else
      []
    end
  end
end
