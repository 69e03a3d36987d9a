//! `contracts diff BASE REVISION`: every change between two versions of a
//! spec, from files or from git (`REF:PATH`, multi-file specs included).

use contracts_diff::Level;

use crate::args::{DiffArgs, FailOn};
use crate::changes::{color_stdout, compare, load_side, render};
use crate::status::{Status, keep_until_exit};

pub fn run(args: &DiffArgs) -> Status {
    // The sides are independent: two cores load them, unless one reads stdin.
    let (base, revision) = if args.base == "-" || args.revision == "-" {
        (load_side(&args.base), load_side(&args.revision))
    } else {
        rayon::join(|| load_side(&args.base), || load_side(&args.revision))
    };
    let (base, revision) = match (base, revision) {
        (Ok(base), Ok(revision)) => (base, revision),
        (Err(refused), _) | (_, Err(refused)) => return refused.report(),
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
    keep_until_exit((base, revision));
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
