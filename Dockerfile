# The Caseload server, alone in an image built FROM scratch. No base image is
# pulled: build the static binary beside this file first (SQLite is pure Go,
# so no cgo is needed), then the image:
#
#   CGO_ENABLED=0 go build -trimpath -o caseload ./cmd/caseload
#   docker build -t caseload .
#
# `make image` does both. For another architecture, build the binary with
# GOARCH=arm64 and the image with --platform linux/arm64.
#
# What scratch lacks is carried by the binary (cmd/caseload/scratch.go: CA
# roots for PostgreSQL over TLS, the time zone database) or added from
# deploy/scratch (a user, a writable /data and /tmp). The health check is the
# binary itself (`caseload healthcheck`): there is no shell and no curl.
FROM scratch

COPY deploy/scratch/etc/ /etc/
COPY --chown=65532:65532 deploy/scratch/data/ /data/
COPY --chown=65532:65532 deploy/scratch/tmp/ /tmp/
COPY caseload /usr/local/bin/caseload

# Listen on every interface of the container, keep the SQLite file and the
# audit key file (made on first start when CASELOAD_AUDIT_KEY is empty) in
# the volume. Set CASELOAD_DATABASE_URL to a postgres:// URL for production,
# and CASELOAD_TOKEN_SECRET and CASELOAD_AUDIT_KEY from your secrets.
ENV CASELOAD_LISTEN=0.0.0.0:8080 \
    CASELOAD_DATABASE_URL=/data/caseload.db \
    CASELOAD_AUDIT_KEY_FILE=/data/caseload-audit.key

WORKDIR /data
VOLUME ["/data"]
USER 65532:65532
EXPOSE 8080

# /readyz: 200 once the database answers. The check follows CASELOAD_LISTEN,
# and its own 3-second limit stays under --timeout so that a hung server is
# reported as unhealthy rather than as a killed probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/usr/local/bin/caseload", "healthcheck"]

# Exec form: the server is PID 1 and gets SIGTERM itself, then finishes the
# requests in flight (up to 30 s) and exits 0.
ENTRYPOINT ["/usr/local/bin/caseload"]
CMD ["serve"]
