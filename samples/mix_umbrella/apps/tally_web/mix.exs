defmodule TallyWeb.MixProject do
  use Mix.Project

  # Kept for Mix users; rebar3 builds from src/tally_web.app.src, which
  # otpmap reads instead.
  def project do
    [
      app: :tally_web,
      version: "0.3.0",
      build_path: "../../_build",
      deps_path: "../../deps",
      deps: [{:tally_store, in_umbrella: true}, {:cowboy, "~> 2.10"}]
    ]
  end

  def application do
    [mod: {:tally_web_app, []}, extra_applications: extra()]
  end

  defp extra do
    if Mix.env() == :prod, do: [], else: [:observer]
  end
end
