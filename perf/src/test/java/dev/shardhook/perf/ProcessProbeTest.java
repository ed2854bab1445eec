package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessProbeTest {
  @Test
  void readsTheUsedHeapOfGcHeapInfo() {
    String info =
        "1234:\n garbage-first heap   total reserved 524288K, committed 49152K, used 21844K"
            + " [0x00000000e0000000, 0x0000000100000000)\n  region size 1024K, 6 young (6144K)\n";
    assertThat(ProcessProbe.heapUsedBytes(info)).isEqualTo(21844L * 1024);
    assertThat(ProcessProbe.heapUsedBytes(" garbage-first heap   total 1000K, used 512K [x"))
        .isEqualTo(512L * 1024);
    assertThat(ProcessProbe.heapUsedBytes("1234: no such process")).isEqualTo(-1);
  }

  @Test
  void readsProcStatusFields() {
    String status = "Name:\tjava\nVmRSS:\t  954800 kB\nThreads:\t87\n";
    assertThat(ProcessProbe.statusField(status, "VmRSS")).isEqualTo(954800);
    assertThat(ProcessProbe.statusField(status, "Threads")).isEqualTo(87);
    assertThat(ProcessProbe.statusField(status, "VmSwap")).isEqualTo(-1);
  }

  @Test
  void samplesThisProcess(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("a"), new byte[1000]);
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub/b"), new byte[234]);
    Files.createLink(dir.resolve("sub/a-linked"), dir.resolve("a")); // counted once, like du
    ProcessProbe.Sample s = new ProcessProbe().sample(ProcessHandle.current().pid(), dir, false);
    assertThat(s.rssBytes()).isPositive();
    assertThat(s.threads()).isPositive();
    assertThat(s.openFiles()).isPositive();
    assertThat(s.heapAfterGcBytes()).isPositive();
    assertThat(s.diskBytes()).isEqualTo(1234);
  }
}
