#!/usr/bin/env python3
"""Turn the repo-info cache into data/base-images.tsv (deterministic).

Input: tools/size-data/repo-info-cache/{remote,local}/<image>/<tag>.md
  Files in the format of docker-library/repo-info's repos/<image>/remote/<tag>.md
  and repos/<image>/local/<tag>.md. They may be the full files or trimmed copies
  that keep only the lines this script reads. The first line of every cache file
  is a provenance comment:
    <!-- repo-info commit=<40 hex> path=repos/<image>/<remote|local>/<tag>.md ... -->

Output: data/base-images.tsv, one row per (image, tag, platform) for linux/amd64 and
linux/arm64. Columns are documented in tools/size-data/README.md.

Checks (the script fails instead of writing a wrong table):
  * per platform, the sum of the layer sizes equals the manifest's "Total Size";
  * the image:tag in each file matches its cache path.

Python 3.11 standard library only.

    python3 tools/size-data/build_base_images.py
    python3 tools/size-data/build_base_images.py --truth ../shared/layer-truth/images.tsv
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
CACHE = HERE / "repo-info-cache"
OUT = REPO_ROOT / "data" / "base-images.tsv"

PLATFORMS = {
    "linux; amd64": "linux/amd64",
    "linux; arm64 variant v8": "linux/arm64",
    "linux; arm64": "linux/arm64",
}

COLUMNS = [
    "image", "tag", "platform", "compressed_bytes", "uncompressed_bytes",
    "uncompressed_source", "layers", "manifest_digest", "index_digest", "image_id",
    "last_modified", "layer_sizes", "remote_commit", "remote_path", "local_commit",
    "local_path", "notes",
]

PROV = re.compile(r"<!--\s*repo-info\s+commit=([0-9a-f]{40})\s+path=(\S+)")
NOTE = re.compile(r'note="([^"]*)"')
TITLE = re.compile(r"^#{1,2} `([^`:]+):([^`]+)`\s*$")
SECTION = re.compile(r"^### `([^`:]+):([^`]+)` - (.+?)\s*$")
PULL = re.compile(r"\$ docker pull \S+@(sha256:[0-9a-f]{64})")
TOTAL = re.compile(r"Total Size: \*\*[^(]*\((\d+) bytes\)\*\*")
IMAGE_ID = re.compile(r"Image ID: `(sha256:[0-9a-f]{64})`")
LAYER = re.compile(r"^\s*-\s*`(sha256:[0-9a-f]{64})`")
LAST_MOD = re.compile(r"Last Modified: (.+?)\s*$")
SIZE = re.compile(r"^\s*Size: [^(]*\((\d+) bytes\)")
SIZE_SMALL = re.compile(r"^\s*Size: (\d+)(?:\.0)? B\s*$")  # blobs < 1 kB: "Size: 389.0 B"
CREATED = re.compile(r"Created: `([^`]+)`")
VSIZE = re.compile(r"Virtual Size: ~ ([0-9.]+) ([KMG])b", re.I)
UNITS = {"k": 10**3, "m": 10**6, "g": 10**9}


class CacheError(Exception):
    pass


def provenance(text: str, path: Path) -> tuple[str, str]:
    m = PROV.search(text.splitlines()[0] if text else "")
    if not m:
        raise CacheError(f"{path}: first line lacks the repo-info provenance comment")
    return m.group(1), m.group(2)


def parse_remote(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    commit, src = provenance(text, path)
    image = tag = index_digest = None
    platforms: dict[str, dict] = {}
    cur = None
    layer = None
    for line in text.splitlines():
        m = SECTION.match(line)
        if m:
            plat = PLATFORMS.get(m.group(3))
            cur = None
            if plat and plat not in platforms:
                cur = platforms[plat] = {"layers": [], "total": None, "digest": None, "image_id": None}
            layer = None
            continue
        m = TITLE.match(line)
        if m and image is None:
            image, tag = m.group(1), m.group(2)
            continue
        m = PULL.search(line)
        if m:
            if cur is None and not platforms and index_digest is None:
                index_digest = m.group(1)
            elif cur is not None and cur["digest"] is None:
                cur["digest"] = m.group(1)
            continue
        if cur is None:
            continue
        if (m := TOTAL.search(line)):
            cur["total"] = int(m.group(1))
        elif (m := IMAGE_ID.search(line)):
            cur["image_id"] = m.group(1)
        elif (m := LAYER.match(line)):
            layer = {"digest": m.group(1), "size": None, "last_modified": None}
            cur["layers"].append(layer)
        elif layer is not None and (m := LAST_MOD.search(line)):
            layer["last_modified"] = m.group(1)
        elif layer is not None and ((m := SIZE.match(line)) or (m := SIZE_SMALL.match(line))):
            layer["size"] = int(m.group(1))
    if image is None:
        raise CacheError(f"{path}: no '## `image:tag`' title")
    for plat, p in platforms.items():
        sizes = [l["size"] for l in p["layers"]]
        if not p["layers"] or None in sizes:
            raise CacheError(f"{path} {plat}: layer without size")
        if p["total"] is None or sum(sizes) != p["total"]:
            raise CacheError(f"{path} {plat}: layers sum {sum(sizes)} != Total Size {p['total']}")
        if p["digest"] is None:
            raise CacheError(f"{path} {plat}: no manifest digest")
    m = NOTE.search(text.splitlines()[0])
    return {"image": image, "tag": tag, "index_digest": index_digest or "",
            "platforms": platforms, "commit": commit, "path": src,
            "note": m.group(1) if m else ""}


def parse_local(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    commit, src = provenance(text, path)
    out = {"commit": commit, "path": src, "image": None, "tag": None,
           "image_id": None, "created": None, "bytes": None, "arch": None}
    for line in text.splitlines():
        if out["image"] is None and (m := TITLE.match(line)):
            out["image"], out["tag"] = m.group(1), m.group(2)
        elif (m := IMAGE_ID.search(line)) and out["image_id"] is None:
            out["image_id"] = m.group(1)
        elif (m := CREATED.search(line)):
            out["created"] = m.group(1)
        elif (m := VSIZE.search(line)):
            # repo-info prints decimal units with 2 decimals (±5 kB for "Mb")
            out["bytes"] = round(float(m.group(1)) * UNITS[m.group(2).lower()])
        elif "Arch: " in line:
            out["arch"] = line.split("Arch: ", 1)[1].replace("`", "").strip()
    if out["image"] is None:
        raise CacheError(f"{path}: no '# `image:tag`' title")
    return out


def iso(http_date: str | None) -> str:
    if not http_date:
        return ""
    return parsedate_to_datetime(http_date).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_rows(cache: Path) -> list[dict]:
    rows = []
    for rpath in sorted((cache / "remote").glob("*/*.md")):
        image_dir, tag_file = rpath.parent.name, rpath.stem
        r = parse_remote(rpath)
        if (r["image"], r["tag"]) != (image_dir, tag_file):
            raise CacheError(f"{rpath}: file is for {r['image']}:{r['tag']}")
        # local files: same tag, plus any other tag of the same image (matched by image ID)
        locals_by_tag = {}
        for lp in sorted((cache / "local" / image_dir).glob("*.md")):
            loc = parse_local(lp)
            if loc["image"] != image_dir:
                raise CacheError(f"{lp}: file is for {loc['image']}:{loc['tag']}")
            # keyed by the repo-info path (what repo-info filed it under); a differing
            # title inside the file is reported in uncompressed_source
            loc["title_note"] = "" if loc["tag"] == lp.stem else f", file titled {loc['image']}:{loc['tag']}"
            loc["tag"] = lp.stem
            locals_by_tag[lp.stem] = loc
        for plat in sorted(r["platforms"]):
            p = r["platforms"][plat]
            unc, unc_src, lcommit, lpathstr = "", "", "", ""
            if plat == "linux/amd64":
                same = [l for t, l in sorted(locals_by_tag.items())
                        if l["image_id"] == p["image_id"] and l["bytes"] is not None]
                own = locals_by_tag.get(tag_file)
                if same:
                    loc = same[0]
                    unc_src = ("local virtual size, same build" if loc["tag"] == tag_file else
                               f"local virtual size of {loc['image']}:{loc['tag']}, same build (same image ID)")
                elif own is not None and own["bytes"] is not None and own["arch"] == "linux/amd64":
                    loc = own
                    unc_src = f"local virtual size, other build (created {own['created']}{own['title_note']})"
                else:
                    loc = None
                if loc is not None:
                    unc = str(loc["bytes"])
                    lcommit, lpathstr = loc["commit"], loc["path"]
            mods = [iso(l["last_modified"]) for l in p["layers"] if l["last_modified"]]
            rows.append({
                "image": r["image"], "tag": r["tag"], "platform": plat,
                "compressed_bytes": str(p["total"]),
                "uncompressed_bytes": unc, "uncompressed_source": unc_src,
                "layers": str(len(p["layers"])),
                "manifest_digest": p["digest"], "index_digest": r["index_digest"],
                "image_id": p["image_id"] or "",
                "last_modified": max(mods) if mods else "",
                "layer_sizes": ",".join(f"{l['digest'][7:19]}:{l['size']}" for l in p["layers"]),
                "remote_commit": r["commit"], "remote_path": r["path"],
                "local_commit": lcommit, "local_path": lpathstr,
                "notes": r["note"],
            })
    return rows


def write(rows: list[dict], out: Path) -> None:
    lines = [
        "# Official image sizes from docker-library/repo-info (manifest layer sizes = compressed;",
        "# local 'Virtual Size' = uncompressed, linux/amd64 only). Generated by",
        "# tools/size-data/build_base_images.py from tools/size-data/repo-info-cache/; see its README.",
        "\t".join(COLUMNS),
    ]
    for r in rows:
        lines.append("\t".join(r[c] for c in COLUMNS))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def compare_truth(rows: list[dict], truth: Path) -> None:
    """Print which layer-truth images the table covers and how the numbers compare."""
    by_key = {(r["image"], r["tag"], r["platform"]): r for r in rows}
    text = truth.read_text(encoding="utf-8").splitlines()
    hdr = text[0].split("\t")
    print("image:tag\tcovered\ttable_compressed\ttruth_compressed\tsame_image_id\ttable_uncompressed\ttruth_local_virtual")
    for line in text[1:]:
        t = dict(zip(hdr, line.split("\t")))
        r = by_key.get((t["image"], t["tag"], t.get("platform", "linux/amd64")))
        if not r:
            print(f"{t['image']}:{t['tag']}\tno\t\t{t['compressed_total_bytes']}\t\t\t{t.get('local_virtual_size_bytes', '')}")
            continue
        same = r["image_id"].startswith(t.get("remote_image_id_prefix", "-"))
        print(f"{t['image']}:{t['tag']}\tyes\t{r['compressed_bytes']}\t{t['compressed_total_bytes']}\t"
              f"{'yes' if same else 'no'}\t{r['uncompressed_bytes']}\t{t.get('local_virtual_size_bytes', '')}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="build data/base-images.tsv from the repo-info cache")
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--truth", type=Path, help="layer-truth images.tsv to compare against")
    args = ap.parse_args(argv)
    try:
        rows = build_rows(args.cache)
    except CacheError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    write(rows, args.out)
    images = sorted({r["image"] for r in rows})
    print(f"{args.out}: {len(rows)} rows, {len({(r['image'], r['tag']) for r in rows})} tags, "
          f"{len(images)} images", file=sys.stderr)
    if args.truth:
        compare_truth(rows, args.truth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
