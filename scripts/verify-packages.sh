#!/usr/bin/env bash
# `yarn verify:packages`: proves the published packages install into someone else's Backstage app.
#
#   1. builds and packs every publishable package (yarn pack: dist entry points, workspace: ranges
#      replaced by versions);
#   2. generates a fresh app with @backstage/create-app in a temporary folder;
#   3. installs the tarballs there and adds exactly the lines README.md's "Add to your Backstage app"
#      lists (backend plugin, sandbox, frontend plugin, config);
#   4. type-checks that app and starts its backend;
#   5. signs in as a guest and reads the tutorial's Resource (elastic-cloud/example) through
#      /api/kratix, via a catalog entity linked to it.
# Exits non-zero when any step fails. Takes many minutes (a full app install); not part of CI's suite.
#
# Environment: CREATE_APP_VERSION (default latest), KEEP_VERIFY_DIR=1 keeps the temporary folder,
# VERIFY_PORT (default 7077) is the generated backend's port.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kratix-verify-XXXXXX")"
app="$work/app"
port="${VERIFY_PORT:-7077}"
backend_pid=""
started=$(date +%s)

step() { echo "verify-packages: [$(($(date +%s) - started))s] $*" >&2; }

cleanup() {
  local rc=$?
  # The backend runs in its own process group (setsid), so its watcher children stop with it.
  if [ -n "$backend_pid" ]; then kill -- "-$backend_pid" 2>/dev/null || true; fi
  if [ "${KEEP_VERIFY_DIR:-}" = "1" ] || [ $rc -ne 0 ]; then
    step "left $work for inspection"
  else
    rm -rf "$work"
  fi
  if [ $rc -eq 0 ]; then step "OK"; else step "FAILED (exit $rc)"; fi
}
trap cleanup EXIT

# This script may run under the repo's Yarn; the generated app must use its own.
for var in $(env | grep -oE '^(npm_[a-z_]+|BERRY_BIN_FOLDER|PROJECT_CWD|INIT_CWD|YARN_[A-Z_]+)=' | tr -d =); do
  [ "$var" = npm_config_nodedir ] || unset "$var"
done
repo_yarn() { (cd "$repo" && node "$repo/.yarn/releases/$(ls "$repo/.yarn/releases" | head -n 1)" "$@"); }
app_yarn() { (cd "$app" && node "$app/.yarn/releases/$(ls "$app/.yarn/releases" | head -n 1)" "$@"); }

packages=(
  plugins/kratix-common
  plugins/kratix-node
  plugins/kratix-backend
  plugins/kratix
  packages/kratix-sandbox
)

step "1/5 build and pack"
repo_yarn build:packages
mkdir -p "$work/tarballs"
for dir in "${packages[@]}"; do
  name=$(node -p "require('$repo/$dir/package.json').name")
  (cd "$repo/$dir" && node "$repo/.yarn/releases/$(ls "$repo/.yarn/releases" | head -n 1)" pack \
    --out "$work/tarballs/$(basename "$dir").tgz")
  # Listed to a file first: grep -q closing the pipe early would fail tar under pipefail.
  tar -tzf "$work/tarballs/$(basename "$dir").tgz" >"$work/tarballs/$(basename "$dir").list"
  grep -q '^package/dist/index.d.ts$' "$work/tarballs/$(basename "$dir").list" ||
    { echo "$name: the tarball has no dist/index.d.ts" >&2; exit 1; }
done
for folder in seed pipelines; do
  grep -q "^package/$folder/" "$work/tarballs/kratix-sandbox.list" ||
    { echo "@kratix-backstage/sandbox: the tarball has no $folder/" >&2; exit 1; }
done

step "2/5 create a fresh app (@backstage/create-app@${CREATE_APP_VERSION:-latest})"
mkdir -p "$app"
(cd "$work" && BACKSTAGE_APP_NAME=kratix-verify npx --yes \
  "@backstage/create-app@${CREATE_APP_VERSION:-latest}" --skip-install --path "$app")

step "3/5 install the tarballs and add the README's lines"
node "$repo/scripts/verify-packages/addToApp.js" "$app" "$work/tarballs"
app_yarn install
# The installed sandbox finds seed/ and pipelines/ in its own folder (the runner copies each pipeline
# to an executable file of its own, so the mode yarn pack gives them does not matter).
test -f "$app/node_modules/@kratix-backstage/sandbox/pipelines/elastic-pipeline" ||
  { echo "the installed sandbox has no pipelines/" >&2; exit 1; }

step "4/5 type-check the app and start its backend"
app_yarn tsc
(cd "$app/packages/backend" && exec setsid node "$app/.yarn/releases/$(ls "$app/.yarn/releases" | head -n 1)" \
  start) >"$work/backend.log" 2>&1 &
backend_pid=$!

step "5/5 read elastic-cloud/example through /api/kratix as a guest"
node "$repo/scripts/verify-packages/readResource.js" "http://127.0.0.1:$port" "$work/backend.log"
step "done in $(($(date +%s) - started))s"
