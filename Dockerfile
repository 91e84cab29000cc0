# misuse-graph: the GraphQL service, built and run on Node.js 22 (LTS).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts wait for the sources: the build runs below, once they are copied.
RUN npm ci --ignore-scripts
COPY tsconfig.json README.md ./
# The pages bundle the README and docs/ (their links and the playground's example queries).
COPY docs ./docs
COPY scripts ./scripts
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY data ./data
COPY LICENSE CITATION.cff ./
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:4000/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# The heap limit keeps the process within its documented memory ceiling (bench/README.md).
CMD ["node", "--max-old-space-size=512", "dist/src/main.js"]
