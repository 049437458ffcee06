# verdict/rust: rustc 1.63 from Debian bookworm (no cargo: a submission is one file using std only).
FROM verdict/runtime-base:latest
USER root
# rustc links through cc, so gcc and libc6-dev come with it (rustc depends on them).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rustc \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
LABEL org.verdict.language="rust"
USER 10001:10001
