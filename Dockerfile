# The portal as a container: a thin wrapper around the folder `pnpm build` makes (dist/: the
# bundled server, the built H5, the migrations, production node_modules), which the build test
# runs with plain node. Build that folder first, then the image:
#   pnpm build && docker build -t wecom-portal .
# Configuration comes from the environment (.env.example lists every variable).
FROM node:20-slim
WORKDIR /app
COPY dist/ /app/
# PGlite's directory when DATABASE_URL is not set; the image's own `node` user owns it.
ENV PORT=3000 DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# /healthz: the process is alive (load balancers should use /readyz). The slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
