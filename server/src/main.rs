//! `rostrum`: serve meetings, mint access tokens, set up the demo.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use rostrum::api::report::Format;
use rostrum::api::{grant, link, TokenRequest};
use rostrum::{clock, settings_file, Config, DataDir};
use shared::accreditation::quota::Quotas;
use shared::accreditation::Constituency;
use shared::{MeetingId, ParticipantId, ProcessId, Role};

#[derive(Debug, Parser)]
#[command(name = "rostrum", version, about = "A real-time speaking queue for hybrid intergovernmental meetings")]
struct Cli {
    /// A TOML file of settings, each key an option's long name (`addr = "0.0.0.0:8080"`); flags
    /// and ROSTRUM_* variables win over it (docs/configuration.md).
    #[arg(long, global = true, env = "ROSTRUM_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Log lines as plain text, or as one JSON object per line for a log collector.
    #[arg(long, global = true, env = "ROSTRUM_LOG_FORMAT", default_value = "text")]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Run the server.
    Serve {
        /// Data directory: the SQLite database, the token secret and a lock.
        #[arg(long, default_value = "./data", env = "ROSTRUM_DATA")]
        data: PathBuf,
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:8080", env = "ROSTRUM_ADDR")]
        addr: SocketAddr,
        /// Keep meetings, their logs and every record in this PostgreSQL database
        /// (`postgres://user:password@host:5432/rostrum`) instead of the data directory's SQLite
        /// file: what several nodes share.
        #[arg(long, env = "ROSTRUM_STORE", value_name = "URL")]
        store: Option<String>,
        /// Directory of the built web client.
        #[arg(long, env = "ROSTRUM_WEB_DIR")]
        web_dir: Option<PathBuf>,
        /// Base URL for printed links, when it differs from the listening address.
        #[arg(long, env = "ROSTRUM_PUBLIC_URL")]
        public_url: Option<String>,
        /// Another origin allowed to open WebSockets (repeatable).
        #[arg(long = "allow-origin", env = "ROSTRUM_ALLOW_ORIGIN", value_delimiter = ',')]
        allowed_origins: Vec<String>,
        /// An origin whose pages may frame Rostrum's screens, e.g. a webcast page showing the
        /// display (repeatable); by default no page may.
        #[arg(long = "frame-ancestor", env = "ROSTRUM_FRAME_ANCESTOR", value_delimiter = ',')]
        frame_ancestors: Vec<String>,
        /// Create the demo meeting if missing and print its links.
        #[arg(long, env = "ROSTRUM_DEMO")]
        demo: bool,
        /// Serve HTTPS and WSS with this PEM certificate chain (with --tls-key); without it,
        /// plain HTTP for a TLS proxy in front.
        #[arg(long, env = "ROSTRUM_TLS_CERT", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The PEM private key of --tls-cert.
        #[arg(long, env = "ROSTRUM_TLS_KEY", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        quotas: QuotaArgs,
        #[command(flatten)]
        forms: FormArgs,
        #[command(flatten)]
        webhooks: WebhookArgs,
    },
    /// Mint an access token (reads the secret from the data directory or ROSTRUM_SECRET); its id
    /// goes to stderr. `rostrum token revoke` revokes one.
    #[command(args_conflicts_with_subcommands = true)]
    Token {
        #[command(subcommand)]
        action: Option<TokenCmd>,
        // Not an `Option`: clap takes a flattened group as given when one of its values comes
        // from the environment (ROSTRUM_DATA in a container), and then asked `token revoke` for
        // --role. --role and --name are checked by hand instead.
        #[command(flatten)]
        mint: MintArgs,
    },
    /// Print the record of a meeting (or, with --process, of a process) with its parity figures.
    /// Reads the data directory (or the --store database) and may run beside the server.
    Report {
        /// The meeting's id (or the process's, with --process).
        id: String,
        /// Report on every meeting of the process `id`.
        #[arg(long)]
        process: bool,
        /// csv (one row per intervention) or json (the rows and the parity figures).
        #[arg(long, default_value = "csv")]
        format: Format,
        #[arg(long, default_value = "./data", env = "ROSTRUM_DATA")]
        data: PathBuf,
        /// The nodes' PostgreSQL database, when the server keeps its records there (its `--store`).
        #[arg(long, env = "ROSTRUM_STORE", value_name = "URL")]
        store: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Create the demo meeting (server stopped) and print its links.
    Demo {
        #[arg(long, default_value = "./data", env = "ROSTRUM_DATA")]
        data: PathBuf,
        /// The nodes' PostgreSQL database, when the server keeps its records there (its `--store`).
        #[arg(long, env = "ROSTRUM_STORE", value_name = "URL")]
        store: Option<String>,
        #[arg(long, default_value = "http://127.0.0.1:8080", env = "ROSTRUM_PUBLIC_URL")]
        public_url: String,
    },
    /// Manage the token signing keys (`keys.json` in the data directory).
    Keys {
        #[command(subcommand)]
        action: KeysCmd,
    },
    /// Copy the database to OUT while the server runs (SQLite's online backup: one consistent snapshot).
    Backup {
        #[arg(long, default_value = "./data", env = "ROSTRUM_DATA")]
        data: PathBuf,
        /// The nodes' PostgreSQL database, if set: refused, back it up with pg_dump.
        #[arg(long, env = "ROSTRUM_STORE", value_name = "URL")]
        store: Option<String>,
        /// The copy to write; must not exist.
        out: PathBuf,
    },
    /// Check a configuration file: every key a setting, every value valid; print the settings
    /// `rostrum serve` would run with and where each comes from.
    Config {
        #[command(subcommand)]
        action: ConfigCmd,
    },
    /// Make a backup the database of a data directory that has none (server stopped).
    Restore {
        #[arg(long, default_value = "./data", env = "ROSTRUM_DATA")]
        data: PathBuf,
        /// The nodes' PostgreSQL database, if set: refused, restore it with pg_restore.
        #[arg(long, env = "ROSTRUM_STORE", value_name = "URL")]
        store: Option<String>,
        /// A file written by `rostrum backup`.
        backup: PathBuf,
    },
}

/// Limits per address and per person (`docs/protocol.md`, "Limits").
#[derive(Debug, clap::Args)]
struct LimitArgs {
    /// Connections (HTTP and WebSocket alike) open at once from one remote address; more are
    /// answered 429 and closed. Never more than half of --max-connections.
    #[arg(long, default_value_t = 1000, env = "ROSTRUM_MAX_CONNECTIONS_PER_ADDRESS")]
    max_connections_per_address: usize,
    /// Connections open at once in all; lowered at start to the open-file limit less 64, and
    /// more are answered 503 and closed.
    #[arg(long, default_value_t = 50_000, env = "ROSTRUM_MAX_CONNECTIONS")]
    max_connections: usize,
    /// A route class's budget per address, as CLASS=COUNT/UNIT:BURST (UNIT is s, min or h), for
    /// example `--rate report=2/s:10`; repeat for several classes. Classes: health, files, read,
    /// snapshot, report, write, upload, connect, button. Over the budget: 429 with Retry-After.
    #[arg(long = "rate", value_name = "CLASS=BUDGET", env = "ROSTRUM_RATE", value_delimiter = ',')]
    rates: Vec<rostrum::limits::RouteBudget>,
    /// A route class's budget per person (token holder), as for --rate.
    #[arg(long = "person-rate", value_name = "CLASS=BUDGET", env = "ROSTRUM_PERSON_RATE", value_delimiter = ',')]
    person_rates: Vec<rostrum::limits::RouteBudget>,
    /// No request budgets at all: for benchmarks and load tests on a trusted network.
    #[arg(long, env = "ROSTRUM_NO_RATE_LIMITS")]
    no_rate_limits: bool,
    /// WebSockets open at once for one person; a newer one closes their oldest (4013).
    #[arg(long, default_value_t = 8, env = "ROSTRUM_MAX_CONNECTIONS_PER_PERSON")]
    max_connections_per_person: usize,
    /// Messages per second from one address, all its connections together (bursts of 2.5 times).
    #[arg(long, default_value_t = 200.0, env = "ROSTRUM_ADDRESS_MESSAGES_PER_SEC")]
    address_messages_per_sec: f64,
    /// Seconds without a frame or a pong after which a connection is dropped (pings every third).
    #[arg(long, default_value_t = 60, env = "ROSTRUM_IDLE_TIMEOUT_SECS")]
    idle_timeout_secs: u64,
    /// Kernel send buffer per socket in bytes; 0 leaves it to the kernel's own sizing.
    #[arg(long, default_value_t = 64 * 1024, env = "ROSTRUM_SEND_BUFFER_BYTES")]
    send_buffer_bytes: u32,
    /// Seconds an HTTP connection has to send a request's headers, from when it opens and from
    /// each answer on a kept-alive connection; then it is closed.
    #[arg(long, default_value_t = 10, env = "ROSTRUM_HEADER_TIMEOUT_SECS")]
    header_timeout_secs: u64,
}

/// How much one organisation or delegation may hold (`docs/api.md`, "Quotas"); over a quota a
/// write is refused with 409 `quota_exceeded`.
#[derive(Debug, clap::Args)]
struct QuotaArgs {
    /// Representatives an accredited organisation has at once (revoked ones do not count).
    #[arg(long, default_value_t = Quotas::default().representatives, env = "ROSTRUM_QUOTA_REPRESENTATIVES")]
    quota_representatives: u64,
    /// Materials an organisation provides across the meetings of its process.
    #[arg(long, default_value_t = Quotas::default().materials, env = "ROSTRUM_QUOTA_MATERIALS")]
    quota_materials: u64,
    /// Written statements an organisation submits to its process.
    #[arg(long, default_value_t = Quotas::default().statements, env = "ROSTRUM_QUOTA_STATEMENTS")]
    quota_statements: u64,
    /// MiB an organisation uploads across materials and statements' PDFs.
    #[arg(long, default_value_t = Quotas::default().bytes / (1024 * 1024), env = "ROSTRUM_QUOTA_UPLOAD_MIB")]
    quota_upload_mib: u64,
    /// Objections a member state's delegation lodges in one process.
    #[arg(long, default_value_t = Quotas::default().objections, env = "ROSTRUM_QUOTA_OBJECTIONS")]
    quota_objections: u64,
    /// Experts a delegation has at once in one process (withdrawn ones do not count).
    #[arg(long, default_value_t = Quotas::default().experts, env = "ROSTRUM_QUOTA_EXPERTS")]
    quota_experts: u64,
}

impl From<QuotaArgs> for Quotas {
    fn from(args: QuotaArgs) -> Self {
        Quotas {
            representatives: args.quota_representatives,
            materials: args.quota_materials,
            statements: args.quota_statements,
            bytes: args.quota_upload_mib.saturating_mul(1024 * 1024),
            objections: args.quota_objections,
            experts: args.quota_experts,
        }
    }
}

/// The public forms (`docs/api.md`, "Public forms"): the application form and written statements.
/// Each limit of 0 is off.
#[derive(Debug, clap::Args)]
struct FormArgs {
    /// Leading zero bits of the proof of work the public forms ask for (about 2^N hashes; 17 is
    /// about a second in a phone's browser); 0 asks for none.
    #[arg(long, default_value_t = 17, env = "ROSTRUM_PROOF_BITS", value_parser = clap::value_parser!(u8).range(0..=32))]
    proof_bits: u8,
    /// Seconds a challenge may be used after it is handed out.
    #[arg(long, default_value_t = 600, env = "ROSTRUM_PROOF_TTL_SECS")]
    proof_ttl_secs: u64,
    /// Applications per hour from one address (an IPv6 address counts by its /64).
    #[arg(long, default_value_t = 10, env = "ROSTRUM_APPLICATIONS_PER_ADDRESS")]
    applications_per_address: u32,
    /// How many of those one address may send at once.
    #[arg(long, default_value_t = 3, env = "ROSTRUM_APPLICATIONS_BURST")]
    applications_burst: u32,
    /// Applications per hour to one process, from every address together.
    #[arg(long, default_value_t = 200, env = "ROSTRUM_APPLICATIONS_PER_PROCESS")]
    applications_per_process: u32,
    /// Written statements per hour from one address.
    #[arg(long, default_value_t = 30, env = "ROSTRUM_STATEMENTS_PER_ADDRESS")]
    statements_per_address: u32,
    /// How many of those one address may send at once.
    #[arg(long, default_value_t = 10, env = "ROSTRUM_STATEMENTS_BURST")]
    statements_burst: u32,
    /// Written statements per hour to one process, from every address together.
    #[arg(long, default_value_t = 500, env = "ROSTRUM_STATEMENTS_PER_PROCESS")]
    statements_per_process: u32,
}

impl From<FormArgs> for rostrum::api::forms::FormLimits {
    fn from(args: FormArgs) -> Self {
        use rostrum::api::forms::FormQuota;
        rostrum::api::forms::FormLimits {
            proof_bits: args.proof_bits,
            proof_ttl: std::time::Duration::from_secs(args.proof_ttl_secs.max(1)),
            applications: FormQuota {
                per_address_per_hour: args.applications_per_address,
                address_burst: args.applications_burst,
                per_process_per_hour: args.applications_per_process,
            },
            statements: FormQuota {
                per_address_per_hour: args.statements_per_address,
                address_burst: args.statements_burst,
                per_process_per_hour: args.statements_per_process,
            },
        }
    }
}

impl From<LimitArgs> for rostrum::limits::Limits {
    fn from(args: LimitArgs) -> Self {
        rostrum::limits::Limits {
            connections_per_address: args.max_connections_per_address.max(1),
            connections_per_person: args.max_connections_per_person.max(1),
            address_messages_per_sec: args.address_messages_per_sec.max(1.0),
            address_burst: (args.address_messages_per_sec * 2.5).max(1.0),
            idle_timeout: std::time::Duration::from_secs(args.idle_timeout_secs.max(1)),
            send_buffer_bytes: (args.send_buffer_bytes > 0).then_some(args.send_buffer_bytes),
            header_timeout: std::time::Duration::from_secs(args.header_timeout_secs.max(1)),
            max_connections: args.max_connections.max(2),
            rates: rate_budgets(args.no_rate_limits, &args.rates, &args.person_rates),
        }
    }
}

/// Outgoing webhooks' retries (`docs/api.md`, "Webhooks").
#[derive(Debug, clap::Args)]
struct WebhookArgs {
    /// Milliseconds before the first retry of a webhook that was not delivered; each retry waits
    /// twice as long as the one before, with jitter.
    #[arg(long, default_value_t = 1000, env = "ROSTRUM_WEBHOOK_BACKOFF_MS")]
    webhook_backoff_ms: u64,
    /// The longest wait between two attempts, in milliseconds.
    #[arg(long, default_value_t = 300_000, env = "ROSTRUM_WEBHOOK_BACKOFF_CAP_MS")]
    webhook_backoff_cap_ms: u64,
}

impl From<WebhookArgs> for rostrum::webhooks::Settings {
    fn from(args: WebhookArgs) -> Self {
        let first = std::time::Duration::from_millis(args.webhook_backoff_ms.max(1));
        rostrum::webhooks::Settings {
            backoff_first: first,
            backoff_cap: std::time::Duration::from_millis(args.webhook_backoff_cap_ms).max(first),
            ..Default::default()
        }
    }
}

/// The default budgets, with the classes given on the command line in their place.
fn rate_budgets(
    off: bool,
    address: &[rostrum::limits::RouteBudget],
    person: &[rostrum::limits::RouteBudget],
) -> rostrum::limits::RateBudgets {
    let budgets = if off { rostrum::limits::RateBudgets::unlimited() } else { Default::default() };
    budgets.with(address, person)
}

/// What goes into a new token.
#[derive(Debug, clap::Args)]
struct MintArgs {
    #[arg(long, default_value = "./data", env = "ROSTRUM_DATA")]
    data: PathBuf,
    /// The nodes' PostgreSQL database, when the server keeps its records there (its `--store`).
    #[arg(long, env = "ROSTRUM_STORE", value_name = "URL")]
    store: Option<String>,
    /// chair, secretariat, delegate, stakeholder, expert, panellist or observer (required).
    #[arg(long, value_parser = parse_role)]
    role: Option<Role>,
    /// Name shown on screens (required).
    #[arg(long)]
    name: Option<String>,
    /// Participant id (default: random).
    #[arg(long)]
    id: Option<ParticipantId>,
    /// Member state spoken for (delegates, experts).
    #[arg(long)]
    delegation: Option<String>,
    /// Organisation (stakeholders, panellists, experts' home organisation).
    #[arg(long)]
    organisation: Option<String>,
    /// For a representative of an accredited organisation: the organisation's id (as its page
    /// and `GET /api/processes/ID/applications` show it). The token then names the organisation,
    /// opens its process, and stops working if the accreditation is revoked. Stakeholder tokens
    /// without it may follow open meetings but not ask for the floor.
    #[arg(long, conflicts_with = "organisation")]
    accredited: Option<String>,
    /// The meeting the token opens.
    #[arg(long)]
    meeting: Option<MeetingId>,
    /// The process whose every meeting the token opens.
    #[arg(long)]
    process: Option<ProcessId>,
    /// The organisation's constituency, for the parity figures: ngo, academia, private_sector or
    /// technical_community.
    #[arg(long, value_parser = parse_constituency)]
    constituency: Option<Constituency>,
    /// The organisation's country, for the parity figures by region.
    #[arg(long)]
    country: Option<String>,
    /// Validity in hours (1 to 8760).
    #[arg(long, default_value_t = 168)]
    ttl_hours: u32,
    /// Base URL of the server, to print a link.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "ROSTRUM_PUBLIC_URL")]
    public_url: String,
}

#[derive(Debug, Subcommand)]
enum TokenCmd {
    /// Revoke a token by its id (printed when it was minted) or the whole token: it opens nothing
    /// more, and a running server closes the sessions opened with it within a second (4010).
    /// Other tokens of the same person keep working.
    Revoke {
        /// The token's id, or the token itself.
        token: String,
        #[arg(long, default_value = "./data", env = "ROSTRUM_DATA")]
        data: PathBuf,
        /// The nodes' PostgreSQL database, when the server keeps its records there (its `--store`).
        #[arg(long, env = "ROSTRUM_STORE", value_name = "URL")]
        store: Option<String>,
        /// Why, for the record.
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCmd {
    /// Check the file named by --config (or ROSTRUM_CONFIG) and print the effective settings of
    /// `rostrum serve`; exits with 1 on the first problem.
    Check,
}

#[derive(Debug, Subcommand)]
enum KeysCmd {
    /// Add a new signing key; older keys keep verifying tokens for the overlap, then retire. A
    /// running server picks the change up within a second.
    Rotate {
        #[arg(long, default_value = "./data", env = "ROSTRUM_DATA")]
        data: PathBuf,
        /// Hours during which tokens signed with the older keys are still accepted.
        #[arg(long, default_value_t = 24)]
        overlap_hours: u32,
    },
    /// List the keys: id, creation and retirement (never the secrets).
    List {
        #[arg(long, default_value = "./data", env = "ROSTRUM_DATA")]
        data: PathBuf,
    },
}

/// Logs to stderr, filtered by `RUST_LOG`, as plain text (coloured only on a terminal) or JSON
/// lines. Whatever the filter, frames are never logged: tungstenite traces every frame it reads or
/// writes, and a client's first frame holds its token.
fn logging(format: LogFormat) {
    use tracing_subscriber::filter::{filter_fn, FilterExt};
    use tracing_subscriber::prelude::*;
    let by_env =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,hyper=warn,warp=warn".into());
    // The hint keeps `RUST_LOG`'s level the most verbose one anything is logged at. Without it the
    // pair had no hint, so every `log` record of tungstenite and hyper (a trace line per frame) was
    // formatted into a record and filtered out one by one, a few per cent of a busy server's CPU.
    let no_frames = filter_fn(|meta| {
        !(*meta.level() == tracing::Level::TRACE
            && meta.target().trim_start_matches("tokio_").starts_with("tungstenite"))
    })
    .with_max_level_hint(tracing::level_filters::LevelFilter::TRACE);
    let filter = by_env.and(no_frames);
    let layer = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    match format {
        LogFormat::Text => {
            use std::io::IsTerminal;
            let layer = layer.with_ansi(std::io::stderr().is_terminal());
            tracing_subscriber::registry().with(layer.with_filter(filter)).init();
        }
        LogFormat::Json => {
            tracing_subscriber::registry().with(layer.json().with_filter(filter)).init();
        }
    }
}

/// `rostrum config check`: the settings `rostrum serve` would run with, one `key = value` line
/// each with where it comes from; an error (exit 1) when the file or a value is refused.
fn check_config(command: clap::Command, file: Option<&settings_file::FileSettings>) -> anyhow::Result<()> {
    use clap::parser::ValueSource;
    let matches = command
        .clone()
        .try_get_matches_from(["rostrum", "serve"])
        .map_err(|e| anyhow::anyhow!("{}", e.render().to_string().trim_start_matches("error: ").trim_end()))?;
    let serve = matches.subcommand_matches("serve").expect("the serve command");
    if let Cmd::Serve { frame_ancestors, .. } = Cli::from_arg_matches(&matches)?.command {
        for origin in &frame_ancestors {
            rostrum::api::frame_ancestor(origin).map_err(anyhow::Error::msg)?;
        }
    }
    let mut out = std::io::stdout();
    match file {
        Some(file) => writeln!(out, "# {}: every key is a setting and every value is valid", file.path.display())?,
        None => writeln!(
            out,
            "# no configuration file (--config or ROSTRUM_CONFIG): built-in defaults and the environment"
        )?,
    }
    let serve_command = command.find_subcommand("serve").expect("the serve command");
    for arg in command.get_arguments().chain(serve_command.get_arguments()) {
        let (Some(long), Some(env)) = (arg.get_long(), arg.get_env()) else { continue };
        if long == "config" {
            continue;
        }
        let id = arg.get_id().as_str();
        let found = if serve.try_contains_id(id).is_ok() { serve } else { &matches };
        let values: Vec<String> = found
            .get_raw(id)
            .map(|raw| raw.map(|v| format!("{:?}", v.to_string_lossy())).collect())
            .unwrap_or_default();
        // A database URL may carry a password: shown without it.
        let values: Vec<String> = if long == "store" {
            values.iter().map(|v| rostrum::store::postgres::redacted(v)).collect()
        } else {
            values
        };
        let value = match values.as_slice() {
            [] => "(not set)".to_string(),
            [one] if !matches!(arg.get_action(), clap::ArgAction::Append) => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        let source = match found.value_source(id) {
            Some(ValueSource::CommandLine) => "command line".to_string(),
            Some(ValueSource::EnvVariable) => format!("environment, {}", env.to_string_lossy()),
            Some(ValueSource::DefaultValue) if file.is_some_and(|f| f.sets(long)) => "file".to_string(),
            _ => "default".to_string(),
        };
        writeln!(out, "{long} = {value}  # {source}")?;
    }
    Ok(())
}

fn parse_constituency(text: &str) -> Result<Constituency, String> {
    text.parse()
        .map_err(|_| format!("unknown constituency {text:?}: ngo, academia, private_sector or technical_community"))
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse().map_err(|_| {
        format!("unknown role {text:?}: chair, secretariat, delegate, stakeholder, expert, panellist or observer")
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    rostrum::at_rest::private_from_now_on();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let file = match settings_file::path_from(&args, std::env::var_os("ROSTRUM_CONFIG")) {
        Some(path) => Some(settings_file::read(&path)?),
        None => None,
    };
    let command = match &file {
        Some(file) => settings_file::apply(Cli::command(), file)?,
        None => Cli::command(),
    };
    let cli = Cli::from_arg_matches(&command.clone().get_matches_from(&args)).unwrap_or_else(|e| e.exit());
    logging(cli.log_format);
    match cli.command {
        Cmd::Config { action: ConfigCmd::Check } => check_config(command, file.as_ref())?,
        Cmd::Serve {
            data,
            addr,
            store,
            web_dir,
            public_url,
            allowed_origins,
            frame_ancestors,
            demo,
            tls_cert,
            tls_key,
            limits,
            quotas,
            forms,
            webhooks,
        } => {
            for origin in &frame_ancestors {
                rostrum::api::frame_ancestor(origin).map_err(anyhow::Error::msg)?;
            }
            let data = DataDir::lock(data)?;
            let (soft, raised) = rostrum::limits::raise_open_files();
            tracing::info!(before = ?soft, now = ?raised, "open-file limit (each socket is a file)");
            let limits = limits.into();
            let config = Config {
                data_dir: data.path.clone(),
                addr,
                store,
                web_dir,
                public_url,
                allowed_origins,
                frame_ancestors,
                limits,
                quotas: quotas.into(),
                forms: forms.into(),
                webhooks: webhooks.into(),
                tls: tls_cert.zip(tls_key).map(|(cert, key)| rostrum::tls::TlsFiles { cert, key }),
            };
            let scheme = if config.tls.is_some() { "https" } else { "http" };
            let mut running = rostrum::start(config, &data).await?;
            if let Some(warning) = rostrum::at_rest::clear_text_warning(running.addr, &running.app.public_url) {
                tracing::warn!("{warning}");
            }
            // The demo is in place before the first line is printed, so that whoever reads it
            // (a person, a script, the tests) finds the demo's meetings there.
            let links = if demo { Some(rostrum::demo::ensure(&running.app).await?) } else { None };
            let mut out = std::io::stdout();
            writeln!(out, "Rostrum listening on {scheme}://{}", running.addr)?;
            if let Some(links) = links {
                writeln!(out, "{links}")?;
            }
            out.flush()?;
            tokio::select! {
                _ = shutdown_signal() => {
                    tracing::info!("shutting down");
                    running.stop().await;
                }
                _ = running.wait() => {}
            }
        }
        Cmd::Token { action: Some(TokenCmd::Revoke { token, data, store, reason }), .. } => {
            blocking(move || revoke_token(&token, &data, store.as_deref(), reason)).await?
        }
        Cmd::Token {
            action: None,
            mint:
                MintArgs {
                    data,
                    store,
                    role,
                    name,
                    id,
                    delegation,
                    organisation,
                    accredited,
                    meeting,
                    process,
                    constituency,
                    country,
                    ttl_hours,
                    public_url,
                },
        } => {
            let (Some(role), Some(name)) = (role, name) else {
                anyhow::bail!("say what the token is for (--role and --name at least), or `rostrum token revoke ID`")
            };
            std::fs::create_dir_all(&data)?;
            let keys = rostrum::auth::Keys::load_or_create(&data)?;
            // A representative's token carries the accredited organisation's name and id, as the
            // organisation's page mints them.
            let (organisation, process, org) = match accredited {
                None => (organisation, process, None),
                Some(id) => {
                    anyhow::ensure!(role == Role::Stakeholder, "--accredited is for --role stakeholder");
                    let (data, store, wanted) = (data.clone(), store.clone(), id.clone());
                    let found =
                        blocking(move || Ok(rostrum::store::records(&data, store.as_deref())?.organisation(&wanted)?))
                            .await?
                            .ok_or_else(|| anyhow::anyhow!("there is no organisation {id}"))?;
                    anyhow::ensure!(
                        found.status == shared::accreditation::Status::Approved,
                        "{} is not accredited ({:?}): a representative's token needs an accredited organisation",
                        found.application.name,
                        found.status
                    );
                    anyhow::ensure!(
                        meeting.is_none() && process.as_ref().is_none_or(|p| *p == found.process),
                        "a representative's token opens the organisation's process, {}",
                        found.process
                    );
                    (Some(found.application.name), Some(found.process), Some(found.id))
                }
            };
            if role == Role::Stakeholder && org.is_none() {
                eprintln!(
                    "note: this stakeholder is tied to no accredited organisation: they may follow open meetings but not ask for the floor (use --accredited ORGANISATION_ID)"
                );
            }
            let request = TokenRequest {
                id,
                name,
                role,
                delegation,
                organisation,
                meeting: meeting.clone(),
                process,
                ttl_hours: Some(ttl_hours),
                constituency,
                country,
            };
            let grant = grant(request).map_err(anyhow::Error::msg)?;
            let token = keys.mint_for(&grant, clock::now(), rostrum::auth::AUDIENCE, org.as_deref());
            println!("{token}");
            if let Some(id) = rostrum::auth::token_id(&token) {
                eprintln!("token id: {id}");
            }
            if let Some(meeting) = meeting {
                eprintln!("link: {}", link(public_url.trim_end_matches('/'), role, &meeting, Some(&token)));
            }
        }
        Cmd::Report { id, process, format, data, store, output } => {
            let report = blocking(move || {
                let records = rostrum::store::records(&data, store.as_deref())?;
                rostrum::api::report::offline(&*records, &id, process, clock::now())
            })
            .await?;
            let text = match format {
                Format::Csv => format!("{}{}", rostrum::api::report::CSV_BOM, report.to_csv()),
                Format::Json => serde_json::to_string_pretty(&report)? + "\n",
            };
            match output {
                Some(path) => std::fs::write(&path, text)?,
                None => std::io::stdout().write_all(text.as_bytes())?,
            }
        }
        Cmd::Demo { data, store, public_url } => {
            let data = DataDir::lock(data)?;
            let config = Config {
                data_dir: data.path.clone(),
                addr: "127.0.0.1:0".parse()?,
                store,
                web_dir: None,
                public_url: Some(public_url),
                allowed_origins: vec![],
                frame_ancestors: vec![],
                limits: Default::default(),
                quotas: Default::default(),
                forms: Default::default(),
                webhooks: Default::default(),
                tls: None,
            };
            let running = rostrum::start(config, &data).await?;
            println!("{}", rostrum::demo::ensure(&running.app).await?);
            running.stop().await;
        }
        Cmd::Keys { action } => keys(action)?,
        Cmd::Backup { data, store, out } => {
            refuse_postgres(store.as_deref(), "back it up with pg_dump")?;
            rostrum::store::backup::backup(&data, &out)?;
            eprintln!("backed up {} to {}", data.join(rostrum::store::backup::DATABASE).display(), out.display());
        }
        Cmd::Restore { data, store, backup } => {
            refuse_postgres(store.as_deref(), "restore it with pg_restore")?;
            let data = DataDir::lock(data)?;
            let path = rostrum::store::backup::restore(&backup, &data.path)?;
            eprintln!(
                "restored {} as {}; start the server on {}",
                backup.display(),
                path.display(),
                data.path.display()
            );
        }
    }
    Ok(())
}

/// Runs `work` on a blocking thread: the PostgreSQL client blocks, and may not run on the
/// runtime's own threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> anyhow::Result<T> + Send + 'static) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(work).await?
}

/// `backup` and `restore` copy the SQLite file; a PostgreSQL database has its own tools.
fn refuse_postgres(store: Option<&str>, instead: &str) -> anyhow::Result<()> {
    match store {
        Some(url) => anyhow::bail!(
            "the records are in PostgreSQL ({}), not in the data directory: {instead} (docs/operations.md#several-nodes)",
            rostrum::store::postgres::redacted(url)
        ),
        None => Ok(()),
    }
}

/// Records the revocation in the store beside a running server (every node, when they share
/// PostgreSQL), which notices within a second.
fn revoke_token(
    token: &str,
    data: &std::path::Path,
    store: Option<&str>,
    reason: Option<String>,
) -> anyhow::Result<()> {
    let token = token.trim();
    let jti = rostrum::auth::token_id(token)
        .or_else(|| rostrum::auth::parse_token_id(token))
        .ok_or_else(|| anyhow::anyhow!("not a token id (1 to 128 letters, digits, '-', '_', '.', ':') nor a token"))?;
    let reason = reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    let revocation = rostrum::store::RevokedToken { jti: jti.clone(), revoked_at: clock::now(), reason };
    let stored = match store {
        Some(url) => {
            use rostrum::store::{Store, TokenStore};
            let nodes = rostrum::store::postgres::PgStore::open(url)?;
            let stored = nodes.revoke_token(&revocation)?;
            nodes.announce(rostrum::store::Change::Revoked);
            stored
        }
        None => rostrum::store::tokens::revoke_beside_server(data, &revocation)?,
    };
    if stored.revoked_at == revocation.revoked_at {
        eprintln!("revoked token id {jti}; a running server closes its sessions within a second");
    } else {
        eprintln!("token id {jti} was already revoked (at {} ms since the epoch)", stored.revoked_at.0);
    }
    Ok(())
}

fn keys(action: KeysCmd) -> anyhow::Result<()> {
    use rostrum::auth::keyring::KeyFile;
    anyhow::ensure!(
        std::env::var_os("ROSTRUM_SECRET").is_none(),
        "ROSTRUM_SECRET is set: its one key cannot be rotated; unset it to use the data directory's key ring"
    );
    let now = clock::now().0 / 1000;
    match action {
        KeysCmd::Rotate { data, overlap_hours } => {
            std::fs::create_dir_all(&data)?;
            let mut ring = KeyFile::load_or_create(&data, now)?;
            let kid = ring.rotate(now, i64::from(overlap_hours) * 3600);
            let path = ring.save(&data)?;
            eprintln!("new signing key {kid} in {}; older keys retire in {overlap_hours} h", path.display());
        }
        KeysCmd::List { data } => {
            let ring = KeyFile::load_or_create(&data, now)?;
            for key in ring.keys {
                let state = match key.retires_at {
                    None => "in force".to_string(),
                    Some(at) if at <= now => format!("retired at {at}"),
                    Some(at) => format!("retires at {at} (in {} min)", (at - now) / 60),
                };
                println!("{}\tcreated {}\t{state}", key.kid, key.created_at);
            }
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("signal handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_constituencies_are_read_by_their_wire_names() {
        assert_eq!(parse_role("panellist"), Ok(Role::Panellist));
        assert_eq!(parse_constituency("private_sector"), Ok(Constituency::PrivateSector));
        assert_eq!(
            parse_role("Chair"),
            Err("unknown role \"Chair\": chair, secretariat, delegate, stakeholder, expert, panellist or observer"
                .into())
        );
        assert_eq!(
            parse_constituency("civil society"),
            Err("unknown constituency \"civil society\": ngo, academia, private_sector or technical_community".into())
        );
    }
}
