# syntax=docker/dockerfile:1
# One recipe for every app. APP names a folder of apps/ (gateway, orchestrator, memory, sms, admin-api, console):
#   docker build --build-arg APP=gateway -t neurosphere/gateway .
# The memory worker is the memory image run with `node dist/worker.js`; migrations run from any app
# image with `node node_modules/@neurosphere/db/dist/cli/migrate.js` (see docker-compose.yml and
# infra/k8s). Node 24 LTS is the production runtime.

ARG NODE_IMAGE=node:24-bookworm-slim

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

# --- the workspace installed offline (its postinstall generates the Prisma client), then the
#     production build: the same command infra's production-build test runs without Docker. It
#     refuses an APP that is not a folder of apps/ and writes /artifacts/${APP}: compiled JavaScript
#     and production dependencies only.
FROM fetch AS build
ARG APP
COPY . .
RUN pnpm install --frozen-lockfile --offline
RUN node --import tsx infra/src/cli/build-artifacts.ts --app "${APP}" --out /artifacts

# --- runtime: no compilers, no dev dependencies, not root
FROM ${NODE_IMAGE} AS runtime
ARG APP
# HOST: inside a container the apps listen on every interface (outside one they default to loopback).
ENV NODE_ENV=production APP=${APP} HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /artifacts/${APP} /app
USER node
# Each app listens on PORT (its default is its place in the port plan: infra/src/stack/service-catalog.ts)
# and answers GET /healthz and /readyz; the health checks live in docker-compose.yml and infra/k8s
# because the memory worker runs from the same image without an HTTP server. --no-memory-reducer as
# in each app's `start` script: V8's memory reducer runs full collections whenever a server gets
# quieter, which callers hear as pauses (docs/benchmarks.md).
CMD ["node", "--no-memory-reducer", "dist/main.js"]
