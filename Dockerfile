# The Framefill backend on Node (any container platform: Fly.io, Render, Cloud Run, ECS, k8s).
#   docker build -t framefill-backend .
#   docker run -p 8787:8787 -e OPENAI_API_KEY=… -e FRAMEFILL_TOKENS=… framefill-backend

# Build: bundle the backend (esbuild; npm packages stay external).
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build-backend.mjs node

# Run: production dependencies and the bundle only.
FROM node:20-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8787
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/server ./dist/server
USER node
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8787) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself: in-flight streams get 10 s to finish.
# --initial-old-space-size: NODE_FLAGS in scripts/build-backend.mjs says why.
CMD ["node", "--initial-old-space-size=64", "dist/server/node.mjs"]
