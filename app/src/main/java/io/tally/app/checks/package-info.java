/**
 * The admin port's Dropwizard health checks ({@code GET /healthcheck} on the admin connector): is the
 * collection loop running, is each collector's data fresh enough. They watch Tally itself. "Health"
 * names three other things, kept apart by name: the {@code GET /health} score of delivery
 * ({@code io.tally.app.stats.HealthScore}), the {@code health} collector family that probes targets
 * ({@code collectors/health}), and a target's probe status ({@code HealthStatus}: healthy, degraded,
 * unhealthy, unknown).
 */
package io.tally.app.checks;
