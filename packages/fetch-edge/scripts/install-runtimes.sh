#!/usr/bin/env bash
# Installs the real edge runtimes the *.ci.test.ts files of @mmsp/fetch-edge run on.
# deno and bun come from the npm registry with plain npm into an ignored folder: pnpm 12 treats
# `deno`/`bun` as runtimes to download from GitHub, which CI cannot reach. workerd is already a
# devDependency of this package (node_modules/.bin/workerd) and needs nothing here.
#
# Usage: packages/fetch-edge/scripts/install-runtimes.sh [DIR]
#   DIR defaults to packages/fetch-edge/.runtimes (git-ignored); the tests read
#   MMSP_RUNTIMES_DIR when it is set, else that default.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${1:-${MMSP_RUNTIMES_DIR:-$here/.runtimes}}"
mkdir -p "$DIR"
# deno@2 and bun@1 ship their platform binary as an optional dependency (@deno/linux-x64,
# @oven/bun-linux-x64...), so they work even where npm leaves their postinstall scripts unrun.
npm install --prefix "$DIR" --no-audit --no-fund --no-save deno@2 bun@1
"$DIR/node_modules/.bin/deno" --version | head -1
"$DIR/node_modules/.bin/bun" --version
"$here/node_modules/.bin/workerd" --version
echo "runtimes installed in $DIR"
