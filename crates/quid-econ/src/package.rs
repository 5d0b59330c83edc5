//! Negotiation packages: which of the candidate moves two parties could exchange.
//!
//! This module owns the search, and only the search: given candidate moves already valued (what
//! each move gives the other party, and the trade it liberalises, both in US$ a year), it finds
//!
//! - [`best`]: the package that liberalises the most trade while the two sides' totals stay within
//!   a tolerance of each other (counting what each party already gave, its credit), with at most
//!   one move per group (a group holds the levels of one measure, e.g. full or half removal). It is
//!   a mixed-integer linear programme, one binary variable per candidate, solved to proven
//!   optimality by `microlp` (through `good_lp`);
//! - [`frontier`]: party a's exchange frontier, the packages that give a the most for what a gives
//!   without b giving more than it receives (beyond the tolerance), each flagged whether it is
//!   within tolerance both ways. It is a sweep of budgets on a's gift; each budget is answered
//!   exactly from each side's possible gifts, sorted (as a MILP it is a subset-sum problem that
//!   `microlp` takes seconds to prove; the MILP walk remains for sets too large to sort);
//! - [`exhaustive`]: the same search as [`best`] by enumeration, for tests on small sets.
//!
//! Valuing the moves (from the duty engine and trade) is the application's work, and so is
//! choosing which moves are candidates.
//!
//! **Balance.** With `A = given_by_a + credit_a` and `B = given_by_b + credit_b`, a package is
//! within tolerance when `|A - B| <= tolerance x (A + B) / 2`. The check allows a slack of one
//! millionth of the largest value or credit of the problem, the order of the solver's own
//! feasibility tolerance (`SLACK`), so that [`best`], [`exhaustive`] and the flags agree.
//!
//! ```
//! use quid_core::Country;
//! use quid_econ::package::{best, frontier, Candidate, Target};
//!
//! let bn = 1e9;
//! let cand = |id: &str, party, value: f64, liberalised: f64| Candidate {
//!     id: id.into(),
//!     party,
//!     group: id.into(),
//!     value: value * bn,
//!     liberalised: liberalised * bn,
//! };
//! let cands = [
//!     cand("US lifts the lumber duty", Country::US, 4.0, 10.0),
//!     cand("US lifts the steel duty", Country::US, 6.0, 12.0),
//!     cand("CA lifts its steel surtax", Country::CA, 6.2, 9.0),
//!     cand("CA lifts its dairy quota tariff", Country::CA, 1.0, 2.0),
//! ];
//! let t = Target::new(Country::US, Country::CA, 0.05);
//! let p = best(&cands, &t).unwrap().unwrap();
//! // US 6.0 against CA 6.2: 0.2 apart, within 5% of their mean 6.1 (0.305). Adding the dairy
//! // move (7.2) or the lumber move (10.0) breaks the balance, and so does any other pairing.
//! assert_eq!(p.chosen, [1, 2]);
//! assert_eq!(p.liberalised, 21.0 * bn);
//! assert!(p.balanced);
//! assert!(p.why().contains("proved"));
//!
//! // The US frontier: for each US gift, the most Canada gives without giving more than 5%
//! // above it (Canada at most 1.0513 times the US). US 4: Canada 1 (far apart); US 6: Canada
//! // 6.2 (within 5%); US 10: Canada 7.2 (all it has, 28% apart).
//! let f = frontier(&cands, &t).unwrap();
//! let points: Vec<_> = f.iter().map(|p| (p.given_by_a / bn, p.given_by_b / bn, p.balanced)).collect();
//! assert_eq!(points, [(4.0, 1.0, false), (6.0, 6.2, true), (10.0, 7.2, false)]);
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;

use good_lp::{
    microlp, variable, Constraint, Expression, ProblemVariables, ResolutionError, Solution,
    SolutionStatus, SolverModel, Variable,
};
use quid_core::Country;
use serde::{Deserialize, Serialize};

/// The balance slack, relative to the largest value or credit of a problem: a little above the
/// solver's feasibility tolerance (1e-7 on rows scaled to that value).
const SLACK: f64 = 1e-6;

/// How many budgets [`frontier`] sweeps at most (it keeps at most this many points plus one).
pub const FRONTIER_STEPS: u32 = 40;

/// A move one party could make, valued.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// A label, e.g. "US-S232-SA-2 for CA, full removal".
    pub id: String,
    /// Who makes the move (gives).
    pub party: Country,
    /// Mutually exclusive group: at most one candidate of a group is in a package (e.g. full
    /// and half removal of one measure). Every distinct string is a group, the empty one too.
    pub group: String,
    /// What the move gives the other party: the reduction of the annual duty on its goods, US$
    /// a year (>= 0).
    pub value: f64,
    /// The trade the move liberalises: imports whose duty falls, US$ a year (>= 0).
    pub liberalised: f64,
}

/// The two parties, how close their totals must be, and what each already gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub a: Country,
    pub b: Country,
    /// 0.05: the two totals within 5% of their mean.
    pub tolerance: f64,
    /// What a already gave (since a date), US$ a year, counted in a's total.
    #[serde(default)]
    pub credit_a: f64,
    /// What b already gave, counted in b's total.
    #[serde(default)]
    pub credit_b: f64,
}

impl Target {
    /// A target with no credits.
    pub fn new(a: Country, b: Country, tolerance: f64) -> Target {
        Target {
            a,
            b,
            tolerance,
            credit_a: 0.0,
            credit_b: 0.0,
        }
    }

    /// The same target with credits.
    pub fn with_credits(self, credit_a: f64, credit_b: f64) -> Target {
        Target {
            credit_a,
            credit_b,
            ..self
        }
    }
}

/// What a package is optimal for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Objective {
    /// [`best`] or [`exhaustive`]: the most trade liberalised within tolerance.
    Liberalised { binding: Binding },
    /// A point of [`frontier`]: the most given by b for a's gift at most `budget_a` (US$ a year;
    /// `None`: no budget), b not giving more than the tolerance above what it receives; then
    /// the least given by a for that.
    Frontier { budget_a: Option<f64> },
}

/// What stops a best package from liberalising more.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Binding {
    /// Every move is in at its most liberalising level: no constraint binds.
    Nothing,
    /// `moves` moves would liberalise more (added, or in place of their group's chosen level)
    /// and each alone takes the totals out of tolerance; `nearest` (a candidate index) would
    /// leave the smallest gap, `nearest_gap` (signed, as [`Package::gap`]).
    Balance {
        moves: usize,
        nearest: usize,
        nearest_id: String,
        nearest_gap: f64,
    },
}

/// How optimality was established.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Proof {
    /// The MILP solver closed its branch and bound with a zero gap.
    Milp {
        binaries: usize,
        /// Branch-and-bound nodes solved (summed over the solves of a frontier point).
        nodes: u64,
    },
    /// Every package was enumerated.
    Enumerated { packages: u64 },
    /// A frontier point found by sorting: each of a's `gifts_a` attainable gifts (at most one
    /// move per group) was set against b's `gifts_b` sorted gifts, for each of the `joint`
    /// choices in groups holding moves of both parties.
    Sweep {
        gifts_a: usize,
        gifts_b: usize,
        joint: usize,
    },
}

/// A package of moves.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Package {
    /// Indices into the candidates, ascending.
    pub chosen: Vec<usize>,
    /// What a gives (b receives), US$ a year, without credits.
    pub given_by_a: f64,
    /// What b gives (a receives).
    pub given_by_b: f64,
    /// Trade liberalised, US$ a year.
    pub liberalised: f64,
    /// Within tolerance, credits counted.
    pub balanced: bool,
    /// `(A - B) / ((A + B) / 2)` with credits counted (0 when both are 0): positive when a gives
    /// more.
    pub gap: f64,
    pub target: Target,
    pub objective: Objective,
    pub proof: Proof,
}

impl Package {
    /// a's total, credit counted.
    pub fn total_a(&self) -> f64 {
        self.given_by_a + self.target.credit_a
    }

    /// b's total, credit counted.
    pub fn total_b(&self) -> f64 {
        self.given_by_b + self.target.credit_b
    }

    /// Why the package is optimal: the objective, the binding constraint, the proof.
    pub fn why(&self) -> String {
        let t = &self.target;
        let (a, b) = (t.a, t.b);
        let tol = pct(t.tolerance);
        let moves = match self.chosen.len() {
            1 => "1 move".to_string(),
            n => format!("{n} moves"),
        };
        let mut s = String::new();
        // "US$ 6.00 bn" or, with credits, "US$ 6.00 bn (4.00 + credit 2.00)".
        let total = |given: f64, credit: f64| {
            if t.credit_a > 0.0 || t.credit_b > 0.0 {
                format!(
                    "{} ({} + credit {})",
                    money(given + credit),
                    money(given),
                    money(credit)
                )
            } else {
                money(given + credit)
            }
        };
        let totals = format!(
            "{a} gives {}, {b} {}: a gap of {} of the mean",
            total(self.given_by_a, t.credit_a),
            total(self.given_by_b, t.credit_b),
            pct(self.gap.abs())
        );
        match &self.objective {
            Objective::Liberalised { binding } => {
                let _ = write!(
                    s,
                    "{moves} liberalising {} of trade a year: the most of any package with at \
                     most one move per group and the two sides within {tol} of their mean. \
                     {totals}, {tol} allowed. ",
                    money(self.liberalised)
                );
                match binding {
                    Binding::Nothing => s.push_str(
                        "No constraint binds: every move is in at its most liberalising level. ",
                    ),
                    Binding::Balance {
                        moves: 1,
                        nearest_id,
                        nearest_gap,
                        ..
                    } => {
                        let _ = write!(
                            s,
                            "Binding constraint: the balance. The one move that would liberalise \
                             more (added, or in place of its group's level), {nearest_id:?}, \
                             takes the gap past {tol}, to {}. ",
                            pct(nearest_gap.abs())
                        );
                    }
                    Binding::Balance {
                        moves,
                        nearest_id,
                        nearest_gap,
                        ..
                    } => {
                        let _ = write!(
                            s,
                            "Binding constraint: the balance. Each of the {moves} moves that would \
                             liberalise more (added, or in place of its group's level) takes the \
                             gap past {tol}; the nearest, {nearest_id:?}, to {}. ",
                            pct(nearest_gap.abs())
                        );
                    }
                }
            }
            Objective::Frontier { budget_a } => {
                let budget = match budget_a {
                    Some(x) => format!("at most {}", money(*x)),
                    None => "any amount".to_string(),
                };
                let _ = write!(
                    s,
                    "{moves}: {b} gives {}, the most it can give for {a} giving {budget} without \
                     giving more than {tol} above what it receives; {a} gives {}, the least for \
                     that. {totals}: {} tolerance ({tol}). ",
                    money(self.given_by_b),
                    money(self.given_by_a),
                    if self.balanced { "within" } else { "outside" }
                );
            }
        }
        match &self.proof {
            Proof::Milp { binaries, nodes } => {
                let _ = write!(
                    s,
                    "Optimality proved by the MILP solver (microlp): branch and bound closed \
                     with a zero gap after {nodes} nodes on {binaries} binary variables."
                );
            }
            Proof::Enumerated { packages } => {
                let _ = write!(
                    s,
                    "Optimal by enumeration: the candidates were few enough to check all \
                     {packages} packages."
                );
            }
            Proof::Sweep {
                gifts_a,
                gifts_b,
                joint,
            } => {
                let joint = if *joint > 1 {
                    format!(", for each of {joint} choices in groups of both parties")
                } else {
                    String::new()
                };
                let _ = write!(
                    s,
                    "Exact by a sorted sweep: each of {a}'s {gifts_a} possible gifts (at most one \
                     move per group) was set against {b}'s {gifts_b}{joint}."
                );
            }
        }
        s
    }
}

/// Why a search could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PackageError {
    #[error("the two parties of a target must differ (both are {0})")]
    SameParties(Country),
    #[error("candidate {index} ({id:?}) is a move of {party}, not of {a} or {b}")]
    ThirdParty {
        index: usize,
        id: String,
        party: Country,
        a: Country,
        b: Country,
    },
    #[error("candidate {index} ({id:?}): its {field} is {value}, not a finite number >= 0")]
    BadNumber {
        index: usize,
        id: String,
        field: &'static str,
        value: f64,
    },
    #[error("the tolerance is {0}, not a finite number >= 0")]
    BadTolerance(f64),
    #[error("the credit of {party} is {value}, not a finite number >= 0")]
    BadCredit { party: Country, value: f64 },
    #[error("the MILP solver failed: {0}")]
    Solver(String),
}

/// The package that liberalises the most trade within tolerance, at most one move per group.
///
/// `None` when no package of at least one move is within tolerance (the empty package is not a
/// package). Ties on trade liberalised are broken by the solver. Errors: a candidate of a party
/// other than `a` and `b`, a value or liberalised amount negative or not finite, a bad tolerance
/// or credit, `a == b`, or a solver failure.
pub fn best(cands: &[Candidate], t: &Target) -> Result<Option<Package>, PackageError> {
    let p = Problem::new(cands, t)?;
    if cands.is_empty() {
        return Ok(None);
    }
    let vars = p.vars(None);
    let mut rows = p.structure(&vars.x);
    rows.extend(p.balance(&vars.x, true));
    let objective = p.liberalised(&vars.x);
    let Some((chosen, nodes)) = p.solve(vars, objective, Sense::Max, rows)? else {
        return Ok(None);
    };
    let (ga, gb, _) = p.sums(&chosen);
    if !p.one_per_group(&chosen) || !p.within(ga + t.credit_a, gb + t.credit_b) {
        return Err(PackageError::Solver(
            "the solution failed verification (a group used twice or out of tolerance)".into(),
        ));
    }
    let binding = p.binding(&chosen);
    Ok(Some(p.package(
        chosen,
        Objective::Liberalised { binding },
        Proof::Milp {
            binaries: cands.len(),
            nodes,
        },
    )))
}

/// The same search as [`best`] by enumerating every package (exponential: meant for tests, up to
/// about 20 candidates). `None` when no package is within tolerance, and also when the input is
/// invalid (see [`best`] for the errors). Ties go to the first package enumerated.
pub fn exhaustive(cands: &[Candidate], t: &Target) -> Option<Package> {
    let p = Problem::new(cands, t).ok()?;
    let mut found: Option<(f64, Vec<usize>)> = None;
    let mut packages = 0u64;
    p.enumerate(|chosen, ga, gb, lib| {
        packages += 1;
        if p.within(ga + t.credit_a, gb + t.credit_b)
            && found.as_ref().is_none_or(|(best, _)| lib > *best)
        {
            found = Some((lib, chosen.to_vec()));
        }
    });
    let (_, mut chosen) = found?;
    chosen.sort_unstable();
    let binding = p.binding(&chosen);
    Some(p.package(
        chosen,
        Objective::Liberalised { binding },
        Proof::Enumerated { packages },
    ))
}

/// How finely [`frontier_with`] walks the frontier.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Resolution {
    /// Every point (64,142 on the 40 candidates of the benchmark: with many moves, nearly every
    /// possible gift of a's is a point).
    Exact,
    /// The budget walk steps down by 1/n of a's largest frontier gift: at most n + 1 points,
    /// at least that far apart in `given_by_a`.
    Steps(u32),
}

/// The most possible gifts of one side that [`frontier`] sorts (2^21: 21 single moves, or 18
/// measures of which 4 at two levels); above it, [`frontier`] walks with MILPs instead.
pub const SWEEP_LIMIT: u64 = 1 << 21;

/// Party a's exchange frontier, [`FRONTIER_STEPS`] budgets: see [`frontier_with`].
pub fn frontier(cands: &[Candidate], t: &Target) -> Result<Vec<Package>, PackageError> {
    frontier_with(cands, t, Resolution::Steps(FRONTIER_STEPS))
}

/// Party a's exchange frontier over packages of at least one move, at most one per group: the
/// points (what b receives = `given_by_a`, what a receives = `given_by_b`) such that no package
/// gives a at least as much for no more, among the packages where b gives no more than the
/// tolerance above what it receives (`B - A <= tolerance x (A + B) / 2`, credits counted).
/// Without that condition the question has one answer: b gives everything for nothing.
///
/// Sorted by `given_by_a`, ascending (and so `given_by_b` ascending). The points are those of a
/// sweep of budgets on a's gift, from the top down: for each budget, the most b gives within it,
/// then the least a gives for that; the next budget is below that point's gift by the
/// resolution's step. Every point returned is on the frontier; with [`Resolution::Exact`] every
/// point of the frontier is returned. Each says whether it is within tolerance both ways
/// (`balanced`). Errors as [`best`].
///
/// How: when neither side has more than [`SWEEP_LIMIT`] attainable gifts (the product over its
/// groups of one more than the group's size), each side's gifts are enumerated and sorted, and
/// one pass over a's gifts against b's finds every frontier point ([`Proof::Sweep`]). Each
/// budget as a MILP (max b's gift, then min a's) is the method for larger sets, but it is slow:
/// the budget and cap rows make each one a subset-sum problem that `microlp` proves by brute
/// branching (one budget on 40 candidates took 394,000 nodes, 4-5 s).
///
/// Swap a and b in the target for b's frontier.
pub fn frontier_with(
    cands: &[Candidate],
    t: &Target,
    resolution: Resolution,
) -> Result<Vec<Package>, PackageError> {
    let p = Problem::new(cands, t)?;
    if cands.is_empty() {
        return Ok(Vec::new());
    }
    match p.sweep(resolution) {
        Some(points) => Ok(points),
        None => p.frontier_milp(resolution),
    }
}

/// Keeps the staircase: `points` sorted by gift of a ascending (and for equal gifts by b's
/// descending), only those that give b's gift strictly above all before.
fn staircase<T>(points: &mut Vec<(f64, f64, T)>) {
    points.sort_by(|x, y| x.0.total_cmp(&y.0).then(y.1.total_cmp(&x.1)));
    let mut top = f64::NEG_INFINITY;
    points.retain(|&(_, y, _)| {
        let keep = y > top;
        top = top.max(y);
        keep
    });
}

/// The indices of the staircase (ascending in a's gift) that the budget walk of `resolution`
/// visits, with each one's budget (`None` for the first), ascending.
fn walk(xs: &[f64], resolution: Resolution, min_step: f64) -> Vec<(usize, Option<f64>)> {
    let Some(&top) = xs.last() else {
        return Vec::new();
    };
    let step = match resolution {
        Resolution::Exact => {
            return (0..xs.len())
                .map(|i| (i, (i + 1 < xs.len()).then(|| xs[i + 1] - min_step)))
                .collect();
        }
        Resolution::Steps(n) => (top / f64::from(n.max(1))).max(min_step),
    };
    let mut out = vec![(xs.len() - 1, None)];
    let mut budget = top - step;
    while budget >= 0.0 {
        let n = xs.partition_point(|&x| x <= budget);
        if n == 0 {
            break;
        }
        out.push((n - 1, Some(budget)));
        budget = xs[n - 1] - step;
    }
    out.reverse();
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    A,
    B,
}

#[derive(Clone, Copy)]
enum Sense {
    Max,
    Min,
}

struct Vars {
    problem: ProblemVariables,
    x: Vec<Variable>,
}

/// A validated problem.
struct Problem<'a> {
    cands: &'a [Candidate],
    t: &'a Target,
    side: Vec<Side>,
    /// The members of each group, in order of first appearance.
    groups: Vec<Vec<usize>>,
    group_of: Vec<usize>,
    /// The largest value or credit (1 when all are 0): gifts are scaled by it in the MILP.
    scale: f64,
    /// The largest trade liberalised (1 when all are 0).
    lib_scale: f64,
}

impl<'a> Problem<'a> {
    fn new(cands: &'a [Candidate], t: &'a Target) -> Result<Problem<'a>, PackageError> {
        if t.a == t.b {
            return Err(PackageError::SameParties(t.a));
        }
        if !(t.tolerance.is_finite() && t.tolerance >= 0.0) {
            return Err(PackageError::BadTolerance(t.tolerance));
        }
        for (party, value) in [(t.a, t.credit_a), (t.b, t.credit_b)] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(PackageError::BadCredit { party, value });
            }
        }
        let mut side = Vec::with_capacity(cands.len());
        let mut names: HashMap<&str, usize> = HashMap::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of = Vec::with_capacity(cands.len());
        let (mut scale, mut lib_scale) = (t.credit_a.max(t.credit_b), 0.0f64);
        for (index, c) in cands.iter().enumerate() {
            side.push(if c.party == t.a {
                Side::A
            } else if c.party == t.b {
                Side::B
            } else {
                return Err(PackageError::ThirdParty {
                    index,
                    id: c.id.clone(),
                    party: c.party,
                    a: t.a,
                    b: t.b,
                });
            });
            for (field, value) in [("value", c.value), ("liberalised", c.liberalised)] {
                if !(value.is_finite() && value >= 0.0) {
                    return Err(PackageError::BadNumber {
                        index,
                        id: c.id.clone(),
                        field,
                        value,
                    });
                }
            }
            scale = scale.max(c.value);
            lib_scale = lib_scale.max(c.liberalised);
            let g = *names.entry(c.group.as_str()).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(index);
            group_of.push(g);
        }
        let one_if_zero = |x: f64| if x > 0.0 { x } else { 1.0 };
        Ok(Problem {
            cands,
            t,
            side,
            groups,
            group_of,
            scale: one_if_zero(scale),
            lib_scale: one_if_zero(lib_scale),
        })
    }

    /// The frontier by the budget walk, two MILPs a point (see [`frontier_with`]).
    fn frontier_milp(&self, resolution: Resolution) -> Result<Vec<Package>, PackageError> {
        let t = self.t;
        let mut points: Vec<Package> = Vec::new();
        // Budgets and gifts here are scaled by `self.scale`.
        let mut budget = f64::INFINITY;
        let mut step = SLACK;
        loop {
            let rows = |vars: &Vars| {
                let mut rows = self.structure(&vars.x);
                rows.extend(self.balance(&vars.x, false));
                if budget.is_finite() {
                    rows.push(self.given(&vars.x, Side::A).leq(budget));
                }
                rows
            };
            // Stage 1: the most b gives within the budget.
            let vars = self.vars(None);
            let rows1 = rows(&vars);
            let objective = self.given(&vars.x, Side::B);
            let Some((first, nodes1)) = self.solve(vars, objective, Sense::Max, rows1)? else {
                break;
            };
            let (x1, y, _) = self.sums(&first);
            // Stage 2: the least a gives for that, starting from stage 1's package.
            let vars = self.vars(Some(&first));
            let mut rows2 = rows(&vars);
            rows2.push(
                self.given(&vars.x, Side::B)
                    .geq(y / self.scale - SLACK / 10.0),
            );
            let objective = self.given(&vars.x, Side::A);
            let (chosen, nodes2) = match self.solve(vars, objective, Sense::Min, rows2)? {
                Some((second, nodes2)) if self.sums(&second).0 <= x1 => (second, nodes2),
                _ => (first, 0),
            };
            let (ga, gb, _) = self.sums(&chosen);
            if !self.one_per_group(&chosen) || !self.capped(ga + t.credit_a, gb + t.credit_b) {
                return Err(PackageError::Solver(
                    "a frontier point failed verification (a group used twice or b over-giving)"
                        .into(),
                ));
            }
            let x = ga / self.scale;
            let budget_a = budget.is_finite().then_some(budget * self.scale);
            points.push(self.package(
                chosen,
                Objective::Frontier { budget_a },
                Proof::Milp {
                    binaries: self.cands.len(),
                    nodes: nodes1 + nodes2,
                },
            ));
            if points.len() == 1 {
                if let Resolution::Steps(n) = resolution {
                    step = (x / f64::from(n.max(1))).max(SLACK);
                }
            }
            budget = x - step;
            if budget < 0.0 {
                break;
            }
        }
        points.reverse();
        // The walk gives a staircase; drop anything the solver's tolerances let through.
        let mut keyed: Vec<(f64, f64, Package)> = points
            .into_iter()
            .map(|p| (p.given_by_a, p.given_by_b, p))
            .collect();
        staircase(&mut keyed);
        Ok(keyed.into_iter().map(|(_, _, p)| p).collect())
    }

    /// The frontier by sorting each side's gifts (see [`frontier_with`]); `None` when a side has
    /// more than [`SWEEP_LIMIT`] gifts.
    fn sweep(&self, resolution: Resolution) -> Option<Vec<Package>> {
        let t = self.t;
        let pure = |side: Side| -> Vec<usize> {
            (0..self.groups.len())
                .filter(|&g| self.groups[g].iter().all(|&i| self.side[i] == side))
                .collect()
        };
        let (groups_a, groups_b) = (pure(Side::A), pure(Side::B));
        let mixed: Vec<usize> = (0..self.groups.len())
            .filter(|g| !groups_a.contains(g) && !groups_b.contains(g))
            .collect();
        let count = |groups: &[usize]| -> u64 {
            groups.iter().fold(1u64, |n, &g| {
                n.saturating_mul(self.groups[g].len() as u64 + 1)
            })
        };
        let (na, nb, nm) = (count(&groups_a), count(&groups_b), count(&mixed));
        if na > SWEEP_LIMIT
            || nb > SWEEP_LIMIT
            || nm.saturating_mul(na.saturating_add(nb)) > 4 * SWEEP_LIMIT
        {
            return None;
        }
        let gifts_a = self.gifts(&groups_a);
        let gifts_b = self.gifts(&groups_b);
        let joint = self.gifts(&mixed);
        // (a's gift, b's gift, (joint, a's, b's) codes) of every staircase point.
        let mut points: Vec<(f64, f64, (u64, u64, u64))> = Vec::new();
        for &((xo, yo), code_m) in &joint {
            let mut j = 0;
            let mut top = f64::NEG_INFINITY;
            for &((xa, _), code_a) in &gifts_a {
                let total_a = xo + xa + t.credit_a;
                while j < gifts_b.len() && self.capped(total_a, yo + gifts_b[j].0 .1 + t.credit_b) {
                    j += 1;
                }
                // The largest gift of b within the cap: with equal gifts the empty choice
                // (code 0) sorts first, so the last is empty only if alone at that amount.
                let Some(&((_, yb), code_b)) = j.checked_sub(1).map(|k| &gifts_b[k]) else {
                    continue;
                };
                if code_m == 0 && code_a == 0 && code_b == 0 {
                    continue;
                }
                let y = yo + yb;
                if y > top {
                    top = y;
                    points.push((xo + xa, y, (code_m, code_a, code_b)));
                }
            }
        }
        staircase(&mut points);
        let xs: Vec<f64> = points.iter().map(|p| p.0).collect();
        let proof = Proof::Sweep {
            gifts_a: gifts_a.len(),
            gifts_b: gifts_b.len(),
            joint: joint.len(),
        };
        let out = walk(&xs, resolution, SLACK * self.scale)
            .into_iter()
            .map(|(k, budget_a)| {
                let (cm, ca, cb) = points[k].2;
                let mut chosen = self.decode(&mixed, cm);
                chosen.extend(self.decode(&groups_a, ca));
                chosen.extend(self.decode(&groups_b, cb));
                chosen.sort_unstable();
                self.package(chosen, Objective::Frontier { budget_a }, proof.clone())
            })
            .collect();
        Some(out)
    }

    /// Every choice of at most one move in each of `groups`: ((a's gift, b's gift), code),
    /// sorted by b's gift then a's then code (the code 0, no move, first among equals). The
    /// code is mixed-radix: digit k, the position in group k plus one, 0 for none.
    fn gifts(&self, groups: &[usize]) -> Vec<((f64, f64), u64)> {
        let mut out = vec![((0.0, 0.0), 0u64)];
        let mut radix = 1u64;
        for &g in groups {
            let members = &self.groups[g];
            let mut next = Vec::with_capacity(out.len() * (members.len() + 1));
            for &((x, y), code) in &out {
                next.push(((x, y), code));
                for (k, &i) in members.iter().enumerate() {
                    let v = self.cands[i].value;
                    let sums = match self.side[i] {
                        Side::A => (x + v, y),
                        Side::B => (x, y + v),
                    };
                    next.push((sums, code + (k as u64 + 1) * radix));
                }
            }
            out = next;
            radix *= members.len() as u64 + 1;
        }
        out.sort_by(|p, q| {
            (p.0 .1.total_cmp(&q.0 .1))
                .then(p.0 .0.total_cmp(&q.0 .0))
                .then(p.1.cmp(&q.1))
        });
        out
    }

    /// The candidates of a code of [`Problem::gifts`].
    fn decode(&self, groups: &[usize], mut code: u64) -> Vec<usize> {
        let mut chosen = Vec::new();
        for &g in groups {
            let members = &self.groups[g];
            let radix = members.len() as u64 + 1;
            let digit = (code % radix) as usize;
            code /= radix;
            if digit > 0 {
                chosen.push(members[digit - 1]);
            }
        }
        chosen
    }

    /// Within tolerance, the slack allowed.
    fn within(&self, total_a: f64, total_b: f64) -> bool {
        (total_a - total_b).abs()
            <= self.t.tolerance * (total_a + total_b) / 2.0 + SLACK * self.scale
    }

    /// b gives no more than the tolerance above what it receives.
    fn capped(&self, total_a: f64, total_b: f64) -> bool {
        total_b - total_a <= self.t.tolerance * (total_a + total_b) / 2.0 + SLACK * self.scale
    }

    fn gap(&self, total_a: f64, total_b: f64) -> f64 {
        let mean = (total_a + total_b) / 2.0;
        if mean > 0.0 {
            (total_a - total_b) / mean
        } else {
            0.0
        }
    }

    /// (given by a, given by b, liberalised).
    fn sums(&self, chosen: &[usize]) -> (f64, f64, f64) {
        let (mut ga, mut gb, mut lib) = (0.0, 0.0, 0.0);
        for &i in chosen {
            match self.side[i] {
                Side::A => ga += self.cands[i].value,
                Side::B => gb += self.cands[i].value,
            }
            lib += self.cands[i].liberalised;
        }
        (ga, gb, lib)
    }

    fn one_per_group(&self, chosen: &[usize]) -> bool {
        let mut used = vec![false; self.groups.len()];
        chosen
            .iter()
            .all(|&i| !std::mem::replace(&mut used[self.group_of[i]], true))
    }

    fn package(&self, chosen: Vec<usize>, objective: Objective, proof: Proof) -> Package {
        let (ga, gb, lib) = self.sums(&chosen);
        let (ta, tb) = (ga + self.t.credit_a, gb + self.t.credit_b);
        Package {
            chosen,
            given_by_a: ga,
            given_by_b: gb,
            liberalised: lib,
            balanced: self.within(ta, tb),
            gap: self.gap(ta, tb),
            target: self.t.clone(),
            objective,
            proof,
        }
    }

    /// What stops `chosen` from liberalising more: the single moves (additions, or swaps within
    /// a group) that would liberalise more, and how far each takes the gap.
    fn binding(&self, chosen: &[usize]) -> Binding {
        let (ga, gb, _) = self.sums(chosen);
        let mut in_group: Vec<Option<usize>> = vec![None; self.groups.len()];
        for &i in chosen {
            in_group[self.group_of[i]] = Some(i);
        }
        let signed = |i: usize| match self.side[i] {
            Side::A => (self.cands[i].value, 0.0),
            Side::B => (0.0, self.cands[i].value),
        };
        let mut moves = 0;
        let mut nearest: Option<(usize, f64)> = None;
        for (i, c) in self.cands.iter().enumerate() {
            let (mut a, mut b, mut more) = (ga, gb, c.liberalised);
            match in_group[self.group_of[i]] {
                Some(j) if j == i => continue,
                Some(j) => {
                    let (da, db) = signed(j);
                    a -= da;
                    b -= db;
                    more -= self.cands[j].liberalised;
                }
                None => {}
            }
            if more <= 1e-12 * self.lib_scale {
                continue;
            }
            let (da, db) = signed(i);
            let (ta, tb) = (a + da + self.t.credit_a, b + db + self.t.credit_b);
            if self.within(ta, tb) {
                // Not optimal; cannot happen for a package from `best` or `exhaustive`.
                continue;
            }
            moves += 1;
            let g = self.gap(ta, tb);
            if nearest.is_none_or(|(_, n)| g.abs() < n.abs()) {
                nearest = Some((i, g));
            }
        }
        match nearest {
            None => Binding::Nothing,
            Some((i, g)) => Binding::Balance {
                moves,
                nearest: i,
                nearest_id: self.cands[i].id.clone(),
                nearest_gap: g,
            },
        }
    }

    /// Calls `f(chosen, given by a, given by b, liberalised)` for every package of at least one
    /// move, at most one per group.
    fn enumerate(&self, mut f: impl FnMut(&[usize], f64, f64, f64)) {
        let mut chosen = Vec::with_capacity(self.groups.len());
        self.walk(0, &mut chosen, (0.0, 0.0, 0.0), &mut f);
    }

    fn walk(
        &self,
        g: usize,
        chosen: &mut Vec<usize>,
        (ga, gb, lib): (f64, f64, f64),
        f: &mut impl FnMut(&[usize], f64, f64, f64),
    ) {
        if g == self.groups.len() {
            if !chosen.is_empty() {
                f(chosen, ga, gb, lib);
            }
            return;
        }
        self.walk(g + 1, chosen, (ga, gb, lib), f);
        for &i in &self.groups[g] {
            let c = &self.cands[i];
            let sums = match self.side[i] {
                Side::A => (ga + c.value, gb, lib + c.liberalised),
                Side::B => (ga, gb + c.value, lib + c.liberalised),
            };
            chosen.push(i);
            self.walk(g + 1, chosen, sums, f);
            chosen.pop();
        }
    }

    /// One binary per candidate, optionally starting from a package.
    fn vars(&self, start: Option<&[usize]>) -> Vars {
        let mut problem = ProblemVariables::new();
        let x = (0..self.cands.len())
            .map(|i| {
                let v = variable().binary();
                problem.add(match start {
                    Some(s) => v.initial(if s.contains(&i) { 1.0 } else { 0.0 }),
                    None => v,
                })
            })
            .collect();
        Vars { problem, x }
    }

    /// What one side gives, scaled, without its credit.
    fn given(&self, x: &[Variable], side: Side) -> Expression {
        let mut e = Expression::with_capacity(x.len());
        for (i, c) in self.cands.iter().enumerate() {
            if self.side[i] == side && c.value > 0.0 {
                e.add_mul(c.value / self.scale, x[i]);
            }
        }
        e
    }

    fn liberalised(&self, x: &[Variable]) -> Expression {
        let mut e = Expression::with_capacity(x.len());
        for (i, c) in self.cands.iter().enumerate() {
            if c.liberalised > 0.0 {
                e.add_mul(c.liberalised / self.lib_scale, x[i]);
            }
        }
        e
    }

    /// At most one per group, at least one move.
    fn structure(&self, x: &[Variable]) -> Vec<Constraint> {
        let mut rows = Vec::with_capacity(self.groups.len() + 1);
        for members in self.groups.iter().filter(|m| m.len() > 1) {
            let mut e = Expression::with_capacity(members.len());
            for &i in members {
                e.add_mul(1.0, x[i]);
            }
            rows.push(e.leq(1.0));
        }
        let mut any = Expression::with_capacity(x.len());
        for &v in x {
            any.add_mul(1.0, v);
        }
        rows.push(any.geq(1.0));
        rows
    }

    /// `B - A <= h (A + B)` with `h = tolerance / 2`, i.e. `(1 - h) B - (1 + h) A <= 0`, and,
    /// when `both`, the same with A and B swapped; credits counted, gifts scaled.
    fn balance(&self, x: &[Variable], both: bool) -> Vec<Constraint> {
        let h = self.t.tolerance / 2.0;
        let (ca, cb) = (self.t.credit_a / self.scale, self.t.credit_b / self.scale);
        let row = |high: Side, low: Side, c_high: f64, c_low: f64| {
            let mut e = self.given(x, high) * (1.0 - h);
            e.add_mul(-(1.0 + h), self.given(x, low));
            e.leq((1.0 + h) * c_low - (1.0 - h) * c_high)
        };
        let mut rows = vec![row(Side::B, Side::A, cb, ca)];
        if both {
            rows.push(row(Side::A, Side::B, ca, cb));
        }
        rows
    }

    /// Solves; `None` when infeasible, else the chosen candidates (ascending) and the
    /// branch-and-bound nodes.
    fn solve(
        &self,
        vars: Vars,
        objective: Expression,
        sense: Sense,
        rows: Vec<Constraint>,
    ) -> Result<Option<(Vec<usize>, u64)>, PackageError> {
        let Vars { problem, x } = vars;
        let unsolved = match sense {
            Sense::Max => problem.maximise(objective),
            Sense::Min => problem.minimise(objective),
        };
        let mut model = unsolved.using(microlp);
        for row in rows {
            model.add_constraint(row);
        }
        let solution = match model.solve() {
            Ok(s) => s,
            Err(ResolutionError::Infeasible) => return Ok(None),
            Err(e) => return Err(PackageError::Solver(e.to_string())),
        };
        if !matches!(solution.status(), SolutionStatus::Optimal) {
            return Err(PackageError::Solver(
                "the solver stopped before proving optimality".into(),
            ));
        }
        let chosen = x
            .iter()
            .enumerate()
            .filter(|&(_, &v)| solution.value(v) > 0.5)
            .map(|(i, _)| i)
            .collect();
        let nodes = solution.into_inner().stats().nodes_solved;
        Ok(Some((chosen, nodes)))
    }
}

/// "US$ 6.20 bn", "US$ 12.0 m", "US$ 4".
fn money(x: f64) -> String {
    if x.abs() >= 1e9 {
        format!("US$ {:.2} bn", x / 1e9)
    } else if x.abs() >= 1e6 {
        format!("US$ {:.1} m", x / 1e6)
    } else {
        format!("US$ {}", (x * 100.0).round() / 100.0)
    }
}

/// "5%", "3.28%".
fn pct(x: f64) -> String {
    let s = format!("{:.2}", 100.0 * x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montecarlo::Rng;

    const BN: f64 = 1e9;
    const US: Country = Country::US;
    const CA: Country = Country::CA;

    /// A candidate valued in US$ bn a year.
    fn cand(id: &str, party: Country, group: &str, value: f64, liberalised: f64) -> Candidate {
        Candidate {
            id: id.into(),
            party,
            group: group.into(),
            value: value * BN,
            liberalised: liberalised * BN,
        }
    }

    fn us_ca(tolerance: f64) -> Target {
        Target::new(US, CA, tolerance)
    }

    fn ids(cands: &[Candidate], p: &Package) -> Vec<String> {
        p.chosen.iter().map(|&i| cands[i].id.clone()).collect()
    }

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
    }

    #[test]
    fn hand_worked_exactly_one_package_balances() {
        // Within 5%: |A - B| <= 0.025 (A + B), i.e. A in [B x 0.975/1.025, B x 1.025/0.975].
        // US sums: 4, 6, 9, 10, 13, 15, 19. Canada's: 5, 6.2, 11.2.
        //   B = 5    -> A in [4.756, 5.256]: none;
        //   B = 6.2  -> A in [5.898, 6.518]: 6 (u2 alone);
        //   B = 11.2 -> A in [10.654, 11.774]: none;
        //   B = 0    -> only A = 0, the empty package, which is not a package.
        // So {u2, c2} is the only package: 6 against 6.2, liberalising 12 + 9 = 21.
        let cands = [
            cand("u1", US, "u1", 4.0, 10.0),
            cand("u2", US, "u2", 6.0, 12.0),
            cand("u3", US, "u3", 9.0, 20.0),
            cand("c1", CA, "c1", 5.0, 8.0),
            cand("c2", CA, "c2", 6.2, 9.0),
        ];
        let t = us_ca(0.05);
        let p = best(&cands, &t).unwrap().unwrap();
        assert_eq!(ids(&cands, &p), ["u2", "c2"]);
        assert!(close(p.given_by_a, 6.0 * BN) && close(p.given_by_b, 6.2 * BN));
        assert!(close(p.liberalised, 21.0 * BN));
        assert!(p.balanced);
        // gap = (6 - 6.2) / 6.1
        assert!((p.gap - (-0.2 / 6.1)).abs() < 1e-12);
        assert!(matches!(p.proof, Proof::Milp { binaries: 5, .. }));
        // Every other move would liberalise more and breaks the balance; the nearest is u1:
        // 10 against 6.2 is 3.8 / 8.1 = 46.9% (c1: 6 against 11.2, 60.5%; u3: 15 against 6.2,
        // 83.0%).
        match &p.objective {
            Objective::Liberalised {
                binding:
                    Binding::Balance {
                        moves,
                        nearest_id,
                        nearest_gap,
                        ..
                    },
            } => {
                assert_eq!(*moves, 3);
                assert_eq!(nearest_id, "u1");
                assert!((nearest_gap - 3.8 / 8.1).abs() < 1e-12);
            }
            other => panic!("{other:?}"),
        }
        let q = exhaustive(&cands, &t).unwrap();
        assert_eq!(q.chosen, p.chosen);
        // 7 x 4 combinations of the two sides' subsets, less the empty one.
        assert_eq!(q.proof, Proof::Enumerated { packages: 31 });
    }

    #[test]
    fn why_names_the_objective_the_binding_constraint_and_the_proof() {
        let cands = [
            cand("u1", US, "u1", 4.0, 10.0),
            cand("u2", US, "u2", 6.0, 12.0),
            cand("c2", CA, "c2", 6.2, 9.0),
        ];
        let why = best(&cands, &us_ca(0.05)).unwrap().unwrap().why();
        for part in [
            "2 moves liberalising US$ 21.00 bn of trade a year",
            "the most of any package",
            "within 5% of their mean",
            "US gives US$ 6.00 bn, CA US$ 6.20 bn: a gap of 3.28% of the mean, 5% allowed",
            "Binding constraint: the balance",
            "\"u1\", takes the gap past 5%, to 46.91%",
            "proved by the MILP solver",
            "zero gap",
        ] {
            assert!(why.contains(part), "{part:?} not in {why}");
        }
        let why = exhaustive(&cands, &us_ca(0.05)).unwrap().why();
        assert!(why.contains("enumeration"), "{why}");
        // With u3 and c1 (as in the first hand-worked case), three moves are blocked.
        let more = [
            cands[0].clone(),
            cands[1].clone(),
            cand("u3", US, "u3", 9.0, 20.0),
            cand("c1", CA, "c1", 5.0, 8.0),
            cands[2].clone(),
        ];
        let why = best(&more, &us_ca(0.05)).unwrap().unwrap().why();
        assert!(
            why.contains("Each of the 3 moves that would liberalise more"),
            "{why}"
        );
        // Everything in: nothing binds.
        let all = [cand("u", US, "u", 5.0, 1.0), cand("c", CA, "c", 5.0, 1.0)];
        let why = best(&all, &us_ca(0.05)).unwrap().unwrap().why();
        assert!(why.contains("No constraint binds"), "{why}");
    }

    #[test]
    fn one_per_group_and_the_most_liberalising_balanced_package() {
        // The US has half and full removal of one measure (values 5 and 10, the same 20 of
        // trade liberalised); Canada two moves, 5.1 (liberalising 6) and 9.8 (4).
        // US sums: 5, 10, 15 (both levels); Canada's: 5.1, 9.8, 14.9. Within 5%:
        //   (5, 5.1): 0.1 <= 0.25; (10, 9.8): 0.2 <= 0.495; (15, 14.9): 0.1 <= 0.7475;
        //   every other pairing is off by 2.9 or more.
        // In separate groups, all four balance and liberalise 20 + 20 + 6 + 4 = 50, the most.
        // In one group (the levels of one measure), 15 is out: {half, c1} = 26 beats
        // {full, c2} = 24.
        let mut cands = vec![
            cand("half", US, "US-S232-SA-2", 5.0, 20.0),
            cand("full", US, "US-S232-SA-2 (alone)", 10.0, 20.0),
            cand("c1", CA, "c1", 5.1, 6.0),
            cand("c2", CA, "c2", 9.8, 4.0),
        ];
        let t = us_ca(0.05);
        let p = best(&cands, &t).unwrap().unwrap();
        assert_eq!(ids(&cands, &p), ["half", "full", "c1", "c2"]);
        assert!(close(p.liberalised, 50.0 * BN));

        cands[1].group = "US-S232-SA-2".into();
        let p = best(&cands, &t).unwrap().unwrap();
        assert_eq!(ids(&cands, &p), ["half", "c1"]);
        assert!(close(p.liberalised, 26.0 * BN));
        assert_eq!(exhaustive(&cands, &t).unwrap().chosen, p.chosen);
    }

    #[test]
    fn credits_shift_the_answer() {
        // Without credits: US 5, 10, 15 against Canada's 5.1: only (5, 5.1) balances, so
        // {u1, c1} liberalising 10 + 5 = 15.
        // Canada already gave 5 (its past concessions, counted in its total): Canada's totals
        // are now 5 (no move) and 10.1 (c1). (5, 5): {u1} alone balances (10); (10, 10.1):
        // {u2, c1} balances, liberalising 30 + 5 = 35, the most; (15, 10.1) does not.
        // The credit makes the larger US package (10 instead of 5) balance.
        let cands = [
            cand("u1", US, "u1", 5.0, 10.0),
            cand("u2", US, "u2", 10.0, 30.0),
            cand("c1", CA, "c1", 5.1, 5.0),
        ];
        let t = us_ca(0.05);
        let p = best(&cands, &t).unwrap().unwrap();
        assert_eq!(ids(&cands, &p), ["u1", "c1"]);

        let t = us_ca(0.05).with_credits(0.0, 5.0 * BN);
        let p = best(&cands, &t).unwrap().unwrap();
        assert_eq!(ids(&cands, &p), ["u2", "c1"]);
        assert!(close(p.given_by_a, 10.0 * BN) && close(p.total_b(), 10.1 * BN));
        assert!(p.balanced && close(p.liberalised, 35.0 * BN));
        let why = p.why();
        assert!(
            why.contains("CA US$ 10.10 bn (US$ 5.10 bn + credit US$ 5.00 bn)"),
            "{why}"
        );
        assert_eq!(exhaustive(&cands, &t).unwrap().chosen, p.chosen);

        // Credit of 5 to the US instead: the US totals are 5 (no move), 10, 15 and 20, and
        // Canada's 5.1. Only (5, 5.1) balances: Canada's move alone, for the US's past ones.
        let t = us_ca(0.05).with_credits(5.0 * BN, 0.0);
        let p = best(&cands, &t).unwrap().unwrap();
        assert_eq!(ids(&cands, &p), ["c1"]);
        assert_eq!(p.given_by_a, 0.0);
    }

    #[test]
    fn an_infeasible_target_gives_none() {
        // 5 against 8, or either alone against nothing: never within 5%.
        let cands = [cand("u", US, "u", 5.0, 1.0), cand("c", CA, "c", 8.0, 1.0)];
        assert_eq!(best(&cands, &us_ca(0.05)).unwrap(), None);
        assert_eq!(exhaustive(&cands, &us_ca(0.05)), None);
        // Within 50% (|5 - 8| = 3 <= 0.25 x 13 = 3.25) they balance.
        assert!(best(&cands, &us_ca(0.5)).unwrap().is_some());
        // No candidates, no package.
        assert_eq!(best(&[], &us_ca(0.05)).unwrap(), None);
        assert!(frontier(&[], &us_ca(0.05)).unwrap().is_empty());
    }

    #[test]
    fn a_zero_tolerance_takes_exact_equality() {
        let cands = [
            cand("u", US, "u", 5.0, 1.0),
            cand("c", CA, "c", 5.0, 1.0),
            cand("c-more", CA, "c-more", 5.5, 9.0),
        ];
        let p = best(&cands, &us_ca(0.0)).unwrap().unwrap();
        assert_eq!(ids(&cands, &p), ["u", "c"]);
        assert_eq!(p.gap, 0.0);
    }

    #[test]
    fn bad_input_is_an_error() {
        let t = us_ca(0.05);
        let mut cands = vec![
            cand("u", US, "u", 5.0, 1.0),
            cand(
                "MX lifts its steel duty",
                "MX".parse().unwrap(),
                "m",
                5.0,
                1.0,
            ),
        ];
        let e = best(&cands, &t).unwrap_err();
        assert!(
            matches!(e, PackageError::ThirdParty { index: 1, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("MX lifts its steel duty"), "{e}");
        assert!(frontier(&cands, &t).is_err());
        assert_eq!(exhaustive(&cands, &t), None);

        cands[1] = cand("c", CA, "c", -1.0, 1.0);
        let e = best(&cands, &t).unwrap_err();
        assert!(
            matches!(e, PackageError::BadNumber { field: "value", .. }),
            "{e}"
        );
        cands[1] = cand("c", CA, "c", 1.0, f64::NAN);
        let e = best(&cands, &t).unwrap_err();
        assert!(
            matches!(
                e,
                PackageError::BadNumber {
                    field: "liberalised",
                    ..
                }
            ),
            "{e}"
        );
        cands[1] = cand("c", CA, "c", 1.0, 1.0);

        let e = best(&cands, &Target::new(US, US, 0.05)).unwrap_err();
        assert_eq!(e, PackageError::SameParties(US));
        let e = best(&cands, &us_ca(-0.1)).unwrap_err();
        assert!(matches!(e, PackageError::BadTolerance(_)), "{e}");
        let e = best(&cands, &us_ca(0.05).with_credits(f64::INFINITY, 0.0)).unwrap_err();
        assert!(
            matches!(e, PackageError::BadCredit { party: US, .. }),
            "{e}"
        );
    }

    /// A random set of `n` candidates at realistic magnitudes (US$ 0.05-15 bn), about a third
    /// of them a second level of the previous measure (30-70% of its value, the same trade; one
    /// in five a move of the other party), and a random tolerance and sometimes a credit.
    fn random_set(rng: &mut Rng, n: usize) -> (Vec<Candidate>, Target) {
        let mut cands: Vec<Candidate> = Vec::with_capacity(n);
        for i in 0..n {
            let level = rng.uniform() < 0.3;
            let c = match cands.last() {
                Some(prev) if level => Candidate {
                    id: format!("{i}"),
                    // Now and then a group holds moves of both parties.
                    party: match (rng.uniform() < 0.2, prev.party == US) {
                        (true, true) => CA,
                        (true, false) => US,
                        (false, _) => prev.party,
                    },
                    value: prev.value * (0.3 + 0.4 * rng.uniform()),
                    ..prev.clone()
                },
                _ => {
                    let value = 0.05e9 * (15.0f64 / 0.05).powf(rng.uniform());
                    Candidate {
                        id: format!("{i}"),
                        party: if rng.uniform() < 0.5 { US } else { CA },
                        group: format!("g{i}"),
                        value,
                        liberalised: value / (0.05 + 0.2 * rng.uniform()),
                    }
                }
            };
            cands.push(c);
        }
        let mut t = us_ca(0.01 + 0.19 * rng.uniform());
        match (rng.uniform() * 4.0) as u32 {
            0 => t.credit_a = 10e9 * rng.uniform(),
            1 => t.credit_b = 10e9 * rng.uniform(),
            _ => {}
        }
        (cands, t)
    }

    #[test]
    fn best_matches_exhaustive_on_200_random_sets() {
        let mut rng = Rng::for_draw(10, 0);
        let mut found = 0;
        for set in 0..200 {
            let n = 6 + (rng.uniform() * 7.0) as usize;
            let (cands, t) = random_set(&mut rng, n);
            let milp = best(&cands, &t).unwrap();
            let brute = exhaustive(&cands, &t);
            match (&milp, &brute) {
                (None, None) => {}
                (Some(p), Some(q)) => {
                    found += 1;
                    assert!(p.balanced && p.target == t, "set {set}: {p:?}");
                    let pb = Problem::new(&cands, &t).unwrap();
                    assert!(pb.one_per_group(&p.chosen), "set {set}: {p:?}");
                    assert!(
                        (p.liberalised - q.liberalised).abs() <= 1e-7 * q.liberalised,
                        "set {set}: MILP {} against enumeration {}\n{cands:?}\n{t:?}",
                        p.liberalised,
                        q.liberalised
                    );
                }
                _ => panic!("set {set}: MILP {milp:?}, enumeration {brute:?}\n{cands:?}\n{t:?}"),
            }
        }
        // Most sets have a package: the comparison is not between two Nones.
        assert!(found >= 100, "{found} of 200 sets had a package");
    }

    /// The exchange frontier by enumeration: (given by a, given by b) of the packages where b
    /// gives no more than the tolerance above what it receives, not dominated (a gives no
    /// more and gets at least as much, one of them strictly).
    fn exhaustive_frontier(cands: &[Candidate], t: &Target) -> Vec<(f64, f64)> {
        let p = Problem::new(cands, t).unwrap();
        let mut all = Vec::new();
        p.enumerate(|_, ga, gb, _| {
            if p.capped(ga + t.credit_a, gb + t.credit_b) {
                all.push((ga, gb));
            }
        });
        all.sort_by(|x, y| x.0.total_cmp(&y.0).then(y.1.total_cmp(&x.1)));
        let mut out: Vec<(f64, f64)> = Vec::new();
        for (x, y) in all {
            if out.last().is_none_or(|&(_, top)| y > top) {
                out.push((x, y));
            }
        }
        out
    }

    #[test]
    fn hand_worked_frontier() {
        // The US gives 5, 10 or 15 (two moves); Canada 5.1, 8 or 13.1. Canada gives at most
        // 1.025/0.975 = 1.0513 times what the US gives (5%):
        //   US 5  -> Canada at most 5.26:  5.1  (gap 0.1/5.05 = 2.0%, within 5%);
        //   US 10 -> at most 10.51: 8          (gap 2/9 = 22.2%, outside);
        //   US 15 -> at most 15.77: 13.1       (gap 1.9/14.05 = 13.5%, outside).
        // Each gets the US more than the one before: all three are on the frontier.
        let cands = [
            cand("u1", US, "u1", 5.0, 1.0),
            cand("u2", US, "u2", 10.0, 1.0),
            cand("c1", CA, "c1", 5.1, 1.0),
            cand("c2", CA, "c2", 8.0, 1.0),
        ];
        let t = us_ca(0.05);
        let f = frontier_with(&cands, &t, Resolution::Exact).unwrap();
        let points: Vec<(f64, f64, bool)> = f
            .iter()
            .map(|p| (p.given_by_a / BN, p.given_by_b / BN, p.balanced))
            .collect();
        assert_eq!(
            points,
            [(5.0, 5.1, true), (10.0, 8.0, false), (15.0, 13.1, false)]
        );
        let xy = |f: &[Package]| -> Vec<(f64, f64)> {
            f.iter().map(|p| (p.given_by_a, p.given_by_b)).collect()
        };
        assert_eq!(xy(&frontier(&cands, &t).unwrap()), xy(&f));
        // The MILP walk finds the same points.
        let milp = Problem::new(&cands, &t)
            .unwrap()
            .frontier_milp(Resolution::Exact)
            .unwrap();
        assert_eq!(xy(&milp), xy(&f));
        assert!(matches!(milp[0].proof, Proof::Milp { binaries: 4, .. }));
        assert!(matches!(
            f[0].proof,
            Proof::Sweep {
                gifts_a: 4,
                gifts_b: 4,
                joint: 1
            }
        ));
        assert!(matches!(
            f[2].objective,
            Objective::Frontier { budget_a: None }
        ));
        assert!(f[0].why().contains("within tolerance"), "{}", f[0].why());
        assert!(f[1].why().contains("outside tolerance"), "{}", f[1].why());
        // One step: the largest point only (the next budget, 15 - 15, leaves the US nothing
        // to give, and Canada may not give alone). Two: 15 and then budget 7.5, which gives 5.
        let one = frontier_with(&cands, &t, Resolution::Steps(1)).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].given_by_a, 15.0 * BN);
        let two = frontier_with(&cands, &t, Resolution::Steps(2)).unwrap();
        assert_eq!(two.len(), 2);
        assert_eq!(
            (two[0].given_by_a, two[1].given_by_a),
            (5.0 * BN, 15.0 * BN)
        );
        // With Canada's credit of 5 in its total, Canada's total is at most 1.0513 times the
        // US's: US 5 -> Canada gives at most 0.26: nothing (5 against 5, within 5%);
        // US 10 -> at most 5.51: 5.1 (10 against 10.1, within); US 15 -> at most 10.77: 8
        // (15 against 13, 14.3%, outside).
        let t = us_ca(0.05).with_credits(0.0, 5.0 * BN);
        let points: Vec<(f64, f64, bool)> = frontier(&cands, &t)
            .unwrap()
            .iter()
            .map(|p| (p.given_by_a / BN, p.given_by_b / BN, p.balanced))
            .collect();
        assert_eq!(
            points,
            [(5.0, 0.0, true), (10.0, 5.1, true), (15.0, 8.0, false)]
        );
    }

    #[test]
    fn too_many_gifts_to_sort_go_to_the_milp_walk() {
        // 22 single US moves: 2^22 possible gifts, above the sorting limit of 2^21.
        let mut cands: Vec<Candidate> = (0..22)
            .map(|i| cand(&format!("u{i}"), US, &format!("u{i}"), 1.0 + i as f64, 1.0))
            .collect();
        cands.push(cand("c", CA, "c", 3.0, 1.0));
        let t = us_ca(0.05);
        let p = Problem::new(&cands, &t).unwrap();
        assert!(p.sweep(Resolution::Exact).is_none());
    }

    #[test]
    fn frontier_matches_exhaustive_on_random_sets() {
        let mut rng = Rng::for_draw(10, 1);
        let (mut points, mut mixed) = (0, 0);
        for set in 0..150 {
            let n = 5 + (rng.uniform() * 6.0) as usize;
            let (cands, t) = random_set(&mut rng, n);
            let scale = cands.iter().map(|c| c.value).fold(1.0, f64::max);
            let near = |x: f64, y: f64| (x - y).abs() <= 1e-6 * scale;
            let want = exhaustive_frontier(&cands, &t);
            let got = frontier_with(&cands, &t, Resolution::Exact).unwrap();
            let got_xy: Vec<(f64, f64)> =
                got.iter().map(|p| (p.given_by_a, p.given_by_b)).collect();
            assert_eq!(
                got.len(),
                want.len(),
                "set {set}: {got_xy:?} against {want:?}"
            );
            for (p, &(x, y)) in got.iter().zip(&want) {
                assert!(near(p.given_by_a, x) && near(p.given_by_b, y), "set {set}");
                let (ta, tb) = (p.total_a(), p.total_b());
                let within = (ta - tb).abs() <= t.tolerance * (ta + tb) / 2.0 + 1e-6 * scale;
                assert_eq!(p.balanced, within, "set {set}");
            }
            points += got.len();
            // The MILP walk, on the same set.
            let milp = Problem::new(&cands, &t)
                .unwrap()
                .frontier_milp(Resolution::Exact)
                .unwrap();
            assert_eq!(milp.len(), want.len(), "set {set}: MILP walk");
            for (p, &(x, y)) in milp.iter().zip(&want) {
                assert!(
                    near(p.given_by_a, x) && near(p.given_by_b, y),
                    "set {set}: MILP"
                );
            }
            // The default sweep returns points of the frontier, in order.
            let coarse = frontier_with(&cands, &t, Resolution::Steps(3)).unwrap();
            assert!(coarse.len() <= 4 && coarse.len() <= want.len(), "set {set}");
            for p in &coarse {
                assert!(
                    want.iter()
                        .any(|&(x, y)| near(p.given_by_a, x) && near(p.given_by_b, y)),
                    "set {set}: {p:?} not on the frontier {want:?}"
                );
            }
            assert!(coarse.windows(2).all(|w| w[0].given_by_a < w[1].given_by_a));
            let coarse_milp = Problem::new(&cands, &t)
                .unwrap()
                .frontier_milp(Resolution::Steps(3))
                .unwrap();
            assert_eq!(coarse_milp.len(), coarse.len(), "set {set}");
            for (p, q) in coarse_milp.iter().zip(&coarse) {
                assert!(near(p.given_by_a, q.given_by_a) && near(p.given_by_b, q.given_by_b));
            }
            mixed += usize::from(
                matches!(coarse.first(), Some(Package { proof: Proof::Sweep { joint, .. }, .. }) if *joint > 1),
            );
        }
        assert!(points >= 300, "{points} points over 150 sets");
        assert!(mixed >= 10, "{mixed} sets with a group of both parties");
    }
}
