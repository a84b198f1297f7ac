package io.tally.collectors.health;

/**
 * The status machine's parameters. A success makes a target healthy, or degraded when its latency
 * is over {@code degradedLatencySeconds}; a failure makes it degraded, and unhealthy from
 * {@code unhealthyAfter} consecutive failures on; a denied target is unhealthy at once.
 */
record HealthRules(int unhealthyAfter, double degradedLatencySeconds, int window) {
}
