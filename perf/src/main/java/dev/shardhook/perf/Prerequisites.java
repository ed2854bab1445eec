package dev.shardhook.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the baselines' programs from Debian's packages: {@code etcd} ({@code etcd-server}) and
 * PostgreSQL's {@code initdb}/{@code pg_ctl} ({@code postgresql}, under {@code
 * /usr/lib/postgresql/VERSION/bin}, not on PATH). {@code PERF_ETCD} and {@code PERF_PG_BIN} point
 * elsewhere.
 */
final class Prerequisites {
  private static final Path PG_ROOT = Path.of("/usr/lib/postgresql");

  private Prerequisites() {}

  /** The etcd server program. */
  static Path etcd() throws MissingPrerequisiteException {
    return etcdIfInstalled()
        .orElseThrow(
            () ->
                new MissingPrerequisiteException(
                    "the etcd baseline needs etcd, which is not installed: apt-get install"
                        + " etcd-server (or set PERF_ETCD to an etcd binary)"));
  }

  static Optional<Path> etcdIfInstalled() {
    String override = System.getenv("PERF_ETCD");
    if (override != null && !override.isBlank()) {
      return Optional.of(Path.of(override)).filter(Files::isExecutable);
    }
    return onPath("etcd");
  }

  /** The folder holding PostgreSQL's {@code initdb}, {@code pg_ctl} and {@code postgres}. */
  static Path postgresBin() throws MissingPrerequisiteException {
    return postgresBin("the db-scheduler baseline");
  }

  /** Like {@link #postgresBin()}; {@code who} needs it (named in the message). */
  static Path postgresBin(String who) throws MissingPrerequisiteException {
    return postgresBinIfInstalled()
        .orElseThrow(
            () ->
                new MissingPrerequisiteException(
                    who
                        + " needs PostgreSQL, which is not installed:"
                        + " apt-get install postgresql (the harness runs"
                        + " /usr/lib/postgresql/VERSION/bin/initdb and pg_ctl;"
                        + " or set PERF_PG_BIN)"));
  }

  static Optional<Path> postgresBinIfInstalled() {
    String override = System.getenv("PERF_PG_BIN");
    if (override != null && !override.isBlank()) {
      return Optional.of(Path.of(override)).filter(Prerequisites::hasPostgres);
    }
    if (Files.isDirectory(PG_ROOT)) {
      try (Stream<Path> versions = Files.list(PG_ROOT)) {
        Optional<Path> newest =
            versions
                .map(v -> v.resolve("bin"))
                .filter(Prerequisites::hasPostgres)
                .max(Comparator.comparing(Prerequisites::majorVersion));
        if (newest.isPresent()) {
          return newest;
        }
      } catch (IOException e) {
        // fall through to PATH
      }
    }
    return onPath("pg_ctl").map(Path::getParent).filter(Prerequisites::hasPostgres);
  }

  private static boolean hasPostgres(Path bin) {
    return List.of("initdb", "pg_ctl", "postgres").stream()
        .allMatch(p -> Files.isExecutable(bin.resolve(p)));
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return Optional.of(Path.of(dir, program));
      }
    }
    return Optional.empty();
  }
}
