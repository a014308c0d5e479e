/**
 * Bulwark's shared concepts: {@link dev.bulwark.Clock}, the permit layer ({@link dev.bulwark.PermitPolicy},
 * {@link dev.bulwark.Permit}), the decorator layer ({@link dev.bulwark.Policy}), composition
 * ({@link dev.bulwark.Pipeline}), outcome classification ({@link dev.bulwark.OutcomeClassifier}), rejections
 * ({@link dev.bulwark.CallNotPermittedException}) and the {@link dev.bulwark.Registry}.
 */
package dev.bulwark;
