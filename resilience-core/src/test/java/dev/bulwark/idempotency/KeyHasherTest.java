package dev.bulwark.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The scratch-buffer hashing agrees with a plain SHA-256 of the UTF-8 bytes, whatever the text. */
class KeyHasherTest {

  private static String reference(byte[]... parts) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      bytes.write(part);
    }
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
  }

  @Property(tries = 300)
  void keyHashesAreTheSha256OfNamespaceZeroKey(@ForAll String namespace, @ForAll String key) throws Exception {
    assertThat(KeyHasher.keyHash(namespace, key)).isEqualTo(reference(
        namespace.getBytes(StandardCharsets.UTF_8), new byte[] {0}, key.getBytes(StandardCharsets.UTF_8)));
  }

  @Property(tries = 100)
  void longTextsHashLikeShortOnes(@ForAll @StringLength(min = 200, max = 9000) String text) throws Exception {
    assertThat(KeyHasher.fingerprintHash(text)).isEqualTo(reference(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void asciiLongAndNonAsciiTextsHashCorrectly() throws Exception {
    for (String text : new String[] {"", "a", "x".repeat(255), "x".repeat(256), "y".repeat(4096), "z".repeat(5000),
        "ünïcödé ✓", "a".repeat(300) + "é"}) {
      assertThat(KeyHasher.fingerprintHash(text)).isEqualTo(reference(text.getBytes(StandardCharsets.UTF_8)));
      assertThat(KeyHasher.fingerprintHash(text)).as("the digest resets after each hash")
          .isEqualTo(reference(text.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void ownerTokensAreUniqueHex() {
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String token = KeyHasher.newOwnerToken();
      assertThat(token).matches("[0-9a-f]{32}");
      tokens.add(token);
    }
    assertThat(tokens).hasSize(10_000);
  }
}
