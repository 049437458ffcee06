# verdict/cpp: GCC 12 (g++ and gcc) from Debian bookworm.
FROM verdict/runtime-base:latest
USER root
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends g++ gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
LABEL org.verdict.language="cpp"
USER 10001:10001
