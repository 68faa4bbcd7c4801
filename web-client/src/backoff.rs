//! How long to wait before the next reconnection attempt: doubling from a short first wait, capped,
//! with jitter so that a room full of screens does not reconnect in lockstep after a restart.

/// Wait before the first retry, in milliseconds.
const FIRST_MS: f64 = 300.0;
/// Longest wait between attempts, in milliseconds.
const CAP_MS: f64 = 8_000.0;

/// The wait before retry number `attempt` (1 for the first retry). `jitter` is a random number in
/// `[0, 1)`; it spreads the wait over ±20 %.
pub fn delay_ms(attempt: u32, jitter: f64) -> u32 {
    let exponent = attempt.saturating_sub(1).min(16);
    let base = (FIRST_MS * f64::from(1u32 << exponent)).min(CAP_MS);
    let spread = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    (base * spread).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_a_short_first_retry() {
        assert_eq!(delay_ms(1, 0.5), 300);
        assert_eq!(delay_ms(2, 0.5), 600);
        assert_eq!(delay_ms(3, 0.5), 1_200);
    }

    #[test]
    fn the_wait_is_capped_however_long_the_outage() {
        assert_eq!(delay_ms(10, 0.5), 8_000);
        assert_eq!(delay_ms(u32::MAX, 0.5), 8_000);
    }

    #[test]
    fn jitter_spreads_the_wait_by_a_fifth_either_way() {
        assert_eq!(delay_ms(2, 0.0), 480);
        assert_eq!(delay_ms(2, 0.999_999), 720);
    }
}
