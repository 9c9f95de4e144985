# syntax=docker/dockerfile:1
# One recipe for every app. APP names a folder of apps/ (gateway, orchestrator, memory, sms, admin-api):
#   docker build --build-arg APP=gateway -t neurosphere/gateway .
# The memory worker is the memory image run with `node dist/worker.js` (see docker-compose.yml).

ARG NODE_IMAGE=node:20-bookworm-slim

# --- pnpm at the version pinned in package.json "packageManager" (checked by infra/src/compose.test.ts)
FROM ${NODE_IMAGE} AS base
ARG PNPM_VERSION=10.34.8
ENV CI=true TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 CHECKPOINT_DISABLE=1
RUN npm install -g pnpm@${PNPM_VERSION} && pnpm --version
WORKDIR /repo

# --- every package from the lockfile alone: this layer stays cached until pnpm-lock.yaml changes
FROM base AS fetch
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch

# --- the whole workspace installed, Prisma client generated. The one-shot `migrate` service runs this
#     stage: migrations need the dev tooling (tsx) that the app images leave out.
FROM fetch AS workspace
COPY . .
RUN pnpm install --frozen-lockfile --offline \
 && pnpm --filter @neurosphere/db generate

# --- APP and the workspace packages it uses, compiled; then only their production dependencies
FROM workspace AS build
ARG APP
RUN if [ -z "${APP}" ] || [ ! -f "apps/${APP}/package.json" ]; then \
      echo "build arg APP must name a folder of apps/: $(ls apps | tr '\n' ' ')" >&2; exit 1; \
    fi
RUN pnpm turbo run build --filter="@neurosphere/${APP}..."
RUN find . -name node_modules -type d -prune -exec rm -rf {} + \
 && pnpm install --frozen-lockfile --offline --prod --filter="@neurosphere/${APP}..."

# --- runtime: no compilers, no dev dependencies, not root
FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production APP=${APP}
WORKDIR /repo
COPY --from=build --chown=node:node /repo /repo
USER node
WORKDIR /repo/apps/${APP}
# Each app listens on PORT (gateway 5000, orchestrator 8001, memory 8100, sms 3000, admin-api 8200)
# and answers GET /healthz and /readyz; the health checks live in docker-compose.yml because the
# memory worker runs from the same image without an HTTP server. --no-memory-reducer as in each
# app's `start` script: V8's memory reducer runs full collections whenever a server gets quieter,
# which callers hear as pauses (docs/benchmarks.md).
CMD ["node", "--no-memory-reducer", "dist/main.js"]
