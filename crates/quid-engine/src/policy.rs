//! The compiled policy: measure records validated once and indexed per importer by HS prefix,
//! with the stacking rules, ready for [`Policy::assess`].
//!
//! The product index maps each (level, truncated code) key to the measures that include or
//! exclude that prefix, so finding the measures for a line is at most five hash lookups.
//!
//! Compiling validates every record and reports all problems together; the compiled index then
//! answers which measures an importer has and on which dates they change:
//!
//! ```
//! use quid_core::{parse_date, Country, HsCode};
//! use quid_engine::{MeasureFile, Policy};
//!
//! let file: MeasureFile = toml::from_str(r#"
//!     [[measure]]
//!     id = "US-S232-SA-2.steel"
//!     title = "Section 232 steel, 50%"
//!     importer = "US"
//!     origins = ["*"]
//!     authority = "s232-steel"
//!     heading = "9903.81.87"
//!     instrument = "Proclamation 10947"
//!     status = "in_force"
//!     confidence = "H"
//!     from = "2025-06-04"
//!     rate = "50%"
//!     base = "full_value"
//!     scope = { include = ["72"] }
//!     citations = [{ title = "Proclamation 10947" }]
//! "#).unwrap();
//! let lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(format!("no list {r}")) };
//! let policy = Policy::compile(&[("steel.toml".to_string(), file.clone())], &lists, false).unwrap();
//! assert_eq!(policy.measure_count(Country::US), 1);
//! assert_eq!(policy.measure_count(Country::CA), 0);
//! assert_eq!(policy.change_dates(Country::US), [parse_date("2025-06-04").unwrap()]);
//! // The same file twice: a duplicate id, reported with both files.
//! let twice = [("a.toml".to_string(), file.clone()), ("b.toml".to_string(), file)];
//! let err = Policy::compile(&twice, &lists, false).unwrap_err();
//! assert_eq!(err.0, ["b.toml: measure US-S232-SA-2.steel: duplicate id (also in a.toml)"]);
//! ```

use crate::authority::Authority;
pub use crate::authority::AUTHORITIES;
pub use crate::base_rate::{BaseBasis, BaseRate, BaseRateError};
use crate::law::Law;
use crate::measure::{Base, MeasureFile, MeasureRecord, RuleRecord, Status};
use quid_core::rate::RateExpr;
use quid_core::{Country, CountrySet, HsCode, Period};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

/// Stand-in metal shares of value for a product (BEA input-output based), as exact decimals
/// (converted once when the reference data is built, not per entry).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MetalShare {
    pub steel: Decimal,
    pub aluminum: Decimal,
    pub copper: Decimal,
}

/// What the engine needs from reference data it does not own.
pub trait Reference: Sync {
    /// The base rate for the entry on its date (the data layer's schedules answer it through
    /// [`crate::base_rate::base_rate`]).
    fn base_rate(&self, entry: &crate::Entry) -> Result<BaseRate<'_>, BaseRateError>;
    /// Stand-in metal-content shares for a product, when the entry declares none.
    fn metal_share(&self, hs: &HsCode) -> Option<MetalShare>;
    /// The dated law parameters (default content shares among them).
    fn law(&self) -> &Law;
}

/// Problems found while compiling measures; all are reported together.
#[derive(Debug, thiserror::Error)]
#[error("{} problem(s) in the measure files:\n{}", .0.len(), .0.join("\n"))]
pub struct CompileError(pub Vec<String>);

/// A validated measure with its parsed rate and period (internal to the policy index).
#[derive(Debug, Clone)]
pub struct CompiledMeasure {
    /// The authority's bit, for rule masks.
    pub(crate) auth_bit: u32,
    pub(crate) rec: MeasureRecord,
    pub(crate) rate: RateExpr,
    pub(crate) period: Period,
    pub(crate) all_origins: bool,
    pub(crate) origins: CountrySet,
    /// `except_origins`, as a set.
    pub(crate) except: CountrySet,
    pub(crate) all_products: bool,
    pub(crate) min_effective: Option<Decimal>,
    /// Number of included HS prefixes (0 with `all_products`).
    pub(crate) scope_prefixes: usize,
    pub(crate) excluded_prefixes: usize,
    /// Products that count as energy for `conditions.energy`: sorted prefix keys, shared by
    /// every measure that names the same list.
    pub(crate) energy: std::sync::Arc<[u64]>,
    /// "authority heading rate", the layer's label in batch output, built once.
    pub(crate) label: Box<str>,
}

impl CompiledMeasure {
    /// True when the measure targets goods of `origin` (listed or `*`, and not excepted).
    #[inline]
    pub(crate) fn targets(&self, origin: Country) -> bool {
        (self.all_origins || self.origins.contains(origin)) && !self.except.contains(origin)
    }

    /// True when a code or one of its ancestors is on this measure's energy list; `keys` are
    /// the code's [`prefix_keys`] (at most five binary searches).
    pub(crate) fn is_energy(&self, keys: &[u64]) -> bool {
        !self.energy.is_empty() && keys.iter().any(|k| self.energy.binary_search(k).is_ok())
    }
}

/// A validated stacking rule (internal to the policy index).
#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub(crate) rec: RuleRecord,
    pub(crate) period: Period,
    /// Bit `i` set when authority `AUTHORITIES[i]` is a winner (loser): [`Authority::bit`].
    pub(crate) winners: u32,
    pub(crate) losers: u32,
    /// A remission rule's products: sorted prefix keys included (empty: every product) and
    /// excluded.
    pub(crate) include: std::sync::Arc<[u64]>,
    pub(crate) exclude: std::sync::Arc<[u64]>,
    /// A de minimis rule's threshold and origins.
    pub(crate) max_value: Option<Decimal>,
    pub(crate) origins: Origins,
}

/// Origins a rule or gap covers: every country (`*` or none listed) or a set, less exceptions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origins {
    pub(crate) all: bool,
    pub(crate) set: CountrySet,
    pub(crate) except: CountrySet,
}

impl Origins {
    fn read(list: &[String], except: &[Country], at: &str, problems: &mut Vec<String>) -> Origins {
        let mut o = Origins {
            all: list.is_empty(),
            ..Origins::default()
        };
        for c in list {
            if c == "*" {
                o.all = true;
            } else {
                match Country::parse(c) {
                    Ok(c) => o.set.insert(c),
                    Err(e) => problems.push(format!("{at}: field origins: {e}")),
                }
            }
        }
        for c in except {
            o.except.insert(*c);
        }
        o
    }

    pub(crate) fn contains(&self, c: Country) -> bool {
        (self.all || self.set.contains(c)) && !self.except.contains(c)
    }
}

/// A validated gap record (see [`crate::measure::GapRecord`]).
#[derive(Debug, Clone)]
pub struct CompiledGap {
    pub(crate) rec: crate::measure::GapRecord,
    pub(crate) period: Period,
    pub(crate) origins: Origins,
    pub(crate) include: std::sync::Arc<[u64]>,
    pub(crate) exclude: std::sync::Arc<[u64]>,
}

impl CompiledGap {
    /// True when the gap concerns an entry of this origin, date and product (`keys`).
    pub(crate) fn concerns(&self, origin: Country, date: quid_core::Date, keys: &[u64]) -> bool {
        let hit = |set: &[u64]| keys.iter().any(|k| set.binary_search(k).is_ok());
        self.period.contains(date)
            && self.origins.contains(origin)
            && (self.include.is_empty() || hit(&self.include))
            && !hit(&self.exclude)
    }
}

impl CompiledRule {
    /// True when the rule's scope covers a code with these [`prefix_keys`].
    pub(crate) fn covers(&self, keys: &[u64]) -> bool {
        let hit = |set: &[u64]| keys.iter().any(|k| set.binary_search(k).is_ok());
        (self.include.is_empty() || hit(&self.include)) && !hit(&self.exclude)
    }
}

/// Per-importer index.
#[derive(Debug, Default, Clone)]
pub(crate) struct ImporterIndex {
    pub measures: Vec<CompiledMeasure>,
    /// key(level, prefix) -> (measure index, true = include / false = exclude).
    pub by_prefix: HashMap<u64, Vec<(u32, bool)>, quid_core::IntBuildHasher>,
    /// Which chapters and headings have any key in `by_prefix` (most have none).
    pub filter: PrefixFilter,
    pub all_products: Vec<u32>,
    pub rules: Vec<CompiledRule>,
    pub gaps: Vec<CompiledGap>,
}

/// One bit per chapter that has a 2-digit key and one per 4-digit heading that has a key at
/// 4 digits or more: `assess` skips the hash lookups of an entry whose heading has no list
/// entry (most headings), and the bits fit in the first-level cache.
#[derive(Debug, Clone)]
pub(crate) struct PrefixFilter {
    chapters: u128,
    headings: Box<[u64; 157]>,
}

impl Default for PrefixFilter {
    fn default() -> PrefixFilter {
        PrefixFilter {
            chapters: 0,
            headings: Box::new([0; 157]),
        }
    }
}

impl PrefixFilter {
    fn mark(&mut self, p: &HsCode) {
        let heading = (p.padded() / 1_000_000) as usize;
        if p.level() == 2 {
            self.chapters |= 1 << (heading / 100);
        } else {
            self.headings[heading / 64] |= 1 << (heading % 64);
        }
    }

    /// True when the `n`th of `hs`'s [`prefix_keys`] (0 = chapter) may be in the index.
    #[inline]
    pub(crate) fn may_hold(&self, hs: &HsCode, n: usize) -> bool {
        let heading = (hs.padded() / 1_000_000) as usize;
        if n == 0 {
            self.chapters & (1 << (heading / 100)) != 0
        } else {
            self.headings[heading / 64] & (1 << (heading % 64)) != 0
        }
    }
}

fn pkey(code: &HsCode) -> u64 {
    (code.padded() << 4) | u64::from(code.level())
}

/// The index keys of a code's prefixes, chapter first (`72`, `7208`, `720810`, ...).
pub(crate) fn prefix_keys(hs: &HsCode) -> arrayvec::ArrayVec<u64, 5> {
    let v = hs.padded();
    // Constant divisors: the compiler turns them into multiplications.
    let all = [
        ((v / 100_000_000 * 100_000_000) << 4) | 2,
        ((v / 1_000_000 * 1_000_000) << 4) | 4,
        ((v / 10_000 * 10_000) << 4) | 6,
        ((v / 100 * 100) << 4) | 8,
        (v << 4) | 10,
    ];
    let mut keys = arrayvec::ArrayVec::new();
    for k in all.into_iter().take(usize::from(hs.level() / 2)) {
        keys.push(k);
    }
    keys
}

/// The compiled measures of every importer.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub(crate) importers: HashMap<Country, ImporterIndex>,
    /// Unverified measures are kept out unless asked for.
    pub include_unverified: bool,
}

impl Policy {
    /// Validates and indexes measure files. `lists` resolves a list reference (as written in
    /// `include_lists`/`exclude_lists`) to its prefixes; an unknown reference is an error.
    pub fn compile(
        files: &[(String, MeasureFile)],
        lists: &dyn Fn(&str) -> Result<Vec<HsCode>, String>,
        include_unverified: bool,
    ) -> Result<Policy, CompileError> {
        let mut problems = Vec::new();
        let mut policy = Policy {
            importers: HashMap::new(),
            include_unverified,
        };
        let mut ids: HashMap<String, String> = HashMap::new();
        let mut list_cache: HashMap<String, Vec<HsCode>> = HashMap::new();
        let mut energy_cache: HashMap<String, std::sync::Arc<[u64]>> = HashMap::new();
        for (file, mf) in files {
            for rec in &mf.measure {
                let at = format!("{file}: measure {}", rec.id);
                if let Some(prev) = ids.insert(rec.id.clone(), file.clone()) {
                    problems.push(format!("{at}: duplicate id (also in {prev})"));
                    continue;
                }
                if rec.status == Status::Unverified && !include_unverified {
                    continue;
                }
                match compile_measure(rec, &at, lists, &mut list_cache, &mut energy_cache) {
                    Ok((cm, includes, excludes)) => {
                        let idx = policy.importers.entry(rec.importer).or_default();
                        let i = idx.measures.len() as u32;
                        if cm.all_products {
                            idx.all_products.push(i);
                        }
                        for p in includes {
                            idx.filter.mark(&p);
                            idx.by_prefix.entry(pkey(&p)).or_default().push((i, true));
                        }
                        for p in excludes {
                            idx.filter.mark(&p);
                            idx.by_prefix.entry(pkey(&p)).or_default().push((i, false));
                        }
                        idx.measures.push(cm);
                    }
                    Err(mut e) => problems.append(&mut e),
                }
            }
            for rule in &mf.rule {
                let at = format!("{file}: rule {}", rule.id);
                let mut ok = true;
                for a in rule.winners.iter().chain(rule.losers.iter()) {
                    if !a.is_measure_class() {
                        problems.push(format!(
                            "{at}: authority {a} is a base-duty programme, not a measure class; expected one of {}",
                            AUTHORITIES.join(", ")
                        ));
                        ok = false;
                    }
                }
                if rule.citations.is_empty() {
                    problems.push(format!("{at}: no citation; every rule needs at least one"));
                    ok = false;
                }
                let (include, exclude) =
                    match rule_scope(rule, &at, lists, &mut list_cache, &mut problems) {
                        Some(s) => s,
                        None => {
                            ok = false;
                            Default::default()
                        }
                    };
                let before = problems.len();
                let origins =
                    Origins::read(&rule.origins, &rule.except_origins, &at, &mut problems);
                let max_value = de_minimis_fields(rule, &at, &mut problems);
                ok &= problems.len() == before;
                match Period::new(rule.from, rule.until) {
                    Ok(period) if ok => policy
                        .importers
                        .entry(rule.importer)
                        .or_default()
                        .rules
                        .push(CompiledRule {
                            winners: mask(&rule.winners),
                            losers: mask(&rule.losers),
                            rec: rule.clone(),
                            period,
                            include,
                            exclude,
                            max_value,
                            origins,
                        }),
                    Ok(_) => {}
                    Err(e) => problems.push(format!("{at}: {e}")),
                }
            }
            for gap in &mf.gap {
                let at = format!("{file}: gap {}", gap.id);
                if let Some(prev) = ids.insert(gap.id.clone(), file.clone()) {
                    problems.push(format!("{at}: duplicate id (also in {prev})"));
                    continue;
                }
                let before = problems.len();
                if gap.citations.is_empty() {
                    problems.push(format!(
                        "{at}: field citations: empty; a gap cites the text it leaves out"
                    ));
                }
                if gap.origins.is_empty() {
                    problems.push(format!(
                        "{at}: field origins: empty; use [\"*\"] for every country"
                    ));
                }
                let origins = Origins::read(&gap.origins, &gap.except_origins, &at, &mut problems);
                let include = scope_keys(
                    &gap.scope.include,
                    &gap.scope.include_lists,
                    "include",
                    &at,
                    lists,
                    &mut list_cache,
                    &mut problems,
                );
                let exclude = scope_keys(
                    &gap.scope.exclude,
                    &gap.scope.exclude_lists,
                    "exclude",
                    &at,
                    lists,
                    &mut list_cache,
                    &mut problems,
                );
                match Period::new(gap.from, gap.until) {
                    Ok(period) if problems.len() == before => policy
                        .importers
                        .entry(gap.importer)
                        .or_default()
                        .gaps
                        .push(CompiledGap {
                            rec: gap.clone(),
                            period,
                            origins,
                            include: include.into(),
                            exclude: exclude.into(),
                        }),
                    Ok(_) => {}
                    Err(e) => problems.push(format!("{at}: {e}")),
                }
            }
        }
        if problems.is_empty() {
            Ok(policy)
        } else {
            Err(CompileError(problems))
        }
    }

    /// The gap records of an importer (layers quid does not model).
    pub fn gaps(&self, importer: Country) -> impl Iterator<Item = &crate::measure::GapRecord> {
        self.importers
            .get(&importer)
            .into_iter()
            .flat_map(|i| i.gaps.iter().map(|g| &g.rec))
    }

    /// The same measures with no stacking rules: every measure at its nominal rate, as
    /// statutory-rate conventions (such as the Budget Lab tracker's) start from.
    pub fn without_rules(&self) -> Policy {
        let mut p = self.clone();
        for idx in p.importers.values_mut() {
            idx.rules.clear();
        }
        p
    }

    /// The policy as it was known on `date`: measures for which `known` is false are dropped
    /// (their period emptied), and a measure struck down by a ruling after `date` is taken as in
    /// force with no end, as it was believed then (nothing refundable).
    pub fn as_known_on(
        &self,
        date: quid_core::Date,
        known: &dyn Fn(&MeasureRecord) -> bool,
    ) -> Policy {
        let mut p = self.clone();
        for idx in p.importers.values_mut() {
            for m in idx.measures.iter_mut() {
                if !known(&m.rec) {
                    // An empty period: never in force.
                    m.period = Period {
                        from: m.period.from,
                        until: Some(m.period.from),
                    };
                    continue;
                }
                if let Some(s) = &m.rec.struck_down {
                    if s.ruling > date {
                        // Only an end that came from the ruling is unknown before it; an end
                        // set by a later measure (a rate change) was known.
                        if m.period.until.is_some_and(|u| u >= s.ruling) {
                            m.rec.until = None;
                            m.period.until = None;
                        }
                        m.rec.status = Status::InForce;
                        m.rec.struck_down = None;
                    }
                }
            }
        }
        p
    }

    /// Number of compiled measures for an importer.
    pub fn measure_count(&self, importer: Country) -> usize {
        self.importers
            .get(&importer)
            .map_or(0, |i| i.measures.len())
    }

    /// The compiled measure records of an importer.
    pub fn measures(&self, importer: Country) -> impl Iterator<Item = (&MeasureRecord, &RateExpr)> {
        self.importers
            .get(&importer)
            .into_iter()
            .flat_map(|i| i.measures.iter().map(|m| (&m.rec, &m.rate)))
    }

    /// Every date on which an importer's measures or stacking rules start or end, sorted: the
    /// only dates on which its duties can change (with the schedules' edition dates).
    pub fn change_dates(&self, importer: Country) -> Vec<quid_core::Date> {
        let mut out = Vec::new();
        if let Some(idx) = self.importers.get(&importer) {
            for m in &idx.measures {
                out.push(m.period.from);
                out.extend(m.period.until);
            }
            for r in &idx.rules {
                out.push(r.period.from);
                out.extend(r.period.until);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The dates on which the duties of one line for goods of `partner` can change: the starts
    /// and ends of the measures whose scope includes it and that target the partner, and of the
    /// stacking rules between their authorities. A subset of
    /// [`Policy::change_dates`]; a rate panel needs to assess the line only on these.
    pub fn line_change_dates(
        &self,
        importer: Country,
        partner: Country,
        hs: &HsCode,
        out: &mut Vec<quid_core::Date>,
    ) {
        out.clear();
        let Some(idx) = self.importers.get(&importer) else {
            return;
        };
        // The line's measure classes, as a rule mask.
        let mut authorities = 0u32;
        let mut level = 0;
        loop {
            let list: &[(u32, bool)] = if level == 0 {
                &[]
            } else {
                let key = (hs.truncate(level).padded() << 4) | u64::from(level);
                idx.by_prefix.get(&key).map_or(&[], |v| v.as_slice())
            };
            let all: Box<dyn Iterator<Item = u32>> = if level == 0 {
                Box::new(idx.all_products.iter().copied())
            } else {
                Box::new(list.iter().filter(|(_, inc)| *inc).map(|(i, _)| *i))
            };
            for i in all {
                let m = &idx.measures[i as usize];
                // A measure that cannot apply to the partner's goods cannot change the line.
                if !m.targets(partner) {
                    continue;
                }
                out.push(m.period.from);
                out.extend(m.period.until);
                authorities |= m.auth_bit;
            }
            level += 2;
            if level > hs.level() {
                break;
            }
        }
        // A rule can change the line's duties only when it names one of the line's authorities
        // on each side (a remission rule has no winners: its losers suffice).
        for r in &idx.rules {
            let remission = matches!(
                r.rec.kind,
                crate::measure::RuleKind::Remission | crate::measure::RuleKind::DeMinimis
            );
            if (remission || r.winners & authorities != 0) && r.losers & authorities != 0 {
                out.push(r.period.from);
                out.extend(r.period.until);
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Every HS prefix an importer's measures include by name (inline or from lists), sorted.
    pub fn included_codes(&self, importer: Country) -> Vec<HsCode> {
        let mut out: Vec<HsCode> = self
            .importers
            .get(&importer)
            .into_iter()
            .flat_map(|i| i.by_prefix.iter())
            .filter(|(_, v)| v.iter().any(|(_, inc)| *inc))
            .filter_map(|(k, _)| HsCode::from_padded(k >> 4, (k & 0xf) as u8))
            .collect();
        out.sort();
        out
    }

    /// The names of the authority classes of the records a reference names (see
    /// [`MeasureRecord::is_named_by`]), sorted and without repeats.
    pub fn authorities_named_by(&self, reference: &str) -> Vec<String> {
        let mut v: Vec<&str> = self
            .all_measures()
            .filter(|r| r.is_named_by(reference))
            .map(|r| r.authority.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v.into_iter().map(str::to_string).collect()
    }

    /// Every measure of every importer.
    pub fn all_measures(&self) -> impl Iterator<Item = &MeasureRecord> {
        self.importers
            .values()
            .flat_map(|i| i.measures.iter().map(|m| &m.rec))
    }

    /// A short description of a measure's product scope: "all products", or the number of HS
    /// prefixes included and excluded.
    pub fn scope_summary(&self, id: &str) -> Option<String> {
        let m = self
            .importers
            .values()
            .flat_map(|i| i.measures.iter())
            .find(|m| m.rec.id == id)?;
        let base = if m.all_products {
            "all products".to_string()
        } else {
            format!("{} HS prefixes", m.scope_prefixes)
        };
        Some(if m.excluded_prefixes > 0 {
            format!("{base} less {} excluded", m.excluded_prefixes)
        } else {
            base
        })
    }

    /// Stacking rules of an importer.
    pub fn rules(&self, importer: Country) -> impl Iterator<Item = &RuleRecord> {
        self.importers
            .get(&importer)
            .into_iter()
            .flat_map(|i| i.rules.iter().map(|r| &r.rec))
    }
}

/// The mask of a list of measure classes.
/// A rule's product scope as sorted prefix keys (included, excluded). Only remission rules
/// have one, and they need a condition and no winners; `None` when a problem was recorded.
#[allow(clippy::type_complexity)]
fn rule_scope(
    rule: &RuleRecord,
    at: &str,
    lists: &dyn Fn(&str) -> Result<Vec<HsCode>, String>,
    cache: &mut HashMap<String, Vec<HsCode>>,
    problems: &mut Vec<String>,
) -> Option<(std::sync::Arc<[u64]>, std::sync::Arc<[u64]>)> {
    let before = problems.len();
    let remission = rule.kind == crate::measure::RuleKind::Remission;
    if !remission && (rule.scope.is_some() || rule.condition.is_some()) {
        problems.push(format!(
            "{at}: fields scope and condition belong to remission rules only"
        ));
    }
    if remission {
        if !rule.winners.is_empty() {
            problems.push(format!(
                "{at}: field winners: a remission rule has no winners (found {})",
                rule.winners.len()
            ));
        }
        if rule.losers.is_empty() {
            problems.push(format!(
                "{at}: field losers: a remission rule names the authorities it remits"
            ));
        }
        if rule
            .condition
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
        {
            problems.push(format!(
                "{at}: field condition: a remission rule states the condition the entry declares"
            ));
        }
    }
    let (include, exclude) = match &rule.scope {
        Some(sc) => (
            scope_keys(
                &sc.include,
                &sc.include_lists,
                "include",
                at,
                lists,
                cache,
                problems,
            ),
            scope_keys(
                &sc.exclude,
                &sc.exclude_lists,
                "exclude",
                at,
                lists,
                cache,
                problems,
            ),
        ),
        None => (Vec::new(), Vec::new()),
    };
    (problems.len() == before).then(|| (include.into(), exclude.into()))
}

/// A scope's prefixes (inline and from lists) as sorted prefix keys; problems are recorded.
fn scope_keys(
    codes: &[String],
    names: &[String],
    field: &str,
    at: &str,
    lists: &dyn Fn(&str) -> Result<Vec<HsCode>, String>,
    cache: &mut HashMap<String, Vec<HsCode>>,
    problems: &mut Vec<String>,
) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::new();
    for c in codes {
        if c == "*" {
            problems.push(format!(
                "{at}: field scope.{field}: leave the scope out for every product, not \"*\""
            ));
            continue;
        }
        match HsCode::parse(c) {
            Ok(c) => out.push(pkey(&c)),
            Err(e) => problems.push(format!("{at}: field scope.{field}: {e}")),
        }
    }
    for name in names {
        let got = match cache.get(name) {
            Some(v) => Ok(v.clone()),
            None => lists(name),
        };
        match got {
            Ok(v) if v.is_empty() => problems.push(format!(
                "{at}: field scope.{field}_lists: list {name:?} selects no product"
            )),
            Ok(v) => {
                out.extend(v.iter().map(pkey));
                cache.insert(name.clone(), v);
            }
            Err(e) => problems.push(format!("{at}: field scope.{field}_lists: {e}")),
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A de minimis rule's threshold (required there, refused elsewhere, with its origins).
fn de_minimis_fields(rule: &RuleRecord, at: &str, problems: &mut Vec<String>) -> Option<Decimal> {
    let dm = rule.kind == crate::measure::RuleKind::DeMinimis;
    if !dm {
        if rule.max_value.is_some() || !rule.origins.is_empty() || !rule.except_origins.is_empty() {
            problems.push(format!(
                "{at}: fields max_value, origins and except_origins belong to de minimis rules only"
            ));
        }
        return None;
    }
    if !rule.winners.is_empty() {
        problems.push(format!(
            "{at}: field winners: a de minimis rule has no winners"
        ));
    }
    if rule.losers.is_empty() {
        problems.push(format!(
            "{at}: field losers: a de minimis rule names the authorities it relieves"
        ));
    }
    match rule.max_value.as_deref().map(Decimal::from_str) {
        Some(Ok(v)) if v > Decimal::ZERO => Some(v),
        Some(_) => {
            problems.push(format!(
                "{at}: field max_value: expected a positive amount (\"800\")"
            ));
            None
        }
        None => {
            problems.push(format!(
                "{at}: field max_value: a de minimis rule states its value threshold"
            ));
            None
        }
    }
}

fn mask(authorities: &[Authority]) -> u32 {
    authorities.iter().fold(0, |m, a| m | a.bit())
}

type Compiled = (CompiledMeasure, Vec<HsCode>, Vec<HsCode>);

fn compile_measure(
    rec: &MeasureRecord,
    at: &str,
    lists: &dyn Fn(&str) -> Result<Vec<HsCode>, String>,
    cache: &mut HashMap<String, Vec<HsCode>>,
    energy_cache: &mut HashMap<String, std::sync::Arc<[u64]>>,
) -> Result<Compiled, Vec<String>> {
    let mut problems = Vec::new();
    // A declared rate (AD/CVD) is the entry's: the record's rate is written "declared" and
    // compiled as free; every other rate is parsed.
    let rate = match (rec.declared.is_some(), rec.rate.as_str()) {
        (true, "declared") => RateExpr::parse("Free").map_err(|e| format!("{at}: field rate: {e}")),
        (true, other) => Err(format!(
            "{at}: field rate: a measure with a declared rate is written \"declared\", found {other:?}"
        )),
        (false, _) => RateExpr::parse(&rec.rate).map_err(|e| format!("{at}: field rate: {e}")),
    };
    if rec.rate_to_total && (rec.base != Base::FullValue || rec.declared.is_some()) {
        problems.push(format!(
            "{at}: field rate_to_total: a rate that tops the base duty up to a total is charged on the full value and is not declared"
        ));
    }
    if !rec.authority.is_measure_class() {
        problems.push(format!(
            "{at}: field authority: {} is a base-duty programme, not a measure class; expected one of {}",
            rec.authority,
            AUTHORITIES.join(", ")
        ));
    }
    if rec.citations.is_empty() {
        problems.push(format!(
            "{at}: field citations: empty; every measure needs at least one source"
        ));
    }
    if rec.status == Status::StruckDown && rec.struck_down.is_none() {
        problems.push(format!(
            "{at}: status struck_down needs a struck_down table (ruling, refundable, citation)"
        ));
    }
    let period =
        Period::new(rec.from, rec.until).map_err(|e| format!("{at}: fields from/until: {e}"));
    let mut all_origins = false;
    let mut origins = CountrySet::new();
    for o in &rec.origins {
        if o == "*" {
            all_origins = true;
        } else {
            match Country::parse(o) {
                Ok(c) => origins.insert(c),
                Err(e) => problems.push(format!("{at}: field origins: {e}")),
            }
        }
    }
    if rec.origins.is_empty() {
        problems.push(format!(
            "{at}: field origins: empty; use [\"*\"] for every country"
        ));
    }
    let mut all_products = false;
    let mut includes = Vec::new();
    let mut excludes = Vec::new();
    let mut prefixes = |items: &[String], out: &mut Vec<HsCode>, field: &str, all: &mut bool| {
        for p in items {
            if p == "*" {
                *all = true;
                continue;
            }
            match HsCode::parse(p) {
                Ok(c) => out.push(c),
                Err(e) => problems.push(format!("{at}: field scope.{field}: {e}")),
            }
        }
    };
    let mut no_all = false;
    prefixes(
        &rec.scope.include,
        &mut includes,
        "include",
        &mut all_products,
    );
    prefixes(&rec.scope.exclude, &mut excludes, "exclude", &mut no_all);
    for (names, out, field) in [
        (&rec.scope.include_lists, &mut includes, "include_lists"),
        (&rec.scope.exclude_lists, &mut excludes, "exclude_lists"),
    ] {
        for name in names {
            if let Some(v) = cache.get(name) {
                out.extend_from_slice(v);
                continue;
            }
            match lists(name) {
                Ok(v) if v.is_empty() => problems.push(format!(
                    "{at}: field scope.{field}: list {name:?} selects no product"
                )),
                Ok(v) => {
                    out.extend_from_slice(&v);
                    cache.insert(name.clone(), v);
                }
                Err(e) => problems.push(format!("{at}: field scope.{field}: {e}")),
            }
        }
    }
    let mut energy: std::sync::Arc<[u64]> = std::sync::Arc::from(Vec::new());
    if let Some(name) = &rec.conditions.energy_list {
        match cache
            .get(name)
            .cloned()
            .map(Ok)
            .unwrap_or_else(|| lists(name))
        {
            Ok(v) if v.is_empty() => problems.push(format!(
                "{at}: field conditions.energy_list: list {name:?} selects no product"
            )),
            Ok(v) => {
                energy = match energy_cache.get(name) {
                    Some(e) => e.clone(),
                    None => {
                        let mut keys: Vec<u64> = v.iter().map(pkey).collect();
                        keys.sort_unstable();
                        keys.dedup();
                        let keys: std::sync::Arc<[u64]> = keys.into();
                        energy_cache.insert(name.clone(), keys.clone());
                        keys
                    }
                };
                cache.insert(name.clone(), v);
            }
            Err(e) => problems.push(format!("{at}: field conditions.energy_list: {e}")),
        }
    }
    let min_effective = match &rec.min_effective_percent {
        Some(t) => match Decimal::from_str(t) {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(format!(
                    "{at}: field min_effective_percent: {t:?} is not a number"
                ));
                None
            }
        },
        None => None,
    };
    if matches!(rec.base, Base::NonCaMxContent) && rec.importer != Country::CA {
        problems.push(format!(
            "{at}: field base: non_ca_mx_content is a Canadian base"
        ));
    }
    let (rate, period) = match (rate, period) {
        (Ok(r), Ok(p)) => (r, p),
        (r, p) => {
            problems.extend(r.err());
            problems.extend(p.err());
            return Err(problems);
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let (scope_prefixes, excluded_prefixes) = (includes.len(), excludes.len());
    Ok((
        CompiledMeasure {
            auth_bit: rec.authority.bit(),
            label: format!("{} {} {}", rec.authority, rec.heading, rec.rate).into(),
            scope_prefixes,
            excluded_prefixes,
            rec: rec.clone(),
            rate,
            period,
            all_origins,
            origins,
            except: rec.except_origins.iter().copied().collect(),
            all_products,
            min_effective,
            energy,
        },
        includes,
        excludes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_keys_are_the_keys_of_each_truncation() {
        for code in [
            "72",
            "7208",
            "720810",
            "72081015",
            "7208101500",
            "0101210010",
        ] {
            let hs = HsCode::parse(code).expect("code");
            let want: Vec<u64> = (1..=hs.level() / 2)
                .map(|l| pkey(&hs.truncate(2 * l)))
                .collect();
            assert_eq!(prefix_keys(&hs).as_slice(), want.as_slice(), "{code}");
        }
    }

    fn one_measure(authority: &str) -> Result<MeasureFile, toml::de::Error> {
        toml::from_str(&format!(
            r#"[[measure]]
id = "T-1"
title = "test"
importer = "US"
origins = ["CA"]
authority = "{authority}"
heading = "9903.01.10"
instrument = "EO"
status = "in_force"
confidence = "H"
from = "2025-03-04"
rate = "25%"
base = "full_value"
scope = {{ include = ["*"] }}
citations = [{{ title = "EO" }}]
"#
        ))
    }

    #[test]
    fn measures_name_measure_classes_only() {
        let no_lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(r.to_string()) };
        let ok = one_measure("ieepa-ca").expect("parses");
        let p = Policy::compile(&[("t.toml".into(), ok)], &no_lists, false).expect("compiles");
        assert_eq!(p.authorities_named_by("T-1"), vec!["ieepa-ca".to_string()]);
        let base = one_measure("ust").expect("a known name");
        let e = Policy::compile(&[("t.toml".into(), base)], &no_lists, false).unwrap_err();
        assert!(
            e.to_string()
                .contains("field authority: ust is a base-duty programme"),
            "{e}"
        );
        let e = one_measure("ieepa-canada").unwrap_err();
        assert!(
            e.message()
                .starts_with("unknown authority \"ieepa-canada\""),
            "{e}"
        );
    }
}
