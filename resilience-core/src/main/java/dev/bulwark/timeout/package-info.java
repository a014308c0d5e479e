/**
 * Timeouts for one attempt, synchronous or asynchronous, that also respect the current
 * {@link dev.bulwark.Deadline}: {@link dev.bulwark.timeout.Timeout}, {@link dev.bulwark.timeout.TimeoutConfig}
 * and {@link dev.bulwark.timeout.TimeoutExceededException}.
 */
package dev.bulwark.timeout;
