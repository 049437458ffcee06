# verdict/go: Go 1.19 from Debian bookworm.
FROM verdict/runtime-base:latest
USER root
# Debian ships the standard library precompiled, but for CGO_ENABLED=1; with the CGO_ENABLED=0
# that submissions are built with, net, os/user, crypto/x509 and their importers are stale and a
# first `go build` would compile them into a GOCACHE that starts empty in every sandbox (a tmpfs).
# Reinstalling std with CGO_ENABLED=0 (in the same layer, so the .a files are not stored twice)
# makes every std package up to date for that configuration.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends golang-go \
 && rm -rf /var/lib/apt/lists/* \
 && export CGO_ENABLED=0 GO111MODULE=off HOME=/tmp GOCACHE=/tmp/go-build-cache \
 && go install std \
 && stale="$(go list -f '{{if .Stale}}{{.ImportPath}}{{end}}' std)" \
 && if [ -n "$stale" ]; then echo "still stale: $stale" >&2; exit 1; fi \
 && rm -rf /tmp/go-build-cache
# Defaults for a shell in the image; a RUN gets exactly the environment the worker sends.
ENV CGO_ENABLED=0 GOCACHE=/tmp/go-cache GOPATH=/tmp/go GO111MODULE=off GOPROXY=off
LABEL org.verdict.language="go"
USER 10001:10001
