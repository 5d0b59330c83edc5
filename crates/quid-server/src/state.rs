//! What every request shares: the application (data folder, today's date) and its engine,
//! loaded once at startup; the workspace database; the user's entries read from it (reloaded
//! after each write); and a cache of computed reports keyed by request and ledger generation.

use crate::store::Database;
use quid_app::{App, Engine};
use quid_core::ledger::Announcement;
use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// How often a request compares the database's entry count with what the server read.
const RECHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// How many computed reports the cache keeps before it starts over.
const CACHE_ENTRIES: usize = 512;

/// The server's shared state (behind an `Arc`).
pub struct AppState {
    base: App,
    pub engine: Engine,
    pub db: Box<dyn Database>,
    own: RwLock<Arc<Vec<Announcement>>>,
    /// The database's entry count when `own` was read, and when it was last compared: another
    /// server writing to a shared database is seen within [`RECHECK`].
    seen: Mutex<(i64, std::time::Instant)>,
    /// Bumped on every write to the ledger: part of every cache key.
    generation: AtomicU64,
    cache: Mutex<HashMap<String, Arc<dyn Any + Send + Sync>>>,
    /// Serialises writes to the ledger (check and append as one step).
    pub write_lock: Mutex<()>,
    /// Every measure, unverified ones included: what new ledger entries are checked against.
    check_policy: std::sync::OnceLock<quid_engine::Policy>,
}

/// The state as handlers receive it.
pub type Shared = Arc<AppState>;

impl AppState {
    /// Loads the engine and the database's entries.
    pub fn new(app: App, db: Box<dyn Database>) -> Result<AppState, crate::ServeError> {
        let engine = app.engine(&quid_app::EngineOptions::default())?;
        // Computed now rather than on the first request.
        engine.coverage();
        let own = db.entries()?;
        let revision = db.revision()?;
        Ok(AppState {
            base: app,
            engine,
            db,
            own: RwLock::new(Arc::new(own)),
            seen: Mutex::new((revision, std::time::Instant::now())),
            generation: AtomicU64::new(0),
            cache: Mutex::new(HashMap::new()),
            write_lock: Mutex::new(()),
            check_policy: std::sync::OnceLock::new(),
        })
    }

    /// The application with the database's entries as the user's ledger (re-read when another
    /// writer has added some; checked at most once per [`RECHECK`]).
    pub fn app(&self) -> App {
        self.refresh();
        let mut app = self.base.clone();
        app.own_entries = Some(self.own.read().unwrap_or_else(|p| p.into_inner()).clone());
        app
    }

    /// The measures new ledger entries are checked against, compiled on first use.
    pub fn check_policy(&self) -> Result<&quid_engine::Policy, quid_app::Error> {
        if let Some(p) = self.check_policy.get() {
            return Ok(p);
        }
        let p = self.base.policy(true)?;
        Ok(self.check_policy.get_or_init(|| p))
    }

    /// The application's date ("today", the default "as known on").
    pub fn today(&self) -> quid_core::Date {
        self.base.today
    }

    /// The data folder.
    pub fn data_root(&self) -> &std::path::Path {
        &self.base.bundle.root
    }

    /// Compares the database's entry count with the one read, at most once per [`RECHECK`],
    /// and reloads when it moved (a database that cannot be reached keeps what was read).
    fn refresh(&self) {
        let due = {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            if seen.1.elapsed() < RECHECK {
                None
            } else {
                seen.1 = std::time::Instant::now();
                Some(seen.0)
            }
        };
        if let Some(known) = due {
            if self.db.revision().is_ok_and(|r| r != known) {
                let _ = self.reload();
            }
        }
    }

    /// Re-reads the user's entries after a write and drops every cached report.
    pub fn reload(&self) -> Result<(), crate::store::DbError> {
        let revision = self.db.revision()?;
        let own = self.db.entries()?;
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).0 = revision;
        *self.own.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(own);
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).clear();
        Ok(())
    }

    /// The cached value for `key` (of the current ledger generation), computed by `f` when
    /// absent. Two requests that miss together both compute; the first stored wins.
    pub fn cached<T: Any + Send + Sync, E>(
        &self,
        key: &str,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        self.refresh();
        let key = format!("{}|{key}", self.generation.load(Ordering::SeqCst));
        if let Some(v) = self.lock_cache().get(&key) {
            if let Ok(v) = v.clone().downcast::<T>() {
                return Ok(v);
            }
        }
        let v = Arc::new(f()?);
        let mut cache = self.lock_cache();
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, v.clone());
        Ok(v)
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<dyn Any + Send + Sync>>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}
