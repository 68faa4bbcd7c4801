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
