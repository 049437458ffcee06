# verdict/python: CPython 3.11 from Debian bookworm.
FROM verdict/runtime-base:latest
USER root
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/*
LABEL org.verdict.language="python"
USER 10001:10001
