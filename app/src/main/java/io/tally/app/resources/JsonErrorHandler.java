package io.tally.app.resources;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Errors Jetty answers itself (a malformed request line, a bad %-escape, an ambiguous path) in the
 * API's JSON error shape instead of an HTML page. The detail never echoes the request.
 */
public final class JsonErrorHandler extends org.eclipse.jetty.ee10.servlet.ErrorHandler {

    public JsonErrorHandler() {
        setShowStacks(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        write(response, code, callback);
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                 String contentType, List<Charset> charsets, int code, String message,
                                                 Throwable cause) {
        write(response, code, callback);
        return true;
    }

    private static void write(Response response, int code, Callback callback) {
        String reason = HttpStatus.getMessage(code);
        String body = "{\"error\":{\"code\":" + code + ",\"message\":\"" + (reason == null ? "error" : reason.toLowerCase())
                + "\"}}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
