//! The changes between two sides (files or git revisions) and their
//! rendering, shared by `diff` and `check`.

use std::path::{Path, PathBuf};

use contracts_diagnostics::{Diagnostic, Location};
use contracts_diff::{Change, Level, Policy, code_changes, diff_with, rules};
use contracts_load::{Input, Loaded, load};
use indexmap::{IndexMap, IndexSet};

use contracts_config::{Category as ConfiguredCategory, Config, FailOn as ConfiguredFailOn};

use crate::args::{CategoryArg, DiffFormat, FailArgs, FailOn, Format};
use crate::git::{Revision, export_tree, git};
use crate::report;
use crate::status::Status;

/// One side of a comparison: the loaded spec, and how to name its files.
pub struct Side {
    pub loaded: Loaded,
    origin: Origin,
    /// Keeps an exported git tree alive while the side is in use.
    _tree: Option<tempfile::TempDir>,
}

enum Origin {
    /// Files on disk under this root; shown relative to the working folder.
    Files(PathBuf),
    /// A git revision; files shown as `REF:path`.
    Git(String),
}

impl Side {
    /// A side read from an exported git tree; `label` names it (`HEAD`, `index`).
    pub fn from_tree(loaded: Loaded, label: &str) -> Side {
        Side {
            loaded,
            origin: Origin::Git(label.to_owned()),
            _tree: None,
        }
    }

    /// A side read from the working tree, with files named from `root`.
    pub fn from_files(loaded: Loaded, root: PathBuf) -> Side {
        Side {
            loaded,
            origin: Origin::Files(root),
            _tree: None,
        }
    }

    /// How users name a file of this side.
    fn display(&self, file: &Path) -> PathBuf {
        match &self.origin {
            Origin::Files(root) => {
                let cwd = std::env::current_dir().unwrap_or_default();
                let absolute = contracts_load::normalize(&root.join(file));
                absolute
                    .strip_prefix(&cwd)
                    .map(Path::to_owned)
                    .unwrap_or(absolute)
            }
            Origin::Git(reference) => PathBuf::from(format!("{reference}:{}", file.display())),
        }
    }
}

/// Loads one side; a `REF:PATH` side is exported from git into a temporary
/// folder first, so its relative refs resolve inside the same tree.
pub fn load_side(spec: &str) -> Result<Side, Unreadable> {
    let (loaded, origin, tree) = match git_spec(spec) {
        Some((reference, path)) => {
            let tree =
                export_tree(Path::new("."), Revision::Named(reference)).map_err(|message| {
                    Unreadable::said(format!("cannot read `{spec}` from git: {message}"))
                })?;
            let file = contracts_load::normalize(&tree.path().join(&path));
            if !file.starts_with(tree.path()) {
                return Err(Unreadable::said(format!(
                    "cannot read `{spec}` from git: the path leaves the repository"
                )));
            }
            let loaded = load(&Input::File(file), Some(tree.path()));
            (loaded, Origin::Git(reference.to_owned()), Some(tree))
        }
        None => {
            let input = Input::from_arg(Path::new(spec));
            let cwd = std::env::current_dir().unwrap_or_default();
            let root = crate::project::project_root_for(&input, None).unwrap_or_else(|| {
                contracts_load::normalize(&cwd.join(spec))
                    .parent()
                    .map(Path::to_owned)
                    .unwrap_or(cwd)
            });
            (load(&input, Some(&root)), Origin::Files(root), None)
        }
    };
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| contracts_load::codes::is_fatal(d.code))
        .cloned()
        .collect();
    if !errors.is_empty() || loaded.contract.is_none() {
        return Err(Unreadable {
            errors,
            loaded: Some(Box::new(loaded)),
            message: format!("cannot compare `{spec}`"),
        });
    }
    Ok(Side {
        loaded,
        origin,
        _tree: tree,
    })
}

/// Why a side cannot be compared, kept to be printed in order when both
/// sides load at once.
pub struct Unreadable {
    errors: Vec<Diagnostic>,
    /// Boxed: a load is large, and a refusal is the rare path.
    loaded: Option<Box<Loaded>>,
    message: String,
}

impl Unreadable {
    fn said(message: String) -> Self {
        Unreadable {
            errors: Vec::new(),
            loaded: None,
            message,
        }
    }

    /// Prints the errors, then why; the run's status.
    pub fn report(self) -> Status {
        if let Some(loaded) = &self.loaded {
            report::print(&self.errors, &loaded.sources, Format::Human);
        }
        eprintln!("error: {}", self.message);
        Status::Error
    }
}

/// `REF:PATH` when the argument is not an existing file and the part before
/// the first `:` is a git revision.
pub fn git_spec(spec: &str) -> Option<(&str, PathBuf)> {
    if Path::new(spec).exists() {
        return None;
    }
    let (reference, path) = spec.split_once(':')?;
    if reference.is_empty() || path.is_empty() {
        return None;
    }
    let prefix = git(Path::new("."), &["rev-parse", "--show-prefix"]).ok()?;
    Some((reference, PathBuf::from(prefix.trim()).join(path)))
}

/// Which categories of changes a comparison reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Categories {
    pub wire: bool,
    pub code: bool,
}

impl Categories {
    pub const WIRE: Categories = Categories {
        wire: true,
        code: false,
    };

    /// The flag, else the config's `[check] categories`, else wire only.
    pub fn new(flag: Option<CategoryArg>, config: Option<&Config>) -> Categories {
        match flag {
            Some(CategoryArg::Wire) => Categories::WIRE,
            Some(CategoryArg::Code) => Categories {
                wire: false,
                code: true,
            },
            Some(CategoryArg::All) => Categories {
                wire: true,
                code: true,
            },
            None => match config.and_then(|config| config.check.categories.as_deref()) {
                Some(listed) => Categories {
                    wire: listed.contains(&ConfiguredCategory::Wire),
                    code: listed.contains(&ConfiguredCategory::Code),
                },
                None => Categories::WIRE,
            },
        }
    }
}

/// Every change of `categories` between two loaded sides under `policy`,
/// located and breaking first; `None` when a side has no contract.
pub fn compare(
    base: &Side,
    revision: &Side,
    policy: &Policy,
    categories: Categories,
) -> Option<Vec<Change>> {
    let (Some(old), Some(new)) = (&base.loaded.contract, &revision.loaded.contract) else {
        return None;
    };
    let mut changes = Vec::new();
    if categories.wire {
        changes = diff_with(old, new, policy);
    }
    if categories.code {
        changes.extend(code_changes(old, new));
    }
    locate(&mut changes, base, revision);
    changes.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| a.operation.cmp(&b.operation))
    });
    Some(changes)
}

/// When found changes fail a run: those at or above a level and, when only
/// consumed ones count, that reach a role consuming them.
pub struct Failing {
    threshold: Level,
    pub consumed_only: bool,
}

impl Failing {
    /// The flags, else the config's `[check] fail_on`, else errors.
    pub fn new(args: &FailArgs, config: Option<&Config>) -> Failing {
        let configured = config.and_then(|config| config.check.fail_on);
        let threshold = match (args.fail_on, configured) {
            (Some(FailOn::Warning), _) | (None, Some(ConfiguredFailOn::Warning)) => Level::Warning,
            (Some(FailOn::Info), _) | (None, Some(ConfiguredFailOn::Info)) => Level::Info,
            _ => Level::Error,
        };
        let consumed_only = args.fail_on_consumed
            || (args.fail_on.is_none() && configured == Some(ConfiguredFailOn::Consumed));
        Failing {
            threshold,
            consumed_only,
        }
    }

    /// Whether `changes` (with the roles each reaches, when known) fail the run.
    pub fn fails(&self, changes: &[Change], consumers: Option<&[Vec<String>]>) -> bool {
        (changes.iter().enumerate()).any(|(index, change)| {
            change.level >= self.threshold
                && (!self.consumed_only
                    || consumers.is_some_and(|consumers| !consumers[index].is_empty()))
        })
    }
}

/// Fills in lines and names each location's file the way the user named its side.
fn locate(changes: &mut [Change], base: &Side, revision: &Side) {
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for change in changes.iter_mut() {
        old.extend(change.base.as_mut());
        new.extend(change.revision.as_mut());
    }
    locate_side(old, base);
    locate_side(new, revision);
}

/// All of a side's locations in one lookup: each file is scanned once, however many changes.
fn locate_side(locations: Vec<&mut Location>, side: &Side) {
    let mut probes: Vec<_> = (locations.iter())
        .map(|location| {
            contracts_diagnostics::Diagnostic::error("locate", "").at((*location).clone())
        })
        .collect();
    side.loaded.sources.locate(&mut probes);
    for (location, probe) in locations.into_iter().zip(probes) {
        if let Some(found) = probe.location {
            *location = *found;
        }
        location.file = side.display(&location.file);
    }
}

/// Colors for a terminal that has not opted out (`NO_COLOR`).
pub fn color_stdout() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn place(location: &Option<Location>) -> String {
    location
        .as_ref()
        .map(|l| l.to_string())
        .unwrap_or_else(|| "-".to_owned())
}

/// Renders changes (sorted breaking first) in a format; `color` paints
/// text levels. With `consumers` (a config with roles), each change lists
/// the roles it reaches, and the Markdown says who is affected.
pub fn render(
    changes: &[Change],
    consumers: Option<&[Vec<String>]>,
    format: DiffFormat,
    base: &str,
    revision: &str,
    color: bool,
) -> String {
    let count = |level| changes.iter().filter(|c| c.level == level).count();
    let consumers_of = |index: usize| consumers.map(|consumers| consumers[index].as_slice());
    let consumed = consumers.map(|consumers| {
        (changes.iter().zip(consumers))
            .filter(|(change, roles)| change.level == Level::Error && !roles.is_empty())
            .count()
    });
    let mut summary = format!(
        "{} changes: {} breaking, {} warnings, {} info",
        changes.len(),
        count(Level::Error),
        count(Level::Warning),
        count(Level::Info)
    );
    if let Some(consumed) = consumed {
        summary.push_str(&format!("; {consumed} breaking reach a consumer"));
    }
    match format {
        DiffFormat::Json => {
            let listed: Vec<serde_json::Value> = (changes.iter().enumerate())
                .map(|(index, change)| {
                    let mut value = serde_json::to_value(change).expect("a change serializes");
                    value["category"] = serde_json::json!(rules::category_of(&change.id));
                    if let Some(roles) = consumers_of(index) {
                        value["consumers"] = serde_json::json!(roles);
                    }
                    value
                })
                .collect();
            let mut summary = serde_json::json!({"error": count(Level::Error), "warning": count(Level::Warning), "info": count(Level::Info)});
            if let Some(consumed) = consumed {
                summary["consumed"] = serde_json::json!(consumed);
            }
            let report = serde_json::json!({"changes": listed, "summary": summary});
            serde_json::to_string_pretty(&report).expect("changes serialize") + "\n"
        }
        DiffFormat::Text => {
            // Grouped by operation, the operation with the worst change first.
            let mut groups: Vec<(&str, Vec<(usize, &Change)>)> = Vec::new();
            for (index, change) in changes.iter().enumerate() {
                let operation = change.operation.as_deref().unwrap_or("(document)");
                match groups.iter_mut().find(|(name, _)| *name == operation) {
                    Some((_, members)) => members.push((index, change)),
                    None => groups.push((operation, vec![(index, change)])),
                }
            }
            let mut out = format!("{base} -> {revision}\n");
            for (operation, members) in groups {
                out.push_str(operation);
                out.push('\n');
                for (index, change) in members {
                    let level = format!("{:<7}", change.level.as_str());
                    let level = match (color, change.level) {
                        (false, _) => level,
                        (true, Level::Error) => format!("\x1b[1;31m{level}\x1b[0m"),
                        (true, Level::Warning) => format!("\x1b[1;33m{level}\x1b[0m"),
                        (true, Level::Info) => format!("\x1b[36m{level}\x1b[0m"),
                    };
                    out.push_str(&format!("  {level} [{}] {}\n", change.id, change.message));
                    out.push_str(&format!(
                        "          base: {}  revision: {}\n",
                        place(&change.base),
                        place(&change.revision)
                    ));
                    if let Some(reason) = &change.allowed {
                        out.push_str(&format!("          {reason}\n"));
                    }
                    if let Some(roles) = consumers_of(index) {
                        out.push_str(&format!("          consumers: {}\n", role_list(roles)));
                    }
                }
            }
            out.push_str(&summary);
            out.push('\n');
            out
        }
        DiffFormat::Markdown => {
            let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
            let mut out = format!("### API changes: `{base}` → `{revision}`\n\n{summary}\n\n");
            if let Some(consumers) = consumers.filter(|_| !changes.is_empty()) {
                out.push_str(&who_is_affected(changes, consumers, &cell));
            }
            let (header, rule) = match consumers {
                Some(_) => (
                    "| Level | Rule | Operation | Change | Consumers |",
                    "|---|---|---|---|---|",
                ),
                None => ("| Level | Rule | Operation | Change |", "|---|---|---|---|"),
            };
            out.push_str(&format!("{header}\n{rule}\n"));
            for (index, change) in changes.iter().enumerate() {
                out.push_str(&format!(
                    "| {} | `{}` | {} | {}{} |",
                    change.level.as_str(),
                    change.id,
                    cell(change.operation.as_deref().unwrap_or("")),
                    cell(&change.message),
                    change
                        .allowed
                        .as_deref()
                        .map(|r| format!(" ({})", cell(r)))
                        .unwrap_or_default()
                ));
                if let Some(roles) = consumers_of(index) {
                    out.push_str(&format!(" {} |", cell(&role_list(roles))));
                }
                out.push('\n');
            }
            out
        }
        DiffFormat::Github => {
            let mut out = String::new();
            for (index, change) in changes.iter().enumerate() {
                let command = match change.level {
                    Level::Error => "error",
                    Level::Warning => "warning",
                    Level::Info => "notice",
                };
                let at = change.revision.as_ref().or(change.base.as_ref());
                let file = at
                    .map(|l| format!("file={},", l.file.display()))
                    .unwrap_or_default();
                let line = at
                    .and_then(|l| l.line)
                    .map(|line| format!("line={line},"))
                    .unwrap_or_default();
                // Workflow commands end at a newline and treat `%` specially.
                let escape = |text: &str| {
                    text.replace('%', "%25")
                        .replace('\r', "%0D")
                        .replace('\n', "%0A")
                };
                let title = format!(
                    "{} {}",
                    change.id,
                    change.operation.as_deref().unwrap_or("")
                );
                let reach = consumers_of(index)
                    .filter(|roles| !roles.is_empty())
                    .map(|roles| format!(" (consumed by {})", roles.join(", ")))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "::{command} {file}{line}title={}::{}{}\n",
                    escape(title.trim()).replace(',', "%2C").replace(':', "%3A"),
                    escape(&change.message),
                    escape(&reach)
                ));
            }
            out
        }
    }
}

/// Roles as a list for people: `web, mobile`, or `none`.
fn role_list(roles: &[String]) -> String {
    if roles.is_empty() {
        "none".to_owned()
    } else {
        roles.join(", ")
    }
}

/// The Markdown "who is affected" table: each role a change reaches, with
/// its breaking and total changes and the operations they are in.
fn who_is_affected(
    changes: &[Change],
    consumers: &[Vec<String>],
    cell: &dyn Fn(&str) -> String,
) -> String {
    let mut by_role: IndexMap<&str, (usize, usize, IndexSet<&str>)> = IndexMap::new();
    for (change, roles) in changes.iter().zip(consumers) {
        for role in roles {
            let (breaking, all, operations) = by_role.entry(role).or_default();
            *breaking += usize::from(change.level == Level::Error);
            *all += 1;
            operations.extend(change.operation.as_deref());
        }
    }
    if by_role.is_empty() {
        return "No role consumes what changed.\n\n".to_owned();
    }
    let mut out =
        "#### Who is affected\n\n| Role | Breaking | Changes | Operations |\n|---|---|---|---|\n"
            .to_owned();
    for (role, (breaking, all, operations)) in by_role {
        let operations: Vec<String> = operations
            .iter()
            .map(|o| format!("`{}`", cell(o)))
            .collect();
        out.push_str(&format!(
            "| {} | {breaking} | {all} | {} |\n",
            cell(role),
            operations.join(", ")
        ));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(level: Level, operation: &str) -> Change {
        Change {
            id: "rule".into(),
            level,
            operation: Some(operation.into()),
            message: "m".into(),
            base: None,
            revision: None,
            allowed: None,
        }
    }

    #[test]
    fn text_groups_by_operation_and_colors_levels_on_a_terminal() {
        let changes = [
            change(Level::Error, "GET /a"),
            change(Level::Info, "GET /b"),
            change(Level::Info, "GET /a"),
        ];
        let plain = render(&changes, None, DiffFormat::Text, "old", "new", false);
        assert_eq!(plain.matches("GET /a\n").count(), 1, "{plain}");
        assert!(
            plain.find("GET /a\n").unwrap() < plain.find("GET /b\n").unwrap(),
            "{plain}"
        );
        let colored = render(&changes, None, DiffFormat::Text, "old", "new", true);
        assert!(colored.contains("\x1b[1;31merror  \x1b[0m"), "{colored}");
    }
}
