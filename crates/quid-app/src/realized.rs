//! The realized balance: the duties each side's law charges on the trade that actually crossed,
//! month by month, reconciled step by step with what the governments say they collected.
//!
//! The balance values every move on a year of 2024 trade (a statutory burden). Collections are
//! smaller, for reasons this module puts in numbers, one step each:
//!
//! 1. **statutory at 2024 trade**: the balance's additional duties, a month's share of a year
//!    (days / 365), with the balance's claim shares (2025 annual USMCA shares for the US, every
//!    US good under CUSMA for Canada);
//! 2. **the period's trade**: the same rates on the month's imports (US: the monthly HTS10
//!    imports from Canada and Mexico; Canada: the 2025 HS2 totals spread evenly over the
//!    months, or a CIMT file), still with the balance's claim shares;
//! 3. **the period's claims**: each line's USMCA-claimed value that month at the claim rate,
//!    the rest at the rate without a claim;
//! 4. **base duty**: the ordinary duty on the unclaimed value (collections include it);
//! 5. **modelled remissions**: the remission rules' relief (data/measures/ca/remission.toml)
//!    at the share stated in data/params/realized.toml;
//! 6. **unexplained**: the published figure less all of the above.
//!
//! The steps add up: statutory + every step = the published figure. After the last month of
//! trade data, the last month is carried forward and the rows say so.

use crate::weights::ShareMode;
use crate::{App, Engine, Error, Result};
use quid_core::{Country, Date};
use quid_data::collections::{read_published, Measure, Published};
use quid_data::flows::read_usmca_monthly;
use quid_econ::chart::{Chart, Dot, Series, YUnit, PALETTE};
use quid_econ::realized::{duty_at, month_rates, overlap_days, LineTrade, Month};
use quid_econ::{Declarations, EtrInput, Panel, Segments};
use quid_engine::Policy;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The realized view's assumptions, from `data/params/realized.toml`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub remission: RemissionParams,
}

/// How much of the remissible surtax was remitted.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemissionParams {
    /// The share of the remissible surtax taken as remitted; absent: the share implied by
    /// `implied_by`.
    #[serde(default)]
    pub share: Option<f64>,
    /// Two published cumulative figures of one side (ids in data/collections/published.csv)
    /// with the same start, the first period inside the second: the share is the one under
    /// which the published totals are the same multiple of quid's net figure in both periods
    /// (see [`implied_share`]).
    #[serde(default)]
    pub implied_by: Vec<String>,
    /// Why, in words.
    pub basis: String,
}

/// One month of one side.
#[derive(Debug, Clone, Serialize)]
pub struct MonthRow {
    pub month: Month,
    /// The days of the month inside the period (fewer than the month's in a first or last
    /// month cut by the period; every figure of the row covers those days only).
    pub days: i64,
    /// No trade data for the month: the last month's trade is used.
    pub carried_forward: bool,
    pub imports_usd: f64,
    /// The month's share of a year of 2024 imports (step 1's trade).
    pub imports_2024_usd: f64,
    pub claimed_usd: f64,
    /// Step 1: the balance's additional duties for the month at 2024 trade.
    pub statutory_2024_usd: f64,
    /// Step 2: the same on the month's trade (the balance's claim shares).
    pub at_period_trade_usd: f64,
    /// Step 3: with the month's own claims.
    pub with_period_claims_usd: f64,
    /// Step 4: base duty on the month's trade with its claims.
    pub base_usd: f64,
    /// Step 5: modelled remissions (subtracted).
    pub remissions_usd: f64,
    /// What quid computes was owed: step 3 + step 4 - step 5.
    pub modelled_usd: f64,
    /// Remissible surtax before the share is applied.
    pub remissible_usd: f64,
    /// CAD per USD for the month (the last month's when the table ends).
    pub cad_per_usd: f64,
}

/// One named step of a reconciliation.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// A stable name for programs: statutory_2024, period_trade, period_claims, base_duty,
    /// remissions, unexplained.
    pub key: &'static str,
    /// The step in words.
    pub step: &'static str,
    pub amount: f64,
}

/// A published collection figure reconciled with quid's figures over its period.
#[derive(Debug, Clone, Serialize)]
pub struct Reconciliation {
    pub figure: String,
    pub from: Date,
    pub until: Date,
    pub currency: String,
    /// Statutory at 2024 trade, then each step, then the unexplained rest; they sum to the
    /// published figure.
    pub steps: Vec<Step>,
    pub statutory: f64,
    pub modelled: f64,
    pub published: f64,
    pub kind: quid_data::collections::Kind,
    pub source: String,
}

/// A published realized rate beside quid's over the same period.
#[derive(Debug, Clone, Serialize)]
pub struct RateCheck {
    pub figure: String,
    pub from: Date,
    pub until: Date,
    pub published_pct: f64,
    /// Modelled duty (base and additional) over imports, percent.
    pub modelled_pct: f64,
    /// Step 1 over 2024 imports at the balance's shares, percent (additional duties only).
    pub statutory_pct: f64,
    /// The published rate times the period's imports: the duty it implies, USD.
    pub published_duty_usd: f64,
    /// quid's duty over the period, USD.
    pub modelled_usd: f64,
    pub kind: quid_data::collections::Kind,
    pub source: String,
}

/// One side: an importer's duties on one partner's goods.
#[derive(Debug, Clone, Serialize)]
pub struct RealizedSide {
    pub importer: Country,
    pub partner: Country,
    /// The last month with trade data.
    pub last_data_month: Month,
    pub trade_source: String,
    pub months: Vec<MonthRow>,
    pub reconciliations: Vec<Reconciliation>,
    pub rates: Vec<RateCheck>,
    /// Months with no published collection or realized rate covering them.
    pub months_without_figure: Vec<Month>,
}

/// The realized view.
#[derive(Debug, Clone, Serialize)]
pub struct RealizedReport {
    pub sides: Vec<RealizedSide>,
    /// The remission share applied and how it was found.
    pub remission_share: f64,
    pub remission_basis: String,
    /// Every bundled figure, with its source.
    pub figures: Vec<Published>,
    pub notes: Vec<String>,
}

/// The balance's panels, reused when their lines and period fit (the side's other lines are
/// added; otherwise the side's panel is built anew).
#[derive(Default, Clone, Copy)]
pub struct Reuse<'a> {
    pub us_on_ca: Option<&'a Panel>,
    pub ca_on_us: Option<&'a Panel>,
}

/// What the balance already holds that the realized view reuses.
pub struct Context<'a> {
    pub policy: &'a Policy,
    /// The balance's first and last day.
    pub since: Date,
    pub until: Date,
    /// The balance's weights: US imports from Canada, Canadian imports from the US (USD).
    pub us_on_ca: &'a EtrInput,
    pub ca_on_us: &'a EtrInput,
    /// Canadian imports from the US in the period's year (USD), for step 2; `None` with a
    /// CIMT file that carries months (see `ca_monthly`).
    pub ca_period: Option<&'a EtrInput>,
    /// Canadian imports from the US by month and item (USD), from a CIMT file.
    pub ca_monthly: Option<BTreeMap<Month, Vec<(quid_core::HsCode, f64)>>>,
}

/// Reads the realized view's assumptions.
pub fn read_params(app: &App) -> Result<Params> {
    let path = app.bundle.realized_params();
    let text = quid_data::reader::read_to_string(&path)?;
    toml::from_str(&text).map_err(|e| Error::Data(quid_data::DataError::toml(&path, &text, &e)))
}

/// One side's inputs: the union of lines, the base-year weights and the months' trade.
struct SideInput {
    importer: Country,
    partner: Country,
    lines: Vec<quid_core::HsCode>,
    /// (line, annual 2024 value, the balance's claim share).
    base: Vec<(u32, f64, f64)>,
    /// Month -> (line, value, actual claimed value, the balance's claim share).
    months: BTreeMap<Month, Vec<(u32, f64, f64, f64)>>,
    trade_source: String,
    remission: bool,
}

struct Lines {
    codes: Vec<quid_core::HsCode>,
    index: HashMap<quid_core::HsCode, u32>,
}

impl Lines {
    fn new() -> Lines {
        Lines {
            codes: Vec::new(),
            index: HashMap::new(),
        }
    }
    fn of(&mut self, hs: quid_core::HsCode) -> u32 {
        *self.index.entry(hs).or_insert_with(|| {
            self.codes.push(hs);
            self.codes.len() as u32 - 1
        })
    }
}

fn share_of(input: &EtrInput, hs: &quid_core::HsCode, d: Date) -> f64 {
    input.shares.get(hs, d)
}

/// The US side: the balance's 2024 weights and the monthly HTS10 imports with their claims.
fn us_side(
    partner: Country,
    base_input: &EtrInput,
    annual: &quid_data::params::UsmcaShares,
    monthly: &quid_data::flows::UsmcaMonthly,
) -> Result<SideInput> {
    let mut lines = Lines::new();
    let mid = Date::constant(2025, 7, 1);
    let base: Vec<(u32, f64, f64)> = base_input
        .lines
        .iter()
        .map(|l| (lines.of(l.hs), l.weight, share_of(base_input, &l.hs, mid)))
        .collect();
    let shares: HashMap<u32, f64> = base.iter().map(|(i, _, s)| (*i, *s)).collect();
    let mut months = BTreeMap::new();
    for ((y, m), month) in &monthly.months {
        let Some(key) = Month::new(*y as i16, *m as i8) else {
            continue;
        };
        let rows: Vec<(u32, f64, f64, f64)> = month
            .rows
            .iter()
            .filter(|r| r.partner == partner)
            .filter_map(|r| {
                let v = r.total_value.to_f64().unwrap_or(0.0);
                (v > 0.0).then(|| {
                    let i = lines.of(r.hs10);
                    let s = shares
                        .get(&i)
                        .copied()
                        .or_else(|| annual.get(&r.hs10, partner))
                        .unwrap_or(0.0);
                    (i, v, r.usmca_value.to_f64().unwrap_or(0.0), s)
                })
            })
            .collect();
        months.insert(key, rows);
    }
    Ok(SideInput {
        importer: Country::US,
        partner,
        lines: lines.codes,
        base,
        months,
        trade_source: format!(
            "US imports for consumption from {partner} by HTS10 and month with the USMCA-claimed value (USITC DataWeb via the Budget Lab tracker, data/flows/usmca_monthly)"
        ),
        remission: false,
    })
}

/// Canada's side: the balance's weights, and the period's trade from the 2025 HS2 totals
/// spread evenly over the months (or a CIMT file by month and item). Every US good is taken
/// to enter under CUSMA, as in the balance.
fn ca_side(ctx: &Context<'_>) -> Result<SideInput> {
    let mut lines = Lines::new();
    let base: Vec<(u32, f64, f64)> = ctx
        .ca_on_us
        .lines
        .iter()
        .map(|l| (lines.of(l.hs), l.weight, 1.0))
        .collect();
    let mut months = BTreeMap::new();
    let trade_source = match (&ctx.ca_monthly, ctx.ca_period) {
        (Some(by_month), _) => {
            for (m, rows) in by_month {
                months.insert(
                    *m,
                    rows.iter()
                        .map(|(hs, v)| (lines.of(*hs), *v, *v, 1.0))
                        .collect(),
                );
            }
            "Canadian imports from the US by tariff item and month (CIMT file, converted to USD at the month's rate)".to_string()
        }
        (None, Some(period)) => {
            let rows: Vec<(u32, f64, f64, f64)> = period
                .lines
                .iter()
                .map(|l| {
                    let v = l.weight / 12.0;
                    (lines.of(l.hs), v, v, 1.0)
                })
                .collect();
            for m in 1..=12 {
                if let Some(key) = Month::new(2025, m) {
                    months.insert(key, rows.clone());
                }
            }
            "US exports to Canada by HS2, 2025 (BTS), one twelfth a month, the 2024 HS6 mix within a chapter (no monthly or item-level Canadian import data is bundled; give a CIMT file with --cimt)".to_string()
        }
        (None, None) => return Err(Error::Check("no period trade for Canada's side".into())),
    };
    Ok(SideInput {
        importer: Country::CA,
        partner: Country::US,
        lines: lines.codes,
        base,
        months,
        trade_source,
        remission: true,
    })
}

/// A remission share read from two published cumulative figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Implied {
    /// The share of the remissible surtax remitted (0 to 1).
    pub share: f64,
    /// Published over quid's net figure, the same in both periods.
    pub multiple: f64,
    /// quid's figure before remission in the first period and in the rest of the second.
    pub before: (f64, f64),
    /// The remissible surtax in the same two periods.
    pub remissible: (f64, f64),
}

/// The remission share implied by two published cumulative figures `a` and `b` of one side,
/// `a`'s period the start of `b`'s. Splitting `b` into `a`'s period (P1) and the rest (P2,
/// published `b - a`), and supposing that what quid does not model (trade diverted within a
/// chapter, drawback, timing) scales both periods alike, `published = k x (before - s x
/// remissible)` in each; two equations give the share `s` and the multiple `k`:
///
/// `s = (pub1 x before2 - pub2 x before1) / (pub1 x rem2 - pub2 x rem1)`, clamped to 0..1.
pub fn implied_share(rows: &[MonthRow], a: &Published, b: &Published) -> Result<Implied> {
    if a.start != b.start || a.end >= b.end || a.unit != b.unit || b.value <= a.value {
        return Err(Error::Check(format!(
            "data/params/realized.toml: remission.implied_by: {} must be a cumulative figure from {}'s start to a later date, in the same currency and larger",
            b.id, a.id
        )));
    }
    let cur = a.unit.as_str();
    let p2_start = a.end.tomorrow().map_err(|e| Error::Check(e.to_string()))?;
    let sum =
        |from: Date, until: Date, f: fn(&MonthRow) -> f64| period_sum(rows, from, until, cur, f);
    let before = (
        sum(a.start, a.end, |r| r.modelled_usd),
        sum(p2_start, b.end, |r| r.modelled_usd),
    );
    let rem = (
        sum(a.start, a.end, |r| r.remissible_usd),
        sum(p2_start, b.end, |r| r.remissible_usd),
    );
    let (p1, p2) = (a.value, b.value - a.value);
    let den = p1 * rem.1 - p2 * rem.0;
    let share = if den.abs() > f64::EPSILON {
        ((p1 * before.1 - p2 * before.0) / den).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let net1 = before.0 - share * rem.0;
    Ok(Implied {
        share,
        multiple: if net1 > 0.0 { p1 / net1 } else { 0.0 },
        before,
        remissible: rem,
    })
}

/// The month's CAD per USD from the FX table: the month's own rate, else the last monthly
/// rate before it (the table ends), else the year's; `None` when the table has none of these.
pub fn fx_for(fx: &quid_data::ledger::FxTable, m: Month) -> Option<f64> {
    let key = m.to_string();
    let rate = |p: &str| {
        fx.rates
            .iter()
            .find(|r| r.period == p)
            .and_then(|r| r.cad_per_usd.to_f64())
    };
    rate(&key)
        .or_else(|| {
            fx.rates
                .iter()
                .filter(|r| r.period.len() == 7 && r.period.as_str() <= key.as_str())
                .max_by(|a, b| a.period.cmp(&b.period))
                .and_then(|r| r.cad_per_usd.to_f64())
        })
        .or_else(|| rate(&m.year.to_string()))
}

/// Whether a panel of the balance fits the side: its lines the first of the side's, its
/// segments the realized span.
fn fits(reuse: &Panel, input: &SideInput, span: (Date, Date)) -> bool {
    let n = reuse.lines.len();
    input.lines.len() >= n
        && input.lines[..n] == reuse.lines[..]
        && reuse.segments.starts.first() == Some(&span.0)
        && reuse.segments.to == span.1
}

/// Computes one side's months over `span` (the balance's period from 2025), reusing the
/// balance's panel of the side when it fits (only the side's other lines are then assessed).
fn side_months(
    engine: &Engine,
    policy: &Policy,
    input: &SideInput,
    span: (Date, Date),
    months: &[Month],
    fx: &quid_data::ledger::FxTable,
    reuse: Option<&Panel>,
) -> (Vec<MonthRow>, Month) {
    let editions = crate::directions::edition_dates(&engine.reference, input.importer);
    let build = |lines: Vec<quid_core::HsCode>, segments: Segments, remission: bool| {
        Panel::build_declared(
            policy,
            &engine.reference,
            input.importer,
            input.partner,
            lines,
            segments,
            &editions,
            Declarations { remission },
        )
    };
    let (own, extra);
    let parts: Vec<&Panel> = match reuse.filter(|p| fits(p, input, span)) {
        Some(p) => {
            let more = input.lines[p.lines.len()..].to_vec();
            extra = (!more.is_empty()).then(|| build(more, p.segments.clone(), false));
            std::iter::once(p).chain(extra.as_ref()).collect()
        }
        None => {
            let mut cuts =
                crate::directions::change_dates(policy, &engine.reference, input.importer);
            cuts.retain(|d| *d > span.0 && *d <= span.1);
            own = build(
                input.lines.clone(),
                Segments::new(span.0, span.1, cuts),
                false,
            );
            vec![&own]
        }
    };
    let relieved = input
        .remission
        .then(|| build(input.lines.clone(), parts[0].segments.clone(), true));
    month_rows(&parts, relieved.as_ref(), input, span, months, fx)
}

/// The rows of a side's months from its panels: `parts` hold the side's lines in order (a
/// reused panel, then one of the other lines); `relieved` every line with remission declared.
fn month_rows(
    parts: &[&Panel],
    relieved: Option<&Panel>,
    input: &SideInput,
    span: (Date, Date),
    months: &[Month],
    fx: &quid_data::ledger::FxTable,
) -> (Vec<MonthRow>, Month) {
    let Some(first) = months.first() else {
        return (Vec::new(), Month::of(Date::MIN));
    };
    let last_data = input.months.keys().next_back().copied().unwrap_or(*first);
    let no_trade = Vec::new();
    let rows = months
        .iter()
        .map(|&m| {
            // A month after the data carries the last month forward; a month missing before
            // it has no trade.
            let (trade, carried) = match input.months.get(&m) {
                Some(t) => (t, false),
                None if m > last_data => match input.months.get(&last_data) {
                    Some(t) => (t, true),
                    None => (&no_trade, false),
                },
                None => (&no_trade, false),
            };
            // The part of the month inside the span: step 1 takes that many days of a year;
            // the panel covers no other day, so steps 2 and 3 count that part of the month.
            let days = overlap_days((m.first_day(), m.last_day()), span);
            let year_part = days as f64 / 365.0;
            let base_trade: Vec<LineTrade> = input
                .base
                .iter()
                .map(|&(line, w, s)| LineTrade {
                    line,
                    value: w * year_part,
                    claimed: w * year_part * s,
                })
                .collect();
            let as_balance: Vec<LineTrade> = trade
                .iter()
                .map(|&(line, v, _, s)| LineTrade {
                    line,
                    value: v,
                    claimed: v * s,
                })
                .collect();
            let actual: Vec<LineTrade> = trade
                .iter()
                .map(|&(line, v, c, _)| LineTrade {
                    line,
                    value: v,
                    claimed: c,
                })
                .collect();
            let rates: Vec<_> = parts.iter().flat_map(|p| month_rates(p, m)).collect();
            let s1 = duty_at(&rates, &base_trade);
            let s2 = duty_at(&rates, &as_balance);
            let s3 = duty_at(&rates, &actual);
            let remissible = relieved.map_or(0.0, |p| {
                let r = duty_at(&month_rates(p, m), &actual);
                (s3.additional - r.additional).max(0.0)
            });
            MonthRow {
                month: m,
                days,
                carried_forward: carried,
                imports_usd: s3.imports,
                imports_2024_usd: s1.imports,
                claimed_usd: s3.claimed,
                statutory_2024_usd: s1.additional,
                at_period_trade_usd: s2.additional,
                with_period_claims_usd: s3.additional,
                base_usd: s3.base,
                remissions_usd: 0.0,
                modelled_usd: s3.total(),
                remissible_usd: remissible,
                // Every month has a rate: `load` refuses a table without one.
                cad_per_usd: fx_for(fx, m).unwrap_or(f64::NAN),
            }
        })
        .collect();
    (rows, last_data)
}

/// The part of a month inside a period (0 to 1).
fn month_part(m: Month, from: Date, until: Date) -> f64 {
    overlap_days((m.first_day(), m.last_day()), (from, until)) as f64 / m.days() as f64
}

/// Sums a month field over a period, converted to the currency.
fn period_sum(
    rows: &[MonthRow],
    from: Date,
    until: Date,
    currency: &str,
    f: impl Fn(&MonthRow) -> f64,
) -> f64 {
    rows.iter()
        .map(|r| {
            let fxr = if currency == "CAD" {
                r.cad_per_usd
            } else {
                1.0
            };
            month_part(r.month, from, until) * f(r) * fxr
        })
        .sum()
}

/// A published point's legend entry: its value a month, its publisher and title (the source
/// without its address), its figure id.
fn dot_label(figure: &str, source: &str, usd_a_month: f64) -> String {
    let source = source.rsplit_once(" <").map_or(source, |s| s.0);
    format!(
        "US$ {:.2} bn a month; {source} [{figure}]",
        usd_a_month / 1e9
    )
}

fn source_of(p: &Published) -> String {
    format!(
        "{}, \"{}\"{} <{}>",
        p.publisher,
        p.title,
        p.published.map(|d| format!(", {d}")).unwrap_or_default(),
        p.url
    )
}

/// Reconciles one published collection figure with a side's months.
pub fn reconcile(rows: &[MonthRow], p: &Published) -> Reconciliation {
    let cur = p.unit.as_str();
    let sum = |f: &dyn Fn(&MonthRow) -> f64| period_sum(rows, p.start, p.end, cur, f);
    let statutory = sum(&|r| r.statutory_2024_usd);
    let trade = sum(&|r| r.at_period_trade_usd);
    let claims = sum(&|r| r.with_period_claims_usd);
    let base = sum(&|r| r.base_usd);
    let remissions = sum(&|r| r.remissions_usd);
    let modelled = claims + base - remissions;
    Reconciliation {
        figure: p.id.clone(),
        from: p.start,
        until: p.end,
        currency: p.unit.clone(),
        steps: vec![
            Step {
                key: "statutory_2024",
                step: "statutory additional duties at 2024 trade",
                amount: statutory,
            },
            Step {
                key: "period_trade",
                step: "the period's trade instead of 2024's",
                amount: trade - statutory,
            },
            Step {
                key: "period_claims",
                step: "the period's own preference claims",
                amount: claims - trade,
            },
            Step {
                key: "base_duty",
                step: "plus base duty",
                amount: base,
            },
            Step {
                key: "remissions",
                step: "less modelled remissions",
                amount: -remissions,
            },
            Step {
                key: "unexplained",
                step: "unexplained (published less modelled)",
                amount: p.value - modelled,
            },
        ],
        statutory,
        modelled,
        published: p.value,
        kind: p.kind,
        source: source_of(p),
    }
}

fn rate_check(rows: &[MonthRow], p: &Published) -> RateCheck {
    let sum = |f: &dyn Fn(&MonthRow) -> f64| period_sum(rows, p.start, p.end, "USD", f);
    let imports = sum(&|r| r.imports_usd);
    let modelled = sum(&|r| r.modelled_usd);
    let statutory = sum(&|r| r.statutory_2024_usd);
    let pct = |x: f64, d: f64| if d > 0.0 { 100.0 * x / d } else { 0.0 };
    RateCheck {
        figure: p.id.clone(),
        from: p.start,
        until: p.end,
        published_pct: p.value,
        modelled_pct: pct(modelled, imports),
        statutory_pct: pct(statutory, sum(&|r| r.imports_2024_usd)),
        published_duty_usd: p.value / 100.0 * imports,
        modelled_usd: modelled,
        kind: p.kind,
        source: source_of(p),
    }
}

/// Everything the realized view reads, loaded once: the assumptions, the published figures,
/// the exchange rates and each side's lines and trade by month.
pub struct Loaded {
    params: Params,
    figures: Vec<Published>,
    fx: quid_data::ledger::FxTable,
    sides: Vec<SideInput>,
    /// The first and last day covered: the balance's period from the first month of the
    /// monthly flow files.
    span: (Date, Date),
    months: Vec<Month>,
}

/// Reads the realized view's data for the balance's period (from the first month of 2025 trade
/// data to the period's last month), the flows on three threads.
pub fn load(app: &App, ctx: &Context<'_>) -> Result<Loaded> {
    let params = read_params(app)?;
    let figures = read_published(&app.bundle.published_collections())?;
    let fx = quid_data::ledger::read_fx(&app.bundle.fx())?;
    let bundle = &app.bundle;
    let (monthly, mx, annual) = std::thread::scope(|scope| {
        let monthly = scope.spawn(|| read_usmca_monthly(&bundle.usmca_monthly_dir()));
        let mx = scope.spawn(|| mx_weights(app));
        let annual = quid_data::params::read_usmca_shares(&bundle.usmca_shares(2025));
        let monthly = monthly
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let mx = mx.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (monthly, mx, annual)
    });
    let (monthly, mx, annual) = (monthly?, mx?, annual?);
    // The view starts with the first month of the monthly flow files (2025-01 in the bundle).
    let first_data = monthly
        .months
        .keys()
        .next()
        .and_then(|(y, m)| Date::new(*y as i16, *m as i8, 1).ok())
        .ok_or_else(|| {
            Error::NotFound(format!(
                "no monthly flow file in {}",
                app.bundle.usmca_monthly_dir().display()
            ))
        })?;
    let start = first_data.max(ctx.since);
    crate::error::ensure(start <= ctx.until, "--until", || {
        format!(
            "the realized view starts on {start} (the first month of trade data); the period ends on {}",
            ctx.until
        )
    })?;
    let (first, last) = (Month::of(start), Month::of(ctx.until));
    if let Some(m) = first
        .through(last)
        .into_iter()
        .find(|m| fx_for(&fx, *m).is_none())
    {
        return Err(Error::NotFound(format!(
            "no CAD per USD rate for {m}, an earlier month or {} in {}",
            m.year,
            app.bundle.fx().display()
        )));
    }
    Ok(Loaded {
        params,
        figures,
        fx,
        sides: vec![
            us_side(Country::CA, ctx.us_on_ca, &annual, &monthly)?,
            ca_side(ctx)?,
            us_side(Country::MX, &mx, &annual, &monthly)?,
        ],
        span: (start, ctx.until),
        months: first.through(last),
    })
}

/// The realized view from loaded data: each side's panel over the months, the duties on each
/// month's trade, the remission share, and the reconciliations.
pub fn compute(
    engine: &Engine,
    policy: &Policy,
    loaded: &Loaded,
    reuse: &Reuse<'_>,
) -> Result<RealizedReport> {
    let Loaded {
        params,
        figures,
        fx,
        sides: inputs,
        span,
        months,
    } = loaded;
    let span = *span;
    let mut sides: Vec<(&SideInput, Vec<MonthRow>, Month)> = Vec::new();
    for input in inputs {
        let panel = match (input.importer, input.partner) {
            (Country::US, Country::CA) => reuse.us_on_ca,
            (Country::CA, Country::US) => reuse.ca_on_us,
            _ => None,
        };
        let (rows, last_data) = side_months(engine, policy, input, span, months, fx, panel);
        sides.push((input, rows, last_data));
    }
    // The remission share: stated, or implied by two published figures.
    let (share, basis) = match (params.remission.share, params.remission.implied_by.as_slice()) {
        (Some(s), _) => (s.clamp(0.0, 1.0), params.remission.basis.clone()),
        (None, [a, b]) => {
            let find = |id: &String| {
                figures.iter().find(|f| &f.id == id).ok_or_else(|| {
                    Error::NotFound(format!(
                        "data/params/realized.toml: remission.implied_by names {id:?}, which is not in data/collections/published.csv"
                    ))
                })
            };
            let (a, b) = (find(a)?, find(b)?);
            let (_, rows, _) = sides
                .iter()
                .find(|(i, _, _)| i.importer == a.side && Some(i.partner) == a.partner)
                .ok_or_else(|| Error::NotFound(format!("no side for figure {}", a.id)))?;
            let imp = implied_share(rows, a, b)?;
            let basis = format!(
                "{} Implied by {} ({} {:.2} bn, {} to {}) and {} ({} {:.2} bn to {}): quid's figure before remission {:.2} and {:.2} bn, remissible {:.2} and {:.2} bn in the two periods; the share {:.1}% makes the published totals the same multiple ({:.2}) of quid's net figure in both; the rest of the gap is the unexplained step.",
                params.remission.basis,
                a.id, a.unit, a.value / 1e9, a.start, a.end,
                b.id, b.unit, b.value / 1e9, b.end,
                imp.before.0 / 1e9, imp.before.1 / 1e9, imp.remissible.0 / 1e9, imp.remissible.1 / 1e9,
                100.0 * imp.share, imp.multiple,
            );
            (imp.share, basis)
        }
        (None, []) => (0.0, params.remission.basis.clone()),
        (None, other) => {
            return Err(Error::Check(format!(
                "data/params/realized.toml: remission.implied_by names {} figure(s); expected two (or a share)",
                other.len()
            )))
        }
    };
    let mut out = Vec::new();
    for (input, mut rows, last_data) in sides {
        for r in rows.iter_mut() {
            r.remissions_usd = share * r.remissible_usd;
            r.modelled_usd -= r.remissions_usd;
        }
        let mine = |f: &&Published| f.side == input.importer && f.partner == Some(input.partner);
        let reconciliations: Vec<Reconciliation> = figures
            .iter()
            .filter(mine)
            .filter(|f| f.measure == Measure::DutyCollected)
            .filter(|f| f.start >= span.0 && f.end <= span.1)
            .map(|f| reconcile(&rows, f))
            .collect();
        let rates: Vec<RateCheck> = figures
            .iter()
            .filter(mine)
            .filter(|f| f.measure == Measure::RealizedRatePct)
            .filter(|f| f.start >= span.0 && f.end <= span.1)
            .map(|f| rate_check(&rows, f))
            .collect();
        let months_without_figure = rows
            .iter()
            .map(|r| r.month)
            .filter(|m| {
                !figures.iter().filter(mine).any(|f| {
                    matches!(f.measure, Measure::DutyCollected | Measure::RealizedRatePct)
                        && month_part(*m, f.start, f.end) > 0.0
                })
            })
            .collect();
        out.push(RealizedSide {
            importer: input.importer,
            partner: input.partner,
            last_data_month: last_data,
            trade_source: input.trade_source.clone(),
            months: rows,
            reconciliations,
            rates,
            months_without_figure,
        });
    }
    let mut notes = vec![
        "steps: statutory additional duties at 2024 trade (the balance, a month = days/365 of a year); the period's trade at the balance's claim shares; the period's own USMCA claims; plus base duty on unclaimed value; less modelled remissions; the rest is unexplained".to_string(),
        "Canada's side: every US good taken to enter under CUSMA (as in the balance), so the claim step and the base duty are zero; CAD at each month's Bank of Canada average (data/fx/usd_cad.csv)".to_string(),
        "collections are net of refunds and drawback and lag entries (Treasury cash about a month after Census entry); Census calculated duty is declared at entry; compare like with like".to_string(),
    ];
    for s in &out {
        if s.months.iter().any(|r| r.carried_forward) {
            notes.push(format!(
                "{} on {}: trade data end in {}; later months carry that month forward",
                s.importer, s.partner, s.last_data_month
            ));
        }
    }
    Ok(RealizedReport {
        sides: out,
        remission_share: share,
        remission_basis: basis,
        figures: figures.clone(),
        notes,
    })
}

/// US imports from Mexico at 2024 weights with the 2025 annual shares (the balance's
/// convention), for the Mexican side's statutory step.
fn mx_weights(app: &App) -> Result<EtrInput> {
    Ok(crate::weights::us_imports_weighted(
        &app.bundle,
        Country::MX,
        crate::weights::Grouping::Balance,
        ShareMode::Annual2025,
        crate::weights::WeightYear::Y2024,
    )?)
}

impl RealizedReport {
    /// The chart: each side's statutory duties at 2024 trade and the modelled duties on the
    /// trade that crossed, by month (US$ bn a month), with the published collections as points
    /// (a period's total spread evenly over its months, in US$ at the period's average rate),
    /// and `markers` (the balance chart's policy dates).
    pub fn chart(&self, markers: Vec<quid_econ::chart::Marker>) -> Chart {
        let mut series = Vec::new();
        let mut dots = Vec::new();
        let mut end = Date::MIN;
        let mut start = Date::MAX;
        // The balance's two directions (Mexico is in the tables, not on the chart).
        let balance = self.sides.iter().filter(|s| {
            matches!(
                (s.importer, s.partner),
                (Country::US, Country::CA) | (Country::CA, Country::US)
            )
        });
        for s in balance {
            // The balance chart's colours: US duties red, Canadian duties blue.
            let color = if s.importer == Country::US {
                PALETTE[1]
            } else {
                PALETTE[0]
            };
            let name = format!("{} on {}", s.importer, s.partner);
            let pts = |f: &dyn Fn(&MonthRow) -> f64| -> Vec<(Date, f64)> {
                s.months
                    .iter()
                    .map(|r| (r.month.first_day(), f(r) / 1e9))
                    .collect()
            };
            if let Some(r) = s.months.last() {
                end = end.max(r.month.last_day());
            }
            if let Some(r) = s.months.first() {
                start = start.min(r.month.first_day());
            }
            series.push(
                Series::new(
                    format!("{name}, statutory"),
                    color,
                    pts(&|r| r.statutory_2024_usd),
                )
                .dashed(),
            );
            series.push(Series::new(
                format!("{name}, realized"),
                color,
                pts(&|r| r.modelled_usd),
            ));
            for rc in &s.reconciliations {
                let months: f64 = s
                    .months
                    .iter()
                    .map(|r| month_part(r.month, rc.from, rc.until))
                    .sum();
                let fx: f64 = if rc.currency == "CAD" {
                    let (num, den) = s.months.iter().fold((0.0, 0.0), |(n, d), r| {
                        let w = month_part(r.month, rc.from, rc.until);
                        (n + w * r.cad_per_usd, d + w)
                    });
                    if den > 0.0 {
                        num / den
                    } else {
                        1.0
                    }
                } else {
                    1.0
                };
                if months > 0.0 {
                    dots.push(Dot {
                        from: rc.from,
                        until: rc.until,
                        value: rc.published / fx / months / 1e9,
                        label: dot_label(&rc.figure, &rc.source, rc.published / fx / months),
                        color,
                    });
                }
            }
            for rc in &s.rates {
                let months: f64 = s
                    .months
                    .iter()
                    .map(|r| month_part(r.month, rc.from, rc.until))
                    .sum();
                if months > 0.0 {
                    dots.push(Dot {
                        from: rc.from,
                        until: rc.until,
                        value: rc.published_duty_usd / months / 1e9,
                        label: dot_label(&rc.figure, &rc.source, rc.published_duty_usd / months),
                        color,
                    });
                }
            }
        }
        Chart {
            title: "Duties on the trade that crossed, and what was collected".into(),
            subtitle: "US$ bn a month: statutory at 2024 trade (dashed); on the trade that crossed (solid); published (points)".into(),
            series,
            markers,
            dots,
            start: start.min(end),
            end,
            unit: YUnit::Amount(" bn"),
            y_label: "US$ bn a month".into(),
            notes: Vec::new(),
        }
    }
}

impl RealizedReport {
    /// Every side's months as rows (the CSV form), US$.
    pub fn months_table(&self) -> crate::table::Table {
        use crate::table::{Cell, Kind};
        let mut t = crate::table::Table::typed([
            ("importer", Kind::Text),
            ("partner", Kind::Text),
            ("month", Kind::Text),
            ("days", Kind::Int),
            ("carried_forward", Kind::Bool),
            ("imports_usd", Kind::Money),
            ("claimed_usd", Kind::Money),
            ("statutory_2024_usd", Kind::Money),
            ("at_period_trade_usd", Kind::Money),
            ("with_period_claims_usd", Kind::Money),
            ("base_usd", Kind::Money),
            ("remissions_usd", Kind::Money),
            ("modelled_usd", Kind::Money),
            ("cad_per_usd", Kind::Number),
        ]);
        for s in &self.sides {
            for r in &s.months {
                t.push_cells([
                    s.importer.to_string().into(),
                    s.partner.to_string().into(),
                    r.month.to_string().into(),
                    Cell::Int(r.days),
                    r.carried_forward.into(),
                    Cell::money_f64(r.imports_usd),
                    Cell::money_f64(r.claimed_usd),
                    Cell::money_f64(r.statutory_2024_usd),
                    Cell::money_f64(r.at_period_trade_usd),
                    Cell::money_f64(r.with_period_claims_usd),
                    Cell::money_f64(r.base_usd),
                    Cell::money_f64(r.remissions_usd),
                    Cell::money_f64(r.modelled_usd),
                    Cell::num(r.cad_per_usd, 4),
                ]);
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quid_core::{parse_date, Citation, HsCode};
    use quid_econ::{Interval, RateRow};

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn row(base: f64, extra: f64) -> RateRow {
        let mut r = RateRow {
            total: base + extra,
            base_known: true,
            ..RateRow::default()
        };
        r.parts.push((0, base));
        if extra > 0.0 {
            r.parts.push((1, extra));
        }
        r
    }

    fn iv(line: u32, claim: bool, from: &str, until: &str, r: RateRow) -> Interval {
        Interval {
            line,
            claim,
            valid_from: d(from),
            valid_until: d(until),
            segments: (0, 0),
            row: r,
        }
    }

    fn fx() -> quid_data::ledger::FxTable {
        let rate = |p: &str, r: &str| quid_data::ledger::FxRate {
            period: p.into(),
            cad_per_usd: r.parse().unwrap(),
            source: Citation {
                kind: None,
                title: "test".into(),
                url: None,
                date: None,
                pinpoint: None,
            },
        };
        quid_data::ledger::FxTable {
            rates: vec![rate("2025-03", "1.5"), rate("2025-04", "1.4")],
        }
    }

    fn figure(id: &str, from: &str, until: &str, value: f64, unit: &str) -> Published {
        Published {
            id: id.into(),
            side: Country::US,
            partner: Some(Country::CA),
            start: d(from),
            end: d(until),
            measure: Measure::DutyCollected,
            value,
            unit: unit.into(),
            definition: "test".into(),
            kind: quid_data::collections::Kind::Official,
            publisher: "test".into(),
            title: "test".into(),
            url: "https://example.org".into(),
            published: None,
            quote: String::new(),
            line: 2,
        }
    }

    /// Two lines, two months of data (a third carried forward), one line with claims; every
    /// figure worked by hand.
    ///
    /// Rates. Line 0: 25% additional without a claim from 2025-03-04, nothing claimed, no base
    /// duty. Line 1: 2% base without a claim; 25% additional claimed or not from 2025-03-12.
    ///
    /// Step 1 (2024 trade, a month = days/365 of a year): line 0 36,500 a year at the balance's
    /// claim share 0.5; line 1 7,300 a year, share 0. March (31 days): line 0 3,100, 1,550
    /// unclaimed x 25% x 28/31 = 350; line 1 620 x 25% x 20/31 = 100; total 450. April (30
    /// days): 1,500 x 25% = 375 and 600 x 25% = 150: 525. May (31 days): 387.50 + 155 = 542.50.
    ///
    /// The period's trade. March: line 0 6,200 (4,650 claimed), line 1 1,240 (620 claimed).
    /// April: line 0 3,000 (all claimed), line 1 600 (none claimed). May: no data, April
    /// carried forward.
    ///
    /// Step 2 (period trade, balance shares). March: line 0 3,100 unclaimed x 25% x 28/31 =
    /// 700; line 1 1,240 x 25% x 20/31 = 200; 900. April: 375 + 150 = 525. May: 525.
    /// Step 3 (period claims). March: line 0 1,550 x 25% x 28/31 = 350; line 1 200 (claimed or
    /// not); 550. April: 0 + 150 = 150. May: 150.
    /// Step 4 (base). March: line 1's 620 unclaimed x 2% = 12.40. April: 600 x 2% = 12. May 12.
    /// Modelled: March 562.40, April 162, May 162.
    #[test]
    fn each_step_on_two_lines_and_two_months() {
        let panel = Panel {
            importer: Country::US,
            partner: Country::CA,
            lines: vec![
                HsCode::parse("0101.21.00.10").unwrap(),
                HsCode::parse("7208.10.15.00").unwrap(),
            ],
            segments: Segments::new(d("2025-03-01"), d("2025-05-31"), []),
            intervals: vec![
                iv(0, false, "2025-03-01", "2025-03-03", row(0.0, 0.0)),
                iv(0, false, "2025-03-04", "2025-05-31", row(0.0, 0.25)),
                iv(0, true, "2025-03-01", "2025-05-31", row(0.0, 0.0)),
                iv(1, false, "2025-03-01", "2025-03-11", row(0.02, 0.0)),
                iv(1, false, "2025-03-12", "2025-05-31", row(0.02, 0.25)),
                iv(1, true, "2025-03-01", "2025-03-11", row(0.0, 0.0)),
                iv(1, true, "2025-03-12", "2025-05-31", row(0.0, 0.25)),
            ],
            errors: vec![],
        };
        let (march, april, may) = (
            Month::new(2025, 3).unwrap(),
            Month::new(2025, 4).unwrap(),
            Month::new(2025, 5).unwrap(),
        );
        let input = SideInput {
            importer: Country::US,
            partner: Country::CA,
            lines: panel.lines.clone(),
            base: vec![(0, 36_500.0, 0.5), (1, 7_300.0, 0.0)],
            months: BTreeMap::from([
                (
                    march,
                    vec![(0, 6200.0, 4650.0, 0.5), (1, 1240.0, 620.0, 0.0)],
                ),
                (april, vec![(0, 3000.0, 3000.0, 0.5), (1, 600.0, 0.0, 0.0)]),
            ]),
            trade_source: "test".into(),
            remission: false,
        };
        let span = (d("2025-03-01"), d("2025-05-31"));
        let (rows, last) = month_rows(&[&panel], None, &input, span, &[march, april, may], &fx());
        assert_eq!(last, april);
        let got: Vec<(String, bool, [f64; 5])> = rows
            .iter()
            .map(|r| {
                let round = |x: f64| (x * 100.0).round() / 100.0;
                (
                    r.month.to_string(),
                    r.carried_forward,
                    [
                        round(r.statutory_2024_usd),
                        round(r.at_period_trade_usd),
                        round(r.with_period_claims_usd),
                        round(r.base_usd),
                        round(r.modelled_usd),
                    ],
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("2025-03".into(), false, [450.0, 900.0, 550.0, 12.4, 562.4]),
                ("2025-04".into(), false, [525.0, 525.0, 150.0, 12.0, 162.0]),
                ("2025-05".into(), true, [542.5, 525.0, 150.0, 12.0, 162.0]),
            ]
        );
        // May takes April's rate, the table's last month.
        assert_eq!(rows[2].cad_per_usd, 1.4);

        // March and April, USD 800 published: statutory 975; trade +450 (1,425 - 975); claims
        // -725 (700 - 1,425); base +24.40; remissions 0; unexplained 800 - 724.40 = 75.60.
        let rc = reconcile(
            &rows,
            &figure("P", "2025-03-01", "2025-04-30", 800.0, "USD"),
        );
        let steps: Vec<f64> = rc
            .steps
            .iter()
            .map(|s| (s.amount * 100.0).round() / 100.0)
            .collect();
        assert_eq!(steps, [975.0, 450.0, -725.0, 24.4, 0.0, 75.6]);
        assert!((rc.steps.iter().map(|s| s.amount).sum::<f64>() - 800.0).abs() < 1e-9);

        // The second half of April in CAD (1.4 per USD), 150 published: half of April's
        // figures: statutory 262.50 x 1.4 = 367.50; trade 0; claims -187.50 x 1.4 = -262.50;
        // base 6 x 1.4 = 8.40; modelled 81 x 1.4 = 113.40; unexplained 36.60.
        let rc = reconcile(
            &rows,
            &figure("Q", "2025-04-16", "2025-04-30", 150.0, "CAD"),
        );
        let steps: Vec<f64> = rc
            .steps
            .iter()
            .map(|s| (s.amount * 100.0).round() / 100.0)
            .collect();
        assert_eq!(steps, [367.5, 0.0, -262.5, 8.4, 0.0, 36.6]);
        assert!((rc.modelled - 113.4).abs() < 1e-9);
    }

    /// Two cumulative figures: March 60 published on 200 before remission and nothing
    /// remissible; March to April 105, so April 45 on 200 before remission with 100
    /// remissible. `pub = k (before - s rem)`: March gives k = 60/200 = 0.3; April 45 = 0.3
    /// (200 - 100 s), so s = 0.5. By the formula: (60 x 200 - 45 x 200) / (60 x 100 - 45 x 0)
    /// = 3,000 / 6,000 = 0.5.
    #[test]
    fn the_remission_share_two_figures_imply() {
        let month = |m: i8, modelled: f64, remissible: f64| MonthRow {
            month: Month::new(2025, m).unwrap(),
            days: 30,
            carried_forward: false,
            imports_usd: 0.0,
            imports_2024_usd: 0.0,
            claimed_usd: 0.0,
            statutory_2024_usd: 0.0,
            at_period_trade_usd: 0.0,
            with_period_claims_usd: 0.0,
            base_usd: 0.0,
            remissions_usd: 0.0,
            modelled_usd: modelled,
            remissible_usd: remissible,
            cad_per_usd: 1.0,
        };
        let rows = [month(3, 200.0, 0.0), month(4, 200.0, 100.0)];
        let a = figure("A", "2025-03-01", "2025-03-31", 60.0, "USD");
        let b = figure("B", "2025-03-01", "2025-04-30", 105.0, "USD");
        let imp = implied_share(&rows, &a, &b).unwrap();
        assert!((imp.share - 0.5).abs() < 1e-12, "{imp:?}");
        assert!((imp.multiple - 0.3).abs() < 1e-12, "{imp:?}");
        assert_eq!((imp.before, imp.remissible), ((200.0, 200.0), (0.0, 100.0)));
        // Figures that are not nested are refused.
        let c = figure("C", "2025-04-01", "2025-04-30", 105.0, "USD");
        assert!(implied_share(&rows, &a, &c)
            .unwrap_err()
            .to_string()
            .contains("must be a cumulative figure"));
    }
}
