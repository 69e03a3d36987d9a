//! Shell completion scripts (`contracts completions SHELL`).

use crate::contracts;

/// `contracts completions SHELL` prints a script for each shell; bash's,
/// sourced, completes subcommands and flags.
#[test]
fn completions_complete_subcommands_and_flags() {
    for (shell, marker) in [
        ("bash", "_contracts()"),
        ("zsh", "#compdef contracts"),
        ("fish", "complete -c contracts"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = contracts(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell}");
        for subcommand in ["merge", "diff", "check", "impact", "watch", "completions"] {
            assert!(
                run.stdout.contains(subcommand),
                "{shell} lacks {subcommand}"
            );
        }
    }
    let script = contracts(&["completions", "bash"]).stdout;
    let complete = |words: &str, index: usize| {
        let program = format!(
            "{script}\nCOMP_WORDS=({words}); COMP_CWORD={index}; _contracts contracts \"${{COMP_WORDS[{index}]}}\" \"${{COMP_WORDS[{}]}}\"; echo \"${{COMPREPLY[@]}}\"",
            index - 1
        );
        let output = std::process::Command::new("bash")
            .args(["-c", &program])
            .output()
            .expect("bash runs");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    assert_eq!(complete("contracts ch", 1), "check");
    assert_eq!(complete("contracts diff --cat", 2), "--category");
    assert_eq!(complete("contracts completions fi", 2), "fish");
    let unknown = contracts(&["completions", "tcsh"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
}
