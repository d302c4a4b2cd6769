#!/usr/bin/env python3
"""Build compact Debian package tables for layer-size estimates.

For each release (default: bookworm and trixie) and one architecture (default amd64)
this script lets apt download the `Packages` indexes of the suites
<release>, <release>-updates and <release>-security (component main) into a
temporary directory, merges them (highest version of each package wins, as apt
would pick it), and writes data/debian-<release>-<arch>.tsv.gz.

Python 3.11 standard library only. apt-get must be available; the script never
touches the system's own apt lists or sources (everything goes to a temp dir).

Usage:
    python3 tools/size-data/build_debian_index.py            # both releases
    python3 tools/size-data/build_debian_index.py --release trixie
    python3 tools/size-data/build_debian_index.py --from-lists DIR   # no network:
        re-use *_Packages files kept earlier with --keep-lists DIR

The archive URIs are taken from the machine's own apt configuration (the first
source that serves a plain Debian release suite, and the first that serves a
"-security" suite); override them with --mirror / --security-mirror.

Output format (tab-separated, gzip, UTF-8, sorted by package name):
    lines starting with '#' are provenance comments;
    then a header line and one row per package:
    package version installed_size_kib size_bytes priority essential
    depends pre_depends recommends provides suite
  * depends / pre_depends / recommends: comma-separated groups; alternatives
    inside a group joined by '|'; version constraints and ':any'/':native'
    qualifiers dropped.
  * provides: comma-separated virtual package names (versions dropped).
  * essential: 'yes' or empty.
  * suite: which suite the chosen version came from (e.g. bookworm-security).
The gzip stream has no file name and mtime 0, so identical inputs give
byte-identical outputs.
"""
from __future__ import annotations

import argparse
import glob
import gzip
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "data"
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"

COLUMNS = [
    "package", "version", "installed_size_kib", "size_bytes", "priority",
    "essential", "depends", "pre_depends", "recommends", "provides", "suite",
]


# --------------------------------------------------------------------------
# Debian version comparison (dpkg semantics)
# --------------------------------------------------------------------------
def _order(c: str) -> int:
    if c == "~":
        return -1
    if c.isdigit():
        return 0
    if c.isalpha():
        return ord(c)
    return ord(c) + 256


def _cmp_fragment(a: str, b: str) -> int:
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _order(a[i]) if i < len(a) and not a[i].isdigit() else 0
            bc = _order(b[j]) if j < len(b) and not b[j].isdigit() else 0
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while i < len(a) and a[i].isdigit() and j < len(b) and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < len(a) and a[i].isdigit():
            return 1
        if j < len(b) and b[j].isdigit():
            return -1
        if first_diff:
            return first_diff
    return 0


def _split_version(v: str) -> tuple[int, str, str]:
    epoch = 0
    if ":" in v:
        e, v = v.split(":", 1)
        epoch = int(e) if e.isdigit() else 0
    if "-" in v:
        upstream, revision = v.rsplit("-", 1)
    else:
        upstream, revision = v, ""
    return epoch, upstream, revision


def version_compare(a: str, b: str) -> int:
    """Return <0, 0 or >0 like dpkg --compare-versions."""
    ea, ua, ra = _split_version(a)
    eb, ub, rb = _split_version(b)
    if ea != eb:
        return ea - eb
    c = _cmp_fragment(ua, ub)
    if c:
        return c
    return _cmp_fragment(ra, rb)


# --------------------------------------------------------------------------
# Packages parsing and compaction
# --------------------------------------------------------------------------
def iter_paragraphs(text: str):
    fields: dict[str, str] = {}
    last = None
    for line in text.splitlines():
        if not line.strip():
            if fields:
                yield fields
            fields, last = {}, None
            continue
        if line[0] in " \t":
            if last is not None:
                fields[last] += "\n" + line.strip()
            continue
        key, _, value = line.partition(":")
        last = key.strip()
        fields[last] = value.strip()
    if fields:
        yield fields


_CONSTRAINT = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>")


def _bare_name(token: str) -> str:
    token = _CONSTRAINT.sub("", token).strip()
    # drop multi-arch qualifiers (:any, :native, :amd64)
    return token.split(":", 1)[0].strip()


def compact_relation(value: str) -> str:
    """'a (>= 1) | b, c:any' -> 'a|b,c' (keeps alternatives, drops constraints)."""
    if not value:
        return ""
    groups: list[str] = []
    for group in value.replace("\n", " ").split(","):
        alts: list[str] = []
        for a in group.split("|"):
            a = _bare_name(a)
            if a and a not in alts:
                alts.append(a)
        g = "|".join(alts)
        # 'foo (>= 1), foo (<< 2)' collapses to one 'foo'
        if g and g not in groups:
            groups.append(g)
    return ",".join(groups)


def clean(s: str) -> str:
    return s.replace("\t", " ").replace("\n", " ")


def merge_suites(packages_files: list[tuple[str, Path]]):
    """packages_files: (suite, path) -> {name: row dict}, highest version wins."""
    best: dict[str, dict] = {}
    for suite, path in packages_files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for p in iter_paragraphs(text):
            name = p.get("Package")
            version = p.get("Version")
            if not name or not version:
                continue
            cur = best.get(name)
            if cur is not None and version_compare(version, cur["version"]) <= 0:
                continue
            best[name] = {
                "package": name,
                "version": version,
                "installed_size_kib": p.get("Installed-Size", "").strip(),
                "size_bytes": p.get("Size", "").strip(),
                "priority": p.get("Priority", "").strip(),
                "essential": "yes" if p.get("Essential", "").strip().lower() == "yes" else "",
                "depends": compact_relation(p.get("Depends", "")),
                "pre_depends": compact_relation(p.get("Pre-Depends", "")),
                "recommends": compact_relation(p.get("Recommends", "")),
                "provides": compact_relation(p.get("Provides", "")),
                "suite": suite,
            }
    return best


# Rust crate packages (librust-*-dev) provide one virtual package per crate feature and
# version prefix (e.g. librust-serde-1.0+std-dev): tens of thousands of names that only
# other librust packages depend on and nobody installs by hand. Those that no relation in
# the index references are dropped; every referenced one is kept, so dependency closures
# stay exact.
SLIM_PROVIDES_PREFIXES = ("librust-",)


def slim_provides(rows: dict[str, dict]) -> int:
    referenced: set[str] = set()
    for r in rows.values():
        for col in ("depends", "pre_depends", "recommends"):
            for group in r[col].split(","):
                referenced.update(a for a in group.split("|") if a)
    dropped = 0
    for r in rows.values():
        if not r["package"].startswith(SLIM_PROVIDES_PREFIXES) or not r["provides"]:
            continue
        names = r["provides"].split(",")
        keep = [n for n in names if n in referenced]
        dropped += len(names) - len(keep)
        r["provides"] = ",".join(keep)
    return dropped


def write_table(out_path: Path, rows: dict[str, dict], comments: list[str]) -> None:
    buf = io.StringIO()
    for c in comments:
        buf.write("# " + clean(c) + "\n")
    buf.write("\t".join(COLUMNS) + "\n")
    for name in sorted(rows):
        r = rows[name]
        buf.write("\t".join(clean(r[c]) for c in COLUMNS) + "\n")
    raw = buf.getvalue().encode("utf-8")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "wb") as fh:
        # filename='' and mtime=0: deterministic output
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, compresslevel=9, mtime=0) as gz:
            gz.write(raw)


# --------------------------------------------------------------------------
# apt download
# --------------------------------------------------------------------------
def _host_sources() -> list[tuple[str, list[str], list[str]]]:
    """(uri, suites, components) for every 'deb' source configured on this machine."""
    out = []
    files = ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")) \
        + sorted(glob.glob("/etc/apt/sources.list.d/*.sources"))
    for f in files:
        try:
            text = Path(f).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if f.endswith(".sources"):
            for para in text.split("\n\n"):
                d = {}
                for line in para.splitlines():
                    if line.startswith("#") or ":" not in line or line[0] in " \t":
                        continue
                    k, _, v = line.partition(":")
                    d[k.strip().lower()] = v.strip()
                if "deb" not in d.get("types", "").split():
                    continue
                if d.get("enabled", "yes").lower() == "no":
                    continue
                for uri in d.get("uris", "").split():
                    out.append((uri, d.get("suites", "").split(), d.get("components", "").split()))
        else:
            for line in text.splitlines():
                line = line.split("#", 1)[0].strip()
                if not line.startswith("deb "):
                    continue
                parts = re.sub(r"\[[^\]]*\]", "", line).split()
                if len(parts) >= 4:
                    out.append((parts[1], [parts[2]], parts[3:]))
    return out


_CODENAMES = {"buster", "bullseye", "bookworm", "trixie", "forky", "duke", "sid",
              "stable", "oldstable", "testing", "unstable"}


def guess_mirrors() -> tuple[str | None, str | None]:
    main = security = None
    for uri, suites, comps in _host_sources():
        if "main" not in comps:
            continue
        for s in suites:
            base = s.split("-", 1)[0]
            if base not in _CODENAMES:
                continue
            if s.endswith("-security") and security is None:
                security = uri
            elif "-" not in s and main is None:
                main = uri
    return main, security


def apt_fetch(release: str, arch: str, mirror: str, security: str | None, workdir: Path) -> list[tuple[str, Path]]:
    lists = workdir / "lists"
    (lists / "partial").mkdir(parents=True, exist_ok=True)
    (workdir / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    (workdir / "sources.list.d").mkdir(exist_ok=True)
    opts = f"arch={arch}"
    if os.path.exists(KEYRING):
        opts += f" signed-by={KEYRING}"
    lines = [
        f"deb [{opts}] {mirror} {release} main",
        f"deb [{opts}] {mirror} {release}-updates main",
    ]
    if security:
        lines.append(f"deb [{opts}] {security} {release}-security main")
    (workdir / "sources.list").write_text("\n".join(lines) + "\n")
    cmd = [
        "apt-get", "update", "-q",
        "-o", f"Dir::Etc::sourcelist={workdir / 'sources.list'}",
        "-o", f"Dir::Etc::sourceparts={workdir / 'sources.list.d'}",
        "-o", f"Dir::State::Lists={lists}",
        "-o", f"Dir::Cache={workdir / 'cache'}",
        "-o", "Dir::Cache::pkgcache=",
        "-o", "Dir::Cache::srcpkgcache=",
        "-o", "Acquire::GzipIndexes=false",
        "-o", "Acquire::Languages=none",
        "-o", "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false",
        "-o", "Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false",
        "-o", "Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false",
        "-o", "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false",
        "-o", "APT::Update::Post-Invoke-Success::=",
        "-o", "APT::Sandbox::User=root",
        "-o", f"APT::Architecture={arch}",
        "-o", f"APT::Architectures::={arch}",
    ]
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)
    return find_lists(lists, release, arch)


def find_lists(lists: Path, release: str, arch: str) -> list[tuple[str, Path]]:
    found = []
    for suite in (release, f"{release}-updates", f"{release}-security"):
        pats = glob.glob(str(lists / f"*_dists_{suite}_main_binary-{arch}_Packages"))
        for p in sorted(pats):
            found.append((suite, Path(p)))
    if not any(s == release for s, _ in found):
        raise SystemExit(f"no Packages list for {release} main {arch} in {lists}")
    return found


def release_date(lists: Path, suite: str) -> str:
    for p in sorted(glob.glob(str(lists / f"*_dists_{suite}_InRelease"))) + \
            sorted(glob.glob(str(lists / f"*_dists_{suite}_Release"))):
        for line in Path(p).read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Date:"):
                return line[5:].strip()
            if line.startswith("-----BEGIN PGP SIGNATURE"):
                break
    return "unknown"


def build(release: str, arch: str, out_dir: Path, lists_dir: Path, files: list[tuple[str, Path]]) -> Path:
    rows = merge_suites(files)
    dropped = slim_provides(rows)
    comments = [
        f"Debian {release} {arch} main: Packages indexes obtained from Debian's archive via apt",
        "suites (Release file Date): " + "; ".join(
            f"{s} ({release_date(lists_dir, s)})" for s, _ in files),
        "merge rule: highest version of each package across these suites (as apt would choose)",
        f"provides: {dropped} unreferenced librust-* feature/version virtual names dropped",
        "generated by tools/size-data/build_debian_index.py; see tools/size-data/README.md for columns",
        f"packages: {len(rows)}",
    ]
    out = out_dir / f"debian-{release}-{arch}.tsv.gz"
    write_table(out, rows, comments)
    print(f"{out}: {len(rows)} packages, {out.stat().st_size} bytes", file=sys.stderr)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--release", action="append", help="Debian codename (repeatable); default bookworm, trixie")
    ap.add_argument("--arch", default="amd64")
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--mirror", help="archive URI (default: taken from this machine's apt sources)")
    ap.add_argument("--security-mirror", help="security archive URI (default: from apt sources)")
    ap.add_argument("--keep-lists", type=Path, help="copy downloaded lists into DIR/<release>/")
    ap.add_argument("--from-lists", type=Path, help="use DIR/<release>/ lists kept earlier; no apt")
    args = ap.parse_args(argv)
    releases = args.release or ["bookworm", "trixie"]

    if args.from_lists:
        for rel in releases:
            d = args.from_lists / rel
            build(rel, args.arch, args.out_dir, d, find_lists(d, rel, args.arch))
        return 0

    mirror, security = guess_mirrors()
    mirror = args.mirror or mirror
    security = args.security_mirror or security
    if not mirror:
        raise SystemExit("no Debian archive URI in this machine's apt sources; pass --mirror")
    for rel in releases:
        with tempfile.TemporaryDirectory(prefix=f"debidx-{rel}-") as tmp:
            tmp = Path(tmp)
            files = apt_fetch(rel, args.arch, mirror, security, tmp)
            build(rel, args.arch, args.out_dir, tmp / "lists", files)
            if args.keep_lists:
                dest = args.keep_lists / rel
                dest.mkdir(parents=True, exist_ok=True)
                for p in glob.glob(str(tmp / "lists" / "*")):
                    if os.path.isfile(p) and (p.endswith("_Packages") or "Release" in p):
                        shutil.copy2(p, dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
