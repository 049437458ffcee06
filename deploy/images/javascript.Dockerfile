# verdict/javascript: Node.js 18 from Debian bookworm.
FROM verdict/runtime-base:latest
USER root
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
LABEL org.verdict.language="javascript"
USER 10001:10001
