# An umbrella of Erlang applications built by Mix. Read by otpmap without
# running Elixir: see README.md.
defmodule Tally.MixProject do
  use Mix.Project

  def project do
    [
      apps_path: "apps",
      version: "0.3.0",
      deps: deps()
    ]
  end

  # Dependencies of the umbrella as a whole: tools, never started.
  defp deps do
    [{:rebar3_lint, "~> 3.2", only: [:dev, :test], runtime: false}]
  end
end
