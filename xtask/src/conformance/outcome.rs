//! What one run of a stage did, as the conformance snapshot counts it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::limits::{Failure, Verdict};

/// Exactly one per run of a stage on a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Exit 0 with warnings: their codes, each once.
    Warned(BTreeSet<String>),
    /// Exit 1: a check found a problem (for a diff: a breaking change).
    FoundProblem,
    /// Exit 2: the input was refused; the codes of its errors, each once.
    Refused(BTreeSet<String>),
    /// A panic, a signal or an exit code other than 0/1/2, or the memory cap.
    Crashed(&'static str),
    TimedOut,
    /// Not run, for the reason named (what it needs is missing).
    Skipped(&'static str),
}

/// The code of an error that names none (a usage or IO error).
const UNCODED: &str = "uncoded";

impl Outcome {
    /// Judges a finished run from its verdict and its diagnostics: the JSON
    /// list `--format json` prints on stdout where the stage asks for it
    /// (`json_diagnostics`), else the `warning[code]` / `error[code]` heads
    /// of the text on stderr.
    pub fn classify(
        verdict: &Verdict,
        stdout: &str,
        stderr: &str,
        json_diagnostics: bool,
    ) -> Outcome {
        let codes = |severity: &str| -> BTreeSet<String> {
            if json_diagnostics && let Ok(Value::Array(list)) = serde_json::from_str(stdout) {
                return (list.iter())
                    .filter(|diagnostic| diagnostic["severity"] == severity)
                    .filter_map(|diagnostic| diagnostic["code"].as_str().map(str::to_owned))
                    .collect();
            }
            let head = format!("{severity}[");
            (stderr.lines())
                .filter_map(|line| line.strip_prefix(&head)?.split_once(']'))
                .map(|(code, _)| code.to_owned())
                .collect()
        };
        match verdict {
            Verdict::Exit(0) => {
                let warnings = codes("warning");
                if warnings.is_empty() {
                    Outcome::Ok
                } else {
                    Outcome::Warned(warnings)
                }
            }
            Verdict::Exit(1) => Outcome::FoundProblem,
            Verdict::Exit(_) => {
                let mut errors = codes("error");
                if errors.is_empty() {
                    errors.insert(UNCODED.to_owned());
                }
                Outcome::Refused(errors)
            }
            Verdict::Failure(Failure::Timeout) => Outcome::TimedOut,
            Verdict::Failure(failure) => Outcome::Crashed(failure.name()),
        }
    }

    /// The snapshot keys this outcome adds one to: its category under the
    /// stage, and each code or reason under that.
    pub fn keys(&self, stage: &str) -> Vec<String> {
        let (category, details): (&str, Vec<&str>) = match self {
            Outcome::Ok => ("ok", vec![]),
            Outcome::Warned(codes) => ("warned", codes.iter().map(String::as_str).collect()),
            Outcome::FoundProblem => ("found-problem", vec![]),
            Outcome::Refused(codes) => ("refused", codes.iter().map(String::as_str).collect()),
            Outcome::Crashed(kind) => ("crashed", vec![kind]),
            Outcome::TimedOut => ("timed-out", vec![]),
            Outcome::Skipped(reason) => ("skipped", vec![reason]),
        };
        let mut keys = vec![format!("{stage}/{category}")];
        keys.extend(
            details
                .iter()
                .map(|detail| format!("{stage}/{category}/{detail}")),
        );
        keys
    }
}

/// Every category a stage's counts show, zero or not.
pub const CATEGORIES: [&str; 7] = [
    "ok",
    "warned",
    "found-problem",
    "refused",
    "crashed",
    "timed-out",
    "skipped",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|code| (*code).to_owned()).collect()
    }

    #[test]
    fn exit_zero_is_ok_or_warned_by_the_codes_of_its_warnings() {
        let clean = Outcome::classify(&Verdict::Exit(0), "", "types.ts: written\n", false);
        assert_eq!(clean, Outcome::Ok);
        let stderr = "warning[invalid-example]: x\n  --> a.json:1:2\nwarning[mock-limited]: y\nwarning[invalid-example]: z\n";
        let warned = Outcome::classify(&Verdict::Exit(0), "", stderr, false);
        assert_eq!(
            warned,
            Outcome::Warned(codes(&["invalid-example", "mock-limited"]))
        );
        assert_eq!(
            warned.keys("gen-msw"),
            [
                "gen-msw/warned",
                "gen-msw/warned/invalid-example",
                "gen-msw/warned/mock-limited"
            ]
        );
    }

    #[test]
    fn json_diagnostics_are_read_from_stdout() {
        let stdout = r#"[{"severity": "warning", "code": "null-schema"}, {"severity": "info", "code": "x"}]"#;
        let run = Outcome::classify(&Verdict::Exit(0), stdout, "validated 1 spec", true);
        assert_eq!(run, Outcome::Warned(codes(&["null-schema"])));
        let refused = r#"[{"severity": "error", "code": "ref-dangling"}]"#;
        let run = Outcome::classify(&Verdict::Exit(2), refused, "", true);
        assert_eq!(run, Outcome::Refused(codes(&["ref-dangling"])));
    }

    #[test]
    fn refusals_name_their_codes_or_say_they_have_none() {
        let run = Outcome::classify(&Verdict::Exit(2), "", "error[ref-cycle]: loop\n", false);
        assert_eq!(
            run.keys("merge"),
            ["merge/refused", "merge/refused/ref-cycle"]
        );
        let run = Outcome::classify(&Verdict::Exit(2), "", "error: cannot read x\n", false);
        assert_eq!(run, Outcome::Refused(codes(&[UNCODED])));
    }

    #[test]
    fn problems_crashes_and_timeouts() {
        let diff = Outcome::classify(&Verdict::Exit(1), "{}", "", false);
        assert_eq!(diff.keys("diff-self"), ["diff-self/found-problem"]);
        let panic = Outcome::classify(&Verdict::Failure(Failure::Panic), "", "", false);
        assert_eq!(
            panic.keys("gen-rust"),
            ["gen-rust/crashed", "gen-rust/crashed/panic"]
        );
        let memory = Outcome::classify(&Verdict::Failure(Failure::Memory), "", "", false);
        assert_eq!(memory, Outcome::Crashed("memory"));
        let hang = Outcome::classify(&Verdict::Failure(Failure::Timeout), "", "", false);
        assert_eq!(hang.keys("validate"), ["validate/timed-out"]);
        let skipped = Outcome::Skipped("no-gateway");
        assert_eq!(
            skipped.keys("diff-gateway"),
            ["diff-gateway/skipped", "diff-gateway/skipped/no-gateway"]
        );
    }
}
