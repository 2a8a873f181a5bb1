/**
 * JMH benchmarks of tokengate's hot paths. Never run by the tests; see {@code bench/README.md}.
 */
package io.tokengate.bench;
