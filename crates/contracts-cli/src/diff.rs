//! `contracts diff BASE REVISION`: every change between two versions of a
//! spec, from files or from git (`REF:PATH`, multi-file specs included).

use contracts_diff::Level;

use crate::args::{DiffArgs, FailOn};
use crate::changes::{color_stdout, compare, load_side, render};
use crate::status::Status;

pub fn run(args: &DiffArgs) -> Status {
    let base = match load_side(&args.base) {
        Ok(side) => side,
        Err(status) => return status,
    };
    let revision = match load_side(&args.revision) {
        Ok(side) => side,
        Err(status) => return status,
    };
    let Some(changes) = compare(&base, &revision, &args.policy.policy()) else {
        return Status::Error;
    };
    print!(
        "{}",
        render(
            &changes,
            args.format,
            &args.base,
            &args.revision,
            color_stdout()
        )
    );
    let threshold = match args.fail_on {
        FailOn::Error => Level::Error,
        FailOn::Warning => Level::Warning,
        FailOn::Info => Level::Info,
    };
    if changes.iter().any(|change| change.level >= threshold) {
        Status::Failure
    } else {
        Status::Success
    }
}
