//! Figures of one run of a case, and medians over repeated runs.

use std::collections::BTreeMap;

/// The figures one run of a case produced, by name.
#[derive(Debug, Clone, Default)]
pub struct Sample(BTreeMap<&'static str, f64>);

impl Sample {
    pub fn put(&mut self, name: &'static str, value: f64) {
        self.0.insert(name, value);
    }

    /// Takes in every figure of `other`.
    pub fn merge(&mut self, other: Sample) {
        self.0.extend(other.0);
    }

    pub fn get(&self, name: &str) -> f64 {
        self.0.get(name).copied().unwrap_or(f64::NAN)
    }
}

/// The `p`-th percentile (nearest rank) of `values`; NaN when empty.
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// The median of one figure over repeated runs; NaN when no run produced it.
pub fn median(samples: &[Sample], name: &str) -> f64 {
    let mut values: Vec<f64> = samples.iter().map(|s| s.get(name)).filter(|v| !v.is_nan()).collect();
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}
