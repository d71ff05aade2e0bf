#!/usr/bin/env bash
# Runs this example the way a user gets it (issue #12): the SDK packages installed with plain npm
# from their packed tarballs (not from the workspace), into a copy of this project outside the
# repository, then the project's own scripts: build (tsc, CommonJS), `npm test` (Jest + ts-jest,
# the unit test against the sandbox) and `npm run test:e2e` (supertest, the notification route).
#
#   bash examples/nestjs-app/run-from-tarballs.sh            builds and packs the workspace first
#   MMSP_TARBALLS=.ci-work/tarballs bash examples/...        uses tarballs packed already
#   KEEP=1 bash examples/...                                 keeps the temporary project
# Needs the npm registry (Nest, Jest...). Exit status: that of the first failing step.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

tarballs=${MMSP_TARBALLS:-}
if [ -z "$tarballs" ]; then
  (cd "$root" && pnpm build --output-logs=errors-only && node scripts/pack-all.mjs)
  tarballs=$root/.ci-work/tarballs
fi
tarballs=$(cd "$tarballs" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/mmsp-nestjs-app.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "project kept in $work"; fi
cp -R "$here/package.json" "$here/tsconfig.json" "$here/tsconfig.build.json" "$here/nest-cli.json" "$here/src" "$here/test" "$work/"
cd "$work"

# The project's own dependencies from the registry, the @mmsp packages from the tarballs (named
# explicitly, so npm takes them instead of the package.json ranges).
mmsp=()
for name in codec client http-node nestjs-module sandbox; do
  file=$(ls "$tarballs"/mmsp-"$name"-*.tgz)
  mmsp+=("$file")
done
echo "+ npm install ${mmsp[*]##*/}"
npm install --no-audit --no-fund --loglevel=error "${mmsp[@]}"
for name in codec client http-node nestjs-module sandbox; do
  resolved=$(node -p "require('./package-lock.json').packages['node_modules/@mmsp/$name'].resolved")
  case "$resolved" in file:*) ;; *) echo "@mmsp/$name came from $resolved, not from a tarball"; exit 1 ;; esac
done

echo "+ npm run build"; npm run build
echo "+ npm test"; npm test
echo "+ npm run test:e2e"; npm run test:e2e
echo "nestjs-app: OK from the tarballs in $tarballs"
