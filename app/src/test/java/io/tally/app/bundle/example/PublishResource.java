package io.tally.app.bundle.example;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** The service's own API: queue a notification, replay the dead-letter queue. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class PublishResource {
    private final WebhookWorkers workers;

    public PublishResource(WebhookWorkers workers) {
        this.workers = workers;
    }

    @POST
    @Path("publish/{target}")
    public Response publish(@PathParam("target") String target, @QueryParam("priority") String priority) {
        boolean accepted = workers.submit(target, priority == null ? "normal" : priority);
        return Response.status(accepted ? 202 : 503).entity(Map.of("accepted", accepted)).build();
    }

    @POST
    @Path("dlq/replay")
    public Map<String, Integer> replay() throws InterruptedException {
        return Map.of("replayed", workers.replayDeadLetters());
    }
}
