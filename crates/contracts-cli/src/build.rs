//! `contracts build`: validate and merge the services, write the gateway,
//! then run every configured generator.

use crate::args::BuildArgs;
use crate::output::{Plan, write_output};
use crate::pipeline::{Contracts, Generator, Warnings, render_all};
use crate::project::find_config;
use crate::project::{AllSources, borrowed, load_services};
use crate::status::{Status, keep_until_exit, worst};

pub fn run(args: &BuildArgs) -> Status {
    let config = match find_config(&args.config, true) {
        Ok(Some(config)) => config,
        Ok(None) => unreachable!("a config is required"),
        Err(status) => return status,
    };
    let loaded = load_services(&config);
    // Every output is claimed before anything is written: a refused one leaves all as they were.
    let mut plan = Plan::project(&config, loaded.iter().map(|(_, spec)| spec));
    let gateway = (config.gateway.as_ref()).map(|settings| config.resolve(&settings.output));
    let outputs = Generator::configured(&config, None);
    let claimed = (gateway.iter().try_for_each(|path| plan.output(path))).and_then(|()| {
        (outputs.iter())
            .try_for_each(|output| output.generator.claim(&mut plan, &output.path, args.force))
    });
    if let Err(message) = claimed {
        eprintln!("error: {message}");
        return Status::Error;
    }
    // Everything is rendered before anything is written: a failing
    // generator leaves every previous output as it was.
    let mut contracts = Contracts::new(&config, borrowed(&loaded));
    let mut files = Vec::new();
    if let Some(output) = gateway {
        let Some(merged) = contracts.gateway() else {
            eprintln!("error: build failed; no output was changed");
            return Status::Error;
        };
        files.push((
            output.clone(),
            merged.text.clone().expect("a `[gateway]` merge is emitted"),
        ));
    }
    let warnings = Warnings::Shown {
        sources: &AllSources::of(loaded.iter().map(|(_, spec)| spec)),
        strict: false,
    };
    let Some(generated) = render_all(&outputs, &mut contracts, &warnings) else {
        eprintln!("error: build failed; no output was changed");
        return Status::Error;
    };
    files.extend(generated.into_iter().map(|file| (file.path, file.contents)));
    let status = (files.iter()).fold(Status::Success, |status, (path, content)| {
        worst(status, write_output(path, content, args.check))
    });
    keep_until_exit((contracts, files));
    keep_until_exit(loaded);
    status
}
