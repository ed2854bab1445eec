package dev.shardhook.perf;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a run measured on, for the report: cores, CPU, memory, OS, Java, and the load average
 * when the run ended (other work on the machine skews every figure).
 */
record MachineInfo(
    int cores, String cpu, double memoryGiB, String os, String java, double loadAverage) {

  static MachineInfo current() {
    double memory = Double.NaN;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize() / (1024.0 * 1024 * 1024);
    }
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        memory,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version", System.getProperty("java.version")),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  ResultLine toJson() {
    return ResultLine.object()
        .put("cores", cores)
        .put("cpu", cpu)
        .put("memoryGiB", memoryGiB, 1)
        .put("os", os)
        .put("java", java)
        .put("loadAverage", loadAverage < 0 ? Double.NaN : loadAverage, 2);
  }

  /** {@code 2 cores (CPU), 23.4 GiB memory, Linux 6.1, Java …, load average 1.5 at the end}. */
  String describe() {
    return String.format(
        Locale.ROOT,
        "%d cores%s, %.1f GiB memory, %s, %s%s",
        cores,
        cpu == null ? "" : " (" + cpu + ")",
        memoryGiB,
        os,
        java,
        loadAverage < 0
            ? ""
            : String.format(Locale.ROOT, ", load average %.2f at the end", loadAverage));
  }

  private static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no CPU model
    }
    return null;
  }
}
