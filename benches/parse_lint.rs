//! Parse, and parse + lint, of the shared sample Dockerfiles: a typical 40-line file and
//! generated files of 500 to 5,000 lines (`../shared/samples/`). The goal is parse + lint of
//! 5,000 lines well under 5 ms.
//!
//! ```sh
//! cargo bench --bench parse_lint -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use layerwise::config::Config;
use layerwise::diagnostics::lint;
use layerwise::syntax::parse;

const SAMPLES: &[&str] = &[
    "typical.Dockerfile",
    "large-500.Dockerfile",
    "large-1000.Dockerfile",
    "large-2000.Dockerfile",
    "large-5000.Dockerfile",
];

fn load(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read sample {}: {e}", path.display()))
}

fn bench_parse_lint(c: &mut Criterion) {
    let config = Config::default();
    let samples: Vec<(&str, String)> = SAMPLES.iter().map(|name| (*name, load(name))).collect();

    let mut group = c.benchmark_group("parse");
    for (name, text) in &samples {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
            b.iter(|| parse(black_box(text)));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("parse_lint");
    for (name, text) in &samples {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
            b.iter(|| lint(&parse(black_box(text)), &config));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_parse_lint);
criterion_main!(benches);
