package dev.bulwark.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ResultCodecTest {
  private final ResultCodec codec = ResultCodec.defaults();

  private Object roundTrip(Object value) {
    return codec.decode(codec.encode(value), codec.version());
  }

  @Property(tries = 300)
  void stringsRoundTrip(@ForAll String value) {
    assertThat(roundTrip(value)).isEqualTo(value);
  }

  @Property(tries = 300)
  void bytesRoundTrip(@ForAll byte[] value) {
    assertThat((byte[]) roundTrip(value)).containsExactly(value);
  }

  @Property(tries = 300)
  void numbersRoundTrip(@ForAll int i, @ForAll long l, @ForAll double d, @ForAll boolean b) {
    assertThat(roundTrip(i)).isEqualTo(i);
    assertThat(roundTrip(l)).isEqualTo(l);
    assertThat(roundTrip(d)).isEqualTo(d);
    assertThat(roundTrip(b)).isEqualTo(b);
  }

  @Property(tries = 300)
  void bigNumbersRoundTripExactly(@ForAll BigInteger unscaled, @ForAll int scale) {
    BigDecimal decimal = new BigDecimal(unscaled, scale);
    assertThat(roundTrip(unscaled)).isEqualTo(unscaled);
    assertThat(roundTrip(decimal)).isEqualTo(decimal); // equals compares the scale too
  }

  @Property(tries = 300)
  void failuresKeepTheirTypeAndMessage(@ForAll String message) {
    IdempotencyReplayedFailureException replay = (IdempotencyReplayedFailureException)
        codec.decodeFailure(codec.encodeFailure(new IllegalStateException(message)), 1);
    assertThat(replay.originalType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(replay.originalMessage()).isEqualTo(message);
  }

  @Test
  void nullAndSpecialDoublesRoundTrip() {
    assertThat(roundTrip(null)).isNull();
    assertThat(roundTrip(Double.NaN)).isEqualTo(Double.NaN);
    assertThat(roundTrip(-0.0)).isEqualTo(-0.0);
    assertThat(codec.decodeFailure(codec.encodeFailure(new RuntimeException()), 1))
        .isInstanceOf(IdempotencyReplayedFailureException.class)
        .hasMessage("replay of the first execution's failure: java.lang.RuntimeException");
  }

  @Test
  void unsupportedTypesFailToEncodeWithAHint() {
    assertThatThrownBy(() -> codec.encode(List.of(1)))
        .isInstanceOf(IdempotencyCodecException.class)
        .hasMessageContaining("java.util.ImmutableCollections")
        .hasMessageContaining("configure a ResultCodec");
  }

  @Test
  void corruptOrFutureBytesFailToDecodeClearly() {
    assertThatThrownBy(() -> codec.decode(new byte[0], 1))
        .isInstanceOf(IdempotencyCodecException.class).hasMessageContaining("no type tag");
    assertThatThrownBy(() -> codec.decode(new byte[] {99}, 1))
        .isInstanceOf(IdempotencyCodecException.class).hasMessageContaining("unknown type tag 99");
    assertThatThrownBy(() -> codec.decode(new byte[] {4, 1, 2}, 1))
        .isInstanceOf(IdempotencyCodecException.class).hasMessageContaining("corrupt result of 3 bytes");
    assertThatThrownBy(() -> codec.decode(new byte[] {3, 1, 1}, 1))
        .isInstanceOf(IdempotencyCodecException.class).hasMessageContaining("trailing");
    assertThatThrownBy(() -> codec.decode(codec.encode("x"), 2))
        .isInstanceOf(IdempotencyCodecException.class).hasMessageContaining("version 2");
    assertThatThrownBy(() -> codec.decodeFailure(new byte[] {0, 0, 0, 9}, 1))
        .isInstanceOf(IdempotencyCodecException.class).hasMessageContaining("corrupt stored failure");
  }

  @Test
  void javaSerializationStoresSerializablesAndReadsOnlyWhatTheFilterAllows() {
    ResultCodec strict = ResultCodec.javaSerialization(
        ObjectInputFilter.Config.createFilter("dev.bulwark.idempotency.ResultCodecTest$Receipt;java.lang.*;!*"));
    Receipt receipt = new Receipt("r-1", 1999);
    assertThat(strict.decode(strict.encode(receipt), 1)).isEqualTo(receipt);
    assertThat(strict.decode(strict.encode(null), 1)).isNull();

    ResultCodec denying = ResultCodec.javaSerialization(ObjectInputFilter.Config.createFilter("java.lang.*;!*"));
    assertThatThrownBy(() -> denying.decode(strict.encode(receipt), 1))
        .isInstanceOf(IdempotencyCodecException.class).hasMessageContaining("rejected by the filter");
    assertThatThrownBy(() -> strict.encode(new Object()))
        .isInstanceOf(IdempotencyCodecException.class).hasMessageContaining("cannot serialize a java.lang.Object");
    assertThatThrownBy(() -> strict.decode(strict.encode("x"), 2))
        .isInstanceOf(IdempotencyCodecException.class).hasMessageContaining("version 2");
    assertThat(strict.id()).isEqualTo("java-serialization");
    assertThat(strict.toString()).contains("java-serialization");
  }

  @Test
  void theEnvelopeNamesItsCodecAndRefusesForeignBytes() {
    byte[] bytes = Envelope.encode(StoredOutcome.FAILURE, "my-codec", 258, new byte[] {7, 8});
    Envelope envelope = Envelope.parse(bytes);
    assertThat(envelope.outcome).isEqualTo(StoredOutcome.FAILURE);
    assertThat(envelope.codecId()).isEqualTo("my-codec");
    assertThat(envelope.codecIs("my-codec".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isTrue();
    assertThat(envelope.codecIs("my-codeX".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isFalse();
    assertThat(envelope.codecVersion).isEqualTo(258);
    assertThat(envelope.payload()).containsExactly(7, 8);
    assertThat(bytes[2]).as("the outcome code sits in byte 2").isEqualTo((byte) StoredOutcome.FAILURE.code());

    assertThatThrownBy(() -> Envelope.parse(new byte[] {1, 2, 3})).isInstanceOf(IdempotencyCodecException.class)
        .hasMessageContaining("not a Bulwark idempotency record");
    byte[] future = bytes.clone();
    future[1] = 2;
    assertThatThrownBy(() -> Envelope.parse(future)).isInstanceOf(IdempotencyCodecException.class)
        .hasMessageContaining("envelope format 2");
    byte[] badOutcome = bytes.clone();
    badOutcome[2] = 9;
    assertThatThrownBy(() -> Envelope.parse(badOutcome)).isInstanceOf(IdempotencyCodecException.class)
        .hasMessageContaining("corrupt");
    List<Integer> codes = new ArrayList<>();
    for (StoredOutcome outcome : StoredOutcome.values()) {
      codes.add(outcome.code());
      assertThat(StoredOutcome.ofCode(outcome.code())).isSameAs(outcome);
    }
    assertThat(codes).containsExactly(0, 1, 2, 3);
  }

  /** A serializable result type. */
  record Receipt(String id, long cents) implements Serializable {}
}
