//! `cargo xtask fuzz [--seconds N] [--seed S] [--debug]`: replays every
//! case in `fixtures/fuzz/`, then runs structural mutants of the fixtures'
//! and corpora's specs through every command for N seconds. A panic, an
//! abort, an exit code other than 0/1/2, a run over 20 s (5 times that for
//! the `--debug` build) or 1 GB, or a spec
//! that differs from itself is a failure; each kind of failure is
//! minimized and written to `fixtures/fuzz/` as a new case.

mod mutate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use contracts_load::Format;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::Value;

use crate::corpus::files_under;
use crate::limits::{self, Binary, Failure, Run, Verdict};
use crate::project_root;

const USAGE: &str =
    "usage: cargo xtask fuzz [--seconds N] [--seed S] [--only TEXT] [--debug] [--mutant I]";

/// Where regression cases live, relative to the project root.
const CASES: &str = "fixtures/fuzz";

/// Seeds larger than this are left out: a mutant must run in well under the time limit.
const MAX_SEED_BYTES: u64 = 256 * 1024;

/// How long shrinking one failure may take.
const MINIMIZE_BUDGET: Duration = Duration::from_secs(90);

/// The commands every mutant goes through. `{spec}` is the mutant, `base.json` its seed.
const CHECKS: [(&str, &[&str]); 7] = [
    ("validate", &["validate", "{spec}"]),
    ("gen-ts", &["gen", "--ts", "{spec}"]),
    ("gen-msw", &["gen", "--msw", "--stateful", "{spec}"]),
    ("gen-rust", &["gen", "--rust", "{spec}"]),
    (
        "diff-seed",
        &["diff", "--category", "all", "base.json", "{spec}"],
    ),
    (
        "diff-self",
        &[
            "diff",
            "--category",
            "all",
            "--format",
            "json",
            "{spec}",
            "{spec}",
        ],
    ),
    ("merge", &["merge", "--config", "contracts.toml"]),
];

/// The config `merge` reads: the mutant beside its seed, as two services.
const CONFIG: &str = "[services.mutant]\nspec = \"{spec}\"\nprefix = \"/mutant\"\n\n\
                      [services.seed]\nspec = \"base.json\"\nprefix = \"/seed\"\n\n\
                      [gateway]\noutput = \"gateway.yaml\"\n";

struct Options {
    seconds: u64,
    seed: u64,
    debug: bool,
    /// Only write this mutant of the seed to `target/fuzz-mutant-I/`, to look at it.
    mutant: Option<u64>,
    /// Only seeds whose name (path) contains this: to aim at one kind of input.
    only: Option<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            seconds: 60,
            seed: 1,
            debug: false,
            mutant: None,
            only: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut number = |name: &str| {
                (args.next().and_then(|value| value.parse().ok()))
                    .ok_or_else(|| format!("{name} needs a number; {USAGE}"))
            };
            match arg.as_str() {
                "--seconds" => options.seconds = number("--seconds")?,
                "--seed" => options.seed = number("--seed")?,
                "--debug" => options.debug = true,
                "--mutant" => options.mutant = Some(number("--mutant")?),
                "--only" => {
                    let text = args
                        .next()
                        .ok_or_else(|| format!("--only needs a text; {USAGE}"))?;
                    options.only = Some(text.clone());
                }
                _ => return Err(USAGE.to_owned()),
            }
        }
        Ok(options)
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    if let Some(index) = options.mutant {
        let seeds = seeds(&options)?;
        let dir = project_root().join(format!("target/fuzz-mutant-{index}"));
        std::fs::create_dir_all(&dir).map_err(|error| error.to_string())?;
        let mutant = Mutant::new(&seeds, options.seed, index);
        mutant.write(&seeds, &dir)?;
        eprintln!(
            "mutant {index} of {} written to {}",
            seeds[mutant.seed].name,
            dir.display()
        );
        return Ok(());
    }
    let built = crate::contracts_binary(options.debug)?;
    // A copy: a build during a long run must not pull the binary away under it.
    let copy = tempfile::tempdir().map_err(|error| error.to_string())?;
    let path = copy.path().join("contracts");
    std::fs::copy(&built, &path).map_err(|error| format!("{}: {error}", built.display()))?;
    let binary = Binary::fuzzed(path, options.debug);
    let replay_failures = replay(&binary)?;
    let seeds = seeds(&options)?;
    if seeds.is_empty() {
        return Err("no seed specs found".to_owned());
    }
    let found = fuzz(&binary, &seeds, &options);
    let written = minimize_and_write(&binary, &seeds, &found, &options)?;
    match (replay_failures, written.len()) {
        (0, 0) => Ok(()),
        (replayed, new) => Err(format!(
            "{replayed} regression case(s) failed, {new} new failure(s) written to {CASES}/"
        )),
    }
}

/// Runs every case of `fixtures/fuzz/` in a scratch copy; the number that fail.
fn replay(binary: &Binary) -> Result<usize, String> {
    let root = project_root().join(CASES);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .map_err(|error| format!("{}: {error}", root.display()))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| path.join("args").is_file())
        .collect();
    cases.sort();
    let mut failed = 0;
    for case in &cases {
        let scratch = tempfile::tempdir().map_err(|error| error.to_string())?;
        crate::copy_dir(case, scratch.path())?;
        let line = std::fs::read_to_string(case.join("args")).map_err(|error| error.to_string())?;
        let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        let run = judged(binary, &args, scratch.path());
        let name = case.file_name().unwrap_or_default().to_string_lossy();
        match &run.verdict {
            Verdict::Exit(code) => eprintln!(
                "fuzz case {name}: exit {code} in {} ms, {} MB",
                run.elapsed.as_millis(),
                run.peak_kb / 1024
            ),
            Verdict::Failure(failure) => {
                failed += 1;
                eprintln!(
                    "FAILED fuzz case {name}: {} after {} ms\n{}",
                    failure.name(),
                    run.elapsed.as_millis(),
                    tail(&run.stderr)
                );
            }
        }
    }
    eprintln!("replayed {} fuzz case(s): {failed} failed", cases.len());
    Ok(failed)
}

/// A run with the fuzzer's oracles: the limits, and that a spec diffed
/// against itself shows no change.
fn judged(binary: &Binary, args: &[String], dir: &Path) -> Run {
    let mut run = limits::run(binary, args, dir);
    let against_itself = args.first().is_some_and(|command| command == "diff")
        && args.len() >= 3
        && args[args.len() - 1] == args[args.len() - 2];
    if against_itself && let Verdict::Exit(code @ (0 | 1)) = run.verdict {
        // `--format json` has an empty `changes`; text output counts `0 changes`.
        let quiet = code == 0
            && match serde_json::from_str::<Value>(&run.stdout) {
                Ok(report) => report["changes"].as_array().is_some_and(Vec::is_empty),
                Err(_) => run.stdout.lines().any(|line| line.starts_with("0 changes")),
            };
        if !quiet {
            run.verdict = Verdict::Failure(Failure::SelfDiff);
        }
    }
    let merge = args.first().is_some_and(|command| command == "merge");
    if merge && run.verdict == Verdict::Exit(2) && run.stderr.contains("error[merge-ref]") {
        run.verdict = Verdict::Failure(Failure::MergeRef);
    }
    run
}

/// The last lines of a run's stderr, for a failure report.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(8)..].join("\n")
}

/// A spec the mutants start from.
struct Seed {
    name: String,
    document: Value,
}

/// Every usable seed: the fixtures' specs, ReadMe's examples and oasdiff's
/// pairs when installed, and the even-positioned APIs.guru specs when the
/// directory is installed. Specs with refs to other files are left out (a
/// mutant is one file).
fn seeds(options: &Options) -> Result<Vec<Seed>, String> {
    let root = project_root();
    let oasdiff = crate::corpus::oasdiff();
    // Without the directory there are still the other seeds.
    let directory = crate::corpus::apis_guru_development().unwrap_or_default();
    let sources: [(&str, Vec<PathBuf>); 4] = [
        ("fixtures", files_under(&root.join("fixtures"))),
        (
            "readme examples",
            ["2.0", "3.0", "3.1"]
                .iter()
                .flat_map(|version| {
                    files_under(
                        &root
                            .join("tests/node_modules/@readme/oas-examples")
                            .join(version)
                            .join("json"),
                    )
                })
                .collect(),
        ),
        ("oasdiff pairs", files_under(&oasdiff.join("data"))),
        ("APIs.guru (even positions)", directory),
    ];
    let mut seeds = Vec::new();
    for (source, mut files) in sources {
        files.sort();
        let before = seeds.len();
        seeds.extend(
            (files.iter().filter_map(|path| seed(path, &root))).filter(|seed| {
                (options.only.as_deref()).is_none_or(|text| seed.name.contains(text))
            }),
        );
        eprintln!("fuzz seeds from {source}: {}", seeds.len() - before);
    }
    Ok(seeds)
}

fn seed(path: &Path, root: &Path) -> Option<Seed> {
    let extension = path.extension()?.to_str()?;
    if !matches!(extension, "yaml" | "yml" | "json") {
        return None;
    }
    if std::fs::metadata(path).ok()?.len() > MAX_SEED_BYTES {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let (document, _) = contracts_load::parse(&text, path).ok()?;
    // Swagger 2.0 too: the loader reads it as 3.0.
    let is_spec = document.get("openapi").is_some() || document.get("swagger").is_some();
    (is_spec && !refers_to_other_files(&document)).then(|| Seed {
        name: path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string(),
        document,
    })
}

fn refers_to_other_files(document: &Value) -> bool {
    let mut stack = vec![document];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref")
                    && !target.starts_with('#')
                {
                    return true;
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// One mutant: which seed, and the mutated document in the format written.
struct Mutant {
    seed: usize,
    document: Value,
    format: Format,
}

impl Mutant {
    fn new(seeds: &[Seed], base_seed: u64, index: u64) -> Mutant {
        let mut rng = StdRng::seed_from_u64(base_seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ index);
        let seed = rng.random_range(0..seeds.len());
        let mut document = seeds[seed].document.clone();
        mutate::mutate(&mut document, &mut rng);
        // YAML now and then: its parser and locator are other code.
        let format = if rng.random_bool(0.3) {
            Format::Yaml
        } else {
            Format::Json
        };
        Mutant {
            seed,
            document,
            format,
        }
    }

    fn file_name(&self) -> &'static str {
        match self.format {
            Format::Json => "spec.json",
            Format::Yaml => "spec.yaml",
        }
    }

    /// Writes the mutant alone into `dir` (its seed and config stay as written).
    fn write_spec(&self, dir: &Path) -> Result<(), String> {
        let name = self.file_name();
        std::fs::write(
            dir.join(name),
            contracts_load::emit(&self.document, self.format),
        )
        .map_err(|error| format!("{name}: {error}"))
    }

    /// Writes the mutant, its seed and the merge config into `dir`.
    fn write(&self, seeds: &[Seed], dir: &Path) -> Result<(), String> {
        let write = |name: &str, text: String| {
            std::fs::write(dir.join(name), text).map_err(|error| format!("{name}: {error}"))
        };
        self.write_spec(dir)?;
        write(
            "base.json",
            contracts_load::emit(&seeds[self.seed].document, Format::Json),
        )?;
        write("contracts.toml", CONFIG.replace("{spec}", self.file_name()))
    }

    fn args(&self, check: usize) -> Vec<String> {
        (CHECKS[check].1.iter())
            .map(|arg| arg.replace("{spec}", self.file_name()))
            .collect()
    }
}

/// Totals of one command over a fuzz run.
#[derive(Default)]
struct Totals {
    runs: u64,
    exits: [u64; 3],
    failures: BTreeMap<Failure, u64>,
    slowest: (Duration, String),
    largest: (u64, String),
}

/// The first mutant that showed each (command, failure) pair.
type Found = BTreeMap<(usize, Failure), u64>;

/// Runs mutants on every core until the time is up; prints the totals per
/// command and returns the first mutant of each kind of failure.
fn fuzz(binary: &Binary, seeds: &[Seed], options: &Options) -> Found {
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let next = AtomicU64::new(0);
    let totals: Mutex<Vec<Totals>> = Mutex::new(CHECKS.iter().map(|_| Totals::default()).collect());
    let found: Mutex<Found> = Mutex::new(BTreeMap::new());
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while Instant::now() < deadline {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let mutant = Mutant::new(seeds, options.seed, index);
                    let Ok(dir) = tempfile::tempdir() else {
                        return;
                    };
                    if mutant.write(seeds, dir.path()).is_err() {
                        return;
                    }
                    for check in 0..CHECKS.len() {
                        let run = judged(binary, &mutant.args(check), dir.path());
                        let label = format!("#{index} {}", short(&seeds[mutant.seed].name));
                        let mut totals = totals.lock().expect("no worker panics");
                        let entry = &mut totals[check];
                        entry.runs += 1;
                        match run.verdict {
                            Verdict::Exit(code) => entry.exits[code as usize] += 1,
                            Verdict::Failure(failure) => {
                                *entry.failures.entry(failure).or_default() += 1;
                                let mut found = found.lock().expect("no worker panics");
                                found.entry((check, failure)).or_insert(index);
                                eprintln!(
                                    "fuzz: {} {} on {label}\n{}",
                                    CHECKS[check].0,
                                    failure.name(),
                                    tail(&run.stderr)
                                );
                            }
                        }
                        if run.elapsed > entry.slowest.0 {
                            entry.slowest = (run.elapsed, label.clone());
                        }
                        if run.peak_kb > entry.largest.0 {
                            entry.largest = (run.peak_kb, label);
                        }
                    }
                }
            });
        }
    });
    let mutants = next.load(Ordering::Relaxed);
    eprintln!(
        "fuzz: {mutants} mutants of {} seeds in {} s (seed {})",
        seeds.len(),
        options.seconds,
        options.seed
    );
    eprintln!("command      runs exit 0 exit 1 exit 2 failures  slowest run; most memory");
    let totals = totals.into_inner().expect("no worker panics");
    for (check, entry) in totals.iter().enumerate() {
        let failures: u64 = entry.failures.values().sum();
        let slowest = format!("{} ms ({})", entry.slowest.0.as_millis(), entry.slowest.1);
        let largest = format!("{} MB ({})", entry.largest.0 / 1024, entry.largest.1);
        let [zero, one, two] = entry.exits;
        eprintln!(
            "{:<10} {:>6} {zero:>6} {one:>6} {two:>6} {failures:>8}  {slowest}; {largest}",
            CHECKS[check].0, entry.runs,
        );
    }
    found.into_inner().expect("no worker panics")
}

/// A seed's name cut to fit a table cell (`--mutant` with the index shows it whole).
fn short(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    match chars.len() {
        0..=40 => label.to_owned(),
        n => format!("…{}", chars[n - 39..].iter().collect::<String>()),
    }
}

/// Shrinks the mutant behind each kind of failure and writes it as a case;
/// the folders written.
fn minimize_and_write(
    binary: &Binary,
    seeds: &[Seed],
    found: &Found,
    options: &Options,
) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (&(check, failure), &index) in found {
        // Mutants are deterministic: made again from the run's seed and the index.
        let mut mutant = Mutant::new(seeds, options.seed, index);
        let dir = tempfile::tempdir().map_err(|error| error.to_string())?;
        mutant.write(seeds, dir.path())?;
        let args = mutant.args(check);
        let fails = |mutant: &Mutant| {
            mutant.write_spec(dir.path()).is_ok()
                && judged(binary, &args, dir.path()).verdict == Verdict::Failure(failure)
        };
        if !fails(&mutant) {
            eprintln!(
                "fuzz: {} {} did not happen again; not written",
                CHECKS[check].0,
                failure.name()
            );
            continue;
        }
        shrink(&mut mutant, &fails);
        mutant.write_spec(dir.path())?;
        let text = contracts_load::emit(&mutant.document, mutant.format);
        let name = format!(
            "{}-{}-{:08x}",
            CHECKS[check].0,
            failure.name(),
            crate::fnv(&text) as u32
        );
        let case = project_root().join(CASES).join(&name);
        std::fs::create_dir_all(&case).map_err(|error| error.to_string())?;
        crate::copy_dir(dir.path(), &case)?;
        if !matches!(CHECKS[check].0, "diff-seed" | "merge") {
            let _ = std::fs::remove_file(case.join("base.json"));
        }
        if CHECKS[check].0 != "merge" {
            let _ = std::fs::remove_file(case.join("contracts.toml"));
        }
        std::fs::write(case.join("args"), args.join(" ") + "\n")
            .map_err(|error| error.to_string())?;
        eprintln!("fuzz: wrote {}", case.display());
        written.push(case);
    }
    Ok(written)
}

/// Removes members and items of the mutant, largest first, as long as it
/// still `fails`, within [`MINIMIZE_BUDGET`].
fn shrink(mutant: &mut Mutant, fails: &dyn Fn(&Mutant) -> bool) {
    let deadline = Instant::now() + MINIMIZE_BUDGET;
    let mut progress = true;
    while progress && Instant::now() < deadline {
        progress = false;
        // Halves of large objects and arrays first, as delta debugging does.
        for pointer in mutate::pointers(&mutant.document) {
            let mut size = children(&mutant.document, &pointer) / 2;
            while size >= 4 && Instant::now() < deadline {
                let kept = mutant.document.clone();
                mutate::remove_first(&mut mutant.document, &pointer, size);
                if fails(mutant) {
                    progress = true;
                } else {
                    mutant.document = kept;
                    size /= 2;
                }
                size = size.min(children(&mutant.document, &pointer) / 2);
            }
        }
        let mut pointers = mutate::pointers(&mutant.document);
        // Shallow pointers first: removing a big subtree saves the most runs.
        pointers.sort_by_key(|pointer| pointer.matches('/').count());
        for pointer in pointers {
            if Instant::now() >= deadline {
                break;
            }
            let kept = mutant.document.clone();
            if !mutate::remove(&mut mutant.document, &pointer) {
                continue;
            }
            if fails(mutant) {
                progress = true;
            } else {
                mutant.document = kept;
            }
        }
    }
}

/// How many members or items the value at `pointer` has.
fn children(document: &Value, pointer: &str) -> usize {
    match document.pointer(pointer) {
        Some(Value::Object(map)) => map.len(),
        Some(Value::Array(items)) => items.len(),
        _ => 0,
    }
}
