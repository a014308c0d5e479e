/** Shared internals of the core; not exported by the module, not API. */
package dev.bulwark.internal;
