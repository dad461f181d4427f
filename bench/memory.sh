#!/usr/bin/env bash
# Benchmark (prints, asserts nothing): peak memory and wall time of `mlintern check` on one huge
# generated training script (bench/huge_script.py: torch + transformers, functions, classes,
# loops, names reassigned ~200,000 times at 1M lines) at 100k, 300k and 1M lines, beside, on the
# same file in the same run, CPython 3.13 doing only `ast.parse` and Ruff's WebAssembly build
# (bench/ruff_wasm_check.cjs; in .bench/ after `make bench`, skipped when absent).
# Peak memory is the kernel's maximum resident set size from /usr/bin/time -v.
# Usage: bench/memory.sh [SIDECAR] [LINES...]     (default: dist/server/mlintern 100000 300000 1000000)
# ruff-wasm runs up to RUFF_MAX_LINES lines (default 300000: at 1M lines it takes minutes and ~4 GB).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sidecar="${1:-$root/dist/server/mlintern}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 300000 1000000)
py313="$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13 | head -1)"
ruff="$root/.bench/node_modules/@astral-sh/ruff-wasm-nodejs"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Runs a command under /usr/bin/time -v and prints "<peak MB> MB, <wall> s".
measure() {
  local log="$work/time.log"
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
  awk -F': ' '/Maximum resident set size/ {kb=$2} /Elapsed \(wall clock\)/ {w=$2}
    END {n=split(w, p, ":"); s=0; for (i=1; i<=n; i++) s=s*60+p[i]; printf "%7.0f MB %7.2f s", kb/1024, s}' "$log"
}

printf '%-9s %-8s | %-22s | %-22s | %-22s\n' lines MB "mlintern check" "CPython ast.parse" "ruff-wasm check"
for n in "${sizes[@]}"; do
  file="$work/huge_$n.py"
  python3 "$root/bench/huge_script.py" "$n" "$file"
  mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN {printf "%.1f", b/1048576}')
  ours=$(measure "$sidecar" check "$file")
  cpython=$(measure "$py313" -c "import ast,sys; ast.parse(open(sys.argv[1]).read())" "$file")
  if [ -d "$ruff" ] && [ "$n" -le "${RUFF_MAX_LINES:-300000}" ]; then
    mkdir -p "$work/ruff_$n" && cp "$file" "$work/ruff_$n/"
    peer=$(measure node "$root/bench/ruff_wasm_check.cjs" "$work/ruff_$n" "$ruff")
    rm -rf "$work/ruff_$n"
  elif [ -d "$ruff" ]; then
    peer="skipped (RUFF_MAX_LINES)"
  else
    peer="not installed"
  fi
  printf '%-9s %-8s | %-22s | %-22s | %-22s\n' "$n" "$mb" "$ours" "$cpython" "$peer"
  rm -f "$file"
done
