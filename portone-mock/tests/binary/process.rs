//! Spawning the binary and talking to it.

use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};

use crate::common::{Answer, send};
pub(crate) use crate::common::{DEADLINE, eventually};

/// The binary under test.
pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_portone-mock");

/// A running `portone-mock` process. Killed if dropped while running.
pub(crate) struct Mock {
    child: Child,
    /// The base URL it printed.
    pub(crate) url: String,
    stderr: Arc<Mutex<String>>,
    /// Reads standard error until the process closes it.
    drain: tokio::task::JoinHandle<()>,
    // Held open: a closed pipe would fail the server's later writes.
    _stdout: BufReader<ChildStdout>,
    pub(crate) http: reqwest::Client,
}

/// A process that ended: its status and what it wrote.
#[derive(Debug)]
pub(crate) struct Ended {
    pub(crate) status: ExitStatus,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("PORTONE_MOCK_API_KEY")
        .env_remove("PORTONE_MOCK_API_SECRET")
        .env_remove("PORTONE_MOCK_ADMIN_TOKEN")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

/// Runs the binary to its end (for `--help` and refusals to start).
pub(crate) async fn run(args: &[&str]) -> Ended {
    let out = tokio::time::timeout(DEADLINE, command(args).output())
        .await
        .expect("portone-mock ends within the deadline")
        .expect("portone-mock runs");
    Ended {
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Mock {
    /// Starts the binary and waits for the URL on its first line.
    pub(crate) async fn start(args: &[&str]) -> Mock {
        let mut child = command(args).spawn().expect("portone-mock spawns");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().expect("stderr piped");
        let sink = stderr.clone();
        let drain = tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout piped"));
        let mut line = String::new();
        let read = tokio::time::timeout(DEADLINE, stdout.read_line(&mut line)).await;
        let url = line.trim().to_owned();
        if !matches!(read, Ok(Ok(n)) if n > 0) || !url.starts_with("http://") {
            let status = tokio::time::timeout(DEADLINE, child.wait()).await;
            panic!(
                "portone-mock {args:?} printed no URL ({line:?}), ended {status:?}; stderr:\n{}",
                stderr.lock().unwrap_or_else(PoisonError::into_inner)
            );
        }
        Mock {
            child,
            url,
            stderr,
            drain,
            _stdout: stdout,
            http: reqwest::Client::new(),
        }
    }

    /// What the process wrote to standard error so far.
    pub(crate) fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Sends a signal (`TERM`, `INT`) with the system's `kill`.
    pub(crate) fn signal(&self, name: &str) {
        let pid = self.child.id().expect("still running").to_string();
        let status = std::process::Command::new("kill")
            .args(["-s", name, &pid])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -s {name} {pid}");
    }

    /// Waits for the process to end on its own (after a signal).
    pub(crate) async fn wait(mut self) -> Ended {
        let status = tokio::time::timeout(DEADLINE, self.child.wait())
            .await
            .expect("portone-mock stops within the deadline")
            .expect("wait");
        // Everything the process wrote is read once it closed the pipe.
        let drained = tokio::time::timeout(DEADLINE, &mut self.drain).await;
        assert!(drained.is_ok(), "standard error still open after the exit");
        Ended {
            status,
            stdout: String::new(),
            stderr: self.stderr(),
        }
    }

    /// SIGTERM, and the process's end: it must stop cleanly.
    pub(crate) async fn stop(self) -> Ended {
        self.signal("TERM");
        let ended = self.wait().await;
        assert!(ended.status.success(), "{ended:?}");
        ended
    }

    pub(crate) fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// An admin call with a JSON body.
    pub(crate) async fn admin(&self, method: reqwest::Method, path: &str, body: &Value) -> Answer {
        send(
            self.http
                .request(method, self.at(&format!("/__mock{path}")))
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    pub(crate) async fn admin_post(&self, path: &str, body: &Value) -> Answer {
        self.admin(reqwest::Method::POST, path, body).await
    }

    pub(crate) async fn admin_get(&self, path: &str) -> Answer {
        send(self.http.get(self.at(&format!("/__mock{path}")))).await
    }

    /// `POST /__mock/checkout`: the payment made.
    pub(crate) async fn checkout(&self, body: &Value) -> Value {
        self.admin_post("/checkout", body).await.ok().clone()
    }

    /// getToken with the default credentials.
    pub(crate) async fn token(&self) -> String {
        self.token_for(
            portone_mock::MockServer::API_KEY,
            portone_mock::MockServer::API_SECRET,
        )
        .await
        .ok()["access_token"]
            .as_str()
            .expect("a token")
            .to_owned()
    }

    pub(crate) async fn token_for(&self, key: &str, secret: &str) -> Answer {
        send(
            self.http
                .post(self.at("/users/getToken"))
                .header("content-type", "application/json")
                .body(json!({ "imp_key": key, "imp_secret": secret }).to_string()),
        )
        .await
    }

    /// A PortOne API call with a token.
    pub(crate) async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> Answer {
        let mut req = self.http.request(method, self.at(path)).bearer_auth(token);
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        send(req).await
    }

    pub(crate) async fn api_get(&self, path: &str, token: &str) -> Answer {
        self.api(reqwest::Method::GET, path, token, None).await
    }
}

/// A fresh directory for one test's files.
pub(crate) fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("portone-mock-bin-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    dir
}

pub(crate) fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temp path")
}
