//! The partial-equilibrium model of one product in one importing market, in the tradition of
//! WITS SMART: an import demand for the product as a whole, Armington substitution between its
//! sources, and optionally a finite export supply elasticity, solved exactly ("hat algebra":
//! every figure is a ratio to the baseline) for a change in the tariffs on each source.
//!
//! **The model.** Source `k` supplies `v_k` (customs value, world price 1) at tariff `t0_k`;
//! its domestic price moves by `p̂_k = (1 + t1_k)/(1 + t0_k) · p̂*_k`. With baseline expenditure
//! shares `w_k = v_k (1 + t0_k) / Σ v_j (1 + t0_j)`, the import price index moves by
//! `P̂ = (Σ w_k p̂_k^(1-σ))^(1/(1-σ))`, the product's import quantity by `Q̂ = P̂^(-ε)` and
//! source `k`'s quantity by `q̂_k = Q̂ (p̂_k / P̂)^(-σ)`. With an export supply elasticity `β`
//! the world price follows `p̂*_k = q̂_k^(1/β)` (solved by iteration); without one it stays 1.
//!
//! **What is reported.** For each source, the volume change at baseline prices (market access
//! in the Bagwell-Staiger sense, `v_k (q̂_k - 1)`), split into trade creation (the product's net
//! volume change shared by baseline values) and trade diversion (the rest; diversions sum to
//! zero across sources, and no source can lose more than it sold); the export revenue change;
//! and, with a finite `β`, the exporters' producer surplus. For the market: the tariff revenue
//! change, the consumer surplus change `-E0 (P̂^(1-ε) - 1)/(1-ε)` (`E0` the baseline
//! tariff-inclusive expenditure) and the import price change.
//!
//! **Where it is valid.** Small tariff changes on a product whose other prices, income and
//! domestic production are held fixed (partial equilibrium); constant elasticities over the
//! whole change, so large changes (a 25% tariff on a product with `ε` = 5) are extrapolations;
//! no exchange-rate, retaliation or input-output effects; a product with one source can show no
//! diversion. These are the SMART assumptions; GSIM adds several markets at once.
//!
//! A two-source market where one source's tariff rises from 0 to 25% (`ε` = 1, `σ` = 3, world
//! prices fixed): `w` = (1/2, 1/2), `P̂ = (0.5·1.25⁻² + 0.5)^(-1/2) = 0.82^(-1/2)`, `Q̂ = 0.82^(1/2)`.
//!
//! ```
//! use quid_econ::pe::{solve, Elasticities, Source};
//! let s = [
//!     Source { value: 100.0, t0: 0.0, t1: 0.25 },
//!     Source { value: 100.0, t0: 0.0, t1: 0.0 },
//! ];
//! let r = solve(&s, &Elasticities { demand: 1.0, substitution: 3.0, supply: None });
//! let p = 0.82f64.powf(-0.5);
//! assert!((r.price_index - p).abs() < 1e-12);
//! let q0 = 0.82f64.sqrt() * (1.25 / p).powi(-3);
//! assert!((r.sources[0].volume_change - 100.0 * (q0 - 1.0)).abs() < 1e-9);
//! // Diversion moves trade between sources; it sums to zero.
//! assert!((r.sources[0].diversion + r.sources[1].diversion).abs() < 1e-9);
//! ```

use serde::Serialize;

/// One source of the product: its baseline imports and the tariff before and after.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Source {
    /// Baseline imports at customs value (world price), in any currency.
    pub value: f64,
    /// Ad valorem (equivalent) tariff before, as a fraction.
    pub t0: f64,
    /// After.
    pub t1: f64,
}

/// The elasticities of one product.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Elasticities {
    /// Import demand elasticity of the product, as a positive magnitude (`Q̂ = P̂^(-demand)`).
    pub demand: f64,
    /// Elasticity of substitution between sources (Armington), positive.
    pub substitution: f64,
    /// Export supply elasticity, positive; `None` for world prices that do not move.
    pub supply: Option<f64>,
}

/// One source's effects.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct SourceEffect {
    /// Volume change at baseline prices: market access given (+) or taken (-).
    pub volume_change: f64,
    /// The part of it from the product's net import change (shared by baseline values).
    pub creation: f64,
    /// The part from substitution between sources (sums to zero over sources).
    pub diversion: f64,
    /// Change in the source's export revenue (world price times quantity).
    pub revenue_change: f64,
    /// Change in the exporters' producer surplus (0 when world prices do not move).
    pub producer_surplus: f64,
    /// Change in the world price, as a fraction.
    pub world_price_change: f64,
}

/// The market's effects.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Effects {
    pub sources: Vec<SourceEffect>,
    /// The import price index after, relative to before (`P̂`).
    pub price_index: f64,
    /// Tariff revenue after less before.
    pub revenue_change: f64,
    /// Consumer surplus change (negative when prices rise).
    pub consumer_surplus: f64,
}

impl Effects {
    /// The importer's welfare change: consumer surplus plus tariff revenue.
    pub fn importer_welfare(&self) -> f64 {
        self.consumer_surplus + self.revenue_change
    }
}

/// The price index of relative prices `p̂` with shares `w` and substitution `sigma`.
fn price_index(w: &[f64], p: &[f64], sigma: f64) -> f64 {
    if (sigma - 1.0).abs() < 1e-9 {
        w.iter().zip(p).map(|(w, p)| w * p.ln()).sum::<f64>().exp()
    } else {
        w.iter()
            .zip(p)
            .map(|(w, p)| w * p.powf(1.0 - sigma))
            .sum::<f64>()
            .powf(1.0 / (1.0 - sigma))
    }
}

/// Reusable buffers for [`solve_into`], so a Monte Carlo over thousands of lines allocates once.
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    w: Vec<f64>,
    ratio: Vec<f64>,
    world: Vec<f64>,
    p_hat: Vec<f64>,
    q_hat: Vec<f64>,
}

/// Solves the model for one product. Sources with no baseline trade stay at zero (a tariff
/// cut cannot create trade from nothing in this model; the report says so where it matters).
pub fn solve(sources: &[Source], e: &Elasticities) -> Effects {
    let mut out = Effects::default();
    solve_into(sources, e, &mut Scratch::default(), &mut out);
    out
}

/// As [`solve`], writing into `out` and reusing `scratch` (no allocation once they are sized).
pub fn solve_into(sources: &[Source], e: &Elasticities, scratch: &mut Scratch, out: &mut Effects) {
    let n = sources.len();
    out.sources.clear();
    let expenditure: f64 = sources.iter().map(|s| s.value * (1.0 + s.t0)).sum();
    // No tariff moves: every ratio is exactly 1, and so is every price and quantity.
    let unchanged = sources.iter().all(|s| s.t1 == s.t0);
    if n == 0 || expenditure <= 0.0 || unchanged {
        out.sources.resize(n, SourceEffect::default());
        out.price_index = 1.0;
        out.revenue_change = 0.0;
        out.consumer_surplus = 0.0;
        return;
    }
    let Scratch {
        w,
        ratio,
        world,
        p_hat,
        q_hat,
    } = scratch;
    w.clear();
    w.extend(sources.iter().map(|s| s.value * (1.0 + s.t0) / expenditure));
    ratio.clear();
    ratio.extend(sources.iter().map(|s| (1.0 + s.t1) / (1.0 + s.t0)));
    world.clear();
    world.resize(n, 1.0);
    p_hat.clear();
    p_hat.resize(n, 1.0);
    q_hat.clear();
    q_hat.resize(n, 1.0);
    let mut big_p = 1.0;
    // With fixed world prices one pass is exact; with a supply elasticity, iterate the world
    // prices to the fixed point (damped; converges for the positive elasticities of the tables).
    let passes = if e.supply.is_some() { 200 } else { 1 };
    for _ in 0..passes {
        for k in 0..n {
            p_hat[k] = ratio[k] * world[k];
        }
        big_p = price_index(w, p_hat, e.substitution);
        let big_q = big_p.powf(-e.demand);
        for k in 0..n {
            q_hat[k] = big_q * (p_hat[k] / big_p).powf(-e.substitution);
        }
        let Some(beta) = e.supply else { break };
        let mut moved = 0.0f64;
        for k in 0..n {
            let target = q_hat[k].powf(1.0 / beta);
            let next = 0.5 * world[k] + 0.5 * target;
            moved = moved.max((next - world[k]).abs());
            world[k] = next;
        }
        if moved < 1e-13 {
            break;
        }
    }
    let base_total: f64 = sources.iter().map(|s| s.value).sum();
    let net: f64 = sources
        .iter()
        .zip(q_hat.iter())
        .map(|(s, q)| s.value * (q - 1.0))
        .sum();
    let mut revenue_after = 0.0;
    for k in 0..n {
        let s = sources[k];
        let volume_change = s.value * (q_hat[k] - 1.0);
        let creation = if base_total > 0.0 {
            net * s.value / base_total
        } else {
            0.0
        };
        revenue_after += s.t1 * s.value * q_hat[k] * world[k];
        let producer_surplus = match e.supply {
            Some(beta) => s.value * (world[k].powf(beta + 1.0) - 1.0) / (beta + 1.0),
            None => 0.0,
        };
        out.sources.push(SourceEffect {
            volume_change,
            creation,
            diversion: volume_change - creation,
            revenue_change: s.value * (q_hat[k] * world[k] - 1.0),
            producer_surplus,
            world_price_change: world[k] - 1.0,
        });
    }
    let revenue_before: f64 = sources.iter().map(|s| s.t0 * s.value).sum();
    out.consumer_surplus = if (e.demand - 1.0).abs() < 1e-9 {
        -expenditure * big_p.ln()
    } else {
        -expenditure * (big_p.powf(1.0 - e.demand) - 1.0) / (1.0 - e.demand)
    };
    out.price_index = big_p;
    out.revenue_change = revenue_after - revenue_before;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9 * (1.0 + b.abs()), "{a} != {b}");
    }

    /// Two sources of 100 each, free trade; source 0's tariff rises to 25%. ε = 1.5, σ = 3,
    /// world prices fixed. Worked by hand (to 12 digits with a calculator):
    /// w = (0.5, 0.5); p̂ = (1.25, 1);
    /// P̂ = (0.5·1.25⁻² + 0.5·1)^(-1/2) = 0.82^(-1/2) = 1.104315260748;
    /// Q̂ = P̂^(-1.5) = 0.82^(0.75) = 0.861709...;
    /// q̂0 = Q̂ (1.25/P̂)^(-3) = 0.82^0.75 · (1.25 · 0.82^0.5)^(-3) = 0.82^(-0.75) / 1.953125;
    /// q̂1 = Q̂ (1/P̂)^(-3) = 0.82^0.75 · 0.82^(-1.5) = 0.82^(-0.75).
    #[test]
    fn two_sources_one_tariff_rise_worked_by_hand() {
        let s = [
            Source {
                value: 100.0,
                t0: 0.0,
                t1: 0.25,
            },
            Source {
                value: 100.0,
                t0: 0.0,
                t1: 0.0,
            },
        ];
        let r = solve(
            &s,
            &Elasticities {
                demand: 1.5,
                substitution: 3.0,
                supply: None,
            },
        );
        let p = 0.82f64.powf(-0.5);
        close(r.price_index, p);
        close(p, 1.104_315_260_748_4);
        let q0 = 0.82f64.powf(-0.75) / 1.953125;
        let q1 = 0.82f64.powf(-0.75);
        // 0.82^(-0.75) = 1.160485...: the untaxed source gains 16.05 of 100.
        close(q1, 1.160_485_212_203_1);
        close(r.sources[0].volume_change, 100.0 * (q0 - 1.0));
        close(r.sources[1].volume_change, 100.0 * (q1 - 1.0));
        // Creation: the net change shared equally (equal baseline values).
        let net = 100.0 * (q0 - 1.0) + 100.0 * (q1 - 1.0);
        close(r.sources[0].creation, net / 2.0);
        close(r.sources[1].creation, net / 2.0);
        close(r.sources[0].diversion, 100.0 * (q0 - 1.0) - net / 2.0);
        close(r.sources[0].diversion + r.sources[1].diversion, 0.0);
        // Revenue: 25% of source 0's new imports (world price 1), before 0.
        close(r.revenue_change, 0.25 * 100.0 * q0);
        // Consumer surplus: -E0 (P̂^(1-ε) - 1)/(1-ε) with E0 = 200, ε = 1.5.
        close(r.consumer_surplus, -200.0 * (p.powf(-0.5) - 1.0) / (-0.5));
        // World prices fixed: export revenue change equals the volume change, no surplus.
        close(r.sources[0].revenue_change, r.sources[0].volume_change);
        assert_eq!(r.sources[0].producer_surplus, 0.0);
    }

    /// With σ = 1 (Cobb-Douglas between sources) and ε = 1, the price index is the geometric
    /// mean: P̂ = 1.21^0.5 = 1.1 for one of two equal sources taxed at 21%; Q̂ = 1/1.1;
    /// the taxed source's q̂ = Q̂ · (1.21/1.1)^(-1) = (1/1.1)·(1.1/1.21) = 1/1.21;
    /// consumer surplus = -E0 ln P̂ = -200 ln 1.1.
    #[test]
    fn unit_elasticities_use_the_limits() {
        let s = [
            Source {
                value: 100.0,
                t0: 0.0,
                t1: 0.21,
            },
            Source {
                value: 100.0,
                t0: 0.0,
                t1: 0.0,
            },
        ];
        let r = solve(
            &s,
            &Elasticities {
                demand: 1.0,
                substitution: 1.0,
                supply: None,
            },
        );
        close(r.price_index, 1.1);
        close(r.sources[0].volume_change, 100.0 * (1.0 / 1.21 - 1.0));
        // The untaxed source: q̂ = Q̂ (1/1.1)^(-1) = 1: unchanged.
        close(r.sources[1].volume_change, 0.0);
        close(r.consumer_surplus, -200.0 * 1.1f64.ln());
    }

    /// One source, a tariff cut from 10% to 0 with ε = 2: no diversion; P̂ = 1/1.1,
    /// Q̂ = 1.1² = 1.21, creation 21 of 100, revenue -10, CS = -110 (P̂^(-1) - 1)/(-1) = 11.
    #[test]
    fn one_source_tariff_cut() {
        let r = solve(
            &[Source {
                value: 100.0,
                t0: 0.1,
                t1: 0.0,
            }],
            &Elasticities {
                demand: 2.0,
                substitution: 5.0,
                supply: None,
            },
        );
        close(r.sources[0].volume_change, 21.0);
        close(r.sources[0].creation, 21.0);
        close(r.sources[0].diversion, 0.0);
        close(r.revenue_change, -10.0);
        close(r.consumer_surplus, 11.0);
        close(r.importer_welfare(), 1.0);
    }

    /// A finite supply elasticity: the fixed point p̂* = q̂^(1/β) holds, and the exporter bears
    /// part of the tariff (its world price falls), so imports fall less than with fixed prices.
    /// One source, t 0 -> 10%, ε = 2, β = 4: q̂ = ((1.1 p̂*))^(-2) and p̂* = q̂^(1/4) give
    /// p̂* = 1.1^(-2/6) = 1.1^(-1/3), q̂ = p̂*^4 = 1.1^(-4/3).
    #[test]
    fn finite_supply_elasticity_shares_the_tariff() {
        let r = solve(
            &[Source {
                value: 100.0,
                t0: 0.0,
                t1: 0.1,
            }],
            &Elasticities {
                demand: 2.0,
                substitution: 5.0,
                supply: Some(4.0),
            },
        );
        let p_star = 1.1f64.powf(-1.0 / 3.0);
        close(r.sources[0].world_price_change, p_star - 1.0);
        close(r.sources[0].volume_change, 100.0 * (p_star.powi(4) - 1.0));
        // Producer surplus: 100 (p̂*^5 - 1)/5.
        close(
            r.sources[0].producer_surplus,
            100.0 * (p_star.powi(5) - 1.0) / 5.0,
        );
        let fixed = solve(
            &[Source {
                value: 100.0,
                t0: 0.0,
                t1: 0.1,
            }],
            &Elasticities {
                demand: 2.0,
                substitution: 5.0,
                supply: None,
            },
        );
        // Fixed prices: q̂ = 1.1^(-2) = 0.826446; with β = 4: 1.1^(-4/3) = 0.880618.
        close(
            fixed.sources[0].volume_change,
            100.0 * (1.1f64.powi(-2) - 1.0),
        );
        assert!(r.sources[0].volume_change > fixed.sources[0].volume_change);
    }

    /// No source can lose more than it sold, whatever the tariff.
    #[test]
    fn diversion_is_capped_by_existing_trade() {
        let r = solve(
            &[
                Source {
                    value: 50.0,
                    t0: 0.0,
                    t1: 10.0,
                },
                Source {
                    value: 150.0,
                    t0: 0.0,
                    t1: 0.0,
                },
            ],
            &Elasticities {
                demand: 3.0,
                substitution: 20.0,
                supply: None,
            },
        );
        assert!(r.sources[0].volume_change >= -50.0);
        assert!(r.sources[0].volume_change < -49.99);
    }
}
