//! Batch duty: `POST /api/v1/duty/batch` takes a CSV upload (the columns of `quid duty
//! --input`) and streams NDJSON back while it reads: `{"progress": {...}}` every N rows,
//! `{"reject": {"line", "reason", "record"}}` for each line refused, and a final
//! `{"summary": {...}}` with totals per currency. The upload is assessed by the same batch
//! engine as the CLI's, on blocking threads fed from the request body as it arrives, so the
//! server keeps answering other requests and memory stays bounded whatever the upload's size.

use crate::routes::Params;
use crate::{ApiError, ApiResult, Shared};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Default rows between two progress lines.
const EVERY: u64 = 50_000;

/// The request body as a blocking reader, fed by the async side through a bounded channel.
struct ChannelReader {
    rx: mpsc::Receiver<Result<Bytes, String>>,
    cur: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.cur.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(b)) => self.cur = b,
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.cur.len());
        buf[..n].copy_from_slice(&self.cur[..n]);
        self.cur = self.cur.slice(n..);
        Ok(n)
    }
}

/// Counts lines written (the assessed rows), discarding them; says when the header was
/// accepted (the first write).
struct Counter {
    lines: Arc<AtomicU64>,
    started: Option<oneshot::Sender<()>>,
}

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(s) = self.started.take() {
            let _ = s.send(());
        }
        let n = memchr_count(buf);
        self.lines.fetch_add(n, Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn memchr_count(buf: &[u8]) -> u64 {
    buf.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Keeps the rejects CSV the batch engine writes, to be sent as NDJSON at each block's end.
#[derive(Default)]
struct Rejects {
    buf: Vec<u8>,
    header_seen: bool,
}

impl Write for SharedRejects {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("rejects lock"))?
            .buf
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Clone, Default)]
struct SharedRejects(Arc<std::sync::Mutex<Rejects>>);

impl SharedRejects {
    /// The complete reject records written so far, as NDJSON lines; counts them.
    fn drain(&self, count: &AtomicU64) -> Vec<u8> {
        let Ok(mut r) = self.0.lock() else {
            return Vec::new();
        };
        // Blocks are written whole, so the buffer holds complete records.
        let data = std::mem::take(&mut r.buf);
        let mut rd = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&data[..]);
        let mut out = Vec::new();
        for rec in rd.records() {
            let Ok(rec) = rec else { continue };
            if !r.header_seen {
                r.header_seen = true;
                continue;
            }
            count.fetch_add(1, Ordering::Relaxed);
            let line: Option<u64> = rec.get(0).and_then(|l| l.parse().ok());
            let fields: Vec<&str> = rec.iter().skip(2).collect();
            let v = serde_json::json!({"reject": {
                "line": line,
                "reason": rec.get(1).unwrap_or(""),
                "record": fields.join(","),
            }});
            if serde_json::to_writer(&mut out, &v).is_ok() {
                out.push(b'\n');
            }
        }
        out
    }
}

/// The last line of the stream: what the batch did, money in two-decimal numbers.
#[derive(serde::Serialize)]
struct Summary {
    lines: u64,
    records: u64,
    assessed: u64,
    rejected: u64,
    total_duty: quid_data::batch::ByCurrency,
    refundable: quid_data::batch::ByCurrency,
    after_known: u64,
    known_until: Option<quid_core::Date>,
    unmodelled: Vec<quid_app::batch_files::Unmodelled>,
}

#[derive(serde::Serialize)]
struct SummaryLine {
    summary: Summary,
}

fn ndjson(v: &impl serde::Serialize) -> Bytes {
    let mut b = serde_json::to_vec(v).unwrap_or_default();
    b.push(b'\n');
    Bytes::from(b)
}

/// `POST /api/v1/duty/batch?strict=&progress_every=`.
pub async fn batch(
    State(s): State<Shared>,
    RawQuery(q): RawQuery,
    limit: usize,
    body: Body,
) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), &["strict", "progress_every"])?;
    let strict = match p.str("strict") {
        None | Some("false") => false,
        Some("true") => true,
        Some(o) => {
            return Err(ApiError::invalid(
                "strict",
                format!("strict {o:?}: expected true or false"),
            ))
        }
    };
    let every = match p.str("progress_every") {
        None => EVERY,
        Some(t) => t.parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| {
            ApiError::invalid(
                "progress_every",
                format!("progress_every {t:?}: expected a whole number above 0"),
            )
        })?,
    };
    // The body flows to the blocking reader through a bounded channel: the upload is read
    // only as fast as it is assessed.
    let (in_tx, in_rx) = mpsc::channel::<Result<Bytes, String>>(16);
    tokio::spawn(async move {
        use http_body_util::BodyExt as _;
        let mut body = body;
        let mut total = 0usize;
        while let Some(frame) = body.frame().await {
            let chunk = match frame {
                Ok(f) => match f.into_data() {
                    Ok(d) => d,
                    Err(_) => continue,
                },
                Err(e) => {
                    let _ = in_tx.send(Err(format!("the upload failed: {e}"))).await;
                    return;
                }
            };
            total += chunk.len();
            if total > limit {
                let _ = in_tx
                    .send(Err(format!(
                        "the upload is larger than the limit of {limit} bytes"
                    )))
                    .await;
                return;
            }
            if in_tx.send(Ok(chunk)).await.is_err() {
                return;
            }
        }
    });
    let (out_tx, out_rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(64);
    let (started_tx, started_rx) = oneshot::channel::<()>();
    let (failed_tx, failed_rx) = oneshot::channel::<ApiError>();
    tokio::task::spawn_blocking(move || {
        let r = run(&s, in_rx, &out_tx, started_tx, strict, every);
        if let Err(e) = r {
            // Before the header was accepted, the error is the response; after, a last line.
            if let Err(e) = failed_tx.send(e) {
                let _ = out_tx.blocking_send(Ok(ndjson(&e.to_json())));
            }
        }
    });
    tokio::select! {
        biased;
        Ok(()) = started_rx => {
            let stream = tokio_stream::wrappers::ReceiverStream::new(out_rx);
            Ok((
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/x-ndjson")],
                Body::from_stream(stream),
            )
                .into_response())
        }
        Ok(e) = failed_rx => Err(e),
        else => Err(ApiError::internal("the batch stopped before it started")),
    }
}

fn run(
    s: &Shared,
    in_rx: mpsc::Receiver<Result<Bytes, String>>,
    out: &mpsc::Sender<Result<Bytes, std::io::Error>>,
    started: oneshot::Sender<()>,
    strict: bool,
    every: u64,
) -> ApiResult<()> {
    let engine = &s.engine;
    let reader = ChannelReader {
        rx: in_rx,
        cur: Bytes::new(),
    };
    let assessed_lines = Arc::new(AtomicU64::new(0));
    let counter = Counter {
        lines: assessed_lines.clone(),
        started: Some(started),
    };
    let rejects = SharedRejects::default();
    let rejected = AtomicU64::new(0);
    let next_progress = AtomicU64::new(every);
    let gone = std::sync::atomic::AtomicBool::new(false);
    type Pairs = std::collections::BTreeMap<(quid_core::Country, quid_core::Country), u64>;
    let unmodelled = std::sync::Mutex::new(Pairs::new());
    let coverage = engine.coverage();
    let check = |e: &quid_engine::Entry| -> Result<(), String> {
        engine.check_code(e).map_err(|e| e.to_string())?;
        if !coverage.origin_modelled(e) {
            coverage
                .check_origin(e, strict)
                .map_err(|e| e.to_string())?;
            if let Ok(mut m) = unmodelled.lock() {
                *m.entry((e.importer, e.origin)).or_default() += 1;
            }
        }
        Ok(())
    };
    let opts = quid_data::batch::Options {
        known_until: engine.known_until(),
        check: Some(&check),
        ..Default::default()
    };
    let send = |b: Bytes| {
        if out.blocking_send(Ok(b)).is_err() {
            gone.store(true, Ordering::Relaxed);
        }
    };
    let progress = |bytes: u64| {
        let lines = rejects.drain(&rejected);
        if !lines.is_empty() {
            send(Bytes::from(lines));
        }
        // The output's first line is its header.
        let assessed = assessed_lines.load(Ordering::Relaxed).saturating_sub(1);
        let rej = rejected.load(Ordering::Relaxed);
        let rows = assessed + rej;
        if rows >= next_progress.load(Ordering::Relaxed) {
            next_progress.store((rows / every + 1) * every, Ordering::Relaxed);
            send(ndjson(&serde_json::json!({"progress": {
                "rows": rows, "assessed": assessed, "rejected": rej, "bytes": bytes,
            }})));
        }
    };
    let sum = quid_data::batch::run_with(
        &engine.policy,
        &engine.reference,
        reader,
        counter,
        rejects.clone(),
        &progress,
        &opts,
    )
    .map_err(|e| match e {
        quid_data::batch::BatchError::Io(e) => ApiError::internal(format!("writing: {e}")),
        e => ApiError::invalid("body", e.to_string()),
    })?;
    let tail = rejects.drain(&rejected);
    if !tail.is_empty() {
        send(Bytes::from(tail));
    }
    let pairs = unmodelled.lock().map(|m| m.clone()).unwrap_or_default();
    let unmodelled: Vec<quid_app::batch_files::Unmodelled> = pairs
        .into_iter()
        .map(
            |((importer, origin), lines)| quid_app::batch_files::Unmodelled {
                importer,
                origin,
                lines,
            },
        )
        .collect();
    // Serialised from the typed summary (not through serde_json::Value) so that money keeps
    // its two decimals, as in the CLI's batch summary (docs/schemas/batch.json).
    let summary = Summary {
        lines: sum.lines,
        records: sum.records,
        assessed: sum.assessed,
        rejected: sum.rejected,
        total_duty: sum.total_duty,
        refundable: sum.refundable,
        after_known: sum.after_known,
        known_until: opts.known_until,
        unmodelled,
    };
    send(ndjson(&SummaryLine { summary }));
    Ok(())
}
