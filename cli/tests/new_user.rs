//! What a new user does, from a folder outside this workspace: `wiregen
//! new`, add an OpenAPI and a WSDL spec, `wiregen generate`, `wiregen
//! check`, then build a small program using the generated crate (the
//! runtime by path) and call both clients against a local server.
//!
//! The build shares one target folder under this workspace's `target/`
//! (`new-user/`), so only the first run compiles reqwest and friends.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A fresh folder under the system temp folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("wiregen-new-user-{}-{nanos}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn wiregen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wiregen"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The user's program: a local server answering one REST and one SOAP
/// call, and both generated clients calling it.
const MAIN_RS: &str = r##"
use std::io::{Read, Write};
use std::net::TcpListener;

use my_clients::{auth, calc};

const ENVELOPE: &str = r#"<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:AddLiteralResponse xmlns:m="urn:calc:rpc"><sum>3</sum></m:AddLiteralResponse></s:Body></s:Envelope>"#;

/// Answers `n` requests, one per connection; returns what was received.
fn serve(listener: TcpListener, n: usize) -> std::thread::JoinHandle<Vec<String>> {
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        for _ in 0..n {
            let (mut stream, _) = listener.accept().unwrap();
            let mut data = Vec::new();
            let mut buf = [0u8; 4096];
            let head_end = loop {
                let got = stream.read(&mut buf).unwrap();
                assert!(got > 0, "connection closed early");
                data.extend_from_slice(&buf[..got]);
                if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i + 4;
                }
            };
            let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            while data.len() < head_end + length {
                let got = stream.read(&mut buf).unwrap();
                data.extend_from_slice(&buf[..got]);
            }
            let request = String::from_utf8_lossy(&data).into_owned();
            let response = if request.starts_with("POST") {
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{ENVELOPE}",
                    ENVELOPE.len()
                )
            } else {
                "HTTP/1.1 204 No Content\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_string()
            };
            stream.write_all(response.as_bytes()).unwrap();
            seen.push(request);
        }
        seen
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = serve(listener, 2);

    let rest = auth::Client::with_base_url(&base).unwrap().with_header_key("my-key");
    rest.header_key().await.unwrap();

    let soap = calc::CalcBindingClient::with_endpoint(&format!("{base}/calc")).unwrap();
    let request = calc::AddLiteralRequest {
        a: 1,
        p: calc::Pair { x: 2, label: "two".into() },
    };
    let out = soap.add_literal(&request).await.unwrap();
    assert_eq!(out.body.sum, 3);

    let seen = server.join().unwrap();
    assert!(seen[0].starts_with("GET /header "), "{}", seen[0]);
    assert!(seen[0].to_ascii_lowercase().contains("x-api-key: my-key"), "{}", seen[0]);
    assert!(seen[1].starts_with("POST /calc "), "{}", seen[1]);
    assert!(seen[1].contains("<label>two</label>"), "{}", seen[1]);
    println!("both calls ok");
}
"##;

#[test]
fn new_generate_check_build_and_call() {
    let temp = TempDir::new();
    let project = temp.0.join("my-project");
    let runtime = workspace().join("runtime");
    let runtime = runtime.to_str().unwrap();

    // 1. A new workspace.
    let out = wiregen(
        &temp.0,
        &[
            "new",
            "my-project",
            "--crate-name",
            "my-clients",
            "--runtime-path",
            runtime,
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    for file in [
        "Cargo.toml",
        "README.md",
        "specs/specs.toml",
        "my-clients/Cargo.toml",
        "my-clients/src/lib.rs",
    ] {
        assert!(project.join(file).is_file(), "{file} missing");
    }
    let readme = fs::read_to_string(project.join("README.md")).unwrap();
    assert!(
        readme.contains("wiregen generate specs/specs.toml --out my-clients"),
        "{readme}"
    );
    assert!(
        readme.contains("wiregen check specs/specs.toml --out my-clients"),
        "{readme}"
    );

    // 2. Add an OpenAPI and a WSDL spec.
    let fixtures = workspace().join("tests/fixtures");
    fs::create_dir_all(project.join("specs/auth")).unwrap();
    fs::create_dir_all(project.join("specs/calc")).unwrap();
    fs::copy(
        fixtures.join("openapi/auth.yaml"),
        project.join("specs/auth/auth.yaml"),
    )
    .unwrap();
    fs::copy(
        fixtures.join("soap/roundtrip/rpc_calc.wsdl"),
        project.join("specs/calc/calc.wsdl"),
    )
    .unwrap();
    let mut manifest = fs::read_to_string(project.join("specs/specs.toml")).unwrap();
    manifest.push_str(
        "\n[[api]]\nname = \"auth\"\nkind = \"openapi\"\nfiles = [{ path = \"auth/auth.yaml\" }]\n\
         \n[[api]]\nname = \"calc\"\nkind = \"wsdl\"\nfiles = [{ path = \"calc/calc.wsdl\" }]\n",
    );
    fs::write(project.join("specs/specs.toml"), manifest).unwrap();

    // 3. The check sees the drift, generate fixes it, the check passes.
    let args = ["specs/specs.toml", "--out", "my-clients"];
    let check = |project: &Path| wiregen(project, &[&["check"][..], &args[..]].concat());
    let out = check(&project);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("missing: my-clients/src/auth.rs"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "run `wiregen generate specs/specs.toml --out my-clients` and commit the result"
        ),
        "{stderr}"
    );
    let out = wiregen(&project, &[&["generate"][..], &args[..]].concat());
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("auth: 12 operations, "), "{stderr}");
    assert!(stderr.contains("calc: 2 operations, "), "{stderr}");
    assert!(stderr.ends_with("2 APIs, 2 changed\n"), "{stderr}");
    let out = check(&project);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).ends_with("2 APIs, 0 changed\n"));
    let out = wiregen(&project, &[&["check", "--quiet"][..], &args[..]].concat());
    assert!(out.status.success() && out.stderr.is_empty() && out.stdout.is_empty());
    let cargo_toml = fs::read_to_string(project.join("my-clients/Cargo.toml")).unwrap();
    assert!(cargo_toml.contains("name = \"my-clients\""), "{cargo_toml}");
    assert!(
        cargo_toml.contains("auth = []\ncalc = []\n"),
        "{cargo_toml}"
    );
    assert!(project.join("my-clients/diagnostics/auth.txt").is_file());

    // 4. A program of the user's, in the same workspace.
    let app = project.join("app");
    fs::create_dir_all(app.join("src")).unwrap();
    fs::write(
        app.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         my-clients = { path = \"../my-clients\", features = [\"auth\", \"calc\"] }\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n",
    )
    .unwrap();
    fs::write(app.join("src/main.rs"), MAIN_RS).unwrap();
    let workspace_toml = fs::read_to_string(project.join("Cargo.toml")).unwrap();
    fs::write(
        project.join("Cargo.toml"),
        workspace_toml.replace(
            "members = [\"my-clients\"]",
            "members = [\"my-clients\", \"app\"]",
        ),
    )
    .unwrap();
    // This workspace's versions, so nothing new is resolved or fetched.
    fs::copy(workspace().join("Cargo.lock"), project.join("Cargo.lock")).unwrap();

    // 5. Build and run it.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
        .join("new-user");
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "--offline", "-p", "app"])
        .current_dir(&project)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout), "both calls ok\n");
}
