fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let parse = layerwise::syntax::parse(&text);
    print!("{}", layerwise::syntax::debug_dump(&parse.syntax()));
    for e in parse.errors() {
        println!("{:?}", e);
    }
}
