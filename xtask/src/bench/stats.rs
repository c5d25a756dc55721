//! Repeated measurements and how the tables show them: the median, with the minimum and the
//! maximum, since the machine is shared and single runs are noisy.

use std::time::Duration;

/// The values of one figure over several runs.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    values: Vec<f64>,
}

impl Samples {
    pub fn push(&mut self, value: f64) {
        self.values.push(value);
    }

    pub fn push_duration(&mut self, duration: Duration) {
        self.push(duration.as_secs_f64());
    }

    /// The middle value; the mean of the two middle ones for an even count; 0 when empty.
    pub fn median(&self) -> f64 {
        let sorted = self.sorted();
        match sorted.len() {
            0 => 0.0,
            count if count % 2 == 1 => sorted[count / 2],
            count => (sorted[count / 2 - 1] + sorted[count / 2]) / 2.0,
        }
    }

    pub fn min(&self) -> f64 {
        self.sorted().first().copied().unwrap_or(0.0)
    }

    pub fn max(&self) -> f64 {
        self.sorted().last().copied().unwrap_or(0.0)
    }

    fn sorted(&self) -> Vec<f64> {
        let mut sorted = self.values.clone();
        sorted.sort_by(f64::total_cmp);
        sorted
    }

    /// Seconds as milliseconds: `412 ms (398–431)`.
    pub fn show_milliseconds(&self) -> String {
        let ms = |seconds: f64| seconds * 1000.0;
        format!("{} ms ({}–{})", round(ms(self.median())), round(ms(self.min())), round(ms(self.max())))
    }

    /// Seconds: `41.2 s (40.1–44.0)`.
    pub fn show_seconds(&self) -> String {
        format!("{:.1} s ({:.1}–{:.1})", self.median(), self.min(), self.max())
    }

    /// Bytes as mebibytes: `812 MiB (806–830)`.
    pub fn show_mebibytes(&self) -> String {
        let mib = |bytes: f64| bytes / (1024.0 * 1024.0);
        format!("{} MiB ({}–{})", round(mib(self.median())), round(mib(self.min())), round(mib(self.max())))
    }
}

/// A figure rounded to three significant digits at most, without noise digits: `0.41`, `41.2`,
/// `412`.
pub fn round(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(values: &[f64]) -> Samples {
        let mut samples = Samples::default();
        for value in values {
            samples.push(*value);
        }
        samples
    }

    #[test]
    fn the_median_is_the_middle_value_whatever_the_order() {
        assert_eq!(samples(&[3.0, 1.0, 2.0]).median(), 2.0);
        assert_eq!(samples(&[4.0, 1.0, 2.0, 3.0]).median(), 2.5);
        assert_eq!(samples(&[]).median(), 0.0);
    }

    #[test]
    fn figures_show_median_then_range() {
        assert_eq!(samples(&[0.412, 0.398, 0.431]).show_milliseconds(), "412 ms (398–431)");
        assert_eq!(samples(&[41.2, 44.0, 40.1]).show_seconds(), "41.2 s (40.1–44.0)");
        assert_eq!(samples(&[2.0 * 1048576.0]).show_mebibytes(), "2.00 MiB (2.00–2.00)");
    }
}
