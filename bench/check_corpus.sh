#!/usr/bin/env bash
# Benchmark (prints, asserts nothing): `mlintern check` over the CPython 3.13 standard library
# plus the sample project's scripts, in MB/s, beside, in the same run and on the same files:
# Ruff's WebAssembly build (@astral-sh/ruff-wasm-nodejs, default rules, one thread; installed into
# .bench/ by `make bench`, skipped when absent) and CPython 3.13 doing only `ast.parse` (a floor
# for any Python checker written in Python). mlintern uses every core, ruff-wasm one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sidecar="${1:-$root/dist/server/mlintern}"
py313="$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13 | head -1)"
stdlib="$("$py313" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
cp -r "$stdlib" "$corpus/stdlib"
"$sidecar" sample "$corpus/sample" >/dev/null
bytes=$(find "$corpus" -name '*.py' -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$corpus" -name '*.py' | wc -l)
echo "corpus: $files .py files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1048576}') MB (CPython 3.13 stdlib + sample scripts)"

start=$(date +%s%N)
"$sidecar" check "$corpus" --format json >/dev/null || [ $? -eq 1 ]
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "mlintern check (all rules, whole process): ${ms} ms, $(awk -v b="$bytes" -v m="$ms" 'BEGIN {printf "%.1f", b/1048576/(m/1000)}') MB/s"

ruff="$root/.bench/node_modules/@astral-sh/ruff-wasm-nodejs"
if [ -d "$ruff" ]; then
  start=$(date +%s%N)
  node "$root/bench/ruff_wasm_check.cjs" "$corpus" "$ruff"
  ms_ruff=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "ruff-wasm (whole process, wasm load included): ${ms_ruff} ms, $(awk -v b="$bytes" -v m="$ms_ruff" 'BEGIN {printf "%.1f", b/1048576/(m/1000)}') MB/s"
  echo "mlintern / ruff-wasm, whole process: $(awk -v a="$ms" -v r="$ms_ruff" 'BEGIN {printf "%.2f", r/a}')x the MB/s"
else
  echo "ruff-wasm: not installed (make bench installs it into .bench/)"
fi

start=$(date +%s%N)
"$py313" - "$corpus" <<'PY'
import ast, pathlib, sys, warnings
warnings.simplefilter("ignore")
for p in pathlib.Path(sys.argv[1]).rglob("*.py"):
    try:
        ast.parse(p.read_bytes())
    except (SyntaxError, ValueError):
        pass
PY
ms2=$(( ($(date +%s%N) - start) / 1000000 ))
echo "CPython 3.13 ast.parse only (whole process): ${ms2} ms, $(awk -v b="$bytes" -v m="$ms2" 'BEGIN {printf "%.1f", b/1048576/(m/1000)}') MB/s"
