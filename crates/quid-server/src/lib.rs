//! quid-server: `quid serve`, the HTTP JSON API and the dashboard over the quid use cases.
//!
//! A thin layer over `quid-app`: every endpoint parses its query or body into the request type
//! a CLI command builds, calls the same use case, and serialises the same report. The engine is
//! loaded once at startup and shared ([`state::AppState`]); computed reports are cached by
//! request. The API is described in `docs/openapi.json` (served at `/api/v1/openapi.json`).
//!
//! Security: reads are open; writes need `Authorization: Bearer <token>` (tokens from
//! `quid token create`, stored as SHA-256 hashes); request bodies are limited in size; requests
//! time out; errors are JSON with a stable code and never a stack trace; CORS is off unless an
//! origin is configured.

pub mod assets;
pub mod error;
pub mod routes;
pub mod state;
pub mod store;

pub use error::{ApiError, ApiResult};
pub use state::{AppState, Shared};

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    App(#[from] quid_app::Error),
    #[error(transparent)]
    Db(#[from] store::DbError),
    #[error("{0}")]
    Config(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
}

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    /// An origin allowed to call the API from a browser (CORS); none: CORS off.
    pub cors: Option<String>,
    /// Largest request body, in bytes, except a batch upload's.
    pub body_limit: usize,
    /// Largest batch upload, in bytes.
    pub batch_limit: usize,
    /// Longest time to answer a request (a batch's stream goes on after its first line).
    pub timeout: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            cors: None,
            body_limit: 1 << 20,
            batch_limit: 1 << 30,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Runs the server until Ctrl-C (or SIGTERM): binds, says where, serves.
pub fn serve(state: AppState, config: &Config) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| ServeError::Io {
            what: "starting the server's runtime".into(),
            source,
        })?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|source| ServeError::Io {
                what: format!("binding {}", config.bind),
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| ServeError::Io {
            what: "reading the bound address".into(),
            source,
        })?;
        eprintln!(
            "quid serve: http://{addr}/ (database: {}, data: {})",
            state.db.describe(),
            state.data_root().display()
        );
        let state = Arc::new(state);
        // The default balance is computed in the background, so readers find it warm.
        let warm = state.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = routes::balance::warm(&warm) {
                eprintln!("quid serve: the default balance could not be computed: {e}");
            }
        });
        let app = routes::router(state, config)?;
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|source| ServeError::Io {
                what: "serving".into(),
                source,
            })
    })
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
