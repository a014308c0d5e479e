package dev.bulwark.retry;

/** No budget: every retry is allowed and nothing is counted. */
enum UnlimitedRetryBudget implements RetryBudget, RetryBudget.Metrics {
  INSTANCE;

  @Override
  public void recordRequest() {}

  @Override
  public void recordSuccess() {}

  @Override
  public void recordFailure() {}

  @Override
  public boolean tryAcquireRetry() {
    return true;
  }

  @Override
  public RetryBudgetConfig config() {
    return RetryBudgetConfig.unlimited();
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  @Override
  public double balance() {
    return Double.POSITIVE_INFINITY;
  }

  @Override
  public long availableRetries() {
    return Long.MAX_VALUE;
  }

  @Override
  public long requests() {
    return 0;
  }

  @Override
  public long retriesPermitted() {
    return 0;
  }

  @Override
  public long retriesRejected() {
    return 0;
  }

  @Override
  public String toString() {
    return "RetryBudget{unlimited}";
  }
}
