package dev.shardhook.node.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.job.CapturedResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outcome batches are sized by the weight of what they carry: it must never undercount. */
class CapturedResponseSizeTest {
  private static int encoded(CapturedResponse response) {
    BinaryOut out = new BinaryOut(64);
    JobBinary.writeResponse(out, response);
    return out.size();
  }

  @Test
  void theWeightIsAtLeastTheEncodedSize() {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < 16; i++) {
      headers.put("x-request-id-" + i, "\u00e9".repeat(256));
    }
    for (CapturedResponse r :
        new CapturedResponse[] {
          new CapturedResponse(null, null, false),
          new CapturedResponse(Map.of("content-type", "text/plain"), "ok", false),
          new CapturedResponse(headers, "\uFFFD".repeat(65_536), true),
          new CapturedResponse(Map.of(), "\uD83D\uDE00".repeat(1_000), true)
        }) {
      assertThat(r.encodedBytesAtMost())
          .as(r.body().length() + " chars")
          .isGreaterThanOrEqualTo(encoded(r));
    }
    assertThat(encoded(new CapturedResponse(headers, "\uFFFD".repeat(65_536), true)))
        .isGreaterThan(3 * 65_536);
  }
}
