# verdict/runtime-base: debian:bookworm-slim + verdict-harness as the entrypoint,
# running as the unprivileged judge user. Every language image builds FROM it.
# Build context: libs/sandbox/harness (only the harness source, nothing else).

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc libc6-dev make \
 && rm -rf /var/lib/apt/lists/*
# The sources only: a host build's objects or binary in the context must not be taken as up to date.
COPY Makefile *.h *.c /src/
# Static (the Makefile's LDFLAGS), so the harness depends on nothing in the language images built on top.
RUN make -C /src \
 && install -m 0755 /src/verdict-harness /usr/local/bin/verdict-harness \
 && strip /usr/local/bin/verdict-harness

FROM debian:bookworm-slim
COPY --from=build /usr/local/bin/verdict-harness /usr/local/bin/verdict-harness
# No home directory: the root filesystem is read-only at run time and /tmp is the only writable place besides /work.
RUN groupadd --gid 10001 judge \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin judge \
 && mkdir -p /work && chmod 1777 /work
# 1777 matters beyond this image: dockerd 20.10 gives a tmpfs mounted on /work the mode of the
# image's /work, whatever its mode= option says, so a 0755 root-owned /work would be unwritable.
ENV HOME=/tmp LANG=C.UTF-8
WORKDIR /work
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/verdict-harness"]
