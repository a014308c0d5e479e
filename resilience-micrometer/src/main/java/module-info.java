/**
 * Binds the metrics views of Bulwark's policies, one by one or a whole {@code dev.bulwark.Registry} at a
 * time, to a Micrometer {@code MeterRegistry}.
 *
 * <p>Both requirements are transitive: the API takes the core's {@code Registry} and {@code Policy} and
 * Micrometer's {@code MeterRegistry} and {@code Tag}, so a module that reads this one can name them.
 * {@code micrometer.core} is the automatic module name that micrometer-core declares in its manifest.
 */
module dev.bulwark.micrometer {
  requires transitive dev.bulwark.core;
  requires transitive micrometer.core;

  exports dev.bulwark.micrometer;
}
