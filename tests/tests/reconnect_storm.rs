//! Screens cut and reconnected at random while the meeting changes: each sees every event since it
//! joined once and in order, and ends with the server's state. `make soak` runs the same storm with
//! hundreds of screens and reports the catch-up time.

use rostrum_tests::soak::{percentile, storm};

#[tokio::test]
async fn sixty_screens_cut_and_reconnected_at_random_miss_repeat_and_reorder_nothing() {
    // Arrange, act
    let report = storm(60, 3, 6).await;

    // Assert
    println!(
        "storm: {} reconnects over {} events, catch-up p99 {:?}",
        report.reconnects,
        report.events,
        percentile(&report.catch_up, 0.99)
    );
    assert_eq!(report.reconnects, 180);
    assert!(report.events > 20, "the meeting hardly changed: {} events", report.events);
    assert_eq!((report.gaps, report.duplicates, report.reorderings, report.mismatches), (0, 0, 0, 0), "{report:?}");
}
