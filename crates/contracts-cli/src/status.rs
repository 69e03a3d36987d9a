//! The outcome of a command and its exit code, shared by every subcommand.

use std::process::ExitCode;

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
/// of megabytes for a large spec) would only delay that. Nothing kept here
/// holds a file, a lock or unwritten output.
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
