package dev.shardhook.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a local JVM uses, read from outside it: resident memory and threads ({@code
 * /proc/PID/status}), open files ({@code /proc/PID/fd}), its Java heap after a full collection
 * ({@code jcmd PID GC.run}, then {@code GC.heap_info}), and the bytes of a directory.
 */
final class ProcessProbe {
  /** One look at one process; -1 where a figure could not be read. */
  record Sample(
      long rssBytes, long heapAfterGcBytes, long openFiles, long threads, long diskBytes) {}

  private static final Pattern HEAP_USED =
      Pattern.compile(
          "garbage-first heap\\s+total (?:reserved )?\\d+K, (?:committed \\d+K, )?used (\\d+)K");
  private static final Pattern ANY_HEAP_USED = Pattern.compile("\\bused (\\d+)K");

  private final Path jcmd;

  ProcessProbe() {
    this(Path.of(System.getProperty("java.home"), "bin", "jcmd"));
  }

  ProcessProbe(Path jcmd) {
    this.jcmd = jcmd;
  }

  /** Everything about {@code pid}; {@code dataDir} null: no disk figure. */
  Sample sample(long pid, Path dataDir, boolean collectFirst) {
    String status = readOrEmpty(Path.of("/proc", Long.toString(pid), "status"));
    return new Sample(
        statusField(status, "VmRSS") * 1024,
        heapAfterGc(pid, collectFirst),
        openFiles(pid),
        statusField(status, "Threads"),
        dataDir == null ? -1 : directoryBytes(dataDir));
  }

  /** The heap in use, after a full collection when {@code collectFirst}; -1 if unreadable. */
  long heapAfterGc(long pid, boolean collectFirst) {
    if (collectFirst) {
      jcmdOutput(pid, "GC.run");
    }
    return heapUsedBytes(jcmdOutput(pid, "GC.heap_info"));
  }

  /** The class histogram of {@code pid} (which collects first), or an empty string. */
  String classHistogram(long pid) {
    return jcmdOutput(pid, "GC.class_histogram");
  }

  private String jcmdOutput(long pid, String command) {
    try {
      Process process =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
              .redirectErrorStream(true)
              .start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "";
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The used heap in a {@code GC.heap_info} answer, in bytes; -1 when it names none. */
  static long heapUsedBytes(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    if (m.find()) {
      return Long.parseLong(m.group(1)) * 1024;
    }
    Matcher any = ANY_HEAP_USED.matcher(heapInfo);
    return any.find() ? Long.parseLong(any.group(1)) * 1024 : -1;
  }

  /** A numeric field of {@code /proc/PID/status} ({@code VmRSS: 1234 kB} gives 1234); or -1. */
  static long statusField(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
        try {
          return Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  static long openFiles(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Bytes of every regular file under {@code dir}, a file with several names (hard links: Raft
   * snapshots are RocksDB checkpoints that link the live files) counted once, as {@code du} does;
   * files removed meanwhile are skipped.
   */
  static long directoryBytes(Path dir) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.forEach(files::add);
    } catch (IOException | RuntimeException e) {
      if (files.isEmpty()) {
        return -1;
      }
    }
    Set<Object> seen = new HashSet<>();
    long total = 0;
    for (Path file : files) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Object key = attributes.fileKey();
        if (attributes.isRegularFile() && (key == null || seen.add(key))) {
          total += attributes.size();
        }
      } catch (IOException e) {
        // removed by a compaction between the walk and the read: not there any more
      }
    }
    return total;
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
