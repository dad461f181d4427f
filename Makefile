# The two commands of the README:
#   make demo   builds everything, writes the sample project and runs ML Intern on it
#   make test   runs every test: .NET (unit, protocol, CLI, parser differential + fuzz),
#               extension unit tests, and end-to-end in a real VS Code (code-server + Chromium)
# `make package` builds the .vsix; `make bench` prints the benchmarks.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
SIDECAR := dist/server/mlintern
SAMPLE := sample

.PHONY: demo build build-dotnet build-extension test test-dotnet test-extension package bench clean

demo: build
	@rm -rf $(SAMPLE)
	$(SIDECAR) sample $(SAMPLE)
	@echo
	@echo '== mlintern check $(SAMPLE) =='
	@cd $(SAMPLE) && { ../$(SIDECAR) check . || [ $$? -eq 1 ]; }
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

test: test-dotnet test-extension

test-dotnet:
	dotnet test MLIntern.sln -c Release --nologo

test-extension: node_modules
	npm run --silent typecheck
	npm run --silent test:unit
	npm run --silent test:e2e

package: node_modules
	npm run --silent package

# Peers run in the same bench: pyright's language server (npm) for the LSP figures.
bench: build
	@mkdir -p .bench && cd .bench && [ -f package.json ] || echo '{"private":true}' > package.json
	@cd .bench && [ -d node_modules/pyright ] || npm install --no-package-lock --no-audit --no-fund pyright@1.1.414
	@rm -rf .bench/sample && $(SIDECAR) sample .bench/sample >/dev/null
	dotnet run -c Release --project bench/LspBench -- .bench/sample \
	  "mlintern=$(CURDIR)/$(SIDECAR) serve --log-level warn" \
	  "pyright=node $(CURDIR)/.bench/node_modules/pyright/langserver.index.js --stdio"
	bench/check_corpus.sh $(SIDECAR)

clean:
	rm -rf dist out $(SAMPLE) *.vsix
	dotnet clean MLIntern.sln --nologo -v q
