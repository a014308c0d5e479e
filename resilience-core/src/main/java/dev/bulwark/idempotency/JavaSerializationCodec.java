package dev.bulwark.idempotency;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/** Java serialization, read back through an allow-list filter only. */
final class JavaSerializationCodec implements ResultCodec {
  static final String ID = "java-serialization";

  private final ObjectInputFilter filter;

  JavaSerializationCodec(ObjectInputFilter filter) {
    this.filter = filter;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public byte[] encode(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new IdempotencyCodecException("cannot serialize a " + value.getClass().getName() + ": " + e, e);
    }
    return bytes.toByteArray();
  }

  @Override
  public Object decode(byte[] payload, int version) {
    if (version != 1) {
      throw new IdempotencyCodecException(
          "the java-serialization codec reads format version 1, the result was written with version " + version,
          null);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
      in.setObjectInputFilter(filter);
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IdempotencyCodecException("cannot deserialize a stored result (rejected by the filter?): " + e, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JavaSerializationCodec other && filter.equals(other.filter);
  }

  @Override
  public int hashCode() {
    return filter.hashCode();
  }

  @Override
  public String toString() {
    return "ResultCodec[java-serialization v1, filter=" + filter + "]";
  }
}
