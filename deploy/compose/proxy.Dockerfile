# syntax=docker/dockerfile:1
# Shardhook sharding proxy. Build context: the repository root.
#   docker build -f deploy/compose/proxy.Dockerfile -t shardhook/proxy:dev .
# (deploy/compose/proxy.Dockerfile.dockerignore trims the context; BuildKit reads it.)

# --- stage 1: build the shaded jar with the Maven wrapper -----------------------------------
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY mvnw ./
COPY .mvn/ .mvn/
# Maven reads every module's pom of the reactor, even with -pl.
COPY pom.xml ./
COPY api/pom.xml api/
COPY client-sdk/pom.xml client-sdk/
COPY support/pom.xml support/
COPY cluster-node/pom.xml cluster-node/
COPY proxy/pom.xml proxy/
COPY deploy/pom.xml deploy/
COPY perf/pom.xml perf/
# proxy's tests use cluster-node, so -am builds it too (tests themselves are skipped).
COPY api/src/ api/src/
COPY client-sdk/src/ client-sdk/src/
COPY support/src/ support/src/
COPY cluster-node/src/ cluster-node/src/
COPY proxy/src/ proxy/src/
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests package -pl proxy -am \
 && cp proxy/target/shardhook-proxy.jar /shardhook-proxy.jar

# --- stage 2: runtime ---------------------------------------------------------------------
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 shardhook \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin shardhook
COPY --from=build /shardhook-proxy.jar /opt/shardhook/shardhook-proxy.jar
# The shard map is mounted here (compose: ./shards.json; Kubernetes: the shard-map ConfigMap).
ENV SHARDHOOK_HTTP_HOST=0.0.0.0 \
    SHARDHOOK_HTTP_PORT=8080 \
    SHARDHOOK_SHARD_MAP=/etc/shardhook/shards.json
USER 10001:10001
EXPOSE 8080
# Liveness: GET /health. curl ships with the eclipse-temurin images (adoptium/containers#255).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${SHARDHOOK_HTTP_PORT:-8080}/health" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "-jar", "/opt/shardhook/shardhook-proxy.jar"]
