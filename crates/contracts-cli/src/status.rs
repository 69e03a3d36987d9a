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

/// The more severe of two outcomes (error over failure over success).
pub fn worst(a: Status, b: Status) -> Status {
    match (a, b) {
        (Status::Error, _) | (_, Status::Error) => Status::Error,
        (Status::Failure, _) | (_, Status::Failure) => Status::Failure,
        _ => Status::Success,
    }
}
