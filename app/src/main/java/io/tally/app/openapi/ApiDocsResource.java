package io.tally.app.openapi;

import io.tally.app.resources.ApiError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /api-docs}: Swagger UI reading {@code /openapi.json}, with every asset served from the
 * jar (the {@code org.webjars:swagger-ui} WebJar, and the page and its start-up script of Tally's),
 * so it works with no internet. Asset paths carry the WebJar's version, so they can be cached for
 * good and an upgrade is never served a stale script. Only the files the page uses are served.
 */
@RolesAllowed("read")
@Path("/api-docs")
public final class ApiDocsResource {
    private static final String WEBJAR_POM = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String WEBJAR_DIR = "/META-INF/resources/webjars/swagger-ui/";
    /** Tally's own start-up script, next to the page; the rest comes from the WebJar. */
    static final String INITIALIZER = "tally-api-docs.js";
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png",
            INITIALIZER, "text/javascript; charset=utf-8");

    private final String version;
    private final byte[] page;

    public ApiDocsResource() {
        this.version = webJarVersion();
        this.page = new String(OpenApiResource.read("/openapi/api-docs.html"), StandardCharsets.UTF_8)
                .replace("@SWAGGER_UI_VERSION@", version).getBytes(StandardCharsets.UTF_8);
    }

    /** The Swagger UI version the jar carries, as the WebJar's Maven metadata gives it. */
    public String version() {
        return version;
    }

    @GET
    public Response page(@Context UriInfo uri) {
        // The page's asset links are relative to /api-docs; from /api-docs/ they would miss.
        if (uri.getRequestUri().getRawPath().endsWith("/")) {
            return Response.status(Response.Status.MOVED_PERMANENTLY).location(URI.create("api-docs")).build();
        }
        CacheControl noCache = new CacheControl();
        noCache.setNoCache(true);
        return Response.ok(page, MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).cacheControl(noCache).build();
    }

    @GET
    @Path("{version}/{file}")
    public Response asset(@PathParam("version") String requestedVersion, @PathParam("file") String file) {
        String type = ASSETS.get(file);
        if (type == null || !requestedVersion.equals(version)) {
            throw ApiError.notFound("no file '" + (file.length() > 64 ? file.substring(0, 64) + "..." : file)
                    + "' in the API docs");
        }
        String resource = file.equals(INITIALIZER) ? "/openapi/" + INITIALIZER : WEBJAR_DIR + version + "/" + file;
        CacheControl forever = new CacheControl();
        forever.setPrivate(true);
        forever.setMaxAge(365 * 24 * 3600);
        return Response.ok(OpenApiResource.read(resource), type).cacheControl(forever).build();
    }

    private static String webJarVersion() {
        try (InputStream in = ApiDocsResource.class.getResourceAsStream(WEBJAR_POM)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no Swagger UI WebJar (" + WEBJAR_POM + ")");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WEBJAR_POM, e);
        }
    }
}
