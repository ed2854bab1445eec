# syntax=docker/dockerfile:1
# Shardhook cluster node. Build context: the repository root.
#   docker build -f deploy/compose/node.Dockerfile -t shardhook/node:dev .
# (deploy/compose/node.Dockerfile.dockerignore trims the context; BuildKit reads it.)

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
COPY api/src/ api/src/
COPY client-sdk/src/ client-sdk/src/
COPY support/src/ support/src/
COPY cluster-node/src/ cluster-node/src/
# The cache mount keeps ~/.m2 (Maven itself and the dependencies) between builds.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests package -pl cluster-node -am \
 && cp cluster-node/target/shardhook-node.jar /shardhook-node.jar

# --- stage 2: runtime ---------------------------------------------------------------------
FROM eclipse-temurin:21-jre
# A fixed non-root uid/gid (the Kubernetes manifests use runAsUser/fsGroup 10001).
RUN groupadd --system --gid 10001 shardhook \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /var/lib/shardhook \
      --shell /usr/sbin/nologin shardhook \
 && mkdir -p /var/lib/shardhook \
 && chown 10001:10001 /var/lib/shardhook
COPY --from=build /shardhook-node.jar /opt/shardhook/shardhook-node.jar
# Every flag --x-y can also be set as SHARDHOOK_X_Y; node id, shard id and peers come from the
# orchestrator (compose.yaml, the StatefulSet).
ENV SHARDHOOK_DATA_DIR=/var/lib/shardhook \
    SHARDHOOK_HTTP_PORT=8080
# A new named volume copies this directory's ownership, so uid 10001 can write to it.
VOLUME ["/var/lib/shardhook"]
USER 10001:10001
WORKDIR /var/lib/shardhook
# 8080: HTTP API, probes, /metrics. 9200: Raft (gRPC), used in the peers list.
EXPOSE 8080 9200
# Liveness: GET /health answers 200 while the process serves. curl ships with the
# eclipse-temurin images (installed "for historical reasons", adoptium/containers#255).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${SHARDHOOK_HTTP_PORT:-8080}/health" || exit 1
# java is PID 1 (exec form): SIGTERM reaches the JVM, whose shutdown hook closes the node after
# up to --shutdown-grace. Extra JVM flags: JDK_JAVA_OPTIONS (read by the java launcher).
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:MaxRAMPercentage=50", \
            "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/shardhook/shardhook-node.jar"]
