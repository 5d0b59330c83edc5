//! `quid serve` and `quid token create`: the web service over the same use cases, and the
//! tokens its writes need.

use crate::cli::{ServeArgs, TokenCmd};
use anyhow::Context as _;
use quid_app::App;
use quid_core::Date;
use quid_server::{store, AppState, Config};
use std::process::ExitCode;

pub fn run(app: App, a: &ServeArgs) -> anyhow::Result<ExitCode> {
    let bind = a
        .bind
        .parse()
        .with_context(|| format!("--bind: {:?} is not an address:port", a.bind))?;
    let config = Config {
        bind,
        cors: a.cors.clone(),
        body_limit: a.body_limit,
        batch_limit: a.batch_limit,
        timeout: std::time::Duration::from_secs(a.timeout),
    };
    let db = store::open(a.database.as_deref()).context("opening the workspace database")?;
    let state = AppState::new(app, db)?;
    quid_server::serve(state, &config)?;
    Ok(ExitCode::SUCCESS)
}

pub fn token(cmd: &TokenCmd, today: Date) -> anyhow::Result<ExitCode> {
    match cmd {
        TokenCmd::Create { name, database } => {
            let db = store::open(database.as_deref()).context("opening the workspace database")?;
            let t = store::token::generate().map_err(anyhow::Error::msg)?;
            db.add_token(name, &store::token::hash(&t), &today.to_string())?;
            eprintln!(
                "token {name:?} created in {}; it is shown once, keep it (only its hash is stored):",
                db.describe()
            );
            println!("{t}");
            Ok(ExitCode::SUCCESS)
        }
    }
}
