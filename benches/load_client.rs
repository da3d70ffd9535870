//! The load client of `scripts/load.sh`: drives `examples/views.rs` over loopback with many
//! sessions, each a sequential client, and reports errors, lost increments and the server's
//! resident memory. Bounded in requests and in time; it stops by itself.
//!
//! ```sh
//! cargo run --release --example load_client -- --url http://127.0.0.1:3000 --pid <server pid> \
//!     --requests 1000000 --sessions 4000 --concurrency 64 --deadline-secs 900
//! ```

use std::{
    collections::HashMap,
    process::ExitCode,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

const HEADER: &str = "x-session";
/// Memory is sampled every this many requests.
const SAMPLE_EVERY: u64 = 100_000;
/// "Flat": the last sample may pass the one at 100k requests by at most this much.
const FLAT_TOLERANCE_KIB: u64 = 4 * 1024;

/// The command line, `--name value` pairs.
struct Args {
    url: String,
    pid: Option<u32>,
    requests: u64,
    sessions: usize,
    concurrency: usize,
    deadline: Duration,
}

impl Args {
    fn parse() -> Result<Self, String> {
        let mut given: HashMap<String, String> = HashMap::new();
        let mut args = std::env::args().skip(1);
        while let Some(name) = args.next() {
            let name = name
                .strip_prefix("--")
                .ok_or_else(|| format!("expected --name, got {name}"))?
                .to_owned();
            let value = args
                .next()
                .ok_or_else(|| format!("--{name} needs a value"))?;
            given.insert(name, value);
        }
        let number = |name: &str, default: u64| -> Result<u64, String> {
            given.get(name).map_or(Ok(default), |v| {
                v.parse().map_err(|e| format!("--{name}: {e}"))
            })
        };
        let to_usize = |n: u64| usize::try_from(n).map_err(|e| e.to_string());
        Ok(Self {
            url: given
                .get("url")
                .cloned()
                .unwrap_or_else(|| "http://127.0.0.1:3000".into()),
            pid: given
                .get("pid")
                .map(|p| p.parse().map_err(|e| format!("--pid: {e}")))
                .transpose()?,
            requests: number("requests", 1_000_000)?,
            sessions: to_usize(number("sessions", 4000)?)?,
            concurrency: to_usize(number("concurrency", 64)?)?,
            deadline: Duration::from_secs(number("deadline-secs", 900)?),
        })
    }
}

/// One client: its token and how many increments the server confirmed.
#[derive(Default)]
struct Client {
    token: Option<String>,
    sent: u64,
}

#[derive(Default)]
struct Totals {
    done: AtomicU64,
    errors: AtomicU64,
    lost: AtomicU64,
    /// (requests done, VmRSS in KiB)
    rss: Mutex<Vec<(u64, u64)>>,
}

/// The server's resident memory in KiB, from /proc/PID/status.
fn vm_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `GET /foo` for `client`: the counter must be one more than the client's count.
async fn step(http: &reqwest::Client, url: &str, client: &mut Client, totals: &Totals) {
    let mut req = http.get(format!("{url}/foo"));
    if let Some(token) = &client.token {
        req = req.header(HEADER, token);
    }
    let res = match req.send().await {
        Ok(res) if res.status() == 200 => res,
        Ok(res) => {
            eprintln!("error: status {}", res.status());
            totals.errors.fetch_add(1, Ordering::Relaxed);
            return;
        }
        Err(e) => {
            eprintln!("error: {e}");
            totals.errors.fetch_add(1, Ordering::Relaxed);
            return;
        }
    };
    let token = res
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = res.text().await.unwrap_or_default();
    let n: Option<u64> = body
        .strip_prefix("you viewed this page ")
        .and_then(|rest| rest.strip_suffix(" times"))
        .and_then(|n| n.parse().ok());
    match (token, n) {
        (Some(token), Some(n)) => {
            if n != client.sent + 1 {
                totals.lost.fetch_add(1, Ordering::Relaxed);
            }
            client.sent += 1;
            client.token = Some(token);
        }
        _ => {
            eprintln!("error: no token or no count in {body:?}");
            totals.errors.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Whether the server's own view of `client` (`GET /views`) holds exactly its count.
async fn confirmed(http: &reqwest::Client, url: &str, client: &Client) -> bool {
    let Some(token) = &client.token else {
        return client.sent == 0;
    };
    let Ok(res) = http
        .get(format!("{url}/views"))
        .header(HEADER, token)
        .send()
        .await
    else {
        return false;
    };
    let views: serde_json::Value = res.json().await.unwrap_or_default();
    views["/foo"].as_u64() == Some(client.sent)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Args::parse() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // Every request is bounded, so a hung server cannot stall the run past its deadline.
    let http = match reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
    {
        Ok(http) => http,
        Err(e) => {
            eprintln!("cannot build the HTTP client: {e}");
            return ExitCode::FAILURE;
        }
    };
    let totals = Arc::new(Totals::default());
    let start = Instant::now();
    if let Some(pid) = args.pid {
        totals
            .rss
            .lock()
            .unwrap()
            .extend(vm_rss_kib(pid).map(|kib| (0, kib)));
    }
    // Worker w owns the sessions w, w + concurrency, ...: one request at a time per session.
    let claimed = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for w in 0..args.concurrency {
        let mut clients: Vec<Client> = (w..args.sessions)
            .step_by(args.concurrency)
            .map(|_| Client::default())
            .collect();
        let (http, url, totals, claimed) = (
            http.clone(),
            args.url.clone(),
            Arc::clone(&totals),
            Arc::clone(&claimed),
        );
        let (total, deadline, pid) = (args.requests, args.deadline, args.pid);
        workers.push(tokio::spawn(async move {
            'rounds: loop {
                for client in &mut clients {
                    if claimed.fetch_add(1, Ordering::Relaxed) >= total
                        || start.elapsed() > deadline
                    {
                        break 'rounds;
                    }
                    step(&http, &url, client, &totals).await;
                    let done = totals.done.fetch_add(1, Ordering::Relaxed) + 1;
                    if done % SAMPLE_EVERY == 0 {
                        if let Some(kib) = pid.and_then(vm_rss_kib) {
                            totals.rss.lock().unwrap().push((done, kib));
                        }
                    }
                }
                if clients.is_empty() {
                    break;
                }
            }
            clients
        }));
    }
    let mut clients = Vec::new();
    for worker in workers {
        clients.extend(worker.await.expect("a worker panicked"));
    }
    let elapsed = start.elapsed();
    let done = totals.done.load(Ordering::Relaxed);
    let mut unconfirmed = 0u64;
    // Confirmation gets one more minute past the deadline; what it cannot reach then counts
    // as unconfirmed.
    for client in &clients {
        if start.elapsed() > args.deadline + Duration::from_secs(60)
            || !confirmed(&http, &args.url, client).await
        {
            unconfirmed += 1;
        }
    }
    let errors = totals.errors.load(Ordering::Relaxed);
    let lost = totals.lost.load(Ordering::Relaxed);
    let mut rss = totals.rss.lock().unwrap().clone();
    rss.sort_unstable();
    if rss.last().is_none_or(|(at, _)| *at != done) {
        rss.extend(args.pid.and_then(vm_rss_kib).map(|kib| (done, kib)));
    }

    println!(
        "requests: {done} of {} in {:.1} s ({:.0}/s), {} sessions, {} at a time",
        args.requests,
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64(),
        clients.len(),
        args.concurrency
    );
    println!("errors: {errors}");
    println!(
        "lost increments: {lost} in responses; {unconfirmed} sessions whose /views differs from their count"
    );
    let series: Vec<String> = rss
        .iter()
        .map(|(at, kib)| format!("{at}: {:.1} MiB", *kib as f64 / 1024.0))
        .collect();
    println!("server VmRSS by requests done: {}", series.join(", "));
    let at_100k = rss.iter().find(|(at, _)| *at >= SAMPLE_EVERY).map(|r| r.1);
    let last = rss.last().map(|r| r.1);
    let flat = match (at_100k, last) {
        (Some(first), Some(last)) => {
            println!(
                "server VmRSS at 100k requests: {:.1} MiB; at the end: {:.1} MiB ({:+.1} MiB)",
                first as f64 / 1024.0,
                last as f64 / 1024.0,
                (last as f64 - first as f64) / 1024.0
            );
            last <= first + FLAT_TOLERANCE_KIB
        }
        _ => {
            println!("server VmRSS: not measured (give --pid, and at least 100k requests)");
            true
        }
    };
    let complete = done == args.requests;
    if !complete {
        println!("incomplete: the deadline of {:?} passed", args.deadline);
    }
    if errors == 0 && lost == 0 && unconfirmed == 0 && flat && complete {
        println!("load: ok");
        ExitCode::SUCCESS
    } else {
        println!("load: FAILED");
        ExitCode::FAILURE
    }
}
