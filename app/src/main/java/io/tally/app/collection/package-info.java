/**
 * Runs the collection engine (the {@code CollectorRegistry} of {@code collectors/core}) inside the
 * application: the schedule that collects every {@code collection.interval}, and the admin task that
 * re-discovers targets on demand.
 */
package io.tally.app.collection;
