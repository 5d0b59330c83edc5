//! The balance's figures on the bundled data, through the binary: what each move is worth, and
//! that the moves and interactions of each party add up to the change in its burden.
//!
//! Every run uses `--as-known-on 2026-11-26 --until 2026-09-29` (the newest bundled entry), so
//! the figures do not move when later entries are added. Pinned figures were read from
//! `quid balance` on branch `tests` (after commit 8019e58) and each is cross-checked against
//! `quid etr --by authority`, which computes the rates from the same panels but through its own
//! command: a move's value is the change in its authority's rate on its date times the
//! direction's annual imports (the ETR denominator the etr command prints, US$ 392.5 bn of US
//! imports from Canada, US$ 348.5 bn of Canadian imports from the US, both 2024).

use serde_json::Value;
use std::process::{Command, Output};
use std::sync::OnceLock;

const UNTIL: &str = "2026-09-29";

fn quid(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_quid"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env_remove("QUID_WORKSPACE")
        .output()
        .expect("run quid");
    assert!(
        out.status.success(),
        "quid {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The balance report, computed once for the file.
fn report() -> &'static Value {
    static R: OnceLock<Value> = OnceLock::new();
    R.get_or_init(|| {
        let out = quid(&[
            "balance",
            "--between",
            "CA",
            "US",
            "--as-known-on",
            "2026-11-26",
            "--until",
            UNTIL,
            "--format",
            "json",
            "--no-chart",
        ]);
        serde_json::from_slice(&out.stdout).expect("json")
    })
}

/// One direction's ETR rows by authority (rates in percent at each change date) and the
/// denominator in US dollars, as printed by `quid etr`.
struct Etr {
    rows: Vec<Value>,
    denominator_usd: f64,
}

impl Etr {
    fn read(importer: &str, partner: &str) -> Etr {
        let out = quid(&[
            "etr",
            "--importer",
            importer,
            "--partner",
            partner,
            "--to",
            UNTIL,
            "--by",
            "authority",
            "--format",
            "json",
        ]);
        let rows: Vec<Value> = serde_json::from_slice(&out.stdout).expect("etr json");
        // "... of the denominator (US$ 392.5 bn)": printed to a tenth of a billion.
        let err = String::from_utf8_lossy(&out.stderr);
        let after = err
            .split("denominator (US$ ")
            .nth(1)
            .expect("the etr command prints its denominator");
        let bn: f64 = after
            .split(" bn")
            .next()
            .and_then(|x| x.parse().ok())
            .expect("denominator in bn");
        Etr {
            rows,
            denominator_usd: bn * 1e9,
        }
    }

    /// The rate of an authority (percent) in force on `date`: the last row on or before it
    /// (`before`: strictly before it, i.e. on the day before).
    fn pct(&self, authority: &str, date: &str, before: bool) -> f64 {
        let row = self
            .rows
            .iter()
            .rfind(|r| {
                let d = r["date"].as_str().unwrap();
                if before {
                    d < date
                } else {
                    d <= date
                }
            })
            .expect("a row");
        // Keys are snake_case (`s232-steel` -> `s232_steel_pct`); rates are JSON numbers.
        let key = format!("{}_pct", authority.replace('-', "_"));
        row[&key]
            .as_f64()
            .unwrap_or_else(|| panic!("no {key} in {row}"))
    }

    /// The change of an authority's burden on `date`, US$ a year: its rate change times the
    /// denominator.
    fn change_usd(&self, authority: &str, date: &str) -> f64 {
        (self.pct(authority, date, false) - self.pct(authority, date, true)) / 100.0
            * self.denominator_usd
    }
}

fn us_etr() -> &'static Etr {
    static E: OnceLock<Etr> = OnceLock::new();
    E.get_or_init(|| Etr::read("US", "CA"))
}

fn ca_etr() -> &'static Etr {
    static E: OnceLock<Etr> = OnceLock::new();
    E.get_or_init(|| Etr::read("CA", "US"))
}

fn moves() -> &'static Vec<Value> {
    report()["balance"]["moves"].as_array().expect("moves")
}

fn value_of(intervention: &str) -> f64 {
    let m = moves()
        .iter()
        .find(|m| m["intervention"] == intervention)
        .unwrap_or_else(|| panic!("no move {intervention}"));
    m["value_usd_per_year"]
        .as_f64()
        .unwrap_or_else(|| panic!("{intervention} is not valued: {m}"))
}

/// `got` within `pct` percent of `want`.
fn within(got: f64, want: f64, pct: f64, what: &str) {
    assert!(
        (got - want).abs() <= want.abs() * pct / 100.0,
        "{what}: {got} is not within {pct}% of {want}"
    );
}

/// Equal to floating-point noise of the weighted sums: 1e-9 relative.
fn exact(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: {got} differs from {want}"
    );
}

/// The burden of one party (`us_on_ca_usd` or `ca_on_us_usd`) at each segment start.
fn burdens(key: &str) -> Vec<(String, f64)> {
    report()["burdens"]
        .as_array()
        .expect("burdens")
        .iter()
        .map(|b| {
            (
                b["date"].as_str().unwrap().to_string(),
                b[key].as_f64().unwrap(),
            )
        })
        .collect()
}

/// Canada's surtax on US goods (SOR/2025-66, CA-SURTAX-1), imposed 2025-03-04 and repealed
/// 2025-09-01 (SOR/2025-181): about US$ 10.46 bn a year each way. From `quid etr`: the
/// ca-surtax-2025-1 rate is 3.003% from 2025-03-04 and 0 from 2025-09-01, on US$ 348.5 bn:
/// 0.03003 x 348.5e9 = 10.466e9.
#[test]
fn canadas_surtax_and_its_rollback() {
    let imposed = value_of("CA-SURTAX-1-IMPOSE");
    let repealed = value_of("CA-SURTAX-1-REPEAL");
    within(imposed, 10.464e9, 0.5, "CA-SURTAX-1 imposed (pinned)");
    within(repealed, -10.464e9, 0.5, "CA-SURTAX-1 repealed (pinned)");
    within(
        imposed,
        ca_etr().change_usd("ca-surtax-2025-1", "2025-03-04"),
        0.5,
        "imposed, from etr",
    );
    within(
        repealed,
        ca_etr().change_usd("ca-surtax-2025-1", "2025-09-01"),
        0.5,
        "repealed, from etr",
    );
    // Nothing else of that authority happened in between: the repeal removes exactly what the
    // imposition added.
    exact(repealed, -imposed, "repeal = -imposition");
    // The same day, the steel and aluminum surtax left "other goods" (SOR/2025-95 Schedule 1
    // narrowed): 0.937% - 1.883% = -0.946% of US$ 348.5 bn = -3.30e9.
    let narrowed = value_of("CA-SURTAX-SA-OTHER-GOODS-REMOVED");
    within(narrowed, -3.296e9, 0.5, "SA other goods (pinned)");
    within(
        narrowed,
        ca_etr().change_usd("ca-surtax-steel-aluminum", "2025-09-01"),
        0.5,
        "SA other goods, from etr",
    );
}

/// The USMCA exemption from IEEPA Canada (EO 14231, 2025-03-07): about -US$ 54.1 bn a year.
/// From `quid etr`: the ieepa-ca rate falls from 20.194% to 6.407% on 2025-03-07, on
/// US$ 392.5 bn: -0.13787 x 392.5e9 = -54.11e9. And the IEEPA duty imposed 2025-03-04:
/// 0.20194 x 392.5e9 = 79.26e9.
#[test]
fn the_usmca_exemption_and_the_ieepa_duty() {
    let exempt = value_of("US-IEEPA-CA-2-USMCA-EXEMPT");
    within(exempt, -54.109e9, 0.5, "USMCA exemption (pinned)");
    within(
        exempt,
        us_etr().change_usd("ieepa-ca", "2025-03-07"),
        0.5,
        "USMCA exemption, from etr",
    );
    let imposed = value_of("US-IEEPA-CA-1-IMPOSE-V3");
    within(imposed, 79.254e9, 0.5, "IEEPA imposed (pinned)");
    within(
        imposed,
        us_etr().change_usd("ieepa-ca", "2025-03-04"),
        0.5,
        "IEEPA imposed, from etr",
    );
}

/// The IEEPA ruling (effective 2026-02-24): the duty then in force, 6.941% of US$ 392.5 bn =
/// 27.24e9, is removed, and what was collected under it is refundable: the ieepa-ca rate of
/// each etr segment times its days / 365 times US$ 392.5 bn, summed (about US$ 25.85 bn).
#[test]
fn the_ieepa_ruling_and_its_refund() {
    let m = moves()
        .iter()
        .find(|m| m["intervention"] == "US-IEEPA-END-STRUCK")
        .expect("the ruling");
    let value = m["value_usd_per_year"].as_f64().expect("valued");
    within(value, -27.242e9, 0.5, "ruling (pinned)");
    within(
        value,
        us_etr().change_usd("ieepa-ca", "2026-02-24"),
        0.5,
        "ruling, from etr",
    );
    let refundable = m["refundable_usd"].as_f64().expect("refundable");
    within(refundable, 25.852e9, 0.5, "refundable (pinned)");
    let etr = us_etr();
    let day = |s: &str| jiff::civil::Date::strptime("%Y-%m-%d", s).expect("date");
    let end = day(UNTIL).tomorrow().unwrap();
    let mut collected = 0.0;
    for (i, r) in etr.rows.iter().enumerate() {
        let from = day(r["date"].as_str().unwrap());
        let to = etr
            .rows
            .get(i + 1)
            .map_or(end, |n| day(n["date"].as_str().unwrap()));
        let days = from.until(to).unwrap().get_days() as f64;
        let rate: f64 = r["ieepa_ca_pct"].as_f64().unwrap();
        collected += rate / 100.0 * etr.denominator_usd * days / 365.0;
    }
    within(refundable, collected, 0.5, "refundable, from etr");
}

/// Section 338 (2026-08-22): three lists (US-S338-CA-1, -2, -3), one authority, one day. The
/// s338 rate goes from 0 to 2.558% of US$ 392.5 bn = 10.04e9; each list's move gets a third,
/// about 3.35e9 (crediting each with the whole change gave 10.04e9 each).
#[test]
fn the_three_section_338_moves_share_their_authority() {
    let ids = [
        "US-S338-CA-1-IMPOSE-V2",
        "US-S338-CA-2-IMPOSE-V2",
        "US-S338-CA-3-IMPOSE-V2",
    ];
    let values: Vec<f64> = ids.iter().map(|id| value_of(id)).collect();
    let change = us_etr().change_usd("s338", "2026-08-22");
    within(change, 10.04e9, 0.5, "s338 change, from etr");
    for (id, v) in ids.iter().zip(&values) {
        within(*v, 3.346e9, 0.5, id);
        within(
            *v,
            change / 3.0,
            0.5,
            &format!("{id}, a third of the etr change"),
        );
        exact(*v, values[0], "equal shares");
    }
    // No other move or interaction that day: the three shares are the day's whole change in
    // the US burden.
    let b = burdens("us_on_ca_usd");
    let k = b
        .iter()
        .position(|(d, _)| d == "2026-08-22")
        .expect("a segment");
    exact(
        values.iter().sum(),
        b[k].1 - b[k - 1].1,
        "three shares = the day's change",
    );
}

/// For each party: on every change date, its valued moves of that date plus that date's
/// interaction equal its burden change; over the period, all its moves plus all its
/// interactions equal the change from the first segment's burden (0) to the last's.
#[test]
fn moves_and_interactions_add_up_to_each_partys_burden_change() {
    let interactions = report()["balance"]["interactions"]
        .as_array()
        .expect("interactions");
    for (party, key, last) in [
        ("US", "us_on_ca_usd", 39.283e9),
        ("CA", "ca_on_us_usd", 10.886e9),
    ] {
        let b = burdens(key);
        let on = |date: &str| -> f64 {
            let m: f64 = moves()
                .iter()
                .filter(|m| m["party"] == party && m["date"] == date)
                .filter_map(|m| m["value_usd_per_year"].as_f64())
                .sum();
            let i: f64 = interactions
                .iter()
                .filter(|i| i["party"] == party && i["date"] == date)
                .map(|i| i["value_usd_per_year"].as_f64().unwrap())
                .sum();
            m + i
        };
        for k in 1..b.len() {
            let (date, burden) = (&b[k].0, b[k].1);
            exact(on(date), burden - b[k - 1].1, &format!("{party} on {date}"));
        }
        let all_moves: f64 = moves()
            .iter()
            .filter(|m| m["party"] == party)
            .filter_map(|m| m["value_usd_per_year"].as_f64())
            .sum();
        let all_interactions: f64 = interactions
            .iter()
            .filter(|i| i["party"] == party)
            .map(|i| i["value_usd_per_year"].as_f64().unwrap())
            .sum();
        let (first, end) = (b[0].1, b[b.len() - 1].1);
        assert_eq!(first, 0.0, "{party}: no additional duty on 2025-01-01");
        exact(all_moves + all_interactions, end - first, party);
        // The end burden itself (pinned), against the etr's additional rate on the last date:
        // US 10.009% of 392.5e9 = 39.29e9; CA 3.124% of 348.5e9 = 10.89e9.
        within(
            end,
            last,
            0.5,
            &format!("{party} burden on {UNTIL} (pinned)"),
        );
        let etr = if party == "US" { us_etr() } else { ca_etr() };
        within(
            end,
            etr.pct("additional", UNTIL, false) / 100.0 * etr.denominator_usd,
            0.5,
            &format!("{party} burden on {UNTIL}, from etr"),
        );
    }
}
