package io.tally.collectors.discovery.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.http.BoundedGet;
import io.tally.collectors.discovery.DiscoveryException;
import io.tally.collectors.discovery.SourceResult;
import io.tally.collectors.discovery.TargetDocuments;
import io.tally.collectors.discovery.TargetSource;

import java.io.IOException;
import java.time.Duration;

/**
 * Fetches an http_sd document with one client per source, reused for every refresh; the whole
 * exchange (connect, headers, body) runs under the refresh timeout.
 */
final class HttpTargetSource implements TargetSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final BoundedGet get;
    private final TargetDocuments documents;

    HttpTargetSource(String name, RedactedUrl url, String authorization, long maxBytes, TargetDocuments documents) {
        this.name = name;
        this.get = new BoundedGet(url, "application/json", "tally-discovery", authorization, maxBytes);
        this.documents = documents;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceResult discover(Duration timeout) throws DiscoveryException, InterruptedException {
        byte[] body;
        try {
            body = get.fetch(timeout);
        } catch (BoundedGet.Failure e) {
            // discovery's error kinds name a failed connection "io"
            throw new DiscoveryException(e.kind().equals("connect") ? "io" : e.kind(), e.getMessage());
        }
        JsonNode document;
        try {
            document = JSON.readTree(body);
        } catch (IOException e) {
            throw new DiscoveryException("parse", get.url() + " did not send valid JSON");
        }
        return documents.read(name, document);
    }
}
