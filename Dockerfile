# One image for all five processes (gateway, tenant-, rbac-, session- and
# reporting-service); the command picks the process:
#
#   node apps/gateway/dist/main.js                 (the default CMD)
#   node apps/<x>-service/dist/main.js             a subgraph service (it migrates its database at start)
#   node apps/<x>-service/dist/migrate.js          only the migrations
#   node docker/keys.cjs                           create the keys (the `keys` one-shot of docker-compose.yml)
#
# docker-compose.yml runs the whole system from this image. Only classic
# Dockerfile features are used (no RUN --mount, COPY --parents or heredocs), so
# both BuildKit and the legacy builder of docker-compose v1 can build it.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------
# manifests: the root and workspace package.json files and the lockfile, so
# that the dependency layers are rebuilt only when those change. npm needs each
# workspace folder with its package.json to link it into node_modules.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/auth/package.json libs/auth/
COPY libs/domain/package.json libs/domain/
COPY libs/events/package.json libs/events/
COPY libs/metrics/package.json libs/metrics/
COPY libs/service-kit/package.json libs/service-kit/
COPY libs/tracing/package.json libs/tracing/
COPY apps/gateway/package.json apps/gateway/
COPY apps/admin-console/package.json apps/admin-console/
COPY apps/tenant-service/package.json apps/tenant-service/
COPY apps/rbac-service/package.json apps/rbac-service/
COPY apps/session-service/package.json apps/session-service/
COPY apps/reporting-service/package.json apps/reporting-service/

# ---------------------------------------------------------------------------
# builder: every dependency (TypeScript, Nx, ...), then the build of all
# libraries and apps (libraries first, Nx orders them).
FROM manifests AS builder
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    NX_TUI=false \
    NX_SKIP_NX_CACHE=true
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build --outputStyle=static

# ---------------------------------------------------------------------------
# prod-deps: production dependencies only. The workspace packages
# (@remote-help/*) are still linked: node_modules/@remote-help/<x> is a
# relative symlink to ../../libs/<x> or ../../apps/<x>, which the runtime stage
# fills with the built dist folders.
FROM manifests AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---------------------------------------------------------------------------
# runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    RH_DATA_DIR=/data
WORKDIR /app

# package.json files, lockfile and node_modules (symlinks preserved).
COPY --from=prod-deps /app/ ./

COPY --from=builder /app/libs/auth/dist/ libs/auth/dist/
COPY --from=builder /app/libs/domain/dist/ libs/domain/dist/
COPY --from=builder /app/libs/events/dist/ libs/events/dist/
COPY --from=builder /app/libs/metrics/dist/ libs/metrics/dist/
COPY --from=builder /app/libs/service-kit/dist/ libs/service-kit/dist/
COPY --from=builder /app/libs/tracing/dist/ libs/tracing/dist/
COPY --from=builder /app/apps/gateway/dist/ apps/gateway/dist/
# The admin console's static files, which the gateway serves at /.
COPY --from=builder /app/apps/admin-console/dist/ apps/admin-console/dist/
COPY --from=builder /app/apps/tenant-service/dist/ apps/tenant-service/dist/
COPY --from=builder /app/apps/rbac-service/dist/ apps/rbac-service/dist/
COPY --from=builder /app/apps/session-service/dist/ apps/session-service/dist/
COPY --from=builder /app/apps/reporting-service/dist/ apps/reporting-service/dist/
COPY apps/gateway/supergraph.graphql apps/gateway/supergraph.graphql
# The `keys` one-shot of docker-compose.yml, and the project CLI (for
# `docker compose exec gateway node scripts/rh.mjs token ...`).
COPY docker/keys.cjs docker/keys.cjs
COPY scripts/rh.mjs scripts/rh.mjs

# The application files stay owned by root (read-only for the app user). Only
# the key folders belong to `node`: a named volume mounted on one of them
# starts out with this owner and mode, so the non-root `keys` one-shot can
# write to it. Both hold private keys, hence 0700.
# The package managers of the base image go too: the image runs node only, and
# holds the production dependencies installed above and nothing else.
RUN mkdir -p /data/keys /data/service-keys \
 && chown -R node:node /data \
 && chmod 0700 /data/keys /data/service-keys \
 && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*

# The base image's `node` user, by number (1000:1000), so that Kubernetes can
# check runAsNonRoot without a runAsUser of its own. Nothing needs to write
# below /app: the processes run with a read-only root file system (the Helm
# chart and docker-compose.yml mount a tmpfs on /tmp).
USER 1000:1000
EXPOSE 4000 4001 4002 4003 4004
CMD ["node", "apps/gateway/dist/main.js"]
