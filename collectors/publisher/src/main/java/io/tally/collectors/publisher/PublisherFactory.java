package io.tally.collectors.publisher;

import io.tally.collectors.core.CollectorFactory;

/** A publisher type in {@code publishers:} ({@code type: prometheus}). */
public interface PublisherFactory extends CollectorFactory {
}
