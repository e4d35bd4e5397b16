# The console as a container: `docker build -t membership-console .`
# One image, three commands (compose.yaml): the app (CMD), the outbox worker (node dist/worker.mjs)
# and the migrations (node dist/migrate.mjs). All plain JavaScript from `npm run build`: the
# standalone server with only the packages it uses, and the worker and migrations compiled by
# scripts/build-standalone.mjs. No dev dependency, no TypeScript at run time.
# e2e/deployment.spec.ts copies the same folder out of the repository and runs this CMD.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000
COPY --from=build --chown=node:node /app/.next/standalone ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
