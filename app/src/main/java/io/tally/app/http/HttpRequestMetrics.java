package io.tally.app.http;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import jakarta.inject.Inject;
import jakarta.ws.rs.ext.Provider;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.glassfish.jersey.uri.UriTemplate;

import java.util.List;

/**
 * Request metrics of the application port, recorded by a Jersey listener. The {@code route} label
 * is the matched resource template ({@code /stats/{target}}), never the raw path, so that target
 * names and probes for random paths cannot explode cardinality; unmatched requests share
 * {@code route="unmatched"}.
 */
@Provider
@jakarta.inject.Singleton
public final class HttpRequestMetrics implements ApplicationEventListener {
    static final String RESPONSE_BYTES = "tally.responseBytes";
    private static final double[] SIZE_BUCKETS = {100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};

    private final Counter requests;
    private final Histogram duration;
    private final Histogram responseSize;
    private final Gauge inFlight;

    @Inject
    public HttpRequestMetrics(CollectorRegistry prometheus) {
        requests = Counter.build("http_server_requests_total",
                        "HTTP requests served by the application port, by method, route template and status.")
                .labelNames("method", "route", "status", "status_class").register(prometheus);
        duration = Histogram.build("http_server_request_duration_seconds",
                        "Time from request matching to the response being written.")
                .labelNames("method", "route", "status_class")
                .buckets(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .register(prometheus);
        responseSize = Histogram.build("http_server_response_size_bytes",
                        "Size of response bodies before compression.")
                .labelNames("method", "route").buckets(SIZE_BUCKETS).register(prometheus);
        inFlight = Gauge.build("http_server_requests_in_flight", "Requests being served right now.")
                .register(prometheus);
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        // Only requests matter here.
    }

    @Override
    public RequestEventListener onRequest(RequestEvent requestEvent) {
        inFlight.inc();
        return new RequestTimer(System.nanoTime());
    }

    private final class RequestTimer implements RequestEventListener {
        private final long startNanos;

        RequestTimer(long startNanos) {
            this.startNanos = startNanos;
        }

        @Override
        public void onEvent(RequestEvent event) {
            if (event.getType() != RequestEvent.Type.FINISHED) {
                return;
            }
            inFlight.dec();
            ContainerRequest request = event.getContainerRequest();
            ContainerResponse response = event.getContainerResponse();
            int status = response == null ? 500 : response.getStatus();
            String method = request.getMethod();
            String route = route(event);
            String statusClass = (status / 100) + "xx";
            requests.labels(method, route, Integer.toString(status), statusClass).inc();
            duration.labels(method, route, statusClass).observe((System.nanoTime() - startNanos) / 1e9);
            Object bytes = request.getProperty(RESPONSE_BYTES);
            responseSize.labels(method, route).observe(bytes instanceof Long n ? n : 0);
        }
    }

    static String route(RequestEvent event) {
        List<UriTemplate> templates = event.getUriInfo().getMatchedTemplates();
        if (templates.isEmpty() || event.getUriInfo().getMatchedResourceMethod() == null) {
            return "unmatched";
        }
        StringBuilder route = new StringBuilder();
        for (int i = templates.size() - 1; i >= 0; i--) {
            String part = templates.get(i).getTemplate();
            if (!part.startsWith("/")) {
                route.append('/');
            }
            route.append(part);
        }
        String joined = route.toString().replaceAll("/{2,}", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

}
