//! The command line: argument parsing, output, exit codes. Each command's
//! work lives in `commands/`.

use crate::commands;
// Kept here for callers of `otpmap::cli`; they live with the commands,
// which import nothing from this file (docs/architecture.md).
pub(crate) use crate::commands::common::emit_bytes;
use crate::exit_code;
use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  otpmap scan                         what is this code base? (current directory)
  otpmap scan path/to/repo --format json
  otpmap deps --format svg -o deps.svg
  otpmap tree --app my_app            supervision tree of one application
  otpmap lint --format sarif -o otpmap.sarif
  otpmap blast my_worker              what a crash of my_worker takes down
  otpmap diff main --format markdown  what this branch changes, for a PR comment
  otpmap report -o otpmap-report.html one page to open in a browser

Exit codes: 0 clean, 1 lint findings at or above --fail-on, 2 otpmap could not
do its job (bad path or arguments, internal error). Unreadable or malformed
input files are reported as diagnostics, not errors.";

/// Map an Erlang/OTP code base from its sources: applications, dependency
/// graphs, supervision trees and start-up lints. Nothing is compiled or run.
#[derive(Debug, Parser)]
#[command(name = "otpmap", version = env!("OTPMAP_VERSION"), after_help = EXAMPLES, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Overview: layout, applications, dependencies, releases.
    Scan(commands::scan::ScanArgs),
    /// Application dependency graph, release boot order, dependency checks.
    Deps(commands::deps::DepsArgs),
    /// Supervision trees: strategies, restart types, start order, from source.
    Tree(commands::tree::TreeArgs),
    /// Start-up hazards for CI: blocking init/1, missing app dependencies.
    Lint(commands::lint::LintArgs),
    /// What a crash of one process takes down: restarts, escalation, the node.
    Blast(commands::blast::BlastArgs),
    /// What a change does to the map: apps, deps, releases, trees, findings.
    Diff(commands::diff::DiffArgs),
    /// One self-contained HTML page: overview, app graph, trees, findings.
    Report(commands::report::ReportArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "\
Examples:
  otpmap completions bash > ~/.local/share/bash-completion/completions/otpmap
  otpmap completions zsh > ~/.zfunc/_otpmap      (with fpath+=~/.zfunc in ~/.zshrc)
  otpmap completions fish > ~/.config/fish/completions/otpmap.fish")]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff): otpmap(1), or otpmap-COMMAND(1).
    #[command(after_help = "\
Examples:
  otpmap man | man -l -
  otpmap man > ~/.local/share/man/man1/otpmap.1
  otpmap man lint > ~/.local/share/man/man1/otpmap-lint.1")]
    Man {
        /// A command's page instead of otpmap's: scan, deps, tree or lint.
        command: Option<String>,
    },
}

/// Writes the completion script of `shell` to stdout.
fn print_completions(shell: clap_complete::Shell) -> anyhow::Result<i32> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "otpmap", &mut out);
    emit_bytes(&out, None)?;
    Ok(exit_code::CLEAN)
}

/// Writes a man page to stdout: otpmap(1), or otpmap-COMMAND(1) for one
/// command, named the way `man otpmap-lint` looks it up.
fn print_man(command: Option<&str>) -> anyhow::Result<i32> {
    use clap::CommandFactory;
    let top = Cli::command();
    let page = match command {
        None => top,
        Some(name) => {
            let paged = |s: &clap::Command| !matches!(s.get_name(), "completions" | "man" | "help");
            let sub = top
                .find_subcommand(name)
                .filter(|s| paged(s))
                .ok_or_else(|| {
                    // The list follows the commands, so a new one is named.
                    let names: Vec<&str> = top
                        .get_subcommands()
                        .filter(|s| paged(s))
                        .map(|s| s.get_name())
                        .collect();
                    anyhow::anyhow!("no command `{name}` (one of: {})", names.join(", "))
                })?
                .clone();
            // clap takes static names; this runs once per process.
            let full: &'static str = Box::leak(format!("otpmap-{}", sub.get_name()).into());
            sub.name(full).version(env!("OTPMAP_VERSION"))
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out)?;
    emit_bytes(&out, None)?;
    Ok(exit_code::CLEAN)
}

/// Parses the arguments, runs the command and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed.
            let code = if e.use_stderr() {
                exit_code::ERROR
            } else {
                exit_code::CLEAN
            };
            let _ = e.print();
            return code;
        }
    };
    // A bug outside the per-file guards still ends in one readable line
    // and exit 2, not a backtrace dump.
    let result = crate::internal_error::guard(".", "running the command", || match &cli.command {
        Command::Scan(args) => commands::scan::run(args),
        Command::Deps(args) => commands::deps::run(args),
        Command::Lint(args) => commands::lint::run(args),
        Command::Tree(args) => commands::tree::run(args),
        Command::Blast(args) => commands::blast::run(args),
        Command::Diff(args) => commands::diff::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Completions { shell } => print_completions(*shell),
        Command::Man { command } => print_man(command.as_deref()),
    });
    match result {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => {
            let mut msg = format!("error: {err}");
            for cause in err.chain().skip(1) {
                msg.push_str(&format!("\n  caused by: {cause}"));
            }
            eprintln!("{msg}");
            exit_code::ERROR
        }
        Err(d) => {
            eprintln!("error: {}", d.message);
            exit_code::ERROR
        }
    }
}
