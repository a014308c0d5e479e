/**
 * Retry with backoff and jitter, within a retry budget: {@link dev.bulwark.retry.Retry},
 * {@link dev.bulwark.retry.RetryConfig}, {@link dev.bulwark.retry.Backoff}, {@link dev.bulwark.retry.Jitter},
 * {@link dev.bulwark.retry.RetryBudget} and the {@link dev.bulwark.retry.RetryEvent}s.
 */
package dev.bulwark.retry;
