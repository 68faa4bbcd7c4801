//! Settings from a TOML file (`--config FILE`, or `ROSTRUM_CONFIG`), beneath the environment and
//! the command line: a flag wins over its `ROSTRUM_*` variable, which wins over the file, which
//! wins over the built-in default (docs/configuration.md).
//!
//! Each key of the file is the long name of an option that has a `ROSTRUM_*` variable (`addr`,
//! `max-connections`, `rate`), for whichever command has it: `data = "/var/lib/rostrum"` serves `rostrum serve` and `rostrum
//! token` alike. A key no command knows, a section, or a list for a single value is refused with
//! the file's name, so that a mistyped setting never goes unnoticed. The file's values become the
//! options' defaults, so clap checks them exactly as it checks a flag.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{ArgAction, Command};

/// The settings of one file, in the file's order.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSettings {
    pub path: PathBuf,
    /// Each key (as its option's long name) with its values: one, or several for an option that
    /// repeats (`rate`, `allow-origin`).
    pub values: Vec<(String, Vec<String>)>,
}

impl FileSettings {
    /// Whether the file sets the option whose long name is `key`.
    pub fn sets(&self, key: &str) -> bool {
        self.values.iter().any(|(k, _)| k == key)
    }
}

/// Why a configuration file was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SettingsError {
    #[error("cannot read the configuration file {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path} is not valid TOML: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("{path}: `{key}` is not a setting; the settings are: {}", known.join(", "))]
    UnknownKey { path: PathBuf, key: String, known: Vec<String> },
    #[error("{path}: `{key}` {problem}")]
    BadValue { path: PathBuf, key: String, problem: String },
}

/// The configuration file named on the command line (`--config FILE` or `--config=FILE`, before
/// or after the command) or else by `ROSTRUM_CONFIG`; `None` when neither names one.
pub fn path_from(args: &[OsString], env: Option<OsString>) -> Option<PathBuf> {
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--config" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = arg.to_str().and_then(|a| a.strip_prefix("--config=")) {
            return Some(PathBuf::from(path));
        }
    }
    env.filter(|e| !e.is_empty()).map(PathBuf::from)
}

/// Reads and parses the file at `path`.
pub fn read(path: &Path) -> Result<FileSettings, SettingsError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| SettingsError::Read { path: path.to_path_buf(), message: e.to_string() })?;
    parse(path, &text)
}

/// The settings in `text`, the contents of the file at `path`. Keys may be written with
/// underscores (`max_connections`) as well as dashes.
pub fn parse(path: &Path, text: &str) -> Result<FileSettings, SettingsError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| SettingsError::Syntax { path: path.to_path_buf(), message: e.to_string() })?;
    let bad = |key: &str, problem: &str| SettingsError::BadValue {
        path: path.to_path_buf(),
        key: key.to_string(),
        problem: problem.to_string(),
    };
    let mut values = Vec::new();
    for (key, value) in table {
        let key = key.replace('_', "-");
        let list = match value {
            toml::Value::Array(items) => items
                .into_iter()
                .map(|item| scalar(item).ok_or_else(|| bad(&key, "lists only strings, numbers and booleans")))
                .collect::<Result<Vec<_>, _>>()?,
            toml::Value::Table(_) => {
                return Err(bad(&key, "is a section; the settings are plain `key = value` lines, without sections"))
            }
            other => vec![scalar(other).ok_or_else(|| bad(&key, "has a value of a kind no setting takes"))?],
        };
        values.push((key, list));
    }
    Ok(FileSettings { path: path.to_path_buf(), values })
}

/// A TOML value as the text a flag would have been given.
fn scalar(value: toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(_) | toml::Value::Array(_) | toml::Value::Table(_) => None,
    }
}

/// Every key a file may set: the long names of the options of `command` and of its commands that
/// are settings, those with a `ROSTRUM_*` variable (not a token's `--name`, say), but `config`.
pub fn known_keys(command: &Command) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = command
        .get_arguments()
        .filter(|a| a.get_env().is_some())
        .filter_map(|a| a.get_long())
        .filter(|long| *long != "config")
        .map(str::to_string)
        .collect();
    for sub in command.get_subcommands() {
        keys.extend(known_keys(sub));
    }
    keys
}

/// `command` with the file's values as the defaults of the options they name, wherever they
/// appear; refuses a key that names no option and a list for an option that takes one value.
pub fn apply(command: Command, settings: &FileSettings) -> Result<Command, SettingsError> {
    let known = known_keys(&command);
    let mut command = command;
    for (key, values) in &settings.values {
        if !known.contains(key) {
            return Err(SettingsError::UnknownKey {
                path: settings.path.clone(),
                key: key.clone(),
                known: known.iter().cloned().collect(),
            });
        }
        if values.len() != 1 && !repeats(&command, key) {
            return Err(SettingsError::BadValue {
                path: settings.path.clone(),
                key: key.clone(),
                problem: "takes one value, not a list".to_string(),
            });
        }
        command = with_default(command, key, values);
    }
    Ok(command)
}

/// Whether the option `key`, wherever it appears, may be given several times.
fn repeats(command: &Command, key: &str) -> bool {
    command.get_arguments().any(|a| a.get_long() == Some(key) && matches!(a.get_action(), ArgAction::Append))
        || command.get_subcommands().any(|sub| repeats(sub, key))
}

/// `command` with `values` as the default of every option named `key`, in it and its commands.
fn with_default(mut command: Command, key: &str, values: &[String]) -> Command {
    let ids: Vec<clap::Id> =
        command.get_arguments().filter(|a| a.get_long() == Some(key)).map(|a| a.get_id().clone()).collect();
    for id in ids {
        command = command.mut_arg(id, |arg| arg.default_values(values.iter().cloned()));
    }
    let subcommands: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in subcommands {
        command = command.mut_subcommand(name, |sub| with_default(sub, key, values));
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Arg;

    fn command() -> Command {
        Command::new("rostrum")
            .arg(Arg::new("config").long("config").env("ROSTRUM_CONFIG").global(true))
            .subcommand(
                Command::new("serve")
                    .arg(Arg::new("addr").long("addr").env("ROSTRUM_ADDR").default_value("127.0.0.1:8080"))
                    .arg(Arg::new("data").long("data").env("ROSTRUM_DATA").default_value("./data"))
                    .arg(Arg::new("rate").long("rate").env("ROSTRUM_RATE").action(ArgAction::Append)),
            )
            .subcommand(
                Command::new("token")
                    .arg(Arg::new("data").long("data").env("ROSTRUM_DATA").default_value("./data"))
                    .arg(Arg::new("name").long("name")),
            )
    }

    fn file(text: &str) -> Result<FileSettings, SettingsError> {
        parse(Path::new("rostrum.toml"), text)
    }

    #[test]
    fn the_file_is_named_by_the_flag_before_or_after_the_command_or_else_by_the_environment() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        let env = Some(OsString::from("/etc/rostrum.toml"));
        assert_eq!(path_from(&args(&["rostrum", "--config", "a.toml", "serve"]), env.clone()), Some("a.toml".into()));
        assert_eq!(path_from(&args(&["rostrum", "serve", "--config=b.toml"]), env.clone()), Some("b.toml".into()));
        assert_eq!(path_from(&args(&["rostrum", "serve"]), env), Some("/etc/rostrum.toml".into()));
        assert_eq!(path_from(&args(&["rostrum", "serve"]), Some(OsString::new())), None);
        assert_eq!(path_from(&args(&["rostrum", "token", "--", "--config"]), None), None);
    }

    #[test]
    fn a_value_from_the_file_is_the_default_of_every_command_with_that_option() {
        let settings = file("data = \"/var/lib/rostrum\"\nrate = [\"report=2/s:10\", \"health=1/min:1\"]\n").unwrap();

        let command = apply(command(), &settings).unwrap();

        let serve = command.clone().get_matches_from(["rostrum", "serve"]);
        let serve = serve.subcommand_matches("serve").unwrap();
        assert_eq!(serve.get_one::<String>("data").unwrap(), "/var/lib/rostrum");
        let rates: Vec<&String> = serve.get_many::<String>("rate").unwrap().collect();
        assert_eq!(rates, ["report=2/s:10", "health=1/min:1"]);
        let token = command.get_matches_from(["rostrum", "token"]);
        assert_eq!(token.subcommand_matches("token").unwrap().get_one::<String>("data").unwrap(), "/var/lib/rostrum");
    }

    #[test]
    fn a_flag_wins_over_the_file() {
        let settings = file("addr = \"0.0.0.0:80\"").unwrap();

        let matches = apply(command(), &settings).unwrap().get_matches_from(["rostrum", "serve", "--addr", "[::1]:9"]);

        assert_eq!(matches.subcommand_matches("serve").unwrap().get_one::<String>("addr").unwrap(), "[::1]:9");
    }

    #[test]
    fn keys_may_be_written_with_underscores_and_numbers_and_booleans_become_text() {
        let settings = file("max_connections = 10\nno_rate_limits = true\nratio = 2.5").unwrap();
        assert_eq!(
            settings.values,
            [
                ("max-connections".to_string(), vec!["10".to_string()]),
                ("no-rate-limits".to_string(), vec!["true".to_string()]),
                ("ratio".to_string(), vec!["2.5".to_string()]),
            ]
        );
    }

    #[test]
    fn a_key_that_is_not_a_setting_is_refused_with_the_list_of_settings() {
        let settings = file("adress = \"0.0.0.0:80\"").unwrap();
        let not_a_setting = file("name = \"Chair\"").unwrap();

        let refused = apply(command(), &settings).unwrap_err();
        let refused_name = apply(command(), &not_a_setting).unwrap_err();

        assert_eq!(refused.to_string(), "rostrum.toml: `adress` is not a setting; the settings are: addr, data, rate");
        assert!(refused_name.to_string().starts_with("rostrum.toml: `name` is not a setting"), "{refused_name}");
    }

    #[test]
    fn sections_lists_for_one_value_and_bad_toml_are_refused_with_the_files_name() {
        let section = file("[limits]\nmax = 1").unwrap_err();
        assert!(section.to_string().starts_with("rostrum.toml: `limits` is a section"), "{section}");
        let list = apply(command(), &file("addr = [\"a\", \"b\"]").unwrap()).unwrap_err();
        assert_eq!(list.to_string(), "rostrum.toml: `addr` takes one value, not a list");
        let syntax = file("addr = ").unwrap_err();
        assert!(syntax.to_string().starts_with("rostrum.toml is not valid TOML"), "{syntax}");
        let date = file("data = 2026-12-03").unwrap_err();
        assert!(date.to_string().contains("a value of a kind no setting takes"), "{date}");
    }
}
