//! Issue 18, operations: settings from a TOML file beneath the environment and the command line,
//! `rostrum config check`, and logs a collector can read (plain text off a terminal, JSON lines
//! on request).

use std::path::Path;
use std::process::Output;

use rostrum_tests::{http_bytes, rostrum_bin, Server};

const WEBCAST: &str = "https://webcast.example.org";

/// A configuration file with `text` in `dir`; its path.
fn config_file(dir: &Path, text: &str) -> String {
    let path = dir.join("rostrum.toml");
    std::fs::write(&path, text).expect("write the configuration file");
    path.to_str().expect("utf-8 path").to_string()
}

/// `rostrum config check` on `file`, with `env` set and no other ROSTRUM_* variable inherited.
fn check(file: &str, env: &[(&str, &str)]) -> Output {
    check_with(&["--config", file], env)
}

/// `rostrum config check` with `args`, with `env` set and no other ROSTRUM_* variable inherited.
fn check_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = std::process::Command::new(rostrum_bin());
    command.args(["config", "check"]).args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("ROSTRUM_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied()).output().expect("run rostrum config check")
}

/// The `frame-ancestors` of the page at `/` and the statuses of two `GET /healthz` in a row.
async fn ancestors_and_two_health_checks(server: &Server) -> (String, u16, u16) {
    let page = http_bytes(server.addr, "GET", "/", None, b"", None).await;
    let policy = page.header("Content-Security-Policy").expect("a Content-Security-Policy");
    let ancestors = policy.rsplit("frame-ancestors").next().unwrap_or_default().trim().to_string();
    let first = http_bytes(server.addr, "GET", "/healthz", None, b"", None).await.status;
    let second = http_bytes(server.addr, "GET", "/healthz", None, b"", None).await.status;
    (ancestors, first, second)
}

#[tokio::test]
async fn a_server_takes_its_settings_from_the_file() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let file = config_file(
        data.path(),
        &format!("frame-ancestor = [\"{WEBCAST}\"]\nrate = [\"health=1/min:1\"]\nidle_timeout_secs = 30\n"),
    );

    // Act
    let server = Server::start_with(data.path(), &["--config", &file]).await;
    let (ancestors, first, second) = ancestors_and_two_health_checks(&server).await;

    // Assert
    assert_eq!(ancestors, WEBCAST);
    assert_eq!((first, second), (200, 429), "the file's budget of one health check a minute");
}

#[tokio::test]
async fn a_flag_and_a_variable_win_over_the_file() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let file = config_file(data.path(), &format!("frame-ancestor = [\"{WEBCAST}\"]\nrate = [\"health=1/min:1\"]\n"));
    let args = ["--config", file.as_str(), "--frame-ancestor", "https://other.example.org"];
    let env = [("RUST_LOG", "info"), ("ROSTRUM_RATE", "health=100/s:100")];

    // Act
    let server = Server::start_env(data.path(), "127.0.0.1:0", &args, &env).await;
    let (ancestors, first, second) = ancestors_and_two_health_checks(&server).await;

    // Assert
    assert_eq!(ancestors, "https://other.example.org");
    assert_eq!((first, second), (200, 200), "the variable's budget, not the file's");
}

#[test]
fn config_check_prints_every_setting_with_where_it_comes_from() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let file = config_file(dir.path(), "max-connections = 100\nallow-origin = [\"https://a.example.org\"]\n");

    // Act
    let out = check(&file, &[("ROSTRUM_IDLE_TIMEOUT_SECS", "30")]);

    // Assert
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("max-connections = \"100\"  # file"), "{stdout}");
    assert!(stdout.contains("allow-origin = [\"https://a.example.org\"]  # file"), "{stdout}");
    assert!(stdout.contains("idle-timeout-secs = \"30\"  # environment, ROSTRUM_IDLE_TIMEOUT_SECS"), "{stdout}");
    assert!(stdout.contains("addr = \"127.0.0.1:8080\"  # default"), "{stdout}");
    assert!(stdout.contains("log-format = \"text\"  # default"), "{stdout}");
}

#[test]
fn config_check_refuses_a_mistyped_key_a_bad_value_and_a_bad_origin_naming_each() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let mistyped = config_file(dir.path(), "adress = \"0.0.0.0:8080\"\n");
    let mistyped_out = check(&mistyped, &[]);
    let bad_value = config_file(dir.path(), "max-connections = \"lots\"\n");
    let bad_value_out = check(&bad_value, &[]);
    let bad_origin = config_file(dir.path(), "frame-ancestor = [\"webcast.example.org/page\"]\n");
    let bad_origin_out = check(&bad_origin, &[]);

    // Assert
    let stderr = |out: &Output| String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(mistyped_out.status.code(), Some(1));
    assert!(stderr(&mistyped_out).contains("`adress` is not a setting"), "{}", stderr(&mistyped_out));
    assert!(stderr(&mistyped_out).contains("addr, "), "the settings are listed: {}", stderr(&mistyped_out));
    assert_eq!(bad_value_out.status.code(), Some(1));
    assert!(stderr(&bad_value_out).contains("'lots'"), "{}", stderr(&bad_value_out));
    assert!(stderr(&bad_value_out).contains("--max-connections"), "{}", stderr(&bad_value_out));
    assert_eq!(bad_origin_out.status.code(), Some(1), "{}", stderr(&bad_origin_out));
}

#[tokio::test]
async fn logs_are_plain_text_off_a_terminal_and_json_lines_on_request() {
    // Arrange
    let (text_data, json_data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());

    // Act
    let text = Server::start_env(text_data.path(), "127.0.0.1:0", &[], &[("RUST_LOG", "info")]).await;
    let json =
        Server::start_env(json_data.path(), "127.0.0.1:0", &["--log-format", "json"], &[("RUST_LOG", "info")]).await;
    let (text_log, json_log) = (text.log(), json.log());

    // Assert
    assert!(text_log.contains("open-file limit"), "{text_log}");
    assert!(!text_log.contains('\u{1b}'), "no colour codes in a file: {text_log:?}");
    let lines: Vec<&str> = json_log.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "the JSON log is empty");
    for line in lines {
        let record: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(record["level"].is_string() && record["fields"].is_object(), "{record}");
    }
}

#[test]
fn the_configuration_guide_names_every_setting_with_its_variable_and_its_default() {
    // Arrange
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/configuration.md")).unwrap();

    // Act
    let out = check_with(&[], &[]);

    // Assert
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.lines().filter(|l| !l.starts_with('#')).count() > 30, "{stdout}");
    for line in stdout.lines().filter(|l| !l.starts_with('#')) {
        let (key, rest) = line.split_once(" = ").expect("key = value");
        let variable = format!("ROSTRUM_{}", key.to_uppercase().replace('-', "_"));
        let row = guide
            .lines()
            .find(|row| row.starts_with(&format!("| `{key}` |")))
            .unwrap_or_else(|| panic!("docs/configuration.md has no row for `{key}`"));
        assert!(row.contains(&format!("`{variable}`")), "the row of `{key}` lacks {variable}: {row}");
        let default = rest.split("  #").next().unwrap().trim_matches('"');
        if default != "(not set)" {
            let cells: Vec<&str> = row.split('|').map(|c| c.trim().trim_matches('`')).collect();
            assert_eq!(cells[3], default, "the default of `{key}` in docs/configuration.md");
        }
    }
}

#[test]
fn the_deploy_files_set_only_real_settings_with_valid_values() {
    // Arrange: the example file the systemd unit reads, and the variables the container sets
    let deploy = concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy");
    let containerfile = std::fs::read_to_string(format!("{deploy}/Containerfile")).unwrap();
    let variables: Vec<(String, String)> = containerfile
        .split_whitespace()
        .filter_map(|word| word.strip_prefix("ROSTRUM_")?.split_once('='))
        .map(|(name, value)| (format!("ROSTRUM_{name}"), value.to_string()))
        .collect();
    let env: Vec<(&str, &str)> = variables.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();

    // Act
    let unit = check(&format!("{deploy}/rostrum.toml"), &[]);
    let container = check_with(&[], &env);

    // Assert
    assert!(unit.status.success(), "deploy/rostrum.toml: {}", String::from_utf8_lossy(&unit.stderr));
    assert!(container.status.success(), "the Containerfile's ENV: {}", String::from_utf8_lossy(&container.stderr));
    assert!(env.len() >= 4, "the Containerfile sets {env:?}");
    let printed = String::from_utf8_lossy(&container.stdout);
    for (name, value) in &env {
        let line = format!("= \"{value}\"  # environment, {name}");
        assert!(printed.contains(&line), "{name} is not a setting rostrum reads: {printed}");
    }
}
