/**
 * Rate limiting: {@link dev.bulwark.ratelimit.RateLimiter}, a token bucket implemented as GCRA (the Generic
 * Cell Rate Algorithm) on one atomic word, with an exact emission interval, bursts, waiting (blocking or
 * asynchronous) and run-time rate changes. Rejections are {@link dev.bulwark.ratelimit.RateLimitedException}s
 * that say when the permits would be available. See {@code docs/rate-limiter.md}.
 */
package dev.bulwark.ratelimit;
