//! `contracts watch`: on every edit of a spec, of a file a spec reaches by
//! `$ref`, or of the config, reload what changed, re-merge, regenerate the
//! outputs whose content changes, diff each changed service against its last
//! good contract, and notify the roles the changes concern.
//!
//! Folders are watched, not files: editors that save by rename-replace or
//! delete + create swap the file's inode, which a watch on the file would lose.

mod notice;
mod route;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use contracts_config::{Config, Source};
use contracts_diagnostics::Diagnostic;
use contracts_diff::Level;
use contracts_load::{Input, Loaded};
use indexmap::IndexMap;
use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use serde_json::{Value, json};

use crate::args::{Format, ReportFormat, WatchArgs};
use crate::output::{Plan, Written, spec_inputs, write_if_changed};
use contracts_merge::Bundles;

use crate::pipeline::{Contracts, Generator, Output, Warnings, gateway_output, render_all};
use crate::project::load_all;
use crate::report;
use crate::selection::{
    Consumers, OperationIndex, gateway_label, gateway_paths, inbox_path, make_absolute, role_folder,
};
use crate::status::{Status, outln};
use notice::{ServiceChanges, append_inbox, run_command, update_context_file};

enum Message {
    Files(DebounceEventResult),
    Stop,
}

pub fn run(args: &WatchArgs) -> Status {
    let mut config = match crate::project::find_config(&args.config, true) {
        Ok(Some(config)) => config,
        Ok(None) => unreachable!("a config is required"),
        Err(status) => return status,
    };
    // Reloads and the paths in events must not depend on the working folder.
    make_absolute(&mut config);
    let mut session = match Session::new(config, args.format) {
        Ok(session) => session,
        Err(message) => {
            eprintln!("error: {message}");
            return Status::Error;
        }
    };
    let (sender, receiver) = mpsc::channel();
    let stop = sender.clone();
    if let Err(error) = ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    }) {
        eprintln!("warning: Ctrl-C will not stop cleanly: {error}");
    }
    session.rebuild(
        &session.config.services.keys().cloned().collect::<Vec<_>>(),
        false,
    );
    let mut watch = match Watch::new(session.debounce(args), sender.clone()) {
        Ok(watch) => watch,
        Err(error) => {
            eprintln!("error: cannot watch files: {error}");
            return Status::Error;
        }
    };
    watch.follow(&session.folders());
    session.event(
        json!({"event": "ready", "services": session.config.services.len(), "files": session.watched_files()}),
        &format!(
            "watching {} services, {} files (Ctrl-C to stop)",
            session.config.services.len(),
            session.watched_files()
        ),
    );
    while let Ok(message) = receiver.recv() {
        match message {
            Message::Stop => break,
            Message::Files(Err(errors)) => {
                for error in errors {
                    eprintln!("warning: file watching: {error}");
                }
            }
            Message::Files(Ok(events)) => {
                let paths: HashSet<PathBuf> = events
                    .iter()
                    .filter(|event| {
                        // Reads (ours included) and metadata changes are not edits.
                        matches!(
                            event.kind,
                            EventKind::Create(_)
                                | EventKind::Remove(_)
                                | EventKind::Modify(
                                    ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any
                                )
                                | EventKind::Any
                        )
                    })
                    .flat_map(|event| event.paths.iter().map(|path| canonical(path)))
                    .collect();
                if paths.is_empty() {
                    continue;
                }
                if session.on_change(&paths)
                    && let Err(error) = watch.set_period(session.debounce(args), &sender)
                {
                    eprintln!("warning: cannot renew the watch: {error}");
                }
                watch.follow(&session.folders());
            }
        }
    }
    session.event(json!({"event": "stopped"}), "stopped");
    Status::Success
}

type Notify = Debouncer<RecommendedWatcher, RecommendedCache>;

/// The notify watcher with its debouncer and the folders it follows.
struct Watch {
    debouncer: Notify,
    folders: BTreeSet<PathBuf>,
    period: Duration,
    /// Debouncers a change of period replaced, each with when it stopped
    /// watching and its period. They watch nothing but still deliver the
    /// edits they saw within their period, which dropping them would lose.
    retired: Vec<(Instant, Duration, Notify)>,
}

impl Watch {
    fn new(
        period: Duration,
        sender: mpsc::Sender<Message>,
    ) -> notify_debouncer_full::notify::Result<Watch> {
        let debouncer = new_debouncer(period, None, move |result| {
            let _ = sender.send(Message::Files(result));
        })?;
        Ok(Watch {
            debouncer,
            folders: BTreeSet::new(),
            period,
            retired: Vec::new(),
        })
    }

    /// Debounces with `period` from now on. A debouncer's period is fixed,
    /// so a new one takes over: it follows the folders before the old one
    /// lets go, so no edit falls between them.
    fn set_period(
        &mut self,
        period: Duration,
        sender: &mpsc::Sender<Message>,
    ) -> notify_debouncer_full::notify::Result<()> {
        if period == self.period {
            return Ok(());
        }
        let mut replaced = std::mem::replace(self, Watch::new(period, sender.clone())?);
        self.follow(&replaced.folders);
        replaced.follow(&BTreeSet::new());
        // Two periods cover an edit's wait and the debouncer's last tick.
        replaced
            .retired
            .retain(|(since, period, _)| since.elapsed() < *period * 2);
        self.retired = replaced.retired;
        (self.retired).push((Instant::now(), replaced.period, replaced.debouncer));
        Ok(())
    }

    /// Watches exactly `folders`: new ones are added, gone ones dropped.
    fn follow(&mut self, folders: &BTreeSet<PathBuf>) {
        for gone in self.folders.difference(folders) {
            let _ = self.debouncer.unwatch(gone);
        }
        for folder in folders.difference(&self.folders) {
            if let Err(error) = self.debouncer.watch(folder, RecursiveMode::NonRecursive) {
                eprintln!("warning: cannot watch `{}`: {error}", folder.display());
            }
        }
        self.folders = folders.clone();
    }
}

/// A path with its folder's symlinks resolved, as notify reports it for a
/// watched canonical folder; the file itself may not exist (yet).
fn canonical(path: &Path) -> PathBuf {
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => std::fs::canonicalize(parent)
            .map(|parent| parent.join(name))
            .unwrap_or_else(|_| path.to_owned()),
        _ => path.to_owned(),
    }
}

/// A load without errors, with the canonical paths of the files it read:
/// what no output may be, resolved once per load rather than on every edit.
struct Good {
    loaded: Loaded,
    inputs: Vec<(PathBuf, String)>,
}

impl Good {
    fn new(loaded: Loaded) -> Good {
        let inputs = spec_inputs(&loaded.sources);
        Good { loaded, inputs }
    }
}

struct ServiceState {
    /// The last load without errors; what merges and diffs use.
    good: Option<Good>,
    /// Every file the service's last load read or wanted, canonical.
    files: BTreeSet<PathBuf>,
    failing: bool,
}

struct Session {
    config: Config,
    config_file: PathBuf,
    consumers: Consumers,
    services: IndexMap<String, ServiceState>,
    format: ReportFormat,
    /// The last merged gateway document, to skip gateway outputs when it did not change.
    /// The last gateway written (or, without a gateway output, as JSON).
    gateway: Option<String>,
    /// The outputs the last rebuild generated (written or found unchanged), for the events.
    rendered: Vec<String>,
    /// Services' bundles from the last merge: an edit re-bundles only the services it changed.
    bundles: Bundles,
}

impl Session {
    fn new(config: Config, format: ReportFormat) -> Result<Session, String> {
        let consumers = Consumers::new(&config)?;
        let services = config
            .services
            .iter()
            .map(|(name, service)| {
                let state = ServiceState {
                    good: None,
                    files: BTreeSet::from([canonical(&config.resolve(&service.spec))]),
                    failing: false,
                };
                (name.clone(), state)
            })
            .collect();
        Ok(Session {
            config_file: canonical(&config.file),
            config,
            consumers,
            services,
            format,
            gateway: None,
            rendered: Vec::new(),
            bundles: Bundles::default(),
        })
    }

    fn debounce(&self, args: &WatchArgs) -> Duration {
        Duration::from_millis(args.debounce_ms.unwrap_or(self.config.watch.debounce_ms))
    }

    fn watched_files(&self) -> usize {
        self.services
            .values()
            .map(|state| state.files.len())
            .sum::<usize>()
            + 1
    }

    /// The folders holding the config and every file the specs read.
    /// For a file whose folder does not exist yet, its nearest existing
    /// ancestor: creating the folder is an event there, and the next batch
    /// then watches the folder itself.
    fn folders(&self) -> BTreeSet<PathBuf> {
        self.services
            .values()
            .flat_map(|state| state.files.iter())
            .chain(std::iter::once(&self.config_file))
            .filter_map(|file| file.ancestors().skip(1).find(|folder| folder.is_dir()))
            .map(Path::to_owned)
            .collect()
    }

    /// Handles one debounced batch of changed paths. True when the config was reloaded.
    fn on_change(&mut self, paths: &HashSet<PathBuf>) -> bool {
        if paths.contains(&self.config_file) {
            self.reload_config();
            return true;
        }
        let affected: Vec<String> = self
            .services
            .iter()
            .filter(|(_, state)| {
                // A failing service may wait for a file it does not know yet.
                state.failing || state.files.iter().any(|file| paths.contains(file))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if !affected.is_empty() {
            self.rebuild(&affected, true);
        }
        false
    }

    fn reload_config(&mut self) {
        let started = Instant::now();
        let mut config = match Config::load(&self.config.file) {
            Ok(config) => config,
            Err(error) => {
                self.invalid("config", &[error.0], started);
                return;
            }
        };
        make_absolute(&mut config);
        let consumers = match Consumers::new(&config) {
            Ok(consumers) => consumers,
            Err(message) => {
                self.event(
                    json!({"event": "invalid", "service": "config", "errors": [message]}),
                    &format!("config: {message}; the previous config stays in use"),
                );
                return;
            }
        };
        // Services keep their last good load (and so their baseline for diffs).
        let mut services = IndexMap::new();
        for (name, service) in &config.services {
            let mut state = self.services.shift_remove(name).unwrap_or(ServiceState {
                good: None,
                files: BTreeSet::new(),
                failing: false,
            });
            state
                .files
                .insert(canonical(&config.resolve(&service.spec)));
            services.insert(name.clone(), state);
        }
        self.services = services;
        self.config = config;
        self.consumers = consumers;
        self.gateway = None;
        self.event(
            json!({"event": "config", "roles": self.config.roles.keys().collect::<Vec<_>>()}),
            "config reloaded",
        );
        let all: Vec<String> = self.config.services.keys().cloned().collect();
        self.rebuild(&all, true);
    }

    /// Reloads `names`, and when every service has a good contract, merges,
    /// regenerates and (with `notify`) tells the concerned roles.
    fn rebuild(&mut self, names: &[String], notify: bool) {
        let started = Instant::now();
        let root = self.config.root();
        let specs: Vec<PathBuf> = (names.iter())
            .map(|name| self.config.resolve(&self.config.services[name].spec))
            .collect();
        let targets: Vec<(Input, Option<PathBuf>)> = (specs.iter())
            .map(|spec| (Input::File(spec.clone()), Some(root.clone())))
            .collect();
        let mut reloaded: Vec<(String, Option<Good>)> = Vec::new();
        for ((name, spec), loaded) in names.iter().zip(&specs).zip(load_all(&targets)) {
            let state = &mut self.services[name];
            // What it read, and what it wanted but could not read yet.
            let files = (loaded.sources.files().iter().map(|file| &file.path))
                .chain(loaded.sources.failed())
                .map(|path| canonical(path));
            if loaded.has_errors() {
                // Files of the last good load stay watched: the fix may come there.
                state.files.extend(files);
                state.failing = true;
                let errors: Vec<Diagnostic> = loaded
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .cloned()
                    .collect();
                report::print(&errors, &loaded.sources, Format::Human);
                self.invalid(name, &errors, started);
                continue;
            }
            state.failing = false;
            state.files = std::iter::once(canonical(spec)).chain(files).collect();
            let previous = state.good.replace(Good::new(loaded));
            reloaded.push((name.clone(), previous));
        }
        if reloaded.is_empty() {
            return;
        }
        let waiting: Vec<&str> = self
            .services
            .iter()
            .filter(|(_, state)| state.good.is_none())
            .map(|(name, _)| name.as_str())
            .collect();
        if !waiting.is_empty() {
            self.event(
                json!({"event": "waiting", "services": waiting}),
                &format!("waiting for a valid spec of {}", waiting.join(", ")),
            );
            return;
        }
        let Some(outcome) = self.merge_and_generate(&reloaded) else {
            // The new specs do not merge or generate: put the last good ones back.
            for (name, previous) in reloaded {
                let state = &mut self.services[&name];
                state.failing = true;
                state.good = previous;
            }
            self.event(
                json!({"event": "invalid", "service": "gateway", "errors": ["the services do not merge, or an output cannot be generated"]}),
                "the services do not merge, or an output cannot be generated (see above); outputs kept, nobody notified",
            );
            return;
        };
        let changes: Vec<ServiceChanges> = reloaded
            .iter()
            .filter_map(|(name, previous)| {
                let base = previous.as_ref()?.loaded.contract.as_ref()?;
                let revision = (self.services[name].good.as_ref()?.loaded.contract.as_ref())?;
                // Code changes reach the roles that generate from the service.
                let mut changes = contracts_diff::diff(base, revision);
                changes.extend(contracts_diff::code_changes(base, revision));
                // Consumers know the operations by their gateway paths.
                let on_gateway = gateway_paths(&self.config, name);
                for change in &mut changes {
                    if let Some(label) = &mut change.operation {
                        *label = gateway_label(label, &on_gateway);
                    }
                }
                Some(ServiceChanges {
                    service: name.clone(),
                    base_version: base.info.version.clone(),
                    version: revision.info.version.clone(),
                    changes,
                })
            })
            .collect();
        let notified = if notify {
            self.notify(&changes, &reloaded, &outcome)
        } else {
            HashMap::new()
        };
        let elapsed = started.elapsed().as_millis();
        for service in &changes {
            let roles = notified
                .get(&service.service)
                .map_or(&[][..], Vec::as_slice);
            self.status(service, roles, &outcome, elapsed);
        }
        if changes.is_empty() && !outcome.is_empty() {
            let files: Vec<String> = outcome
                .iter()
                .map(|(path, _)| path.display().to_string())
                .collect();
            self.event(
                json!({"event": "build", "regenerated": files, "rendered": self.rendered, "ms": elapsed}),
                &format!("built: {} file(s) written · {elapsed} ms", files.len()),
            );
        }
    }

    /// Merges the good contracts, renders the outputs, then writes the
    /// gateway and the outputs whose content changed. Returns the files
    /// written, with the role each belongs to; `None` when the services do
    /// not merge or an output cannot be made (nothing is written).
    fn merge_and_generate(
        &mut self,
        reloaded: &[(String, Option<Good>)],
    ) -> Option<Vec<(PathBuf, Option<String>)>> {
        let changed: HashSet<&str> = reloaded.iter().map(|(name, _)| name.as_str()).collect();
        let good: Vec<(&str, &Good)> = (self.services.iter())
            .filter_map(|(name, state)| Some((name.as_str(), state.good.as_ref()?)))
            .collect();
        // An output that is an input (or a hand-written file in a crate folder) is never written.
        let mut plan = Plan::default();
        plan.input(&self.config.file, "the config");
        for (_, good) in &good {
            plan.known_inputs(&good.inputs);
        }
        let loaded = (good.iter())
            .map(|(name, good)| (*name, &good.loaded))
            .collect();
        let bundles = std::mem::take(&mut self.bundles);
        let mut contracts = Contracts::new(&self.config, loaded).with_bundles(bundles);
        let merged = contracts.gateway()?;
        // The gateway as text: what is written, and a cheaper comparison with
        // the last one than comparing documents key by key.
        let gateway_text = (merged.text.clone()).expect("a watched merge is emitted");
        let mut written = Vec::new();
        let mut write = |path: &Path, content: &str, role: Option<&String>| match write_if_changed(
            path, content,
        ) {
            Ok(Written::Written) => written.push((contracts_load::normalize(path), role.cloned())),
            Ok(Written::Unchanged) => {}
            Err(error) => eprintln!("error: cannot write `{}`: {error}", path.display()),
        };
        let gateway = (self.config.gateway.as_ref()).and_then(|_| {
            let path = gateway_output(&self.config);
            plan.output(&path)
                .map_err(|message| eprintln!("error: {message}"))
                .ok()
                .map(|()| path)
        });
        let gateway_changed = self.gateway.as_ref() != Some(&gateway_text);
        // Only outputs whose contract can have changed are regenerated, and
        // never one the plan refuses (an input, a hand-written crate file).
        let outputs: Vec<Output> = Generator::configured(&self.config, None)
            .into_iter()
            .filter(|output| match &output.source {
                Source::Gateway => gateway_changed,
                Source::Services(names) => names.iter().any(|name| changed.contains(name.as_str())),
            })
            .filter(
                |output| match output.generator.claim(&mut plan, &output.path, false) {
                    Ok(()) => true,
                    Err(message) => {
                        eprintln!("error: {message}");
                        false
                    }
                },
            )
            .collect();
        self.rendered = (outputs.iter())
            .map(|output| output.path.display().to_string())
            .collect();
        // Everything rendered first: a failing output leaves all as they were.
        let files = render_all(&outputs, &mut contracts, &Warnings::Counted)?;
        if let Some(path) = gateway {
            write(&path, &gateway_text, None);
        }
        for file in files {
            write(&file.path, &file.contents, file.role.as_ref());
        }
        self.bundles = contracts.into_bundles();
        self.gateway = Some(gateway_text);
        Some(written)
    }

    /// Tells every role the changes concern; returns the roles notified.
    fn notify(
        &self,
        services: &[ServiceChanges],
        reloaded: &[(String, Option<Good>)],
        written: &[(PathBuf, Option<String>)],
    ) -> HashMap<String, Vec<String>> {
        let time = SystemTime::now();
        let indexes: HashMap<&str, OperationIndex> = services
            .iter()
            .map(|changes| {
                let previous = reloaded
                    .iter()
                    .find(|(name, _)| *name == changes.service)
                    .and_then(|(_, previous)| previous.as_ref()?.loaded.contract.as_ref());
                let current = self.services[&changes.service]
                    .good
                    .as_ref()
                    .and_then(|good| good.loaded.contract.as_ref());
                let contracts: Vec<_> = current.into_iter().chain(previous).collect();
                let on_gateway = gateway_paths(&self.config, &changes.service);
                (
                    changes.service.as_str(),
                    OperationIndex::new(&contracts, &on_gateway),
                )
            })
            .collect();
        let notices = route::route(
            &self.config.roles,
            &self.consumers,
            services,
            &indexes,
            time,
            &|role| regenerated_for(written, role),
        );
        let mut notified: HashMap<String, Vec<String>> = HashMap::new();
        for (role_name, notice) in &notices {
            let role = &self.config.roles[*role_name];
            let folder = role_folder(&self.config, role);
            if !folder.is_dir() {
                eprintln!(
                    "warning: role `{role_name}`: folder `{}` does not exist; not notified",
                    folder.display()
                );
                continue;
            }
            let inbox = inbox_path(&self.config, role);
            if let Err(error) = append_inbox(&inbox, &notice.markdown(&folder, &self.config.dir)) {
                eprintln!(
                    "warning: role `{role_name}`: cannot write `{}`: {error}",
                    inbox.display()
                );
            }
            if let Some(file) = &role.notify.context_file {
                let file = folder.join(file);
                if let Err(error) = update_context_file(&file, notice) {
                    eprintln!(
                        "warning: role `{role_name}`: cannot update `{}`: {error}",
                        file.display()
                    );
                }
            }
            if let Some(command) = &role.notify.command {
                run_command(command, &folder, role_name, &notice.json());
            }
            for (service, _) in &notice.changes {
                notified
                    .entry(service.service.clone())
                    .or_default()
                    .push((*role_name).to_owned());
            }
        }
        notified
    }

    fn status(
        &self,
        service: &ServiceChanges,
        notified: &[String],
        written: &[(PathBuf, Option<String>)],
        elapsed: u128,
    ) {
        let count = |level: Level| service.changes.iter().filter(|c| c.level == level).count();
        let (errors, warnings, infos) = (
            count(Level::Error),
            count(Level::Warning),
            count(Level::Info),
        );
        let files: Vec<String> = written
            .iter()
            .map(|(path, _)| path.display().to_string())
            .collect();
        let summary = if service.changes.is_empty() {
            "no contract change".to_owned()
        } else {
            format!("{errors} breaking, {warnings} warning, {infos} info")
        };
        let roles = if notified.is_empty() {
            "nobody notified".to_owned()
        } else {
            format!("notified {}", notified.join(", "))
        };
        self.event(
            json!({
                "event": "change",
                "service": service.service,
                "base_version": service.base_version,
                "version": service.version,
                "changes": {"error": errors, "warning": warnings, "info": infos},
                "rules": service.changes.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
                "roles": notified,
                "regenerated": files,
                "rendered": self.rendered,
                "ms": elapsed,
            }),
            &format!(
                "{} {}: {summary} · {roles} · {} file(s) written · {elapsed} ms",
                service.service,
                service.version,
                files.len()
            ),
        );
    }

    /// An invalid save: reported, outputs kept, nobody notified.
    fn invalid(&self, name: &str, errors: &[Diagnostic], started: Instant) {
        let first = errors.first().map(|error| {
            let at = error
                .location
                .as_deref()
                .map(|location| format!("{location}: "))
                .unwrap_or_default();
            format!("{at}{}", error.message)
        });
        self.event(
            json!({"event": "invalid", "service": name, "errors": errors, "ms": started.elapsed().as_millis()}),
            &format!(
                "{name}: invalid ({}); last good outputs kept, nobody notified",
                first.unwrap_or_default()
            ),
        );
    }

    /// One line on the terminal, or one JSON object per line.
    fn event(&self, value: Value, text: &str) {
        match self.format {
            ReportFormat::Json => outln!("{value}"),
            ReportFormat::Text => {
                let time = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
                // `2026-11-25T14:50:11Z` -> `14:50:11`
                let clock = time.get(11..19).unwrap_or(&time);
                outln!("[{clock}] {text}");
            }
        }
    }
}

/// The files a role hears were regenerated: its own outputs and the project's.
fn regenerated_for(written: &[(PathBuf, Option<String>)], role: &str) -> Vec<PathBuf> {
    written
        .iter()
        .filter(|(_, owner)| owner.as_deref().is_none_or(|owner| owner == role))
        .map(|(path, _)| path.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An edit seen just before the period changes is still delivered: the
    /// debouncer holding it is retired, not dropped.
    #[test]
    fn an_edit_pending_when_the_period_changes_is_delivered() {
        let folder = tempfile::tempdir().unwrap();
        let folder = folder.path().canonicalize().unwrap();
        let (sender, receiver) = mpsc::channel();
        let mut watch = Watch::new(Duration::from_secs(2), sender.clone()).unwrap();
        watch.follow(&BTreeSet::from([folder.clone()]));
        let spec = folder.join("openapi.yaml");
        std::fs::write(&spec, "openapi: 3.1.0\n").unwrap();
        // Long enough for the event to reach the debouncer, well within its period.
        std::thread::sleep(Duration::from_millis(300));
        watch.set_period(Duration::from_secs(3), &sender).unwrap();
        let delivered = std::iter::from_fn(|| receiver.recv_timeout(Duration::from_secs(10)).ok())
            .any(|message| match message {
                Message::Files(Ok(events)) => {
                    events.iter().any(|event| event.paths.contains(&spec))
                }
                _ => false,
            });
        assert!(
            delivered,
            "the edit before the change of period is delivered"
        );
        assert_eq!(watch.retired.len(), 1);
        assert!(watch.folders.contains(&folder));
    }
}
