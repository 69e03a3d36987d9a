//! The outcome of a command and its exit code, shared by every subcommand.

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// The outcome of a command, mapped to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success,
    /// A check found a problem (breaking change, stale output).
    Failure,
    /// Bad usage or bad input.
    Error,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(match status {
            Status::Success => 0,
            Status::Failure => 1,
            Status::Error => 2,
        })
    }
}

/// Ends a one-shot command's use of `value` without freeing it: the process
/// exits right after, and freeing the parsed specs and contracts (hundreds
/// of megabytes for a large spec) would only delay that. Never pass what
/// must be cleaned up (a temporary folder, a lock, unwritten output): its
/// drop would not run.
pub fn keep_until_exit<T>(value: T) {
    std::mem::forget(value);
}

/// The more severe of two outcomes (error over failure over success).
pub fn worst(a: Status, b: Status) -> Status {
    match (a, b) {
        (Status::Error, _) | (_, Status::Error) => Status::Error,
        (Status::Failure, _) | (_, Status::Failure) => Status::Failure,
        _ => Status::Success,
    }
}

/// Set once stdout's reader went away.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes to stdout, as `print!` does without its panic: when the reader
/// went away (`contracts diff … | head`), the rest of the output is dropped
/// and the command ends as it would have, with its own exit code.
pub fn write_stdout(arguments: std::fmt::Arguments) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    if let Err(error) = std::io::stdout().lock().write_fmt(arguments) {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write to stdout: {error}");
        }
    }
}

/// `print!` that survives a closed stdout (see [`write_stdout`]).
macro_rules! out {
    ($($arg:tt)*) => { $crate::status::write_stdout(format_args!($($arg)*)) };
}

/// `println!` that survives a closed stdout (see [`write_stdout`]).
macro_rules! outln {
    () => { $crate::status::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::status::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

pub(crate) use {out, outln};
