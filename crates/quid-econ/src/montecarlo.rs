//! Uncertainty by Monte Carlo: headline figures recomputed over random draws of the
//! elasticities, summarised as the median and the 90% band (5th and 95th percentiles).
//!
//! Draws are reproducible: draw `i` uses its own generator seeded from `(seed, i)`, so the
//! result does not depend on how the draws are spread over threads. The generator is
//! SplitMix64 (Steele, Lea and Flood 2014), normal variates by Marsaglia's polar method;
//! an elasticity is drawn from a normal with its published standard error, truncated to a
//! documented range.
//!
//! ```
//! use quid_econ::montecarlo::{bands, Rng};
//! // Figure 0 is the draw itself, uniform on [0, 1): its median is near 0.5.
//! let b = bands(2_000, 7, 1, |rng: &mut Rng| vec![rng.uniform()]);
//! assert!((b[0].median - 0.5).abs() < 0.03);
//! assert!((b[0].p05 - 0.05).abs() < 0.02 && (b[0].p95 - 0.95).abs() < 0.02);
//! // The same seed gives the same bands.
//! assert_eq!(b, bands(2_000, 7, 1, |rng: &mut Rng| vec![rng.uniform()]));
//! ```

use rayon::prelude::*;
use serde::Serialize;

/// A small, fast, reproducible generator (SplitMix64), with the spare normal variate of the
/// last pair.
#[derive(Debug, Clone)]
pub struct Rng(u64, Option<f64>);

impl Rng {
    /// The generator of draw `index` under `seed`.
    pub fn for_draw(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15), None);
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Marsaglia's polar form of Box-Muller: a pair per accepted point, no
    /// trigonometry; the second of the pair is kept for the next call).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.1.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let f = (-2.0 * s.ln() / s).sqrt();
                self.1 = Some(v * f);
                return u * f;
            }
        }
    }

    /// A normal draw with mean `mean` and standard deviation `sd`, truncated to `[lo, hi]` by
    /// redrawing (at most 100 times, then clamped).
    pub fn truncated_normal(&mut self, mean: f64, sd: f64, lo: f64, hi: f64) -> f64 {
        if sd <= 0.0 || !sd.is_finite() {
            return mean.clamp(lo, hi);
        }
        for _ in 0..100 {
            let x = mean + sd * self.normal();
            if (lo..=hi).contains(&x) {
                return x;
            }
        }
        mean.clamp(lo, hi)
    }
}

/// The median and 90% band of one figure over the draws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Band {
    pub median: f64,
    pub p05: f64,
    pub p95: f64,
}

/// The `q`-quantile of sorted values (linear interpolation between order statistics).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos - pos.floor());
    match sorted.get(i + 1) {
        Some(next) => sorted[i] + frac * (next - sorted[i]),
        None => sorted[i],
    }
}

/// Runs `draws` draws of `figures` headline figures in parallel and returns each figure's band.
pub fn bands<F>(draws: usize, seed: u64, figures: usize, f: F) -> Vec<Band>
where
    F: Fn(&mut Rng) -> Vec<f64> + Sync,
{
    let results: Vec<Vec<f64>> = (0..draws as u64)
        .into_par_iter()
        .map(|i| f(&mut Rng::for_draw(seed, i)))
        .collect();
    (0..figures)
        .map(|j| {
            let mut v: Vec<f64> = results
                .iter()
                .filter_map(|r| r.get(j).copied())
                .filter(|x| x.is_finite())
                .collect();
            v.sort_by(f64::total_cmp);
            Band {
                median: quantile(&v, 0.5),
                p05: quantile(&v, 0.05),
                p95: quantile(&v, 0.95),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        // Position 0.5 x 4 = 2: the third value; 0.05 x 4 = 0.2: 1 + 0.2 x (2 - 1).
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.05) - 1.2).abs() < 1e-12);
        assert!((quantile(&v, 0.95) - 4.8).abs() < 1e-12);
    }

    #[test]
    fn normal_draws_have_the_right_moments() {
        let mut r = Rng::for_draw(42, 0);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.01, "{var}");
    }

    #[test]
    fn truncation_keeps_draws_in_range() {
        let mut r = Rng::for_draw(1, 2);
        for _ in 0..10_000 {
            let x = r.truncated_normal(1.0, 2.0, 0.1, 10.0);
            assert!((0.1..=10.0).contains(&x));
        }
        assert_eq!(r.truncated_normal(3.0, 0.0, 0.1, 2.0), 2.0);
    }

    #[test]
    fn draws_do_not_depend_on_threads() {
        let a = bands(500, 9, 2, |r: &mut Rng| vec![r.normal(), r.uniform()]);
        let b = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| bands(500, 9, 2, |r: &mut Rng| vec![r.normal(), r.uniform()]));
        assert_eq!(a, b);
    }
}
