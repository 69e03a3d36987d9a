//! What a role is told about a contract change: an inbox entry (Markdown,
//! appended), a managed block in its context file, and the change set as
//! JSON on its command's stdin.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use contracts_diff::{Change, Level};
use serde_json::{Value, json};

use crate::output::write_if_changed;

/// The changes of one service since the last good contract.
pub struct ServiceChanges {
    pub service: String,
    pub base_version: String,
    pub version: String,
    pub changes: Vec<Change>,
}

impl ServiceChanges {
    fn heading(&self) -> String {
        if self.base_version == self.version {
            format!("{} {}", self.service, self.version)
        } else {
            format!("{} {} → {}", self.service, self.base_version, self.version)
        }
    }
}

/// One notification for one role.
pub struct Notice<'a> {
    pub role: &'a str,
    pub time: SystemTime,
    /// The changes that concern the role, by service.
    pub changes: Vec<(&'a ServiceChanges, Vec<&'a Change>)>,
    /// For an owning role: the consumers its change breaks, and how.
    pub breaks: Vec<(&'a str, Vec<&'a Change>)>,
    pub regenerated: Vec<PathBuf>,
}

impl Notice<'_> {
    fn time(&self) -> String {
        humantime::format_rfc3339_seconds(self.time).to_string()
    }

    fn operations(&self) -> Vec<&str> {
        let mut operations: Vec<&str> = self
            .changes
            .iter()
            .flat_map(|(_, changes)| changes.iter())
            .chain(self.breaks.iter().flat_map(|(_, changes)| changes.iter()))
            .filter_map(|change| change.operation.as_deref())
            .collect();
        operations.sort_unstable();
        operations.dedup();
        operations
    }

    /// The inbox entry, Markdown.
    /// Files are shown relative to the role's `folder`, else to the `project`.
    pub fn markdown(&self, folder: &Path, project: &Path) -> String {
        let services: Vec<String> = self.changes.iter().map(|(s, _)| s.heading()).collect();
        let mut text = format!("## {} · {}\n\n", self.time(), services.join(", "));
        for (service, changes) in &self.changes {
            if changes.is_empty() {
                continue;
            }
            if self.changes.len() > 1 {
                text.push_str(&format!("{}:\n\n", service.service));
            }
            for change in changes {
                text.push_str(&format!("- {}\n", change_line(change)));
            }
            text.push('\n');
        }
        if !self.breaks.is_empty() {
            text.push_str("Your change breaks these consumers:\n\n");
            for (role, changes) in &self.breaks {
                for change in changes {
                    text.push_str(&format!("- {role}: {}\n", change_line(change)));
                }
            }
            text.push('\n');
        }
        let operations = self.operations();
        if !operations.is_empty() {
            text.push_str(&format!("Operations: {}\n", code_list(&operations)));
        }
        if !self.regenerated.is_empty() {
            let files: Vec<String> = self
                .regenerated
                .iter()
                .map(|file| shown(file, folder, project))
                .collect();
            let files: Vec<&str> = files.iter().map(String::as_str).collect();
            text.push_str(&format!("Regenerated: {}\n", code_list(&files)));
        }
        text.push('\n');
        text
    }

    /// The change set given to the role's command.
    pub fn json(&self) -> Value {
        json!({
            "role": self.role,
            "time": self.time(),
            "services": self.changes.iter().map(|(service, changes)| json!({
                "service": service.service,
                "base_version": service.base_version,
                "version": service.version,
                "changes": changes,
            })).collect::<Vec<_>>(),
            "breaks": self.breaks.iter().map(|(role, changes)| json!({
                "role": role,
                "changes": changes,
            })).collect::<Vec<_>>(),
            "operations": self.operations(),
            "regenerated": self.regenerated,
        })
    }

    /// One line per change for the context file's managed block.
    fn context_lines(&self) -> Vec<String> {
        let time = &self.time();
        let own = self.changes.iter().flat_map(|(service, changes)| {
            changes.iter().map(move |change| {
                format!(
                    "- {time} {} {}: {}",
                    service.service,
                    service.version,
                    change_line(change)
                )
            })
        });
        let breaks = self.breaks.iter().flat_map(|(role, changes)| {
            changes
                .iter()
                .map(move |change| format!("- {time} breaks {role}: {}", change_line(change)))
        });
        own.chain(breaks).collect()
    }
}

fn change_line(change: &Change) -> String {
    let level = match change.level {
        Level::Error => "**error**".to_owned(),
        level => level.as_str().to_owned(),
    };
    let operation = change
        .operation
        .as_deref()
        .map(|operation| format!(" `{operation}`"))
        .unwrap_or_default();
    let allowed = change
        .allowed
        .as_deref()
        .map(|reason| format!(" (allowed: {reason})"))
        .unwrap_or_default();
    format!(
        "{level} `{}`{operation}: {}{allowed}",
        change.id,
        single_line(&change.message)
    )
}

/// Spec text in a Markdown line: no line breaks that could start a new block.
fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn code_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A path as the role sees it: relative to its folder, else to the project.
fn shown(file: &Path, folder: &Path, project: &Path) -> String {
    let [file, folder, project] = [file, folder, project].map(contracts_load::normalize);
    file.strip_prefix(&folder)
        .or_else(|_| file.strip_prefix(&project))
        .unwrap_or(&file)
        .display()
        .to_string()
}

/// Appends an entry to the inbox, creating its folder.
pub fn append_inbox(inbox: &Path, entry: &str) -> std::io::Result<()> {
    if let Some(parent) = inbox.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(inbox)?;
    // One write, so a reader polling the file never sees half an entry.
    file.write_all(entry.as_bytes())
}

const BLOCK_BEGIN: &str =
    "<!-- contracts:begin (managed by `contracts watch`; edits inside this block are replaced) -->";
const BLOCK_END: &str = "<!-- contracts:end -->";
/// The managed block keeps this many change lines, newest first.
const CONTEXT_LINES: usize = 20;

/// Puts the notice's lines at the top of the managed block of `file`
/// (created at the end of the file if missing); the rest of the file is kept byte for byte.
pub fn update_context_file(file: &Path, notice: &Notice) -> std::io::Result<()> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(error),
    };
    write_if_changed(file, &with_block(&text, notice.context_lines())).map(|_| ())
}

fn with_block(text: &str, new_lines: Vec<String>) -> String {
    let block = text.find(BLOCK_BEGIN).and_then(|start| {
        let end = text[start..].find(BLOCK_END)? + start + BLOCK_END.len();
        Some((start, end))
    });
    let old_lines = block.map_or(Vec::new(), |(start, end)| {
        text[start..end]
            .lines()
            .filter(|line| line.starts_with("- "))
            .map(str::to_owned)
            .collect()
    });
    let lines: Vec<String> = new_lines
        .into_iter()
        .chain(old_lines)
        .take(CONTEXT_LINES)
        .collect();
    let block_text = format!(
        "{BLOCK_BEGIN}\n## Recent contract changes (newest first)\n\n{}\n{BLOCK_END}",
        lines.join("\n")
    );
    match block {
        Some((start, end)) => format!("{}{block_text}{}", &text[..start], &text[end..]),
        None if text.is_empty() => format!("{block_text}\n"),
        None => {
            let separator = if text.ends_with('\n') { "\n" } else { "\n\n" };
            format!("{text}{separator}{block_text}\n")
        }
    }
}

/// Runs the role's command in its folder with the change set on stdin.
/// It runs in the background: a slow command never holds up the watch.
pub fn run_command(command: &str, folder: &Path, role: &str, payload: &Value) {
    let shell = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(folder)
        .stdin(Stdio::piped())
        .spawn();
    let mut child = match shell {
        Ok(child) => child,
        Err(error) => {
            eprintln!("warning: role `{role}`: cannot run `{command}`: {error}");
            return;
        }
    };
    let input = payload.to_string();
    let role = role.to_owned();
    let command = command.to_owned();
    std::thread::spawn(move || {
        if let Some(mut stdin) = child.stdin.take() {
            // A command that does not read its input is fine.
            let _ = stdin.write_all(input.as_bytes());
        }
        match child.wait() {
            Ok(status) if !status.success() => {
                eprintln!("warning: role `{role}`: `{command}` exited with {status}");
            }
            Ok(_) => {}
            Err(error) => eprintln!("warning: role `{role}`: `{command}`: {error}"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| format!("- {item}")).collect()
    }

    #[test]
    fn the_block_is_added_once_and_the_rest_is_kept() {
        let original = "# Agent notes\n\nDo not touch this.\n";
        let first = with_block(original, lines(&["a"]));
        assert!(first.starts_with(original), "{first}");
        assert!(first.contains("- a\n"), "{first}");
        let second = with_block(&first, lines(&["b"]));
        assert!(second.starts_with(original), "{second}");
        assert_eq!(second.matches(BLOCK_BEGIN).count(), 1);
        let b = second.find("- b").unwrap();
        let a = second.find("- a").unwrap();
        assert!(b < a, "newest first:\n{second}");
        let edited = second.replace("Do not touch this.", "Edited by hand.") + "after\n";
        let third = with_block(&edited, lines(&["c"]));
        assert!(
            third.contains("Edited by hand.") && third.ends_with("after\n"),
            "{third}"
        );
    }

    #[test]
    fn the_block_is_bounded() {
        let mut text = String::new();
        for index in 0..50 {
            text = with_block(&text, lines(&[&index.to_string()]));
        }
        assert_eq!(
            text.lines().filter(|l| l.starts_with("- ")).count(),
            CONTEXT_LINES
        );
        assert!(text.contains("- 49\n"), "{text}");
        assert!(!text.contains("- 29\n"), "{text}");
    }

    #[test]
    fn spec_text_stays_on_one_markdown_line() {
        let change = Change {
            id: "response-property-removed".to_owned(),
            level: Level::Error,
            operation: Some("GET /orders".to_owned()),
            message: "gone\n## injected heading".to_owned(),
            base: None,
            revision: None,
            allowed: None,
        };
        let line = change_line(&change);
        assert!(!line.contains('\n'), "{line}");
        assert!(line.starts_with("**error** `response-property-removed` `GET /orders`"));
    }
}
