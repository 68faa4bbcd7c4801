//! The soak runner: the long reliability checks of issue 6 with their counts as arguments, each
//! printing its figures and exiting non-zero when a promise does not hold.
//!
//! ```sh
//! cargo build -p rostrum-server && cargo run -p rostrum-tests --bin soak -- kill-loop --kills 50
//! cargo run -p rostrum-tests --bin soak -- storm --clients 300 --rounds 5
//! cargo run -p rostrum-tests --bin soak -- idempotency --losses 1000
//! ```

use std::time::Instant;

use clap::{Parser, Subcommand};
use rostrum_tests::soak::{self, percentile};

#[derive(Debug, Parser)]
#[command(name = "soak", about = "Rostrum's long reliability checks (issue 6)")]
struct Cli {
    /// Seed of the random moments, to repeat a run.
    #[arg(long, global = true, default_value_t = 6)]
    seed: u64,
    #[command(subcommand)]
    check: Check,
}

#[derive(Debug, Subcommand)]
enum Check {
    /// SIGKILL the server at random moments under load; nothing acknowledged may be lost.
    KillLoop {
        #[arg(long, default_value_t = 20)]
        kills: usize,
    },
    /// Cut and reconnect many screens at random while the meeting changes.
    Storm {
        #[arg(long, default_value_t = 300)]
        clients: usize,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// Issue 12's attack phase: idle sockets, report requests and floods from hostile addresses
    /// while a chair carries on; the chair's and /healthz's p99 against a quiet baseline.
    Attack {
        /// Idle sockets opened from 127.0.0.2.
        #[arg(long, default_value_t = 5000)]
        sockets: usize,
        /// Report requests a second, spread over 100 addresses.
        #[arg(long, default_value_t = 500)]
        reports: usize,
        /// Seconds of each phase (quiet, idle sockets, reports) and of each flood.
        #[arg(long, default_value_t = 60)]
        secs: u64,
    },
    /// Drop the socket after the commit and before the ack, then retry.
    Idempotency {
        #[arg(long, default_value_t = 500)]
        losses: usize,
    },
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let start = Instant::now();
    let failures = match cli.check {
        Check::KillLoop { kills } => {
            let r = soak::kill_loop(kills, cli.seed).await;
            println!(
                "kill-loop: {} kills, {} acknowledged commands, {} in flight at a kill, {} events in the log; \
                 acknowledged lost {}, gaps {}, duplicates {}, state mismatches {}",
                r.kills, r.acked, r.in_flight, r.events, r.lost, r.gaps, r.duplicates, r.state_mismatches
            );
            r.failures()
        }
        Check::Storm { clients, rounds } => {
            let r = soak::storm(clients, rounds, cli.seed).await;
            println!(
                "storm: {} clients, {} reconnects, {} events; gaps {}, duplicates {}, reorderings {}, \
                 screens differing {}; catch-up p50 {:?}, p99 {:?}, max {:?}",
                r.clients,
                r.reconnects,
                r.events,
                r.gaps,
                r.duplicates,
                r.reorderings,
                r.mismatches,
                percentile(&r.catch_up, 0.5),
                percentile(&r.catch_up, 0.99),
                percentile(&r.catch_up, 1.0)
            );
            r.failures()
        }
        Check::Attack { sockets, reports, secs } => {
            let r = rostrum_tests::attack::attack(sockets, reports, std::time::Duration::from_secs(secs)).await;
            let show = |name: &str, pace: &rostrum_tests::attack::Pace| {
                println!(
                    "attack: {name}: chair's ack p50 {:?} p99 {:?} ({} acks); /healthz p50 {:?} p99 {:?} ({} asked, {} failed)",
                    percentile(&pace.acks, 0.5),
                    pace.ack_p99(),
                    pace.acks.len(),
                    percentile(&pace.health, 0.5),
                    pace.health_p99(),
                    pace.health.len(),
                    pace.health_failures
                );
            };
            show("quiet", &r.quiet);
            println!(
                "attack: {} idle sockets opened from 127.0.0.2, {} still held after 1 s",
                r.sockets_opened, r.sockets_held
            );
            show("idle sockets", &r.idle_sockets);
            println!(
                "attack: {} report requests ({:.0}/s): {} sent in full, {} not modified, {} rate limited",
                r.report_requests,
                r.report_requests as f64 / secs as f64,
                r.report_answers[0],
                r.report_answers[1],
                r.report_answers[2]
            );
            show("reports", &r.reports);
            for flood in &r.floods {
                let codes: Vec<String> = flood
                    .codes
                    .iter()
                    .filter(|(code, _)| !code.is_empty())
                    .map(|(code, n)| format!("{n} {code}"))
                    .collect();
                println!(
                    "attack: flood {}: {} sent, {} accepted (at most {} allowed), {} rate limited, {} refused ({}); data directory {:+} bytes",
                    flood.route,
                    flood.sent,
                    flood.accepted,
                    flood.allowed,
                    flood.limited,
                    flood.refused,
                    codes.join(", "),
                    flood.growth
                );
            }
            println!("attack: {} accept errors in the server's log", r.accept_errors);
            for (path, mode) in &r.modes {
                println!("attack: mode {mode:o} {path}");
            }
            let failures = r.failures();
            for failure in &failures {
                eprintln!("attack: FAILED {failure}");
            }
            failures.len()
        }
        Check::Idempotency { losses } => {
            let r = soak::lost_acks(losses).await;
            println!(
                "idempotency: {} acks lost ({} after the commit); duplicate entries {}, missing entries {}",
                r.losses, r.committed_before_retry, r.duplicates, r.missing
            );
            r.failures()
        }
    };
    println!("took {:.1} s", start.elapsed().as_secs_f64());
    if failures > 0 {
        eprintln!("FAILED: {failures} failures");
        std::process::exit(1);
    }
}
