//! Resident memory after many distinct sessions have passed through: ours (nothing kept on the
//! server) against tower-sessions' MemoryStore (every session kept). Each session is made by
//! `/seed` (the reference payload) and read back once by `/`, in process, through the layer.
//!
//! `cargo bench --bench memory` runs both with 1,000,000 sessions, each in its own process;
//! `cargo bench --bench memory -- <ours|tower_sessions> <n>` runs one.

mod common;

use std::process::Command;

use axum::{Router, body::Body, routing::get};
use common::request::{carried, ours_app, ours_read, tower_sessions_app, ts_read};
use http::{
    HeaderName, Request, Response, StatusCode,
    header::{COOKIE, SET_COOKIE},
};
use tower::{Service, ServiceExt};

const SESSIONS: u64 = 1_000_000;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.as_slice() {
        [] => {
            for which in ["ours", "tower_sessions"] {
                let exe = std::env::current_exe().expect("own path");
                let status = Command::new(exe)
                    .args([which, &SESSIONS.to_string()])
                    .status()
                    .expect("runs");
                assert!(status.success(), "{which} failed");
            }
        }
        [which, n] => run(which, n.parse().expect("n is a number")),
        _ => panic!("usage: memory [<ours|tower_sessions> <n>]"),
    }
}

fn run(which: &str, n: u64) {
    let session_header = HeaderName::from_static(sealed_session::DEFAULT_HEADER);
    let (app, from, to) = match which {
        "ours" => (
            ours_app(get(ours_read)),
            session_header.clone(),
            session_header,
        ),
        "tower_sessions" => (tower_sessions_app(get(ts_read)), SET_COOKIE, COOKIE),
        _ => panic!("unknown contestant {which}"),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    rt.block_on(async move {
        let mut app = app;
        println!(
            "{which:>15}: {:>9} sessions, VmRSS {:>8} kB",
            0,
            vm_rss_kb()
        );
        for i in 1..=n {
            let made = call(&mut app, Request::get("/seed")).await;
            let value = carried(&made, &from, &to);
            let read = call(&mut app, Request::get("/").header(to.clone(), value)).await;
            assert_eq!(read.status(), StatusCode::OK);
            if i == 1 {
                let body = http_body_util::BodyExt::collect(read.into_body())
                    .await
                    .expect("a body")
                    .to_bytes();
                assert_eq!(&body[..], b"3", "the session passed through");
            }
            if i % (n / 4).max(1) == 0 {
                println!("{which:>15}: {i:>9} sessions, VmRSS {:>8} kB", vm_rss_kb());
            }
        }
    });
}

async fn call(app: &mut Router, request: http::request::Builder) -> Response<Body> {
    let request = request.body(Body::empty()).expect("a valid request");
    let app = ServiceExt::<Request<Body>>::ready(app)
        .await
        .expect("infallible");
    app.call(request).await.expect("infallible")
}

/// This process's resident memory, from `/proc/self/status`.
fn vm_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmRSS line")
}
