# jchat: the chat server and its terminal client in one image.
#
#   docker build -t jchat .
#   docker run -d -p 5200:5200 -v jchat-data:/data --name chat jchat         # server on 5200
#   docker run --rm -it jchat client 5200 --host HOST                       # terminal client
#
# The database lives in /data (a volume). See docs/operations.md.
# Works with BuildKit and the classic builder alike: no RUN --mount, no COPY --chmod.

# ---- build: compile and shade the CLI jar -----------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build

# The POMs alone first, so that the dependency download is a cached layer that only a POM
# change invalidates. Every module's POM is needed: the parent lists them all.
COPY pom.xml ./
COPY chat-core/pom.xml chat-core/
COPY chat-cli/pom.xml chat-cli/
COPY benchmarks/pom.xml benchmarks/
RUN mvn -B -q -DskipTests -pl chat-cli -am package

COPY chat-core/src chat-core/src
COPY chat-cli/src chat-cli/src
# Tests run in CI (mvn -B verify), not in the image build.
RUN mvn -B -q -DskipTests -pl chat-cli -am package

# ---- runtime: a JRE, the jar, a non-root user --------------------------------------------
# Ubuntu-based (glibc): sqlite-jdbc's bundled native library needs glibc, not musl (Alpine).
FROM eclipse-temurin:17-jre

# curl for the HEALTHCHECK; sqlite3 for backups of the live database (docs/operations.md).
# /data holds the database; owned by the chat user so that a fresh named volume is writable.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl sqlite3 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 chat \
 && useradd --system --uid 10001 --gid chat --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin chat \
 && mkdir -p /data /app \
 && chown chat:chat /data

COPY --from=build /build/chat-cli/target/chat.jar /app/chat.jar

USER chat:chat
# The working directory is the volume: `server` without --db still writes /data/chat.db.
# sqlite-jdbc unpacks its native library into java.io.tmpdir (/tmp, writable by everyone).
WORKDIR /data
VOLUME /data
EXPOSE 5200

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:5200/api/health || exit 1

# The JVM options the ./chat launcher uses by default (see docs/performance.md); the JVM prints
# "Picked up JAVA_TOOL_OPTIONS" once at start. Override with -e JAVA_TOOL_OPTIONS=...
ENV JAVA_TOOL_OPTIONS="-XX:+UseParallelGC -Xms32m -Xmn16m"

# The server traps SIGTERM (docker stop) and SIGINT, commits queued messages and closes
# sockets with 1001, so it runs as PID 1 without an init.
ENTRYPOINT ["java", "-jar", "/app/chat.jar"]
CMD ["server", "5200", "--db", "/data/chat.db"]
