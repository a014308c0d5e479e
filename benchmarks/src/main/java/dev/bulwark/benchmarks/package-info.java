/** JMH benchmarks comparing Bulwark with its peers; see {@code docs/benchmarks.md}. */
package dev.bulwark.benchmarks;
