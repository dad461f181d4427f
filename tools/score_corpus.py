#!/usr/bin/env python3
"""Score `mlintern check` against the expectations written into tests/corpus.

Markers (comments in the corpus scripts):
  # expect: MLI102            a finding of MLI102 on this line
  # expect: MLI102, MLI105    several findings on this line
  # expect-next: MLI102       a finding on the next line of code
  # expect-file: MLD006 data/x.csv   a data finding in that file (path relative to the script)

A finding of a script matches a marker of the same code when the marker's line lies within the
finding's line range, or is the first line of the innermost statement that encloses the finding.
Each marker takes one finding; a data marker takes every finding of its code in its file.

Usage:
  python3 tools/score_corpus.py [SIDECAR] [--corpus DIR] [--json] [--findings FILE]
                                [--min-recall X] [--min-precision Y] [--self-test]
"""

import argparse
import ast
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import tokenize
from collections import defaultdict

MARKER = re.compile(r"#\s*expect(-next|-file)?\s*:\s*(.+)$")
CODE = re.compile(r"^ML[ID]\d{3}$")


class Marker:
    def __init__(self, code, path, line, kind, text):
        self.code = code
        self.path = path  # absolute, normalised
        self.line = line  # None for a data-file marker
        self.kind = kind  # "line" or "file"
        self.text = text
        self.matched = False


def norm(path):
    return os.path.normcase(os.path.realpath(path))


def comments(source):
    """(line, comment text) for every comment, using the tokenizer so strings are not mistaken."""
    out = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out.append((tok.start[0], tok.string))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        for number, line in enumerate(source.splitlines(), 1):
            if "#" in line:
                out.append((number, line[line.index("#"):]))
    return out


def next_code_line(lines, after):
    """The first line after `after` (1-based) that is neither blank nor only a comment."""
    for number in range(after + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return after + 1


def parse_markers(path, source):
    lines = source.splitlines()
    markers = []
    for line, text in comments(source):
        m = MARKER.search(text)
        if not m:
            continue
        kind, rest = m.group(1), m.group(2).strip()
        if kind == "-file":
            parts = rest.split(None, 1)
            if len(parts) != 2 or not CODE.match(parts[0]):
                raise SystemExit(f"{path}:{line}: malformed expect-file marker: {text}")
            target = norm(os.path.join(os.path.dirname(path), parts[1].strip()))
            markers.append(Marker(parts[0], target, None, "file", f"{os.path.relpath(path)}:{line}"))
            continue
        codes = [c for c in re.split(r"[\s,]+", rest) if c]
        for code in codes:
            if not CODE.match(code):
                raise SystemExit(f"{path}:{line}: malformed expect marker: {text}")
        target = next_code_line(lines, line) if kind == "-next" else line
        for code in codes:
            markers.append(Marker(code, norm(path), target, "line", lines[target - 1].strip() if target <= len(lines) else ""))
    return markers


def statement_spans(source):
    """(first line, last line) of every statement, or [] when the file does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [(n.lineno, n.end_lineno or n.lineno) for n in ast.walk(tree) if isinstance(n, ast.stmt)]


def enclosing_statement_line(spans, line):
    """First line of the innermost statement whose lines contain `line`."""
    best = None
    for first, last in spans:
        if first <= line <= last and (best is None or first > best[0] or (first == best[0] and last < best[1])):
            best = (first, last)
    return best[0] if best else None


def match(findings, markers, spans_of):
    """Mark markers matched; return (true positives, false positives) as lists of (finding, marker)."""
    by_file = defaultdict(list)
    for m in markers:
        by_file[(m.path, m.code, m.kind)].append(m)
    tps, fps = [], []
    for f in sorted(findings, key=lambda f: (f["path"], f["line"], f.get("column", 0))):
        path = norm(f["path"])
        code = f["code"]
        if path.endswith(".py"):
            first, last = f["line"], f.get("end_line") or f["line"]
            stmt = enclosing_statement_line(spans_of(path), first)
            candidates = [m for m in by_file.get((path, code, "line"), [])
                          if first <= m.line <= last or m.line == stmt]
            free = [m for m in candidates if not m.matched]
            if free:
                free[0].matched = True
                tps.append((f, free[0]))
            else:
                fps.append((f, None))
        else:
            candidates = by_file.get((path, code, "file"), [])
            if candidates:
                if not candidates[0].matched:
                    tps.append((f, candidates[0]))
                candidates[0].matched = True
            else:
                fps.append((f, None))
    return tps, fps


def collect_markers(corpus):
    markers, sources = [], {}
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as fh:
                    source = fh.read()
                sources[norm(path)] = source
                markers.extend(parse_markers(path, source))
    return markers, sources


def run_sidecar(sidecar, corpus):
    proc = subprocess.run([sidecar, "check", corpus, "--format", "json"], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{sidecar} exited with {proc.returncode}:\n{proc.stderr}")
    return json.loads(proc.stdout or "[]")


def score(findings, markers, sources):
    cache = {}

    def spans_of(path):
        if path not in cache:
            cache[path] = statement_spans(sources.get(path, ""))
        return cache[path]

    tps, fps = match(findings, markers, spans_of)
    fns = [m for m in markers if not m.matched]
    rules = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "markers": 0})
    for m in markers:
        rules[m.code]["markers"] += 1
    for _, m in tps:
        rules[m.code]["tp"] += 1
    for f, _ in fps:
        rules[f["code"]]["fp"] += 1
    for m in fns:
        rules[m.code]["fn"] += 1

    def ratios(r):
        r["recall"] = r["tp"] / (r["tp"] + r["fn"]) if r["tp"] + r["fn"] else None
        r["precision"] = r["tp"] / (r["tp"] + r["fp"]) if r["tp"] + r["fp"] else None
        return r

    total = ratios({k: sum(r[k] for r in rules.values()) for k in ("tp", "fp", "fn", "markers")})
    return {
        "rules": {code: ratios(r) for code, r in sorted(rules.items())},
        "total": total,
        "false_positives": [
            {"path": os.path.relpath(f["path"]), "line": f["line"], "code": f["code"], "message": f.get("message", "")}
            for f, _ in fps],
        "false_negatives": [
            {"path": os.path.relpath(m.path), "line": m.line, "code": m.code, "message": m.text}
            for m in sorted(fns, key=lambda m: (m.path, m.line or 0, m.code))],
    }


def fmt(x):
    return "  -  " if x is None else f"{x:.3f}"


def print_report(result):
    print(f"{'rule':8} {'markers':>7} {'TP':>4} {'FP':>4} {'FN':>4} {'recall':>7} {'precision':>9}")
    for code, r in result["rules"].items():
        print(f"{code:8} {r['markers']:>7} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4} {fmt(r['recall']):>7} {fmt(r['precision']):>9}")
    t = result["total"]
    print(f"{'total':8} {t['markers']:>7} {t['tp']:>4} {t['fp']:>4} {t['fn']:>4} {fmt(t['recall']):>7} {fmt(t['precision']):>9}")
    print(f"\nfalse positives ({len(result['false_positives'])}):")
    for f in result["false_positives"]:
        print(f"  {f['path']}:{f['line']} {f['code']} {f['message']}")
    print(f"\nfalse negatives ({len(result['false_negatives'])}):")
    for m in result["false_negatives"]:
        where = f"{m['path']}:{m['line']}" if m["line"] else m["path"]
        print(f"  {where} {m['code']} {m['message']}")


def self_test():
    source = (
        "args = TrainingArguments(\n"          # 1
        "    output_dir='out',\n"                # 2
        "    fp16=True,\n"                       # 3
        ")  # expect: MLI503\n"                  # 4  (marker at the end of the statement)
        "# expect-next: MLI102, MLI105\n"        # 5
        "\n"                                     # 6
        "model = load(  # expect: MLI402\n"      # 7
        "    'x')\n"                             # 8
        "s = '# expect: MLI999'\n"               # 9  (a string, not a marker)
        "# expect-file: MLD006 data/t.csv\n"     # 10
        "y = 1  # expect: MLI303\n"              # 11
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "s.py")
        with open(path, "w") as fh:
            fh.write(source)
        markers = parse_markers(path, source)
        lines = sorted((m.code, m.line) for m in markers)
        assert lines == [("MLD006", None), ("MLI102", 7), ("MLI105", 7), ("MLI303", 11), ("MLI402", 7), ("MLI503", 4)], lines
        csv = os.path.join(tmp, "data", "t.csv")

        def finding(code, line, end_line=None, p=path):
            return {"code": code, "path": p, "line": line, "end_line": end_line or line, "message": "m"}

        findings = [
            finding("MLI503", 3),            # inside a statement whose first line is 1: not line 4
            finding("MLI102", 7, 8),         # range holds the marker
            finding("MLI105", 8),            # enclosing statement starts on 7
            finding("MLI402", 7), finding("MLI402", 7),  # the second is a duplicate
            finding("MLD006", 1, p=csv), finding("MLD006", 3, p=csv),
            finding("MLD005", 1, p=csv),
        ]
        result = score(findings, markers, {norm(path): source})
        r = result["rules"]
        assert (r["MLI503"]["tp"], r["MLI503"]["fn"], r["MLI503"]["fp"]) == (0, 1, 1), r["MLI503"]
        assert r["MLI102"]["tp"] == 1 and r["MLI105"]["tp"] == 1
        assert (r["MLI402"]["tp"], r["MLI402"]["fp"]) == (1, 1)
        assert (r["MLD006"]["tp"], r["MLD006"]["fp"]) == (1, 0)
        assert r["MLD005"]["fp"] == 1
        assert r["MLI303"]["fn"] == 1
        assert enclosing_statement_line(statement_spans("def f():\n    x = g(\n        1)\n"), 3) == 2
    print("self-test passed")


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description="Score mlintern check against tests/corpus")
    parser.add_argument("sidecar", nargs="?", default=os.path.join(here, "dist", "server", "mlintern"))
    parser.add_argument("--corpus", default=os.path.join(here, "tests", "corpus"))
    parser.add_argument("--findings", help="read findings from this JSON file instead of running the sidecar")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--min-recall", type=float)
    parser.add_argument("--min-precision", type=float)
    parser.add_argument("--self-test", action="store_true", help="test the marker matcher and exit")
    args = parser.parse_args()
    if args.self_test:
        self_test()
        return 0
    os.chdir(here)
    markers, sources = collect_markers(args.corpus)
    if args.findings:
        with open(args.findings) as fh:
            findings = json.load(fh)
    else:
        findings = run_sidecar(args.sidecar, args.corpus)
    result = score(findings, markers, sources)
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        print_report(result)
    t = result["total"]
    failed = False
    if args.min_recall is not None and (t["recall"] or 0.0) < args.min_recall:
        print(f"recall {fmt(t['recall'])} is under {args.min_recall}", file=sys.stderr)
        failed = True
    if args.min_precision is not None and (t["precision"] or 0.0) < args.min_precision:
        print(f"precision {fmt(t['precision'])} is under {args.min_precision}", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
