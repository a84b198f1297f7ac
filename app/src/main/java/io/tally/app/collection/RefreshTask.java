package io.tally.app.collection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.servlets.tasks.PostBodyTask;
import io.tally.collectors.discovery.DiscoveryState;
import io.tally.collectors.discovery.RefreshManager;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /tasks/refresh} on the admin port: re-discovers targets now and prints the refresh
 * state as JSON (status, counts, invalid entries with reasons, last error). No URL is printed.
 */
public final class RefreshTask extends PostBodyTask {
    private final RefreshManager manager;
    private final ObjectMapper json;

    public RefreshTask(RefreshManager manager, ObjectMapper json) {
        super("refresh");
        this.manager = manager;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    @Override
    public void execute(Map<String, List<String>> parameters, String body, PrintWriter output) throws Exception {
        DiscoveryState state = manager.refreshNow();
        json.writeValue(output, Map.of(
                "status", state.status().label(),
                "targets", Map.of("discovered", state.discovered(), "valid", state.valid(),
                        "invalid", state.invalid().size()),
                "invalid", state.invalid(),
                "consecutive_failures", state.consecutiveFailures(),
                "last_error", state.lastError() == null ? "" : state.lastError(),
                "duration_seconds", state.lastDuration() == null ? 0 : state.lastDuration().toNanos() / 1e9));
        output.println();
    }
}
