//! The output contract's serde helpers (see `quid_core::schema` and `docs/output.md`): money
//! as a JSON number with exactly two decimals, decimal quantities as exact JSON numbers.

pub use quid_core::schema::{decimal, decimal_opt, money, money_opt, raw_number};

/// A name and its figures (flattened beside it).
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct Named<'a, V> {
    pub name: &'a str,
    #[serde(flatten)]
    pub value: &'a V,
}

/// A list of (name, figures) pairs as named objects: `[{"name": ..., <the figures' fields>}]`
/// (never unnamed arrays).
pub fn named<S: serde::Serializer, V: serde::Serialize>(
    v: &[(String, V)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|(name, value)| Named { name, value }))
}

/// The JSON Schema of every published report, by command (`docs/schemas/<command>.json`):
/// derived from the report types (`schemars`), tables from their typed columns.
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    use crate::table::Table;
    let derived = |title: &str, s: schemars::Schema| {
        let mut v = s.to_value();
        if let Some(o) = v.as_object_mut() {
            o.insert("title".into(), title.into());
        }
        v
    };
    // A report holding tables: each table's property takes the table's schema.
    let with_tables = |mut v: serde_json::Value, tables: &[(&str, Table)]| {
        for (name, t) in tables {
            if let Some(p) = v.pointer_mut(&format!("/properties/{name}")) {
                let mut s = t.json_schema(name, "");
                if let Some(o) = s.as_object_mut() {
                    o.remove("$schema");
                    o.remove("title");
                    o.remove("description");
                }
                *p = s;
            }
        }
        v
    };
    let (summary, problems) = crate::schedule::check_columns();
    let mut schedule_check = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "schedule check",
        "type": "object",
        "properties": {"summary": {}, "problems": {}, "ok": {"type": "boolean"}},
        "required": ["summary", "problems", "ok"],
        "additionalProperties": false
    });
    schedule_check = with_tables(
        schedule_check,
        &[("summary", summary), ("problems", problems)],
    );
    let mut data_check = derived("data check", schemars::schema_for!(DataCheckSchema));
    data_check = with_tables(data_check, &[("files", crate::checks::data_columns())]);
    vec![
        (
            "duty",
            derived(
                "duty",
                schemars::schema_for!(quid_engine::Assessment<'static>),
            ),
        ),
        (
            "balance",
            derived(
                "balance",
                schemars::schema_for!(crate::balance::BalanceReport),
            ),
        ),
        (
            "scenario-run",
            derived(
                "scenario run",
                schemars::schema_for!(crate::scenario_run::ScenarioReport),
            ),
        ),
        (
            "scenario-compare",
            derived(
                "scenario compare",
                schemars::schema_for!(Vec<crate::scenario_run::ScenarioReport>),
            ),
        ),
        (
            "negotiate",
            derived(
                "negotiate",
                schemars::schema_for!(crate::negotiate::NegotiateReport),
            ),
        ),
        (
            "roo-check",
            derived("roo check", schemars::schema_for!(crate::roo::CheckReport)),
        ),
        (
            "duty-bom",
            derived(
                "duty --bom",
                schemars::schema_for!(crate::roo::BomAssessment<'static>),
            ),
        ),
        (
            "batch",
            derived(
                "duty --input (batch summary)",
                schemars::schema_for!(crate::batch_files::BatchReport),
            ),
        ),
        (
            "rates",
            crate::rates::columns(true).json_schema(
                "rates",
                "quid rates --date: one row per line and claim; with --from/--to also valid_from and valid_until; one <authority>_pct column per authority with a rate",
            ),
        ),
        (
            "rates-interval",
            crate::rates::columns(false).json_schema(
                "rates (interval panel)",
                "quid rates --from --to: one row per line, claim and interval",
            ),
        ),
        (
            "etr",
            crate::etr::columns().json_schema(
                "etr",
                "quid etr: one row per policy change date (or day with --daily); with --by, one <authority>_pct or <sector>_additional_pct column each",
            ),
        ),
        (
            "measures-list",
            crate::measures::list_columns().json_schema("measures list", "quid measures list"),
        ),
        (
            "measures-show",
            derived(
                "measures show",
                schemars::schema_for!(crate::measures::MeasureDetail),
            ),
        ),
        (
            "measures-check",
            derived("measures check", schemars::schema_for!(MeasuresCheck)),
        ),
        (
            "schedule-show",
            derived(
                "schedule show",
                schemars::schema_for!(crate::schedule::LineDetail),
            ),
        ),
        (
            "schedule-search",
            crate::schedule::search_columns()
                .json_schema("schedule search", "quid schedule search"),
        ),
        ("schedule-check", schedule_check),
        ("data-check", data_check),
        (
            "ledger-check",
            derived(
                "ledger check",
                schemars::schema_for!(crate::ledger::CheckReport),
            ),
        ),
        (
            "ledger-verify",
            derived(
                "ledger verify",
                schemars::schema_for!(crate::ledger::VerifyReport),
            ),
        ),
        (
            "ledger-add",
            derived("ledger add", schemars::schema_for!(crate::ledger::AddReport)),
        ),
        (
            "ledger-list",
            crate::ledger::list_columns().json_schema("ledger list", "quid ledger list"),
        ),
    ]
}

/// `quid measures check --format json`: the number of valid measures (`null` when any has a
/// problem) and every problem.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct MeasuresCheck {
    pub measures: Option<usize>,
    pub problems: Vec<quid_core::Problem>,
}

/// The shape of [`crate::checks::DataCheckReport`] for its schema (its `files` table is
/// described by its columns).
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
struct DataCheckSchema {
    files: Vec<serde_json::Value>,
    totals: Option<crate::checks::Totals2024>,
    totals_error: Option<String>,
    problems: Vec<quid_core::Problem>,
    warnings: Vec<quid_core::Problem>,
    ok: bool,
}
