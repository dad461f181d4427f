#!/usr/bin/env bash
# Debian packages the .NET tests use as oracles, installed when missing (idempotent):
# python3-sklearn (the evaluation metrics are checked against scikit-learn's on the same
# predictions), python3-yaml (model card metadata round-trips through PyYAML), neovim and
# emacs-nox + elpa-eglot (the other real editors: NeovimClientTests and EglotClientTests drive the
# sidecar with neovim's built-in LSP client and with Emacs's eglot).
set -euo pipefail
missing=()
/usr/bin/python3 -c 'import sklearn' 2>/dev/null || missing+=(python3-sklearn)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
command -v emacs >/dev/null 2>&1 || missing+=(emacs-nox)
dpkg -s elpa-eglot >/dev/null 2>&1 || missing+=(elpa-eglot)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "test-deps: need root to install: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
  exit 2
fi
echo "test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
