package io.tally.collectors.discovery.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.collectors.core.target.RedactedUrl;
import io.tally.collectors.discovery.DiscoveryException;
import io.tally.collectors.discovery.SourceResult;
import io.tally.collectors.discovery.TargetDocuments;
import io.tally.collectors.discovery.TargetSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Fetches an http_sd document with one HttpClient per source, reused for every refresh. */
final class HttpTargetSource implements TargetSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final RedactedUrl url;
    private final String authorization;
    private final long maxBytes;
    private final TargetDocuments documents;
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    HttpTargetSource(String name, RedactedUrl url, String authorization, long maxBytes, TargetDocuments documents) {
        this.name = name;
        this.url = url;
        this.authorization = authorization;
        this.maxBytes = maxBytes;
        this.documents = documents;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceResult discover(Duration timeout) throws DiscoveryException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.reveal()).timeout(timeout)
                .header("Accept", "application/json").header("User-Agent", "tally-discovery");
        if (authorization != null && !authorization.isBlank()) {
            request.header("Authorization", authorization);
        }
        byte[] body;
        try {
            HttpResponse<InputStream> response = client.send(request.GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new DiscoveryException("http_status", url + " answered HTTP " + response.statusCode());
                }
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            }
        } catch (HttpTimeoutException e) {
            throw new DiscoveryException("timeout", url + " did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new DiscoveryException("io", url + ": " + url.scrub(String.valueOf(e.getMessage()))
                    + " (" + e.getClass().getSimpleName() + ")");
        }
        if (body.length > maxBytes) {
            throw new DiscoveryException("too_large", url + " sent more than " + maxBytes + " bytes");
        }
        JsonNode document;
        try {
            document = JSON.readTree(body);
        } catch (IOException e) {
            throw new DiscoveryException("parse", url + " did not send valid JSON");
        }
        return documents.read(name, document);
    }
}
