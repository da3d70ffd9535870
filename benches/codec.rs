//! Seal + open of the reference payload: ours, the floor, and the peers, in one criterion run so
//! that their ratios share the machine's load. `cargo bench --bench codec`; see BENCHMARKS.md.
// `criterion_group!` makes an undocumented `pub fn`.
#![allow(missing_docs)]

mod common;

use std::hint::black_box;

use common::codec::{Branca, Floor, Jar, Ours};
use criterion::{Criterion, criterion_group, criterion_main};

fn codec(c: &mut Criterion) {
    let data = common::payload();
    let ours = Ours::new();
    let floor = Floor::new();
    let jar = Jar::new();
    let mut branca = Branca::new();
    let lazy = Ours::data(&data);
    let token = ours.seal(&lazy);

    let mut g = c.benchmark_group("codec");
    g.bench_function("ours_seal_open", |b| {
        b.iter(|| ours.seal_open(black_box(&lazy)))
    });
    g.bench_function("floor_ring_lazy", |b| {
        b.iter(|| floor.ring_lazy(black_box(common::PAYLOAD)))
    });
    g.bench_function("floor_ring", |b| {
        b.iter(|| floor.ring::<true>(black_box(&data)))
    });
    g.bench_function("floor_ring_fixed_nonce", |b| {
        b.iter(|| floor.ring::<false>(black_box(&data)))
    });
    g.bench_function("floor_rustcrypto", |b| {
        b.iter(|| floor.rustcrypto(black_box(&data)))
    });
    g.bench_function("cookie_private_jar_json", |b| {
        b.iter(|| jar.json(black_box(&data)))
    });
    g.bench_function("cookie_private_jar_raw", |b| b.iter(|| jar.raw()));
    g.bench_function("branca_json", |b| b.iter(|| branca.json(black_box(&data))));
    g.bench_function("branca_raw", |b| b.iter(|| branca.raw()));
    // The halves of ours, for the per-request analysis.
    g.bench_function("ours_seal", |b| b.iter(|| ours.seal(black_box(&lazy))));
    g.bench_function("ours_open", |b| b.iter(|| ours.open(black_box(&token))));
    g.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
