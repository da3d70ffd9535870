//! Runs one contestant N times, for instruction counts under callgrind, which do not depend on
//! the machine's load: `benches/callgrind.sh` runs it at two N and divides the difference.
//!
//! `count <variant> <n>`; `count list` names the variants; `count size` prints the length of
//! our token for the reference payload. Run by `cargo bench` without arguments, it does nothing.

mod common;

use std::hint::black_box;

use common::{
    codec::{Branca, Floor, Jar, Ours},
    request::{Variant, contestant},
};

const CODEC: [&str; 11] = [
    "ours_seal_open",
    "floor_ring_lazy",
    "floor_ring",
    "floor_ring_fixed_nonce",
    "floor_rustcrypto",
    "cookie_private_jar_json",
    "cookie_private_jar_raw",
    "branca_json",
    "branca_raw",
    "ours_seal",
    "ours_open",
];

/// With the `metrics` feature and `BENCH_RECORDER=prometheus`: metrics-exporter-prometheus's
/// recorder, with the guide's buckets, installed before any contestant is built (as an
/// application installs it before building its layer).
#[cfg(feature = "metrics")]
fn install_recorder() {
    use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
    use sealed_session::metrics::names;
    if std::env::var("BENCH_RECORDER").as_deref() != Ok("prometheus") {
        return;
    }
    let length = [128.0, 256.0, 512.0, 1024.0, 2048.0, 3072.0, 3687.0, 4096.0];
    let check = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
    ];
    // Its upkeep thread (draining histograms every 5 s by default) runs beside the requests,
    // not in them: set far apart, so that callgrind, which counts every thread, counts none of
    // it in a run a few seconds long.
    let handle = PrometheusBuilder::new()
        .upkeep_timeout(std::time::Duration::from_secs(24 * 3600))
        .set_buckets_for_metric(Matcher::Full(names::TOKEN_LENGTH.into()), &length)
        .and_then(|b| {
            b.set_buckets_for_metric(
                Matcher::Full(names::REVOCATION_CHECK_DURATION.into()),
                &check,
            )
        })
        .and_then(PrometheusBuilder::install_recorder)
        .expect("the recorder installs");
    // Kept for the whole run, as a server keeps it to render /metrics.
    std::mem::forget(handle);
}

fn main() {
    #[cfg(feature = "metrics")]
    install_recorder();
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.as_slice() {
        [] => {}
        [list] if list == "list" => {
            for name in CODEC {
                println!("{name}");
            }
            for variant in Variant::ALL {
                println!("{}", variant.name());
            }
        }
        [size] if size == "size" => {
            let token = Ours::new().seal(&Ours::data(&common::payload()));
            println!(
                "payload {} bytes of JSON; token {} characters; header `{}: <token>` {} bytes",
                common::PAYLOAD.len(),
                token.len(),
                sealed_session::DEFAULT_HEADER,
                sealed_session::DEFAULT_HEADER.len() + 2 + token.len()
            );
        }
        [name, n] => {
            let n: u64 = n.parse().expect("n is a number");
            if CODEC.contains(&name.as_str()) {
                codec(name, n);
            } else if let Some(variant) = Variant::ALL.into_iter().find(|v| v.name() == name) {
                request(variant, n);
            } else {
                panic!("unknown variant {name}; `count list` names them");
            }
        }
        _ => panic!("usage: count <variant> <n> | count list | count size"),
    }
}

fn codec(name: &str, n: u64) {
    let data = common::payload();
    let ours = Ours::new();
    let floor = Floor::new();
    let jar = Jar::new();
    let mut branca = Branca::new();
    let lazy = Ours::data(&data);
    let token = ours.seal(&lazy);
    for _ in 0..n {
        match name {
            "ours_seal_open" => drop(black_box(ours.seal_open(black_box(&lazy)))),
            "floor_ring_lazy" => drop(black_box(floor.ring_lazy(black_box(common::PAYLOAD)))),
            "floor_ring" => drop(black_box(floor.ring::<true>(black_box(&data)))),
            "floor_ring_fixed_nonce" => drop(black_box(floor.ring::<false>(black_box(&data)))),
            "floor_rustcrypto" => drop(black_box(floor.rustcrypto(black_box(&data)))),
            "cookie_private_jar_json" => drop(black_box(jar.json(black_box(&data)))),
            "cookie_private_jar_raw" => drop(black_box(jar.raw())),
            "branca_json" => drop(black_box(branca.json(black_box(&data)))),
            "branca_raw" => drop(black_box(branca.raw())),
            "ours_seal" => drop(black_box(ours.seal(black_box(&lazy)))),
            "ours_open" => drop(black_box(ours.open(black_box(&token)))),
            _ => unreachable!("checked by main"),
        }
    }
}

fn request(variant: Variant, n: u64) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        contestant(variant).await.repeat(n).await;
    });
}
