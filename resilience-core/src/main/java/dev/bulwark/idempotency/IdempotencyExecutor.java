package dev.bulwark.idempotency;

import dev.bulwark.Clock;
import dev.bulwark.Deadline;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Exceptions;
import dev.bulwark.internal.Listeners;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** The {@link Idempotency} implementation. */
final class IdempotencyExecutor implements Idempotency {
  /*
   * Implementation notes.
   *
   * The executor keeps no per-key state: every decision is one atomic store operation, and the store's clock
   * judges every lease. A call hashes its key (SHA-256 over the policy name and the key, so policies sharing
   * a store have separate key spaces) and its fingerprint, takes a fresh owner token, and claims:
   *
   *   claim -> FINGERPRINT_MISMATCH  reject (key reuse)
   *         -> COMPLETED             replay the envelope (result, terminal failure, or a flag)
   *         -> IN_PROGRESS           reject with retry-after, or wait: poll claim() again, sleeping
   *                                  min(pollInterval, remaining wait, remaining lease) each time
   *         -> CLAIMED               run the work with a heartbeat, then exactly one conditional write:
   *                                  complete (result, terminal failure, unknown flag, "not stored" flag)
   *                                  or release (retryable failure)
   *
   * Invariants: (1) the work runs only after a CLAIMED answer, or after a failed claim when failing open;
   * (2) after CLAIMED, exactly one of complete/release is attempted, and its answer decides what the caller
   * learns: APPLIED, FENCED (FencedOutException, or a suppressed one on the work's own failure), or a store
   * error (attached to the work's failure; logged for a success, whose result is still returned, since the
   * side effect happened and a caller that got an error would retry it); (3) nothing is released unless the
   * classifier says RETRYABLE; an unknown failure is recorded as a flag, never released.
   *
   * Harmless races: a heartbeat renewal may run concurrently with the final write; both are conditional on
   * ownership, so a renewal that lands after completion is simply FENCED and ignored (the heartbeat is
   * stopped first, and its answers are ignored once stopped). Stopping may race with a reschedule; the extra
   * tick finds `stopped` and does nothing.
   *
   * Events are created only when a listener wants their type, and after the store answered.
   */

  private static final System.Logger LOGGER = System.getLogger("dev.bulwark.idempotency");

  private final String name;
  private final IdempotencyConfig config;
  private final IdempotencyStore store;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Scheduler scheduler;
  private final Executor heartbeatExecutor;
  private final Listeners<IdempotencyEvent> listeners;
  private final ResultCodec codec;
  private final byte[] codecIdBytes;
  private final byte[] nameBytes;
  private final FailureClassifier classifier;
  private final Duration lease;
  private final Duration ttl;
  private final long waitNanos;
  private final long pollNanos;
  private final long heartbeatNanos;
  private final int maxKeyLength;
  private final int maxResultBytes;
  private final boolean failOpen;

  private final LongAdder executions = new LongAdder();
  private final LongAdder takeovers = new LongAdder();
  private final LongAdder replays = new LongAdder();
  private final LongAdder inProgressRejections = new LongAdder();
  private final LongAdder waits = new LongAdder();
  private final LongAdder fingerprintMismatches = new LongAdder();
  private final LongAdder releases = new LongAdder();
  private final LongAdder terminalFailures = new LongAdder();
  private final LongAdder unknownOutcomes = new LongAdder();
  private final LongAdder resultsNotStored = new LongAdder();
  private final LongAdder fencedOut = new LongAdder();
  private final LongAdder storeErrors = new LongAdder();
  private final LongAdder failOpenExecutions = new LongAdder();
  private final Metrics metrics = new MetricsView();

  IdempotencyExecutor(Idempotency.Builder builder, IdempotencyStore store) {
    this.name = builder.name;
    this.config = builder.config;
    this.store = store;
    this.clock = builder.clock;
    this.sleeper = builder.sleeper;
    this.scheduler = builder.scheduler;
    this.heartbeatExecutor = builder.heartbeatExecutor;
    this.listeners = builder.listeners.build();
    this.codec = config.codec();
    this.codecIdBytes = codec.id().getBytes(StandardCharsets.US_ASCII);
    this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
    this.classifier = config.failureClassifier();
    this.lease = config.lease();
    this.ttl = config.ttl();
    this.waitNanos = Check.saturatedNanos(config.waitForCompletion());
    this.pollNanos = Check.saturatedNanos(config.pollInterval());
    this.heartbeatNanos = Check.saturatedNanos(config.heartbeatInterval());
    this.maxKeyLength = config.maxKeyLength();
    this.maxResultBytes = Math.min(config.maxResultBytes(), store.maxResultBytes());
    this.failOpen = config.failOpen();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public IdempotencyConfig config() {
    return config;
  }

  @Override
  public IdempotencyStore store() {
    return store;
  }

  @Override
  public Metrics metrics() {
    return metrics;
  }

  // ----------------------------------------------------------------------------------------------------
  // the decorator layer

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    IdempotencyKey key = IdempotencyKey.current();
    if (key == null) {
      throw noKey();
    }
    return execute(key.key(), key.fingerprint(), callable);
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    IdempotencyKey key = IdempotencyKey.current();
    if (key == null) {
      return CompletableFuture.failedFuture(noKey());
    }
    return executeAsync(key.key(), key.fingerprint(), supplier);
  }

  private IllegalStateException noKey() {
    return new IllegalStateException("idempotency '" + name + "' needs a key: run the call inside "
        + "IdempotencyKey.of(key, fingerprint).call(...), or use execute(key, fingerprint, work)");
  }

  // ----------------------------------------------------------------------------------------------------
  // synchronous execution

  @Override
  public <T> T execute(String key, String fingerprint, Callable<? extends T> work) throws Exception {
    return run(key, fingerprint, work, null);
  }

  @Override
  public <T> IdempotentResult<T> executeForResult(String key, String fingerprint, Callable<? extends T> work)
      throws Exception {
    boolean[] replayed = new boolean[1];
    T value = run(key, fingerprint, work, replayed);
    return IdempotentResult.of(value, replayed[0]);
  }

  /** The synchronous call; sets {@code replayed[0]} for a replay when the caller asks. */
  private <T> T run(String key, String fingerprint, Callable<? extends T> work, boolean[] replayed)
      throws Exception {
    Objects.requireNonNull(work, "work");
    String keyHash = keyHash(key);
    String fingerprintHash = KeyHasher.fingerprintHash(Objects.requireNonNull(fingerprint, "fingerprint"));
    String owner = KeyHasher.newOwnerToken();
    long waitBudget = Math.min(waitNanos, Deadline.currentRemainingNanos());
    long waitStart = 0;
    boolean waiting = false;
    while (true) {
      ClaimResult claim;
      try {
        claim = store.claim(keyHash, fingerprintHash, owner, lease, ttl);
      } catch (RuntimeException storeFailure) {
        failedClaim(keyHash, storeFailure);
        return work.call(); // failing open: no record, no replay
      }
      switch (claim.status()) {
        case CLAIMED:
          return runClaimed(keyHash, owner, claim, work);
        case COMPLETED:
          if (replayed != null) {
            replayed[0] = true;
          }
          return replay(keyHash, claim.record());
        case FINGERPRINT_MISMATCH:
          throw keyReused(keyHash);
        default: // IN_PROGRESS
          long retryAfter = Check.saturatedNanos(claim.retryAfter());
          long now = clock.nanoTime();
          if (!waiting) {
            waitStart = now;
          }
          long remaining = waitBudget - (now - waitStart);
          if (remaining <= 0) {
            throw rejectInProgress(keyHash, claim.retryAfter(), retryAfter);
          }
          if (!waiting) {
            waiting = true;
            waits.increment();
          }
          sleeper.sleep(Math.min(Math.min(pollNanos, remaining), retryAfter));
      }
    }
  }

  private <T> T runClaimed(String keyHash, String owner, ClaimResult claim, Callable<? extends T> work)
      throws Exception {
    long fencing = claim.fencingToken();
    onExecuting(keyHash, fencing, claim.isTakeover());
    Heartbeat heartbeat = startHeartbeat(keyHash, owner, fencing);
    T value;
    try {
      value = work.call();
    } catch (Throwable failure) {
      stop(heartbeat);
      recordFailure(keyHash, owner, fencing, failure);
      throw failure;
    }
    stop(heartbeat);
    recordResult(keyHash, owner, fencing, value);
    return value;
  }

  // ----------------------------------------------------------------------------------------------------
  // asynchronous execution

  @Override
  public <T> CompletionStage<T> executeAsync(
      String key, String fingerprint, Supplier<? extends CompletionStage<? extends T>> work) {
    AsyncExecution<T> execution;
    try {
      Objects.requireNonNull(work, "work");
      String keyHash = keyHash(key);
      String fingerprintHash = KeyHasher.fingerprintHash(Objects.requireNonNull(fingerprint, "fingerprint"));
      long waitBudget = Math.min(waitNanos, Deadline.currentRemainingNanos());
      execution = new AsyncExecution<>(keyHash, fingerprintHash, work, waitBudget);
    } catch (RuntimeException badInput) {
      return CompletableFuture.failedFuture(badInput);
    }
    execution.attempt();
    return execution;
  }

  /**
   * One asynchronous call: the future returned to the caller, the poll task while waiting, and the callback
   * on the work's stage. Claims run on the caller's thread (first attempt) or the scheduler's (polls).
   */
  private final class AsyncExecution<T> extends CompletableFuture<T>
      implements Runnable, BiConsumer<T, Throwable> {
    private final String keyHash;
    private final String fingerprintHash;
    private final String owner = KeyHasher.newOwnerToken();
    private final Supplier<? extends CompletionStage<? extends T>> work;
    private final long waitBudget;
    private long waitStart;
    private boolean waiting;
    private boolean owned;
    private long fencing;
    private Heartbeat heartbeat;
    private volatile CompletionStage<? extends T> stage;

    AsyncExecution(String keyHash, String fingerprintHash, Supplier<? extends CompletionStage<? extends T>> work,
        long waitBudget) {
      this.keyHash = keyHash;
      this.fingerprintHash = fingerprintHash;
      this.work = work;
      this.waitBudget = waitBudget;
    }

    /** A scheduled poll. */
    @Override
    public void run() {
      attempt();
    }

    void attempt() {
      if (isDone()) {
        return; // cancelled while waiting
      }
      ClaimResult claim;
      try {
        claim = store.claim(keyHash, fingerprintHash, owner, lease, ttl);
      } catch (RuntimeException storeFailure) {
        try {
          failedClaim(keyHash, storeFailure);
        } catch (IdempotencyStoreUnavailableException closed) {
          completeExceptionally(closed);
          return;
        }
        startWork();
        return;
      }
      try {
        switch (claim.status()) {
          case CLAIMED:
            owned = true;
            fencing = claim.fencingToken();
            onExecuting(keyHash, fencing, claim.isTakeover());
            heartbeat = startHeartbeat(keyHash, owner, fencing);
            startWork();
            return;
          case COMPLETED:
            complete(replay(keyHash, claim.record()));
            return;
          case FINGERPRINT_MISMATCH:
            completeExceptionally(keyReused(keyHash));
            return;
          default: // IN_PROGRESS
            long retryAfter = Check.saturatedNanos(claim.retryAfter());
            long now = clock.nanoTime();
            if (!waiting) {
              waitStart = now;
            }
            long remaining = waitBudget - (now - waitStart);
            if (remaining <= 0) {
              completeExceptionally(rejectInProgress(keyHash, claim.retryAfter(), retryAfter));
              return;
            }
            if (!waiting) {
              waiting = true;
              waits.increment();
            }
            scheduler.schedule(this, Math.min(Math.min(pollNanos, remaining), retryAfter));
        }
      } catch (Throwable failure) {
        completeExceptionally(failure); // a replayed failure, or an unreadable record
      }
    }

    private void startWork() {
      CompletionStage<? extends T> started;
      try {
        started = Objects.requireNonNull(work.get(), "the work returned a null CompletionStage");
      } catch (Throwable failure) {
        accept(null, failure);
        return;
      }
      stage = started;
      started.whenComplete(this);
    }

    /** The work's stage completed. */
    @Override
    public void accept(T value, Throwable failure) {
      Throwable cause = failure == null ? null : OutcomeClassifier.unwrap(failure);
      if (owned) {
        stop(heartbeat);
        if (cause != null) {
          recordFailure(keyHash, owner, fencing, cause);
        } else {
          try {
            recordResult(keyHash, owner, fencing, value);
          } catch (FencedOutException fenced) {
            completeExceptionally(fenced);
            return;
          }
        }
      }
      if (cause != null) {
        completeExceptionally(cause);
      } else {
        complete(value);
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      CompletionStage<? extends T> running = stage;
      if (cancelled && running != null) {
        try {
          running.toCompletableFuture().cancel(mayInterruptIfRunning);
        } catch (UnsupportedOperationException cannotCancel) {
          // the work's outcome is recorded when it completes, as usual
        }
      }
      return cancelled;
    }
  }

  // ----------------------------------------------------------------------------------------------------
  // outcomes shared by both paths

  /** Handles a failed claim: throws when failing closed, returns when the work should run without a record. */
  private void failedClaim(String keyHash, RuntimeException storeFailure) {
    storeErrors.increment();
    if (listeners.wants(IdempotencyEvent.StoreFailed.class)) {
      listeners.emit(new IdempotencyEvent.StoreFailed(name, keyHash, "claim", storeFailure, failOpen));
    }
    if (!failOpen) {
      throw new IdempotencyStoreUnavailableException(name, "claim", false, storeFailure);
    }
    failOpenExecutions.increment();
  }

  private void onExecuting(String keyHash, long fencing, boolean takeover) {
    executions.increment();
    if (takeover) {
      takeovers.increment();
    }
    if (listeners.wants(IdempotencyEvent.Executing.class)) {
      listeners.emit(new IdempotencyEvent.Executing(name, keyHash, fencing, takeover));
    }
  }

  private IdempotencyKeyReuseException keyReused(String keyHash) {
    fingerprintMismatches.increment();
    if (listeners.wants(IdempotencyEvent.KeyReused.class)) {
      listeners.emit(new IdempotencyEvent.KeyReused(name, keyHash));
    }
    return new IdempotencyKeyReuseException(name);
  }

  private IdempotencyInProgressException rejectInProgress(String keyHash, Duration retryAfter, long retryAfterNanos) {
    inProgressRejections.increment();
    if (listeners.wants(IdempotencyEvent.RejectedInProgress.class)) {
      listeners.emit(new IdempotencyEvent.RejectedInProgress(name, keyHash, retryAfter));
    }
    return new IdempotencyInProgressException(name, retryAfterNanos);
  }

  /** Replays a completed record: returns its result, or throws what it holds. */
  @SuppressWarnings("unchecked")
  private <T> T replay(String keyHash, IdempotencyRecord record) throws Exception {
    Envelope envelope = Envelope.parse(record.resultBytes());
    replays.increment();
    if (listeners.wants(IdempotencyEvent.Replayed.class)) {
      listeners.emit(new IdempotencyEvent.Replayed(name, keyHash, envelope.outcome));
    }
    switch (envelope.outcome) {
      case RESULT:
        requireOwnCodec(envelope);
        try {
          if (codec == DefaultResultCodec.INSTANCE) { // in place, without copying the payload
            return (T) DefaultResultCodec.INSTANCE.decode(
                envelope.bytes, envelope.payloadOffset, envelope.payloadLength(), envelope.codecVersion);
          }
          return (T) codec.decode(envelope.payload(), envelope.codecVersion);
        } catch (IdempotencyCodecException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new IdempotencyCodecException("codec '" + codec.id() + "' failed to decode a stored result: " + e, e);
        }
      case FAILURE:
        requireOwnCodec(envelope);
        Throwable failure;
        try {
          failure = codec.decodeFailure(envelope.payload(), envelope.codecVersion);
        } catch (IdempotencyCodecException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new IdempotencyCodecException("codec '" + codec.id() + "' failed to decode a stored failure: " + e, e);
        }
        if (failure == null) {
          throw new IdempotencyCodecException("codec '" + codec.id() + "' decoded a stored failure to null", null);
        }
        throw Exceptions.sneakyThrow(failure);
      case OUTCOME_UNKNOWN:
        throw new IdempotencyOutcomeUnknownException(name, envelope.payloadText());
      default: // RESULT_NOT_STORED
        throw new IdempotencyResultNotStoredException(name, envelope.payloadText());
    }
  }

  private void requireOwnCodec(Envelope envelope) {
    if (!envelope.codecIs(codecIdBytes)) {
      throw new IdempotencyCodecException("the stored outcome was written by codec '" + envelope.codecId() + "' v"
          + envelope.codecVersion + ", but idempotency '" + name + "' decodes with codec '" + codec.id() + "'", null);
    }
  }

  /** Records a successful result; throws {@link FencedOutException} if this execution lost the key. */
  private void recordResult(String keyHash, String owner, long fencing, Object value) {
    StoredOutcome outcome = StoredOutcome.RESULT;
    byte[] envelope;
    try {
      envelope = Envelope.encode(StoredOutcome.RESULT, codec.id(), codec.version(), codec.encode(value));
      if (envelope.length > maxResultBytes) {
        outcome = StoredOutcome.RESULT_NOT_STORED;
        envelope = textEnvelope(outcome, "the encoded result has " + envelope.length
            + " bytes, more than the limit of " + maxResultBytes + " bytes");
      }
    } catch (RuntimeException codecFailure) {
      outcome = StoredOutcome.RESULT_NOT_STORED;
      envelope = textEnvelope(outcome, "codec '" + codec.id() + "' could not encode the result: " + codecFailure);
    }
    write(keyHash, owner, fencing, envelope, outcome, null);
  }

  /** Releases or records a failure of the work; never throws, attaches store trouble to {@code failure}. */
  private void recordFailure(String keyHash, String owner, long fencing, Throwable failure) {
    FailureKind kind;
    try {
      kind = classifier.classify(failure);
    } catch (RuntimeException classifierFailure) {
      failure.addSuppressed(classifierFailure);
      kind = FailureKind.UNKNOWN;
    }
    switch (kind) {
      case RETRYABLE:
        release(keyHash, owner, fencing, failure);
        return;
      case TERMINAL:
        byte[] envelope = null;
        String problem;
        try {
          envelope = Envelope.encode(StoredOutcome.FAILURE, codec.id(), codec.version(), codec.encodeFailure(failure));
          problem = envelope.length > maxResultBytes
              ? "the encoded failure has " + envelope.length + " bytes, more than the limit of " + maxResultBytes
              : null;
        } catch (RuntimeException codecFailure) {
          problem = "codec '" + codec.id() + "' could not encode it: " + codecFailure;
        }
        if (problem == null) {
          write(keyHash, owner, fencing, envelope, StoredOutcome.FAILURE, failure);
        } else {
          // the failure cannot be replayed as it was: flag the key rather than run the work again
          write(keyHash, owner, fencing, textEnvelope(StoredOutcome.OUTCOME_UNKNOWN,
              "terminal failure not stored (" + problem + "): " + describe(failure)), StoredOutcome.OUTCOME_UNKNOWN, failure);
        }
        return;
      default: // UNKNOWN
        write(keyHash, owner, fencing, textEnvelope(StoredOutcome.OUTCOME_UNKNOWN, describe(failure)),
            StoredOutcome.OUTCOME_UNKNOWN, failure);
    }
  }

  private void release(String keyHash, String owner, long fencing, Throwable failure) {
    WriteResult answer;
    try {
      answer = store.release(keyHash, owner, fencing);
    } catch (RuntimeException storeFailure) {
      storeFailed(keyHash, "release", storeFailure);
      failure.addSuppressed(new IdempotencyStoreUnavailableException(name, "release", true, storeFailure));
      return;
    }
    if (answer == WriteResult.FENCED) {
      failure.addSuppressed(fenced(keyHash, fencing, "release"));
      return;
    }
    releases.increment();
    if (listeners.wants(IdempotencyEvent.Released.class)) {
      listeners.emit(new IdempotencyEvent.Released(name, keyHash, failure));
    }
  }

  /**
   * Completes the record. For a success ({@code failure == null}) a fenced write throws
   * {@link FencedOutException}; for a failure, store trouble is attached to it.
   */
  private void write(String keyHash, String owner, long fencing, byte[] envelope, StoredOutcome outcome,
      Throwable failure) {
    WriteResult answer;
    try {
      answer = store.complete(keyHash, owner, fencing, envelope, ttl);
    } catch (RuntimeException storeFailure) {
      storeFailed(keyHash, "complete", storeFailure);
      if (failure != null) {
        failure.addSuppressed(new IdempotencyStoreUnavailableException(name, "complete", true, storeFailure));
      } else {
        LOGGER.log(Level.WARNING, "idempotency '" + name + "': the work succeeded but its result could not be "
            + "recorded (key hash " + keyHash + "); the result is returned, and a repeat after the lease lapses "
            + "may run the work again", storeFailure);
      }
      return;
    }
    if (answer == WriteResult.FENCED) {
      FencedOutException fenced = fenced(keyHash, fencing, "complete");
      if (failure == null) {
        throw fenced;
      }
      failure.addSuppressed(fenced);
      return;
    }
    switch (outcome) {
      case FAILURE:
        terminalFailures.increment();
        break;
      case OUTCOME_UNKNOWN:
        unknownOutcomes.increment();
        break;
      case RESULT_NOT_STORED:
        resultsNotStored.increment();
        break;
      default:
        break;
    }
    if (listeners.wants(IdempotencyEvent.Recorded.class)) {
      listeners.emit(new IdempotencyEvent.Recorded(name, keyHash, outcome));
    }
  }

  private FencedOutException fenced(String keyHash, long fencing, String operation) {
    fencedOut.increment();
    if (listeners.wants(IdempotencyEvent.FencedOut.class)) {
      listeners.emit(new IdempotencyEvent.FencedOut(name, keyHash, fencing, operation));
    }
    return new FencedOutException(name, fencing, operation);
  }

  private void storeFailed(String keyHash, String operation, RuntimeException storeFailure) {
    storeErrors.increment();
    if (listeners.wants(IdempotencyEvent.StoreFailed.class)) {
      listeners.emit(new IdempotencyEvent.StoreFailed(name, keyHash, operation, storeFailure, false));
    }
  }

  /** A text envelope cut to fit the result limit. */
  private byte[] textEnvelope(StoredOutcome outcome, String text) {
    String cut = text;
    byte[] envelope = Envelope.text(outcome, cut);
    while (envelope.length > maxResultBytes && !cut.isEmpty()) {
      cut = cut.substring(0, Math.max(0, Math.min(cut.length() - 1, maxResultBytes - 16)));
      envelope = Envelope.text(outcome, cut);
    }
    return envelope;
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    String text = failure.getClass().getName() + (message == null ? "" : ": " + message);
    return text.length() <= 1000 ? text : text.substring(0, 1000) + "...";
  }

  private String keyHash(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    if (key.length() > maxKeyLength) {
      throw new IllegalArgumentException(
          "key must be at most " + maxKeyLength + " characters (maxKeyLength), was " + key.length());
    }
    return KeyHasher.keyHash(nameBytes, key);
  }

  // ----------------------------------------------------------------------------------------------------
  // heartbeat

  private Heartbeat startHeartbeat(String keyHash, String owner, long fencing) {
    if (heartbeatNanos <= 0) {
      return null;
    }
    Heartbeat heartbeat = new Heartbeat(keyHash, owner, fencing);
    heartbeat.schedule();
    return heartbeat;
  }

  private static void stop(Heartbeat heartbeat) {
    if (heartbeat != null) {
      heartbeat.stop();
    }
  }

  /**
   * Renews the lease every heartbeat interval while the work runs: the scheduler times it, the heartbeat
   * executor runs the (possibly blocking) renewal. Stops on its own when fenced.
   */
  private final class Heartbeat implements Runnable {
    private final String keyHash;
    private final String owner;
    private final long fencing;
    private final Runnable renewal = this::renew;
    private volatile boolean stopped;
    private volatile Scheduler.Cancellable pending;

    Heartbeat(String keyHash, String owner, long fencing) {
      this.keyHash = keyHash;
      this.owner = owner;
      this.fencing = fencing;
    }

    void schedule() {
      try {
        pending = scheduler.schedule(this, heartbeatNanos);
      } catch (RuntimeException rejected) {
        // a scheduler that refuses (shut down) must not fail the work: run on without a heartbeat
        stopped = true;
        LOGGER.log(Level.WARNING, "idempotency '" + name + "': the scheduler refused the heartbeat (" + rejected
            + "); work longer than the lease (" + lease + ") may be taken over", rejected);
      }
    }

    /** The timer fired: hand the renewal to the executor. */
    @Override
    public void run() {
      if (stopped) {
        return;
      }
      try {
        heartbeatExecutor.execute(renewal);
      } catch (RuntimeException rejected) {
        renew(); // the executor refused (shut down, saturated): renew on the timer's thread instead
      }
    }

    private void renew() {
      if (stopped) {
        return;
      }
      WriteResult answer;
      try {
        answer = store.renew(keyHash, owner, fencing, lease);
      } catch (RuntimeException storeFailure) {
        if (!stopped) {
          storeFailed(keyHash, "renew", storeFailure);
          schedule(); // try again next interval: the lease has two more intervals left
        }
        return;
      }
      if (stopped) {
        return; // the work finished meanwhile; a late renewal's answer means nothing
      }
      if (answer == WriteResult.FENCED) {
        if (listeners.wants(IdempotencyEvent.FencedOut.class)) {
          listeners.emit(new IdempotencyEvent.FencedOut(name, keyHash, fencing, "renew"));
        }
        return; // stop renewing; the final write will be fenced too and tell the caller
      }
      schedule();
    }

    void stop() {
      stopped = true;
      Scheduler.Cancellable scheduled = pending;
      if (scheduled != null) {
        scheduled.cancel();
      }
    }
  }

  // ----------------------------------------------------------------------------------------------------
  // administration

  @Override
  public Optional<IdempotencyRecord> inspect(String key) {
    return store.read(keyHash(key));
  }

  @Override
  public boolean forget(String key) {
    return store.delete(keyHash(key));
  }

  @Override
  public String toString() {
    return "Idempotency[" + name + ", " + store + "]";
  }

  private final class MetricsView implements Metrics {
    @Override
    public long executions() {
      return executions.sum();
    }

    @Override
    public long takeovers() {
      return takeovers.sum();
    }

    @Override
    public long replays() {
      return replays.sum();
    }

    @Override
    public long inProgressRejections() {
      return inProgressRejections.sum();
    }

    @Override
    public long waits() {
      return waits.sum();
    }

    @Override
    public long fingerprintMismatches() {
      return fingerprintMismatches.sum();
    }

    @Override
    public long releases() {
      return releases.sum();
    }

    @Override
    public long terminalFailures() {
      return terminalFailures.sum();
    }

    @Override
    public long unknownOutcomes() {
      return unknownOutcomes.sum();
    }

    @Override
    public long resultsNotStored() {
      return resultsNotStored.sum();
    }

    @Override
    public long fencedOut() {
      return fencedOut.sum();
    }

    @Override
    public long storeErrors() {
      return storeErrors.sum();
    }

    @Override
    public long failOpenExecutions() {
      return failOpenExecutions.sum();
    }

    @Override
    public String toString() {
      return "Idempotency.Metrics[" + name + ": executions=" + executions() + ", replays=" + replays()
          + ", inProgressRejections=" + inProgressRejections() + ", fingerprintMismatches="
          + fingerprintMismatches() + ", fencedOut=" + fencedOut() + ", storeErrors=" + storeErrors() + "]";
    }
  }
}
