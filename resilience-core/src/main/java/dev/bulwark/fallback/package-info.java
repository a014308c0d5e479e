/**
 * Degraded results instead of failures: {@link dev.bulwark.fallback.Fallback}, the outermost policy of a
 * pipeline.
 */
package dev.bulwark.fallback;
