package io.tally.app.ui;

import io.tally.app.resources.ApiError;
import io.tally.app.resources.EntityTagConditions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code GET /ui} (the overview), {@code GET /ui/targets/{name}} (one target's deep link; the
 * same page, which reads the name from its address) and {@code GET /ui/assets/{file}}. The page
 * and its files need the {@code read} role, as the JSON they show does. The page draws everything
 * from the JSON API in the browser; this resource only serves files.
 */
@RolesAllowed("read")
@Path("/ui")
public final class UiResource {
    /**
     * Scripts, styles, images and connections only from Tally itself; no inline script, no
     * framing. uPlot sets sizes through the CSSOM, which {@code style-src 'self'} allows.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'";

    private final UiAssets assets;

    @Inject
    public UiResource(UiAssets assets) {
        this.assets = assets;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response overview(@Context UriInfo uri) {
        return page(uri);
    }

    @GET
    @Path("targets/{target}")
    @Produces(MediaType.TEXT_HTML)
    public Response target(@PathParam("target") String target, @Context UriInfo uri) {
        return page(uri);
    }

    @GET
    @Path("assets/{file}")
    @Produces({"text/javascript", "text/css"})
    public Response asset(@PathParam("file") String file, @Context HttpHeaders headers) {
        UiAssets.Asset asset = assets.asset(file);
        if (asset == null) {
            throw ApiError.notFound("no page asset named '" + (file.length() > 64 ? file.substring(0, 64) + "..." : file)
                    + "'");
        }
        EntityTag tag = new EntityTag(asset.etag());
        // Revalidated on every load (a cheap 304), so a new Tally never leaves an old script behind.
        CacheControl cache = new CacheControl();
        cache.setNoCache(true);
        cache.setPrivate(true);
        cache.setNoTransform(false);
        if (EntityTagConditions.evaluate(asset.etag(), null, headers.getRequestHeader(HttpHeaders.IF_NONE_MATCH))
                == EntityTagConditions.Outcome.NOT_MODIFIED) {
            return Response.notModified(tag).cacheControl(cache).build();
        }
        return secured(Response.ok(asset.bytes(), asset.mediaType()).tag(tag).cacheControl(cache)).build();
    }

    private Response page(UriInfo uri) {
        String path = uri.getPath(false);
        int depth = (int) path.chars().filter(c -> c == '/').count() - (path.startsWith("/") ? 1 : 0);
        CacheControl cache = new CacheControl();
        cache.setNoCache(true);
        cache.setPrivate(true);
        cache.setNoTransform(false);
        return secured(Response.ok(assets.page(depth), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .cacheControl(cache)).build();
    }

    private static Response.ResponseBuilder secured(Response.ResponseBuilder response) {
        return response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY");
    }
}
