//! What every command shares: the common arguments and writing the
//! output. Here rather than in `cli.rs`, so that the commands import
//! nothing from the file that dispatches to them (docs/architecture.md).

use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub(crate) struct CommonArgs {
    /// The project directory (or a single file) to map.
    #[arg(default_value = ".")]
    pub(crate) path: PathBuf,
    /// Also read fetched dependencies: _build, and the folders under deps/
    /// and _checkouts/ that the repository ignores or that are git clones.
    #[arg(long)]
    pub(crate) include_deps: bool,
    /// Follow symbolic links (loops are reported and cut).
    #[arg(long)]
    pub(crate) follow_links: bool,
    /// Skip files larger than SIZE, with a diagnostic (bytes, or with a
    /// K, M or G suffix; at most 4G).
    #[arg(long, value_name = "SIZE", default_value = "8M", value_parser = parse_size)]
    pub(crate) max_file_size: u64,
    /// Give up parsing a file or function after this long, with a
    /// diagnostic (`500ms`, `5s`; a bare number is seconds).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub(crate) parse_timeout: std::time::Duration,
    /// Colour the human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,
    /// Write the output to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Never show progress on stderr.
    #[arg(short, long)]
    pub(crate) quiet: bool,
    /// Set an OS environment variable for the configuration scripts
    /// (`rebar.config.script`, `.app.src.script`) otpmap evaluates:
    /// `os:getenv("NAME")` is VALUE; unset names read as `false`.
    /// Repeatable.
    #[arg(long = "env", value_name = "NAME=VALUE", value_parser = parse_env)]
    pub(crate) env: Vec<(String, String)>,
}

impl CommonArgs {
    /// Whether human output should be coloured.
    pub(crate) fn color_enabled(&self) -> bool {
        if self.output.is_some() {
            return false;
        }
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        }
    }

    /// Whether progress may be shown: a terminal on stderr, not asked to be
    /// quiet, and output meant for people.
    pub(crate) fn progress_enabled(&self, human_output: bool) -> bool {
        human_output && !self.quiet && std::io::stderr().is_terminal()
    }

    /// The options for loading the project.
    pub(crate) fn load_options(&self) -> crate::load::LoadOptions {
        crate::load::LoadOptions {
            discover: crate::discover::DiscoverOptions {
                include_deps: self.include_deps,
                follow_links: self.follow_links,
            },
            index: crate::syntax::IndexOptions {
                max_bytes: self.max_file_size,
                parse_budget: self.parse_timeout,
            },
            script_env: self.env.iter().cloned().collect(),
        }
    }
}

/// `NAME=VALUE`: one variable of `--env`.
fn parse_env(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!(
            "`{s}` is not NAME=VALUE: write --env REBAR_PROFILE=prod, for example"
        )),
    }
}

/// `8M`, `512K`, `1G`, `4096`: a size in bytes (powers of 1024).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size (examples: 4096, 512K, 8M, 1G)"))?;
    let factor: u64 = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(format!("`{s}`: unknown unit `{unit}` (use K, M or G)")),
    };
    // Offsets in tokens and line indexes are 32-bit: 4G, as the help
    // says, is read as the largest size they can hold, one byte less.
    n.checked_mul(factor)
        .filter(|&n| n <= 1 << 32)
        .map(|n| n.min(u64::from(u32::MAX)))
        .ok_or_else(|| format!("`{s}` is too large (otpmap reads files up to 4G)"))
}

/// `500ms`, `5s`, `2.5`: a duration (a bare number is seconds).
fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let (number, scale) = if let Some(ms) = t.strip_suffix("ms") {
        (ms, 0.001)
    } else if let Some(secs) = t.strip_suffix('s') {
        (secs, 1.0)
    } else {
        (t, 1.0)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (examples: 500ms, 5s)"))?;
    if !value.is_finite() || value <= 0.0 {
        return Err(format!("`{s}`: the duration must be positive"));
    }
    std::time::Duration::try_from_secs_f64(value * scale).map_err(|e| format!("`{s}`: {e}"))
}

/// Writes output to the file or to stdout. A closed pipe is not an error.
pub(crate) fn emit(text: &str, output: Option<&Path>) -> anyhow::Result<()> {
    use anyhow::Context;
    match output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(e).context("cannot write to stdout")
                }
                _ => Ok(()),
            }
        }
    }
}

/// Writes binary output (PNG) to the file or stdout.
pub(crate) fn emit_bytes(bytes: &[u8], output: Option<&Path>) -> anyhow::Result<()> {
    use anyhow::Context;
    match output {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|_| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(e).context("cannot write to stdout")
                }
                _ => Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("8M"), Ok(8 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert!(parse_size("8X").is_err());
        assert!(parse_size("").is_err());
        // Offsets are 32-bit: a limit over 4G cannot be honoured.
        assert_eq!(parse_size("3G"), Ok(3 << 30));
        assert!(parse_size("5G").is_err());
        // The help says "at most 4G" (issue 18).
        assert_eq!(parse_size("4G"), Ok(u64::from(u32::MAX)));
        assert!(parse_size("4097M").is_err());
        assert_eq!(
            parse_duration("500ms"),
            Ok(std::time::Duration::from_millis(500))
        );
        assert_eq!(parse_duration("5s"), Ok(std::time::Duration::from_secs(5)));
        assert_eq!(parse_duration("2"), Ok(std::time::Duration::from_secs(2)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
