#!/usr/bin/env bash
# Every test on a fresh Debian machine that has only Node and npm (`npm run test:fresh`; CI
# runs it through .ci/run). Installs the Debian packages the tests use when they are missing,
# installs the npm dependencies when node_modules is missing or older than the lock file
# (always under CI), then runs `npm test`.
#
# The Debian packages and why:
#   chromium       the e2e tests drive /usr/bin/chromium (WebGPU on SwiftShader without a GPU);
#                  it also ships the SwiftShader Vulkan driver the Node WebGPU tests use
#   libvulkan1     libvulkan.so.1, the Vulkan loader Dawn (npm package webgpu) opens in Node
#   python3-torch  the exported PyTorch scripts run on Debian's /usr/bin/python3
#   python3-numpy  the exported JAX scripts are tested against a stand-in jax built on NumPy
# Without recommends: they would add build tools and libtorch-dev to python3-torch, and
# Mesa's Vulkan drivers (lavapipe, which Dawn refuses) to libvulkan1.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive

# Whether the dynamic linker finds a library (ldconfig lives in /sbin, often off a user's PATH).
has_library() { PATH="$PATH:/sbin:/usr/sbin" ldconfig -p 2>/dev/null | grep -q "$1 "; }

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
has_library libvulkan.so.1 || missing+=(libvulkan1)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || missing+=(python3-numpy)

if ((${#missing[@]})); then
  echo "test-fresh: installing Debian packages: ${missing[*]}"
  if ! command -v apt-get >/dev/null; then
    echo "test-fresh: no apt-get here; install ${missing[*]} (Debian names) by hand" >&2
    exit 1
  fi
  # Root runs apt-get itself; anyone else needs password-less sudo (-n never prompts, so a
  # run without a terminal fails with sudo's message instead of hanging).
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
      echo "test-fresh: not root and no sudo; as root: apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
    sudo=(sudo -n)
  fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

echo "test-fresh: node $(node --version), npm $(npm --version), $(/usr/bin/chromium --version 2>/dev/null)"
if [[ -n "${CI:-}" || ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm test
