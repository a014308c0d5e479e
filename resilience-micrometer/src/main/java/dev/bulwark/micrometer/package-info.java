/**
 * Micrometer meters for Bulwark's policies: {@link dev.bulwark.micrometer.BulwarkMetrics} binds a whole
 * {@link dev.bulwark.Registry} (instances added later are bound when they appear, removed ones lose their
 * meters) or a single policy.
 *
 * <p>Every meter reads the policy's own metrics view when the registry is scraped (function counters and
 * gauges), so a bound policy costs the same per call as an unbound one. Meter names are
 * {@code bulwark.<policy>.<what>}; tags are {@code name} plus a small fixed set ({@code state},
 * {@code outcome}, {@code kind}, {@code priority}) and the user's common tags; no tag ever carries an
 * unbounded value such as a key or an exception message. {@code docs/metrics.md} lists every meter.
 */
package dev.bulwark.micrometer;
