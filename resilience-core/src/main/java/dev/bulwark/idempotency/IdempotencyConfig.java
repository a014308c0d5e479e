package dev.bulwark.idempotency;

import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable configuration of an {@link Idempotency} policy. Every option is validated when set, the
 * cross-field rules when built; every default is safe for production.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>what it does</th></tr>
 *   <tr><td>{@link #lease()}</td><td>30 s</td><td>how long a claim holds before a repeat may take it over</td></tr>
 *   <tr><td>{@link #ttl()}</td><td>24 h</td><td>how long a record (and its replay) lives</td></tr>
 *   <tr><td>{@link #waitForCompletion()}</td><td>0 (reject)</td><td>how long a repeat waits for a running first
 *       execution before {@link IdempotencyInProgressException}</td></tr>
 *   <tr><td>{@link #pollInterval()}</td><td>50 ms</td><td>how often a waiting repeat asks the store</td></tr>
 *   <tr><td>{@link #heartbeatInterval()}</td><td>lease / 3</td><td>how often running work renews its lease;
 *       0 turns the heartbeat off</td></tr>
 *   <tr><td>{@link #failureClassifier()}</td><td>all {@link FailureKind#UNKNOWN}</td><td>what a failure means
 *       for the key</td></tr>
 *   <tr><td>{@link #failOpen()}</td><td>false</td><td>run the work without a record when the store is
 *       down</td></tr>
 *   <tr><td>{@link #maxKeyLength()}</td><td>255</td><td>the longest key accepted, in characters</td></tr>
 *   <tr><td>{@link #maxResultBytes()}</td><td>64 KiB</td><td>the largest stored result</td></tr>
 *   <tr><td>{@link #codec()}</td><td>{@link ResultCodec#defaults()}</td><td>how results are stored</td></tr>
 * </table>
 *
 * <pre>{@code
 * IdempotencyConfig config = IdempotencyConfig.builder()
 *     .lease(Duration.ofSeconds(10))
 *     .ttl(Duration.ofHours(24))
 *     .waitForCompletion(Duration.ofSeconds(2))
 *     .failureClassifier(FailureClassifier.builder()
 *         .classify(FailureKind.TERMINAL, CardDeclinedException.class)
 *         .build())
 *     .build();
 * }</pre>
 */
public final class IdempotencyConfig {
  /** The longest key {@link Builder#maxKeyLength(int)} accepts. */
  public static final int MAX_KEY_LENGTH_LIMIT = 65_536;

  private static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  private static final Duration DEFAULT_TTL = Duration.ofHours(24);
  private static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(50);
  private static final IdempotencyConfig DEFAULTS = builder().build();

  private final Duration lease;
  private final Duration ttl;
  private final Duration waitForCompletion;
  private final Duration pollInterval;
  private final Duration heartbeatInterval;
  private final FailureClassifier failureClassifier;
  private final boolean failOpen;
  private final int maxKeyLength;
  private final int maxResultBytes;
  private final ResultCodec codec;

  private IdempotencyConfig(Builder b) {
    this.lease = b.lease;
    this.ttl = b.ttl;
    this.waitForCompletion = b.waitForCompletion;
    this.pollInterval = b.pollInterval;
    this.heartbeatInterval = b.heartbeatInterval != null ? b.heartbeatInterval : b.lease.dividedBy(3);
    this.failureClassifier = b.failureClassifier;
    this.failOpen = b.failOpen;
    this.maxKeyLength = b.maxKeyLength;
    this.maxResultBytes = b.maxResultBytes;
    this.codec = b.codec;
  }

  /**
   * Returns the defaults.
   *
   * @return the default configuration
   */
  public static IdempotencyConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a configuration from the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a configuration from {@code config}.
   *
   * @param config the configuration to copy
   * @return a builder holding its values
   */
  public static Builder from(IdempotencyConfig config) {
    Objects.requireNonNull(config, "config");
    Builder b = new Builder();
    b.lease = config.lease;
    b.ttl = config.ttl;
    b.waitForCompletion = config.waitForCompletion;
    b.pollInterval = config.pollInterval;
    b.heartbeatInterval = config.heartbeatInterval;
    b.failureClassifier = config.failureClassifier;
    b.failOpen = config.failOpen;
    b.maxKeyLength = config.maxKeyLength;
    b.maxResultBytes = config.maxResultBytes;
    b.codec = config.codec;
    return b;
  }

  /**
   * Returns how long a claim holds: while an execution's lease is live, repeats are rejected (or wait);
   * once it lapses, a repeat takes the key over and runs the work, and the old owner is fenced. Choose it
   * longer than the work's usual duration, or keep the heartbeat on. Default: 30 seconds.
   *
   * @return the lease
   */
  public Duration lease() {
    return lease;
  }

  /**
   * Returns how long a record lives, in progress or completed: the window in which a repeat is recognized.
   * Match what clients are told (Stripe keeps keys 24 hours). Default: 24 hours.
   *
   * @return the time to live
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * Returns how long a repeat waits for a first execution still in progress, polling the store, before it
   * is rejected with {@link IdempotencyInProgressException}; zero rejects at once. A
   * {@link dev.bulwark.Deadline} shortens the wait. Default: zero.
   *
   * @return the wait bound
   */
  public Duration waitForCompletion() {
    return waitForCompletion;
  }

  /**
   * Returns how often a waiting repeat asks the store again (never later than the first execution's lease
   * lapses). Default: 50 ms.
   *
   * @return the poll interval
   */
  public Duration pollInterval() {
    return pollInterval;
  }

  /**
   * Returns how often running work renews its lease; zero means never, so work longer than the lease is
   * taken over. Default: a third of the lease, so two renewals can fail before the lease lapses.
   *
   * @return the heartbeat interval, or zero
   */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /**
   * Returns what a failure of the work means for its key. Default: {@link FailureClassifier#defaults()},
   * every failure {@link FailureKind#UNKNOWN}.
   *
   * @return the classifier
   */
  public FailureClassifier failureClassifier() {
    return failureClassifier;
  }

  /**
   * Tells whether the work runs without a record when the store cannot be reached (fail open), rather than
   * not at all (fail closed, with {@link IdempotencyStoreUnavailableException}). Fail open trades
   * exactly-once for availability. Default: {@code false}.
   *
   * @return {@code true} to fail open
   */
  public boolean failOpen() {
    return failOpen;
  }

  /**
   * Returns the longest key accepted, in characters. Default: 255.
   *
   * @return the maximum key length
   */
  public int maxKeyLength() {
    return maxKeyLength;
  }

  /**
   * Returns the largest stored result, in bytes, envelope included; the store's own
   * {@link IdempotencyStore#maxResultBytes()} applies too. A larger result is returned to its caller and
   * recorded as {@link StoredOutcome#RESULT_NOT_STORED}. Default: 64 KiB.
   *
   * @return the limit in bytes
   */
  public int maxResultBytes() {
    return maxResultBytes;
  }

  /**
   * Returns how results and terminal failures are stored. Default: {@link ResultCodec#defaults()}.
   *
   * @return the codec
   */
  public ResultCodec codec() {
    return codec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdempotencyConfig other
        && lease.equals(other.lease)
        && ttl.equals(other.ttl)
        && waitForCompletion.equals(other.waitForCompletion)
        && pollInterval.equals(other.pollInterval)
        && heartbeatInterval.equals(other.heartbeatInterval)
        && failureClassifier.equals(other.failureClassifier)
        && failOpen == other.failOpen
        && maxKeyLength == other.maxKeyLength
        && maxResultBytes == other.maxResultBytes
        && codec.equals(other.codec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lease, ttl, waitForCompletion, pollInterval, heartbeatInterval, failureClassifier,
        failOpen, maxKeyLength, maxResultBytes, codec);
  }

  @Override
  public String toString() {
    return "IdempotencyConfig{lease=" + lease
        + ", ttl=" + ttl
        + ", waitForCompletion=" + waitForCompletion
        + ", pollInterval=" + pollInterval
        + ", heartbeatInterval=" + heartbeatInterval
        + ", failureClassifier=" + failureClassifier
        + ", failOpen=" + failOpen
        + ", maxKeyLength=" + maxKeyLength
        + ", maxResultBytes=" + maxResultBytes
        + ", codec=" + codec
        + '}';
  }

  /** Builds an {@link IdempotencyConfig}. */
  public static final class Builder {
    private Duration lease = DEFAULT_LEASE;
    private Duration ttl = DEFAULT_TTL;
    private Duration waitForCompletion = Duration.ZERO;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration heartbeatInterval; // null: a third of the lease
    private FailureClassifier failureClassifier = FailureClassifier.defaults();
    private boolean failOpen;
    private int maxKeyLength = 255;
    private int maxResultBytes = 64 * 1024;
    private ResultCodec codec = ResultCodec.defaults();

    private Builder() {}

    /**
     * How long a claim holds before a repeat may take it over. Default: 30 seconds.
     *
     * @param lease a positive duration of at least a millisecond
     * @return this builder
     */
    public Builder lease(Duration lease) {
      this.lease = atLeastAMillisecond("lease", lease);
      return this;
    }

    /**
     * How long a record lives. Default: 24 hours.
     *
     * @param ttl a positive duration of at least a millisecond, not shorter than the lease
     * @return this builder
     */
    public Builder ttl(Duration ttl) {
      this.ttl = atLeastAMillisecond("ttl", ttl);
      return this;
    }

    /**
     * How long a repeat waits for a first execution in progress. Default: zero, reject at once.
     *
     * @param wait zero or positive
     * @return this builder
     */
    public Builder waitForCompletion(Duration wait) {
      Check.notNegativeNanos("waitForCompletion", wait);
      this.waitForCompletion = wait;
      return this;
    }

    /**
     * How often a waiting repeat asks the store again. Default: 50 ms.
     *
     * @param interval positive
     * @return this builder
     */
    public Builder pollInterval(Duration interval) {
      Check.positiveNanos("pollInterval", interval);
      this.pollInterval = interval;
      return this;
    }

    /**
     * How often running work renews its lease; zero turns the heartbeat off. Default: a third of the lease.
     *
     * @param interval zero, or positive and shorter than the lease
     * @return this builder
     */
    public Builder heartbeatInterval(Duration interval) {
      Check.notNegativeNanos("heartbeatInterval", interval);
      this.heartbeatInterval = interval;
      return this;
    }

    /**
     * What a failure of the work means for its key. Default: every failure {@link FailureKind#UNKNOWN}.
     *
     * @param classifier the classifier
     * @return this builder
     */
    public Builder failureClassifier(FailureClassifier classifier) {
      this.failureClassifier = Objects.requireNonNull(classifier, "failureClassifier");
      return this;
    }

    /**
     * Whether to run the work without a record when the store cannot be reached. Default: {@code false}.
     *
     * @param failOpen {@code true} to fail open
     * @return this builder
     */
    public Builder failOpen(boolean failOpen) {
      this.failOpen = failOpen;
      return this;
    }

    /**
     * The longest key accepted, in characters. Default: 255.
     *
     * @param maxKeyLength in [1, {@value #MAX_KEY_LENGTH_LIMIT}]
     * @return this builder
     */
    public Builder maxKeyLength(int maxKeyLength) {
      this.maxKeyLength = Check.inRange("maxKeyLength", maxKeyLength, 1, MAX_KEY_LENGTH_LIMIT);
      return this;
    }

    /**
     * The largest stored result in bytes, envelope included. Default: 64 KiB.
     *
     * @param maxResultBytes at least 64 (room for the envelope of a "not stored" marker)
     * @return this builder
     */
    public Builder maxResultBytes(int maxResultBytes) {
      this.maxResultBytes = Check.inRange("maxResultBytes", maxResultBytes, 64, Integer.MAX_VALUE);
      return this;
    }

    /**
     * How results and terminal failures are stored. Default: {@link ResultCodec#defaults()}.
     *
     * @param codec the codec; its id must be 1 to 255 printable ASCII characters and its version at least 1
     * @return this builder
     */
    public Builder codec(ResultCodec codec) {
      Objects.requireNonNull(codec, "codec");
      String id = codec.id();
      Objects.requireNonNull(id, "codec.id()");
      boolean ascii = !id.isEmpty() && id.length() <= 255;
      for (int i = 0; ascii && i < id.length(); i++) {
        ascii = id.charAt(i) > 0x20 && id.charAt(i) < 0x7F;
      }
      if (!ascii) {
        throw new IllegalArgumentException(
            "codec.id() must be 1 to 255 printable ASCII characters without spaces, was \"" + id + "\"");
      }
      if (codec.version() < 1) {
        throw new IllegalArgumentException("codec.version() must be >= 1, was " + codec.version());
      }
      this.codec = codec;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return an immutable configuration
     * @throws IllegalStateException if {@code ttl < lease} or {@code heartbeatInterval >= lease}
     */
    public IdempotencyConfig build() {
      if (ttl.compareTo(lease) < 0) {
        throw new IllegalStateException("ttl (" + ttl + ") must be >= lease (" + lease + ")");
      }
      if (heartbeatInterval != null && !heartbeatInterval.isZero() && heartbeatInterval.compareTo(lease) >= 0) {
        throw new IllegalStateException("heartbeatInterval (" + heartbeatInterval + ") must be shorter than lease ("
            + lease + "), or zero to turn the heartbeat off");
      }
      return new IdempotencyConfig(this);
    }

    private static Duration atLeastAMillisecond(String option, Duration value) {
      Check.positiveNanos(option, value);
      if (value.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException(option + " must be >= 1 ms (stores keep millisecond resolution), was "
            + value);
      }
      return value;
    }
  }
}
