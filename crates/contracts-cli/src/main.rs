//! The `contracts` binary: argument parsing, wiring, rendering, exit codes.
//!
//! Architecture invariant: the only crate that knows clap, terminals and
//! exit codes. Exit codes: 0 success, 1 a check found a problem, 2 usage or
//! input error.

mod args;
mod build;
mod changes;
mod check;
mod diff;
mod gateway;
mod generate;
mod git;
mod impact;
mod init;
mod merge;
mod output;
mod pipeline;
mod project;
mod report;
mod roles;
mod selection;
mod status;
mod validate;
mod watch;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::status::Status;

/// mimalloc rather than the system allocator: glibc keeps freed blocks in
/// per-thread arenas, so RSS stayed hundreds of megabytes above the live
/// heap on large specs (Microsoft Graph beta: 642 MB resident for 374 MB
/// in use while validating).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The completion script of `shell`, from the clap definitions.
fn completions(args: &args::CompletionsArgs) -> Status {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "contracts", &mut script);
    status::write_stdout(format_args!("{}", String::from_utf8_lossy(&script)));
    Status::Success
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            // clap uses 2 for usage errors already; help and version are successes.
            return if error.use_stderr() {
                Status::Error
            } else {
                Status::Success
            }
            .into();
        }
    };
    let status = match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Gen(args) => generate::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Impact(args) => impact::run(&args),
        Command::Hook(args) => check::hook(&args),
        Command::Roles(args) => roles::run(&args),
        Command::Watch(args) => watch::run(&args),
        Command::Completions(args) => completions(&args),
        Command::Init(args) => init::run(&args),
    };
    status.into()
}
