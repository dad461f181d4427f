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

The corpus is scored twice: as the scripts it holds, and as notebooks. For the second, a copy of
the corpus is made in a temporary folder (data, settings and the scripts themselves stay, so
imports and data paths resolve as before) with an .ipynb beside every script: `# %%` cells
become cells (`# %% [markdown]` ones markdown, Jupytext's commented magics `# !pip` / `# %time`
magics again), any other script is split at the blank lines between its top-level statements.
`check --format json` runs on the copy; each notebook finding (cell, line in the cell) is mapped
back to its script line and scored against the same markers. The thresholds gate both figures.

Usage:
  python3 tools/score_corpus.py [SIDECAR] [--corpus DIR] [--json] [--findings FILE]
                                [--min-recall X] [--min-precision Y] [--no-notebooks] [--self-test]
"""

import argparse
import ast
import io
import json
import os
import re
import shutil
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


PERCENT = re.compile(r"^# %%(.*)$")
COMMENTED_MAGIC = re.compile(r"^# ?([!%][A-Za-z].*)$")


class NotebookCell:
    def __init__(self, kind, lines, first):
        self.kind = kind    # "code" or "markdown"
        self.lines = lines  # the cell's lines, without line breaks
        self.first = first  # the script line of lines[0] (1-based); None when the cell has no lines


def _trim(lines, first):
    """Leading and trailing blank lines dropped, as Jupytext writes a cell; first moves with them."""
    while lines and not lines[0].strip():
        lines, first = lines[1:], first + 1
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines, first


def percent_cells(lines):
    """The cells of a `# %%` script: each marker starts one; a markdown cell's `# ` comments are its text."""
    cells, kind, start = [], "code", 1
    body = []

    def close():
        cell_lines, first = _trim(body, start)
        if not cell_lines:
            return
        if kind == "markdown":
            cell_lines = [re.sub(r"^# ?", "", l) for l in cell_lines]
        else:
            # Jupytext comments out magics in a script; in the notebook they are magics again.
            cell_lines = [COMMENTED_MAGIC.sub(r"\1", l) for l in cell_lines]
        cells.append(NotebookCell(kind, cell_lines, first))

    for number, line in enumerate(lines, 1):
        m = PERCENT.match(line)
        if m:
            close()
            kind = "markdown" if "[markdown]" in m.group(1) else "code"
            body, start = [], number + 1
        else:
            body.append(line)
    close()
    return cells


def statement_cells(source, lines):
    """Code cells at the blank lines between top-level statements (a markdown cell before each); one cell when it does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [NotebookCell("code", lines, 1)]
    covered = set()
    for node in tree.body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        covered.update(range(first, (node.end_lineno or node.lineno) + 1))
    cells, chunk, start = [], [], None
    for number, line in enumerate(lines + [""], 1):
        if number > len(lines) or (not line.strip() and number not in covered):
            if chunk:
                cells.append(NotebookCell("markdown", [f"Part {len(cells) // 2 + 1}"], None))
                cells.append(NotebookCell("code", chunk, start))
            chunk, start = [], None
        else:
            if start is None:
                start = number
            chunk.append(line)
    return cells


def notebook_cells(source):
    lines = source.splitlines()
    if any(PERCENT.match(l) for l in lines):
        return percent_cells(lines)
    return statement_cells(source, lines)


def notebook_json(cells):
    """nbformat 4 as Jupyter writes it: sources as lists of lines, each with its "\\n" but the last."""
    out = []
    for n, cell in enumerate(cells, 1):
        source = [l + "\n" for l in cell.lines]
        if source:
            source[-1] = source[-1][:-1]
        entry = {"cell_type": cell.kind, "id": f"c{n}", "metadata": {}, "source": source}
        if cell.kind == "code":
            entry.update({"execution_count": None, "outputs": []})
        out.append(entry)
    notebook = {
        "cells": out,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def cell_line_map(cells):
    """{1-based cell index: script line of the cell's first line} for the code cells."""
    return {n: c.first for n, c in enumerate(cells, 1) if c.kind == "code" and c.first is not None}


def map_notebook_finding(f, starts):
    """A notebook finding at (cell, line in cell) as a finding of the script, at the script's line."""
    cell = f.get("cell")
    if cell is None or cell not in starts:
        return dict(f)
    shift = starts[cell] - 1
    mapped = dict(f)
    mapped["line"] = f["line"] + shift
    mapped["end_line"] = (f.get("end_line") or f["line"]) + shift
    mapped.pop("cell", None)
    return mapped


def run_notebooks(sidecar, corpus, sources):
    """Findings of the corpus checked as notebooks, mapped back to the scripts' paths and lines."""
    corpus = os.path.abspath(corpus)
    with tempfile.TemporaryDirectory(prefix="mlintern-nb-corpus-") as tmp:
        copy = os.path.join(tmp, "corpus")
        shutil.copytree(corpus, copy)
        notebooks = {}  # notebook path in the copy -> (script path in the corpus, cell starts)
        for path in sorted(sources):
            relative = os.path.relpath(path, norm(corpus))
            target = os.path.splitext(os.path.join(copy, relative))[0] + ".ipynb"
            cells = notebook_cells(sources[path])
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(notebook_json(cells))
            notebooks[norm(target)] = (path, cell_line_map(cells))
        proc = subprocess.run([os.path.abspath(sidecar), "check", "corpus", "--format", "json"], capture_output=True, text=True, cwd=tmp)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{sidecar} exited with {proc.returncode} on the notebooks:\n{proc.stderr}")
        findings = []
        for f in json.loads(proc.stdout or "[]"):
            path = norm(os.path.join(tmp, f["path"]))
            if path.endswith(".py"):
                continue  # the script itself, kept for imports: scored in the script figures
            if path in notebooks:
                script, starts = notebooks[path]
                mapped = map_notebook_finding(f, starts)
                mapped["path"] = script
            else:
                mapped = dict(f)
                mapped["path"] = os.path.join(corpus, os.path.relpath(path, norm(copy)))
            findings.append(mapped)
        return findings, len(notebooks)


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
    notebook_self_test()
    print("self-test passed")


def notebook_self_test():
    """The scripts' cells and the map from a notebook finding (cell, line) back to the script's line."""
    percent = (
        "# %% [markdown]\n"     # 1
        "# Title\n"             # 2
        "# %%\n"                # 3
        "# !pip install x\n"    # 4  a commented magic: a magic again
        "import os\n"           # 5
        "\n"                    # 6
        "# %%\n"                # 7
        "\n"                    # 8  leading blank dropped
        "x = os.sep  # expect: MLI999\n"  # 9
        "\n"                    # 10 trailing blank dropped
    )
    cells = notebook_cells(percent)
    got = [(c.kind, c.lines, c.first) for c in cells]
    assert got == [("markdown", ["Title"], 2), ("code", ["!pip install x", "import os"], 4), ("code", ["x = os.sep  # expect: MLI999"], 9)], got
    starts = cell_line_map(cells)
    assert starts == {2: 4, 3: 9}, starts
    f = map_notebook_finding({"code": "MLI999", "path": "n.ipynb", "cell": 3, "line": 1, "end_line": 1}, starts)
    assert (f["line"], f["end_line"], "cell" in f) == (9, 9, False), f
    f = map_notebook_finding({"code": "MLI999", "path": "n.ipynb", "cell": 2, "line": 2, "end_line": 3}, starts)
    assert (f["line"], f["end_line"]) == (5, 6), f
    unreadable = map_notebook_finding({"code": "MLI000", "path": "n.ipynb", "cell": None, "line": 7}, starts)
    assert unreadable["line"] == 7

    plain = (
        "import os\n"            # 1
        "\n"                     # 2  boundary
        "\n"                     # 3  boundary
        "@dec\n"                 # 4
        "def f():\n"             # 5
        "    x = 1\n"            # 6
        "\n"                     # 7  inside f: no boundary
        "    return '''a\n"      # 8
        "\n"                     # 9  inside a string
        "b'''\n"                 # 10
        "\n"                     # 11 boundary
        "y = f()\n"              # 12
    )
    cells = notebook_cells(plain)
    got = [(c.kind, c.first, len(c.lines)) for c in cells]
    assert got == [("markdown", None, 1), ("code", 1, 1), ("markdown", None, 1), ("code", 4, 7), ("markdown", None, 1), ("code", 12, 1)], got
    assert cell_line_map(cells) == {2: 1, 4: 4, 6: 12}
    nb = json.loads(notebook_json(cells))
    assert nb["nbformat"] == 4 and nb["cells"][3]["source"][0] == "@dec\n" and nb["cells"][3]["source"][-1] == "b'''"
    assert "".join(nb["cells"][3]["source"]) == "".join(plain.splitlines(True)[3:10])[:-1]
    broken = notebook_cells("x = (\n\ny = 2\n")
    assert [(c.kind, c.first, c.lines) for c in broken] == [("code", 1, ["x = (", "", "y = 2"])]



def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description="Score mlintern check against tests/corpus")
    parser.add_argument("sidecar", nargs="?", default=os.path.join(here, "dist", "server", "mlintern"))
    parser.add_argument("--corpus", default=os.path.join(here, "tests", "corpus"))
    parser.add_argument("--findings", help="read findings from this JSON file instead of running the sidecar")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--min-recall", type=float)
    parser.add_argument("--min-precision", type=float)
    parser.add_argument("--no-notebooks", action="store_true", help="score the scripts only, not the corpus as notebooks")
    parser.add_argument("--self-test", action="store_true", help="test the marker matcher and the notebook mapping, and exit")
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
    figures = [("scripts", result)]
    if args.findings or args.no_notebooks:
        if not args.json:
            print("(notebooks not scored: they need the sidecar run on the generated .ipynb files)" if args.findings else "(notebooks not scored)")
    else:
        notebook_findings, count = run_notebooks(args.sidecar, args.corpus, sources)
        for m in markers:
            m.matched = False
        figures.append((f"notebooks ({count} generated)", score(notebook_findings, markers, sources)))
    if args.json:
        out = dict(result)
        if len(figures) > 1:
            out["notebooks"] = figures[1][1]
        json.dump(out, sys.stdout, indent=2)
        print()
    else:
        for i, (name, r) in enumerate(figures):
            print(f"{'' if i == 0 else chr(10)}== {name} ==")
            print_report(r)
        if len(figures) > 1:
            print(f"\n{'':24} {'TP':>4} {'FP':>4} {'FN':>4} {'recall':>7} {'precision':>9}")
            for name, r in figures:
                t = r["total"]
                print(f"{name:24} {t['tp']:>4} {t['fp']:>4} {t['fn']:>4} {fmt(t['recall']):>7} {fmt(t['precision']):>9}")
    failed = False
    for name, r in figures:
        t = r["total"]
        if args.min_recall is not None and (t["recall"] or 0.0) < args.min_recall:
            print(f"{name}: recall {fmt(t['recall'])} is under {args.min_recall}", file=sys.stderr)
            failed = True
        if args.min_precision is not None and (t["precision"] or 0.0) < args.min_precision:
            print(f"{name}: precision {fmt(t['precision'])} is under {args.min_precision}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
