//! `otpmap scan`: the overview of a code base.

use crate::commands::common::{emit, CommonArgs};
use crate::exit_code;
use crate::graph::Run;
use crate::progress::Progress;
use crate::render::{self, Painter};
use clap::{Args, ValueEnum};

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ScanFormat {
    Human,
    Json,
}

/// Arguments of `otpmap scan`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  otpmap scan\n  otpmap scan ~/src/my_umbrella --format json | jq '.apps[].name'"
)]
pub(crate) struct ScanArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ScanFormat::Human)]
    format: ScanFormat,
    #[command(flatten)]
    otp: super::deps::OtpRootArgs,
}

/// Runs `scan`.
pub(crate) fn run(args: &ScanArgs) -> anyhow::Result<i32> {
    let progress = Progress::new(
        args.common
            .progress_enabled(args.format == ScanFormat::Human),
    );
    progress.stage("reading the project");
    let otp = args.otp.library()?;
    let project = super::load_project(&args.common)?;
    // Boot orders and the dependency checks' diagnostics.
    let run = Run::analyse(project, &otp).with_checks().finish();
    progress.finish();
    let text = match args.format {
        ScanFormat::Human => {
            render::human::scan::render(&run, &Painter::new(args.common.color_enabled()))
        }
        ScanFormat::Json => render::json::scan::render(&run),
    };
    emit(&text, args.common.output.as_deref())?;
    let code = super::exit_code(exit_code::CLEAN, &run.diagnostics, true);
    super::keep_until_exit(run);
    Ok(code)
}
