package io.tally.app.openapi;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of the JSON API. The document is written
 * by hand next to the code ({@code openapi/openapi.json} in the jar) and kept true by
 * {@code OpenApiContractTest}, which checks it against real responses both ways.
 */
@RolesAllowed("read")
@Path("/openapi.json")
@Produces(MediaType.APPLICATION_JSON)
public final class OpenApiResource {
    static final String DOCUMENT = "/openapi/openapi.json";

    private final byte[] document;

    public OpenApiResource() {
        this.document = read(DOCUMENT);
    }

    @GET
    public Response document() {
        return Response.ok(document, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** A resource of the jar; its absence is a broken build, so it stops start-up. */
    static byte[] read(String resource) {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
        }
    }
}
