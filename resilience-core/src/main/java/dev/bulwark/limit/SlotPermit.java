package dev.bulwark.limit;

/**
 * A permit of a {@link LimiterCore}: immutable, all its state is the token, so a caller that acquires and
 * completes in one inlined method lets escape analysis remove it, and completing it twice is harmless because
 * the token's generation only matches once.
 */
final class SlotPermit implements LimiterPermit {
  private final LimiterCore core;
  private final long token;

  SlotPermit(LimiterCore core, long token) {
    this.core = core;
    this.token = token;
  }

  long token() {
    return token;
  }

  @Override
  public void onSuccess() {
    core.complete(token, LimiterCore.SUCCESS);
  }

  @Override
  public void onDropped() {
    core.complete(token, LimiterCore.DROPPED);
  }

  @Override
  public void onIgnore() {
    core.complete(token, LimiterCore.IGNORED);
  }

  @Override
  public void onResult(long durationNanos, Object result) {
    core.complete(token, core.outcomeOfResult(result));
  }

  @Override
  public void onFailure(long durationNanos, Throwable failure) {
    core.complete(token, core.outcomeOfFailure(failure));
  }

  @Override
  public String toString() {
    return "LimiterPermit[" + core.name + (core.isHeld(token) ? ", held]" : ", completed]");
  }
}
