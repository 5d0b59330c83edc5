//! A load test of `quid serve`, bounded in time and count, on the loopback only.
//!
//! ```text
//! cargo run --release -p quid-server --example load -- [--addr 127.0.0.1:8080]
//!     [--target duty|balance|health] [--seconds 10] [--connections 32] [--max-requests N]
//!     [--during-batch LINES]
//! ```
//!
//! `--during-batch 1000000` uploads a generated CSV of that many entries to
//! `POST /api/v1/duty/batch` on one more connection while the load runs, and reports how long
//! the batch took and its summary: the latencies printed are those of the other requests
//! while the batch ran (the batch should finish within `--seconds`).
//!
//! Without `--addr` it starts the server in this process on 127.0.0.1 (a free port) over the
//! bundled data and a temporary SQLite workspace. Each connection is an HTTP/1.1 keep-alive
//! client sending one request at a time; the run prints requests per second and the median,
//! p90, p99 and maximum latency. For `balance` it first makes one request (the cold one, which
//! computes the report) and reports it apart.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const DUTY: &str =
    r#"{"importer":"US","origin":"CA","hts":"7208.10.15.00","value":100000,"date":"2025-07-01"}"#;

struct Args {
    addr: Option<String>,
    target: String,
    seconds: u64,
    connections: usize,
    max_requests: u64,
    during_batch: Option<usize>,
}

fn args() -> Args {
    let mut a = Args {
        addr: None,
        target: "duty".into(),
        seconds: 10,
        connections: 32,
        max_requests: 5_000_000,
        during_batch: None,
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < v.len() {
        let val = v.get(i + 1).cloned().unwrap_or_default();
        match v[i].as_str() {
            "--addr" => a.addr = Some(val),
            "--target" => a.target = val,
            "--seconds" => a.seconds = val.parse().expect("--seconds N"),
            "--connections" => a.connections = val.parse().expect("--connections N"),
            "--max-requests" => a.max_requests = val.parse().expect("--max-requests N"),
            "--during-batch" => a.during_batch = Some(val.parse().expect("--during-batch LINES")),
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    // Bounded: at most two minutes, and the loopback only.
    a.seconds = a.seconds.min(120);
    a
}

fn request(target: &str, host: &str) -> Vec<u8> {
    match target {
        "duty" => format!(
            "POST /api/v1/duty HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{DUTY}",
            DUTY.len()
        ),
        "balance" => format!("GET /api/v1/balance HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        "health" => format!("GET /api/v1/health HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        other => panic!("--target {other}: expected duty, balance or health"),
    }
    .into_bytes()
}

/// Sends one request on a keep-alive connection and reads the whole response; the status.
async fn one(
    conn: &mut BufReader<TcpStream>,
    req: &[u8],
    body: &mut Vec<u8>,
) -> std::io::Result<u16> {
    conn.get_mut().write_all(req).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut len = 0usize;
    loop {
        line.clear();
        conn.read_line(&mut line).await?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
    }
    body.resize(len, 0);
    conn.read_exact(body).await?;
    Ok(status)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// Uploads a CSV of `lines` entries (four kinds in turn) to the batch endpoint and reads the
/// NDJSON stream to its end; prints the time taken and the summary line.
async fn batch(addr: String, lines: usize) {
    const KINDS: [&str; 4] = [
        "US,CA,7208.10.15.00,2025-07-01,100000",
        "US,CA,8703.23.01.60,2025-09-01,40000",
        "CA,US,7208.10.00.00,2025-05-01,5000",
        "US,MX,9403.20.00.90,2025-09-15,1000",
    ];
    let mut body = String::from("importer,origin,hts,date,value\n");
    for i in 0..lines {
        body.push_str(KINDS[i % 4]);
        body.push('\n');
    }
    let t = Instant::now();
    let Ok(mut s) = TcpStream::connect(&addr).await else {
        println!("batch: cannot connect");
        return;
    };
    let head = format!(
        "POST /api/v1/duty/batch?progress_every=100000 HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/csv\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let (mut rd, mut wr) = s.split();
    let send = async {
        wr.write_all(head.as_bytes()).await?;
        wr.write_all(body.as_bytes()).await?;
        wr.flush().await
    };
    let mut resp = Vec::new();
    let recv = rd.read_to_end(&mut resp);
    let (sent, read) = tokio::join!(send, recv);
    let text = String::from_utf8_lossy(&resp);
    let summary = text
        .lines()
        .rfind(|l| l.contains("\"summary\""))
        .unwrap_or("(no summary)");
    println!(
        "batch of {lines} lines ({:.1} MB): {} in {:.2} s; {summary}",
        body.len() as f64 / 1e6,
        if sent.is_ok() && read.is_ok() {
            "streamed"
        } else {
            "failed"
        },
        t.elapsed().as_secs_f64()
    );
}

async fn run(addr: String, a: &Args) {
    let req = Arc::new(request(&a.target, &addr));
    if a.target == "balance" {
        let mut c = BufReader::new(TcpStream::connect(&addr).await.expect("connect"));
        let mut body = Vec::new();
        let t = Instant::now();
        let s = one(&mut c, &req, &mut body).await.expect("first request");
        println!(
            "first (cold) balance request: {} -> {s}, {} bytes",
            ms(t.elapsed()),
            body.len()
        );
    }
    let batch_task = a.during_batch.map(|n| tokio::spawn(batch(addr.clone(), n)));
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..a.connections {
        let (addr, req, stop, count, errors) = (
            addr.clone(),
            req.clone(),
            stop.clone(),
            count.clone(),
            errors.clone(),
        );
        let max = a.max_requests;
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(1 << 16);
            let Ok(s) = TcpStream::connect(&addr).await else {
                errors.fetch_add(1, Ordering::Relaxed);
                return lat;
            };
            let _ = s.set_nodelay(true);
            let mut c = BufReader::new(s);
            let mut body = Vec::new();
            while !stop.load(Ordering::Relaxed) && count.fetch_add(1, Ordering::Relaxed) < max {
                let t = Instant::now();
                match one(&mut c, &req, &mut body).await {
                    Ok(200) => lat.push(t.elapsed()),
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                }
            }
            lat
        }));
    }
    tokio::time::sleep(Duration::from_secs(a.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut lat: Vec<Duration> = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap_or_default());
    }
    let elapsed = start.elapsed();
    if let Some(b) = batch_task {
        let _ = b.await;
    }
    lat.sort();
    println!(
        "target {}: {} requests in {:.2} s over {} connections = {:.0} req/s; errors {}",
        a.target,
        lat.len(),
        elapsed.as_secs_f64(),
        a.connections,
        lat.len() as f64 / elapsed.as_secs_f64(),
        errors.load(Ordering::Relaxed)
    );
    println!(
        "latency: median {}, p90 {}, p99 {}, max {}",
        ms(pct(&lat, 0.5)),
        ms(pct(&lat, 0.9)),
        ms(pct(&lat, 0.99)),
        ms(lat.last().copied().unwrap_or_default())
    );
}

fn main() {
    let a = args();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let addr = match &a.addr {
        Some(addr) => {
            let ip: std::net::SocketAddr = addr.parse().expect("--addr host:port");
            assert!(
                ip.ip().is_loopback(),
                "the load test only targets the loopback"
            );
            addr.clone()
        }
        None => {
            // The server in this process, on its own runtime of two workers.
            let dir = std::env::temp_dir().join(format!("quid-load-{}", std::process::id()));
            std::fs::create_dir_all(dir.join("keys")).unwrap();
            let keys = quid_store::KeyStore::at(dir.join("keys"));
            let db = quid_server::store::sqlite::SqliteDb::open_with(&dir.join("ws.sqlite"), &keys)
                .unwrap();
            let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
            let app = quid_app::App::new(Some(data), quid_app::load::system_today()).unwrap();
            let state = Arc::new(quid_server::AppState::new(app, Box::new(db)).unwrap());
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap().to_string();
            listener.set_nonblocking(true).unwrap();
            std::thread::spawn(move || {
                let srt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .unwrap();
                srt.block_on(async move {
                    let l = tokio::net::TcpListener::from_std(listener).unwrap();
                    let app = quid_server::routes::router(state, &quid_server::Config::default())
                        .unwrap();
                    axum::serve(l, app).await.unwrap();
                });
            });
            addr
        }
    };
    println!("load test of http://{addr}/ ({} s at most)", a.seconds);
    rt.block_on(run(addr, &a));
}
