use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let n: u32 = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(50);
    let text = std::fs::read_to_string(path).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(layerwise::syntax::parse(&text));
    }
    let parse = t.elapsed() / n;
    let p = layerwise::syntax::parse(&text);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(layerwise::semantic::Model::new(&p.tree()));
    }
    let model = t.elapsed() / n;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(layerwise::diagnostics::lint(&p, &Default::default()));
    }
    let lint = t.elapsed() / n;
    println!(
        "parse {:?} model {:?} lint(incl model) {:?}",
        parse, model, lint
    );
}
