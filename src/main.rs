//! The `layerwise` binary: argument parsing, then `cli::run` or `lsp::run_stdio`.

fn main() {
    std::process::exit(layerwise::cli::main());
}
