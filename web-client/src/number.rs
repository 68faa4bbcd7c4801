//! Numbers for people in the page's language — `47,1` in French, `45 %` in Russian, `45%` in
//! English — through the browser's `Intl.NumberFormat`, which knows every language's decimal sign,
//! grouping and percent sign without a byte of wasm. Natively (the unit tests) they are written
//! as the English `Intl` writes them.

/// `value` with exactly `fraction_digits` digits after the decimal sign: `47.1`, `47,1`.
pub fn decimal(value: f64, fraction_digits: u8) -> String {
    let digits = fraction_digits.to_string();
    let options = [("minimumFractionDigits", digits.as_str()), ("maximumFractionDigits", digits.as_str())];
    formatted(&options, value).unwrap_or_else(|| format!("{value:.*}", usize::from(fraction_digits)))
}

/// A share between 0 and 1 as a whole percentage: `45%`, `45 %`; `<1%` for a share above 0 too
/// small to round to 1.
pub fn percent(share: f64) -> String {
    let whole = |share: f64| {
        formatted(&[("style", "percent"), ("maximumFractionDigits", "0")], share)
            .unwrap_or_else(|| format!("{}%", (share * 100.0).round()))
    };
    if share > 0.0 && (share * 100.0).round() < 1.0 {
        format!("<{}", whole(0.01))
    } else {
        whole(share)
    }
}

#[cfg(target_arch = "wasm32")]
fn formatted(options: &[(&str, &str)], value: f64) -> Option<String> {
    Some(crate::browser::number_format(options)?.format(value))
}

#[cfg(not(target_arch = "wasm32"))]
fn formatted(_options: &[(&str, &str)], _value: f64) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decimal_keeps_exactly_its_digits() {
        assert_eq!(decimal(47.08, 1), "47.1");
        assert_eq!(decimal(10.0, 1), "10.0");
        assert_eq!(decimal(3.0, 0), "3");
    }

    #[test]
    fn a_share_is_a_whole_percentage_and_a_sliver_is_below_one() {
        assert_eq!(percent(0.456), "46%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.004), "<1%");
    }
}
