//! `contracts watch` as a subprocess on a copy of the shop, with three roles
//! in their own folders: a frontend consuming order and product, a mobile
//! client consuming user, and the order backend owning order. Specs are
//! edited the way editors save (in place, rename-replace, delete + create, a
//! shared schema file, an invalid intermediate save, a config edit) and the
//! inboxes, context file and outputs are checked. Waits poll with generous
//! deadlines; nothing depends on the machine's speed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use crate::{copy_dir, project_root};

const DEADLINE: Duration = Duration::from_secs(60);

const ROLES: &str = r#"
[roles.frontend]
path = "../frontend"
consumes = ["order", { service = "product", operations = ["GET /products/**", "GET /products"] }]
notify = { context_file = "AGENTS.md", command = "cat > last-change.json" }

[roles.frontend.generate.ts]
output = "src/api/types.ts"
source = ["order", "product"]

[roles.mobile]
path = "../mobile"
consumes = ["user"]

[roles.mobile.generate.ts]
output = "src/types.ts"
source = ["user"]

[roles.order-backend]
path = "../order-backend"
owns = ["order"]
consumes = ["product", "payment"]
"#;

struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
    shop: PathBuf,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let shop = root.join("shop");
        copy_dir(&project_root().join("fixtures/shop"), &shop);
        let config = std::fs::read_to_string(shop.join("contracts.toml")).unwrap();
        let without_roles = &config[..config.find("[roles.").unwrap_or(config.len())];
        std::fs::write(
            shop.join("contracts.toml"),
            format!("{without_roles}{ROLES}"),
        )
        .unwrap();
        for role in ["frontend", "mobile", "order-backend"] {
            std::fs::create_dir_all(root.join(role)).unwrap();
        }
        std::fs::write(
            root.join("frontend/AGENTS.md"),
            "# Frontend agent\n\nHand-written notes stay.\n",
        )
        .unwrap();
        Project {
            _dir: dir,
            root,
            shop,
        }
    }

    fn inbox(&self, role: &str) -> String {
        std::fs::read_to_string(self.root.join(role).join(".contracts/inbox.md"))
            .unwrap_or_default()
    }

    fn edit(&self, file: &str, from: &str, to: &str) -> String {
        let path = self.shop.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "`{from}` is in {file}");
        text.replacen(from, to, 1)
    }

    /// Saves in place, as most editors do by default.
    fn save_in_place(&self, file: &str, from: &str, to: &str) {
        let text = self.edit(file, from, to);
        std::fs::write(self.shop.join(file), text).unwrap();
    }

    /// Saves by writing a temporary file and renaming it over the original (vim, IntelliJ).
    fn save_by_rename(&self, file: &str, from: &str, to: &str) {
        let text = self.edit(file, from, to);
        let path = self.shop.join(file);
        let temporary = path.with_extension("tmp~");
        std::fs::write(&temporary, text).unwrap();
        std::fs::rename(&temporary, &path).unwrap();
    }

    /// Deletes the file, then creates it again.
    fn save_by_delete_and_create(&self, file: &str, from: &str, to: &str) {
        let text = self.edit(file, from, to);
        let path = self.shop.join(file);
        std::fs::remove_file(&path).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, text).unwrap();
    }

    /// `path`'s modification time, set far in the past (see [`crate::backdate`]).
    fn backdate(&self, path: &Path) -> SystemTime {
        crate::backdate(&self.root.join(path))
    }

    /// The gateway `watch` put together from kept parts is the one a fresh
    /// `contracts merge` writes, byte for byte.
    fn assert_gateway_current(&self) {
        let output = Command::new(env!("CARGO_BIN_EXE_contracts"))
            .args(["merge", "--check", "--config"])
            .arg(self.shop.join("contracts.toml"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "the watched gateway is stale:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn modified(&self, path: &Path) -> SystemTime {
        std::fs::metadata(self.root.join(path))
            .unwrap()
            .modified()
            .unwrap()
    }
}

/// A running `contracts watch --format json` and its events.
struct Watcher {
    child: Child,
    events: Receiver<Value>,
    /// Events received but not yet taken by a wait.
    seen: Vec<Value>,
}

impl Watcher {
    fn start(project: &Project) -> Watcher {
        let mut child = Command::new(env!("CARGO_BIN_EXE_contracts"))
            .args(["watch", "--format", "json", "--config"])
            .arg(project.shop.join("contracts.toml"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("contracts watch starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, events) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let event: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|error| panic!("not a JSON event ({error}): {line}"));
                if sender.send(event).is_err() {
                    break;
                }
            }
        });
        let mut watcher = Watcher {
            child,
            events,
            seen: Vec::new(),
        };
        watcher.wait_for(|event| event["event"] == "ready");
        watcher
    }

    /// The first event not yet taken that `wanted` accepts, waiting for it if need be.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self.seen.iter().position(&wanted) {
            return self.seen.remove(index);
        }
        let deadline = Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(event) if wanted(&event) => return event,
                Ok(event) => self.seen.push(event),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    panic!("no such event in time; events so far: {:#?}", self.seen)
                }
            }
        }
    }

    fn change_of(&mut self, service: &str) -> Value {
        let service = service.to_owned();
        self.wait_for(move |event| event["event"] == "change" && event["service"] == *service)
    }

    /// Forgets events not taken, so that the next wait sees only what follows.
    fn forget(&mut self) {
        self.seen.clear();
        while self.events.try_recv().is_ok() {}
    }

    /// Ctrl-C: the watch stops cleanly.
    fn interrupt(mut self) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.wait_for(|event| event["event"] == "stopped");
        let exit = self.child.wait().unwrap();
        assert_eq!(exit.code(), Some(0), "Ctrl-C exits with 0");
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rules(event: &Value) -> Vec<&str> {
    event["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule.as_str().unwrap())
        .collect()
}

#[test]
fn watch_notifies_exactly_the_roles_a_change_concerns() {
    let project = Project::new();
    let mut watcher = Watcher::start(&project);
    let frontend_types = PathBuf::from("frontend/src/api/types.ts");
    let mobile_types = PathBuf::from("mobile/src/types.ts");
    assert!(
        project.root.join(&frontend_types).is_file(),
        "role outputs are generated at start"
    );
    let mobile_written = project.backdate(&mobile_types);

    // 1. In place, in the order service's own schema file: a new status value.
    let frontend_before = project.backdate(&frontend_types);
    project.save_in_place(
        "services/order/schemas.yaml",
        "    - refunded\n  example: paid",
        "    - refunded\n    - on_hold\n  example: paid",
    );
    let event = watcher.change_of("order");
    assert!(
        rules(&event).contains(&"response-property-enum-value-added"),
        "{event}"
    );
    assert_eq!(event["roles"], serde_json::json!(["frontend"]), "{event}");
    // Only outputs whose contract can have changed are generated at all.
    let rendered = |output: &Path| {
        event["rendered"]
            .as_array()
            .unwrap()
            .iter()
            .any(|path| Path::new(path.as_str().unwrap()).ends_with(output))
    };
    assert!(rendered(&frontend_types), "{event}");
    assert!(!rendered(&mobile_types), "user did not change: {event}");
    let inbox = project.inbox("frontend");
    assert!(
        inbox.contains("`response-property-enum-value-added` `GET /orders/{orderId}`"),
        "{inbox}"
    );
    assert!(
        inbox.contains("Regenerated:") && inbox.contains("`src/api/types.ts`"),
        "{inbox}"
    );
    assert_ne!(
        project.modified(&frontend_types),
        frontend_before,
        "the frontend's types are regenerated"
    );
    assert_eq!(project.inbox("mobile"), "", "mobile consumes only user");
    assert_eq!(
        project.inbox("order-backend"),
        "",
        "the owner hears only of breaks"
    );
    let context = std::fs::read_to_string(project.root.join("frontend/AGENTS.md")).unwrap();
    assert!(
        context.starts_with("# Frontend agent\n\nHand-written notes stay.\n"),
        "{context}"
    );
    assert!(
        context.contains("response-property-enum-value-added"),
        "{context}"
    );
    let payload = poll(|| {
        std::fs::read_to_string(project.root.join("frontend/last-change.json"))
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
    });
    assert_eq!(payload["role"], "frontend");
    assert_eq!(payload["services"][0]["service"], "order");

    watcher.forget();
    // 2. Rename-replace of the product spec: a breaking change to a GET the frontend selects.
    project.save_by_rename(
        "services/product/openapi.yaml",
        "            maxLength: 200",
        "            maxLength: 100",
    );
    let event = watcher.change_of("product");
    assert!(
        rules(&event).contains(&"request-parameter-max-length-decreased"),
        "{event}"
    );
    let roles = event["roles"].as_array().unwrap();
    assert!(
        roles.contains(&"frontend".into()) && roles.contains(&"order-backend".into()),
        "{event}"
    );
    assert!(
        project
            .inbox("frontend")
            .contains("**error** `request-parameter-max-length-decreased` `GET /products`")
    );
    assert_eq!(project.inbox("mobile"), "");

    watcher.forget();
    // 3. A shared schema file: money reaches order, product and payment, not user.
    let backend_before = project.inbox("order-backend");
    project.save_in_place("common/schemas/money.yaml", "    - SEK\n", "");
    for service in ["order", "product", "payment"] {
        watcher.change_of(service);
    }
    let backend = project.inbox("order-backend");
    assert_ne!(backend, backend_before);
    project.assert_gateway_current();
    assert!(
        backend.contains("Your change breaks these consumers:")
            && backend.contains("- frontend: **error** `request-property-enum-value-removed`"),
        "the owner of order learns whom its change breaks:\n{backend}"
    );
    assert_eq!(project.inbox("mobile"), "");
    assert_eq!(
        project.modified(&mobile_types),
        mobile_written,
        "user did not change"
    );

    watcher.forget();
    // 4. An invalid intermediate save: reported, outputs kept, nobody notified; then recovery.
    let gateway = PathBuf::from("shop/gateway/openapi.yaml");
    let (gateway_before, frontend_before, inbox_before) = (
        project.backdate(&gateway),
        project.backdate(&frontend_types),
        project.inbox("frontend"),
    );
    project.save_in_place("services/order/openapi.yaml", "paths:\n", "paths: [\n");
    let event = watcher.wait_for(|event| event["event"] == "invalid");
    assert_eq!(event["service"], "order");
    assert_eq!(
        event["errors"][0]["location"]["file"],
        "services/order/openapi.yaml"
    );
    assert_eq!(project.modified(&gateway), gateway_before);
    assert_eq!(project.modified(&frontend_types), frontend_before);
    assert_eq!(project.inbox("frontend"), inbox_before);
    project.save_in_place("services/order/openapi.yaml", "paths: [\n", "paths:\n");
    let event = watcher.change_of("order");
    assert_eq!(
        event["changes"]["error"], 0,
        "back to the last good contract: {event}"
    );

    watcher.forget();
    // 5. Delete + create.
    project.save_by_delete_and_create(
        "services/user/openapi.yaml",
        "openapi: ",
        "x-edited: true\nopenapi: ",
    );
    let event = watcher.change_of("user");
    assert_eq!(
        event["roles"],
        serde_json::json!([]),
        "no contract change: {event}"
    );

    watcher.forget();
    // 6. A ref to a file in a folder that does not exist yet: invalid until both appear.
    project.save_in_place(
        "services/order/openapi.yaml",
        "components:\n",
        "components:\n  schemas:\n    Memo:\n      $ref: './drafts/memo.yaml#/Memo'\n",
    );
    let event = watcher.wait_for(|event| event["event"] == "invalid");
    assert_eq!(event["errors"][0]["code"], "ref-missing-file", "{event}");
    let drafts = project.shop.join("services/order/drafts");
    std::fs::create_dir(&drafts).unwrap();
    std::fs::write(drafts.join("memo.yaml"), "Memo:\n  type: string\n").unwrap();
    watcher.change_of("order");

    watcher.forget();
    // 7. A config edit reloads roles: mobile now consumes payment too.
    let config = project.shop.join("contracts.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace(
            "consumes = [\"user\"]",
            "consumes = [\"user\", \"payment\"]",
        ),
    )
    .unwrap();
    watcher.wait_for(|event| event["event"] == "config");
    // The reload rebuilds every service. The edit waits for that rebuild:
    // saved during it, some services could read the file before the edit
    // and some after, and the gateway would be current only after the
    // rebuild the edit itself starts.
    for service in ["user", "product", "order", "payment"] {
        watcher.change_of(service);
    }
    project.save_in_place("common/schemas/money.yaml", "    - JPY\n", "");
    let event = watcher.wait_for(|event| {
        event["event"] == "change" && event["service"] == "payment" && !rules(event).is_empty()
    });
    let roles = event["roles"].as_array().unwrap();
    assert!(roles.contains(&"mobile".into()), "{event}");
    assert!(project.inbox("mobile").contains("payment"));
    project.assert_gateway_current();

    watcher.interrupt();
}

/// Polls `probe` until it yields, within the deadline.
fn poll<T>(probe: impl Fn() -> Option<T>) -> T {
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn roles_lists_roles_beside_the_git_worktrees() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().canonicalize().unwrap().join("repo");
    copy_dir(&project_root().join("fixtures/shop"), &repo);
    let config = std::fs::read_to_string(repo.join("contracts.toml")).unwrap();
    let without_roles = &config[..config.find("[roles.").unwrap()];
    std::fs::write(
        repo.join("contracts.toml"),
        format!(
            "{without_roles}[roles.web]\npath = \"../web\"\nconsumes = [\"order\", {{ service = \"user\", tags = [\"Users\"] }}]\n\n[roles.gone]\npath = \"../gone\"\nowns = [\"user\"]\n"
        ),
    )
    .unwrap();
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."],
        &["commit", "-q", "-m", "shop"],
        &["worktree", "add", "-q", "-b", "web", "../web"],
        &["worktree", "add", "-q", "-b", "admin", "../admin"],
    ] {
        let output = crate::git(&repo, args);
        assert!(output.status.success(), "git {args:?}: {output:?}");
    }
    let run = crate::contracts_in(Some(&repo), &["roles", "--format", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listing: Value = serde_json::from_str(&run.stdout).unwrap();
    let web = &listing["roles"][0];
    assert_eq!(web["name"], "web");
    assert_eq!(
        web["consumes"],
        serde_json::json!(["order", "user (tag:Users)"])
    );
    assert_eq!(web["worktree"]["branch"], "web");
    assert_eq!(
        web["inbox"],
        repo.parent()
            .unwrap()
            .join("web/.contracts/inbox.md")
            .to_str()
            .unwrap()
    );
    let gone = &listing["roles"][1];
    assert_eq!(gone["exists"], false);
    assert_eq!(gone["worktree"], Value::Null);
    let unmatched: Vec<&str> = listing["worktrees_without_role"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tree| tree["branch"].as_str().unwrap())
        .collect();
    assert_eq!(unmatched, ["main", "admin"]);
    let text = crate::contracts_in(Some(&repo), &["roles"], None);
    assert!(
        text.stdout.contains("worktree without a role:"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("(missing)"), "{}", text.stdout);
}
