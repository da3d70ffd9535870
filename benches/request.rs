//! One request through an axum app in process (tower `ready` + `call`, no network): a bare
//! handler, our layer, tower-sessions + MemoryStore and axum-extra's `PrivateCookieJar`, all
//! running the same view counter, in one criterion run. `cargo bench --bench request`.
// `criterion_group!` makes an undocumented `pub fn`.
#![allow(missing_docs)]

mod common;

use std::time::Instant;

use common::request::{Variant, contestant};
use criterion::{Criterion, criterion_group, criterion_main};

fn request(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let mut g = c.benchmark_group("request");
    for variant in Variant::ALL {
        let mut contestant = rt.block_on(contestant(variant));
        g.bench_function(variant.name(), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    contestant.repeat(iters).await;
                    start.elapsed()
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, request);
criterion_main!(benches);
