# Shared first half of scripts/start and scripts/test: make a fresh Debian/Ubuntu machine that has
# only Node 20+ ready to run the workspace. Sourced, not executed. Everything after this is
# TypeScript under infra/src (run with tsx).

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"

# No telemetry calls from turbo or Prisma (the machines reach only the package registries).
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"; fi
}

require_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20.19 or newer is required (https://nodejs.org)"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || die "Node.js 20.19 or newer is required; this is $(node --version)"
}

# pnpm at exactly the version in package.json "packageManager" (corepack cannot fetch it here).
ensure_pnpm() {
  local wanted
  wanted="$(node -p 'require("./package.json").packageManager.replace(/^pnpm@/, "").split("+")[0]')"
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$wanted" ]; then return; fi
  say "installing pnpm@$wanted (npm i -g)"
  if [ -w "$(npm prefix -g)/lib" ] || [ "$(id -u)" -eq 0 ]; then npm i -g "pnpm@$wanted" >/dev/null
  else as_root npm i -g "pnpm@$wanted" >/dev/null; fi
  # npm's global bin goes first, ahead of any other pnpm on PATH.
  PATH="$(npm prefix -g)/bin:$PATH"; export PATH
  hash -r
  [ "$(pnpm --version)" = "$wanted" ] || die "pnpm $wanted was installed but $(command -v pnpm) reports $(pnpm --version)"
}

install_dependencies() {
  if [ -f pnpm-lock.yaml ]; then
    say "pnpm install --frozen-lockfile"
    pnpm install --frozen-lockfile --prefer-offline
  else
    say "no pnpm-lock.yaml: pnpm install"
    pnpm install
  fi
  # The root package's postinstall has generated the Prisma client.
}

# Redis comes from Debian's packages (no npm package ships a server); skipped when REDIS_URL is set.
ensure_redis_server() {
  if [ -n "${REDIS_URL:-}" ] || command -v redis-server >/dev/null 2>&1; then return; fi
  command -v apt-get >/dev/null 2>&1 || die "redis-server is not installed: install Redis 7, or set REDIS_URL"
  say "installing redis-server (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
}

# scripts/test runs the database tests a second time through PgBouncer in transaction pooling mode
# (Debian's package; no npm package ships it). Debian installs it in /usr/sbin.
ensure_pgbouncer() {
  if command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ]; then return; fi
  command -v apt-get >/dev/null 2>&1 || die "pgbouncer is not installed: install PgBouncer (Debian package pgbouncer)"
  say "installing pgbouncer (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
}

# The console's browser tests drive Debian's Chromium (playwright-core cannot download a browser
# here); only scripts/test needs it. Skipped when CHROMIUM_PATH names another build.
ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ]; then return; fi
  command -v apt-get >/dev/null 2>&1 || die "chromium is not installed: install Chromium, or set CHROMIUM_PATH"
  say "installing chromium (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

bootstrap() {
  require_node
  ensure_pnpm
  install_dependencies
  ensure_redis_server
}

# Runs a TypeScript entry point of infra/ in this process (exec: signals go straight to it).
# --conditions=development makes workspace packages resolve to their sources, as in dev and jest.
run_infra() {
  local entry="$1"; shift
  exec node --conditions=development --import tsx "infra/src/cli/$entry.ts" "$@"
}
