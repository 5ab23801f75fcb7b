defmodule TallyCore.MixProject do
  use Mix.Project

  @version "0.3.0"

  def project do
    [
      app: :tally_core,
      version: @version,
      description: "Counters and their arithmetic",
      language: :erlang,
      build_path: "../../_build",
      deps_path: "../../deps",
      lockfile: "../../mix.lock",
      deps: []
    ]
  end

  def application do
    [extra_applications: [:crypto]]
  end
end
