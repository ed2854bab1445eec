package dev.shardhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The two Dockerfiles, read as text (no Docker engine here): a JDK build stage running the Maven
 * wrapper, a JRE runtime stage as a non-root user with a /health HEALTHCHECK; every COPY source
 * exists in the repository and survives the Dockerfile's .dockerignore.
 */
class DockerfilesTest {

  /** One instruction, its continuation lines joined. */
  record Instruction(String keyword, String args) {}

  static List<Instruction> instructions(Path dockerfile) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String raw : DeployFiles.read(dockerfile).split("\n")) {
      String line = raw.strip();
      if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (line.startsWith("#")) {
        continue; // a comment inside a continued instruction
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      String full = pending.toString().strip().replaceAll("\\s+", " ");
      pending.setLength(0);
      int space = full.indexOf(' ');
      out.add(new Instruction(full.substring(0, space).toUpperCase(), full.substring(space + 1)));
    }
    return out;
  }

  @Test
  void nodeImage() {
    checkImage(
        "node.Dockerfile",
        "cluster-node",
        "cluster-node/target/shardhook-node.jar",
        List.of(8080, 9200));
  }

  @Test
  void proxyImage() {
    checkImage("proxy.Dockerfile", "proxy", "proxy/target/shardhook-proxy.jar", List.of(8080));
  }

  @Test
  void jarNamesMatchTheShadePluginConfiguration() throws IOException {
    String node = Files.readString(DeployFiles.repoRoot().resolve("cluster-node/pom.xml"));
    assertThat(node).contains("<finalName>shardhook-node</finalName>");
    String proxy = Files.readString(DeployFiles.repoRoot().resolve("proxy/pom.xml"));
    if (proxy.contains("maven-shade-plugin")) { // the proxy module may still be in progress
      assertThat(proxy).contains("<finalName>shardhook-proxy</finalName>");
    }
  }

  @Test
  void nodeImageEnvironmentUsesRealFlags() {
    for (Instruction i : instructions(DeployFiles.compose().resolve("node.Dockerfile"))) {
      if (i.keyword().equals("ENV")) {
        for (String assignment : i.args().split(" ")) {
          String name = assignment.split("=")[0];
          if (name.startsWith(NodeFlags.PREFIX)) {
            assertThat(NodeFlags.environmentVariables()).contains(name);
          }
        }
      }
    }
  }

  private static void checkImage(String file, String module, String jar, List<Integer> ports) {
    Path dockerfile = DeployFiles.compose().resolve(file);
    List<Instruction> all = instructions(dockerfile);
    assertThat(DeployFiles.read(dockerfile)).startsWith("# syntax=docker/dockerfile:1");

    List<Instruction> froms = all.stream().filter(i -> i.keyword().equals("FROM")).toList();
    assertThat(froms)
        .extracting(Instruction::args)
        .containsExactly("eclipse-temurin:21-jdk AS build", "eclipse-temurin:21-jre");
    int runtimeStart = all.indexOf(froms.get(1));
    List<Instruction> build = all.subList(0, runtimeStart);
    List<Instruction> runtime = all.subList(runtimeStart, all.size());

    assertThat(build)
        .filteredOn(i -> i.keyword().equals("RUN"))
        .extracting(Instruction::args)
        .anyMatch(
            a ->
                a.contains("./mvnw -B -DskipTests package -pl " + module + " -am")
                    && a.contains(jar));

    // Maven loads the whole reactor: every module's pom must be there, and the sources of every
    // module the build reaches (api, which every server needs, included)
    List<String> copied =
        build.stream().filter(i -> i.keyword().equals("COPY")).map(Instruction::args).toList();
    for (String m : reactorModules()) {
      assertThat(copied).as(file + " copies " + m + "/pom.xml").contains(m + "/pom.xml " + m + "/");
    }
    for (String m : List.of("api", "support", module)) {
      assertThat(copied).as(file + " copies " + m + "/src/").contains(m + "/src/ " + m + "/src/");
    }

    // every COPY of the build stage names something that exists and is not dockerignored
    List<String> allowed = dockerignoreIncludes(dockerfile);
    for (Instruction i : build) {
      if (i.keyword().equals("COPY")) {
        String[] parts = i.args().split(" ");
        for (int k = 0; k < parts.length - 1; k++) {
          if (parts[k].startsWith("--")) {
            continue;
          }
          String source = parts[k].replaceAll("/$", "");
          assertThat(DeployFiles.repoRoot().resolve(source)).as(file + " COPY " + source).exists();
          assertThat(included(source, allowed))
              .as(source + " is sent in the build context")
              .isTrue();
        }
      }
    }

    String user =
        runtime.stream()
            .filter(i -> i.keyword().equals("USER"))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError(file + ": no USER"))
            .args();
    assertThat(user.split(":")[0]).as(file + " USER").isNotIn("root", "0");
    assertThat(runtime)
        .filteredOn(i -> i.keyword().equals("HEALTHCHECK"))
        .singleElement()
        .satisfies(h -> assertThat(h.args()).contains("CMD curl -fsS").contains("/health"));
    assertThat(runtime)
        .filteredOn(i -> i.keyword().equals("COPY"))
        .anySatisfy(c -> assertThat(c.args()).startsWith("--from=build "));
    Instruction entrypoint =
        runtime.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).findFirst().orElseThrow();
    JsonNode exec;
    try {
      exec = DeployFiles.JSON.readTree(entrypoint.args());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(exec.isArray()).as("exec form, so java is PID 1 and gets SIGTERM").isTrue();
    List<String> argv = new ArrayList<>();
    exec.forEach(a -> argv.add(a.asText()));
    assertThat(argv.get(0)).isEqualTo("java");
    String jarName = Path.of(jar).getFileName().toString();
    assertThat(argv.get(argv.size() - 2)).isEqualTo("-jar");
    assertThat(argv.get(argv.size() - 1)).endsWith("/" + jarName);
    if (module.equals("cluster-node")) {
      assertThat(argv).contains("--enable-native-access=ALL-UNNAMED");
    }
    List<Integer> exposed = new ArrayList<>();
    runtime.stream()
        .filter(i -> i.keyword().equals("EXPOSE"))
        .forEach(
            i -> {
              for (String p : i.args().split(" ")) {
                exposed.add(Integer.parseInt(p));
              }
            });
    assertThat(exposed).containsExactlyInAnyOrderElementsOf(ports);
  }

  /** The "!" patterns of the Dockerfile-specific ignore file (which starts by excluding "*"). */
  private static List<String> dockerignoreIncludes(Path dockerfile) {
    Path ignore = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
    List<String> lines =
        DeployFiles.read(ignore)
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(lines.get(0)).as(ignore + " starts from nothing").isEqualTo("*");
    return lines.stream()
        .filter(l -> l.startsWith("!"))
        .map(l -> l.substring(1).replaceAll("/$", ""))
        .toList();
  }

  private static boolean included(String source, List<String> includes) {
    Map<String, PathMatcher> matchers = new LinkedHashMap<>();
    for (String pattern : includes) {
      matchers.put(pattern, FileSystems.getDefault().getPathMatcher("glob:" + pattern));
    }
    for (Path p = Path.of(source); p != null; p = p.getParent()) {
      for (PathMatcher m : matchers.values()) {
        if (m.matches(p)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> reactorModules() {
    try {
      String pom = Files.readString(DeployFiles.repoRoot().resolve("pom.xml"));
      List<String> modules = new ArrayList<>();
      Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
      while (m.find()) {
        modules.add(m.group(1));
      }
      assertThat(modules).contains("api", "cluster-node", "proxy");
      return modules;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
