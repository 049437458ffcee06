# verdict/java: OpenJDK 17 (javac and java) from Debian bookworm.
FROM verdict/runtime-base:latest
USER root
# openjdk's postinst links its man pages into /usr/share/man/man1, which the official slim image
# does not have (its dpkg excludes man pages), and fails without it. The JDK's jmods (75 MB) serve
# only jlink, which a judge never runs. The package already brings the class-data sharing archive
# (lib/server/classes.jsa) that makes every javac and java start map the JDK's classes.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && rm -rf /usr/lib/jvm/java-17-openjdk-amd64/jmods
LABEL org.verdict.language="java"
USER 10001:10001
