package io.tally.app.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The files of the page, read from the class path once at start: the page and its script and
 * style from {@code ui/}, and uPlot (the charts) from its WebJar. Everything the browser loads
 * comes from the jar, so the page works with no internet. A missing file stops start-up, which
 * is where a packaging mistake should show, not in a browser.
 */
@jakarta.inject.Singleton
public final class UiAssets {
    /** One file as served: its bytes, media type and strong entity tag (a hash of the bytes). */
    public record Asset(byte[] bytes, String mediaType, String etag) {
    }

    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private final String pageTemplate;
    private final Map<String, Asset> files;

    public UiAssets() {
        this.pageTemplate = new String(read("ui/index.html"), StandardCharsets.UTF_8);
        String uplot = "META-INF/resources/webjars/uplot/" + webJarVersion() + "/dist/";
        this.files = Map.of(
                "app.js", asset(read("ui/app.js"), "text/javascript; charset=utf-8"),
                "app.css", asset(read("ui/app.css"), "text/css; charset=utf-8"),
                "uplot.js", asset(read(uplot + "uPlot.iife.min.js"), "text/javascript; charset=utf-8"),
                "uplot.css", asset(read(uplot + "uPlot.min.css"), "text/css; charset=utf-8"));
    }

    /**
     * The page, with its base set to the application root as seen from the request's path (so
     * that {@code stats}, {@code ui/assets/app.js} resolve under any {@code server.rootPath} and
     * behind a proxy that adds a prefix). {@code depth} is the number of '/' after the root.
     */
    public String page(int depth) {
        return pageTemplate.replace("{{base}}", depth == 0 ? "./" : "../".repeat(depth));
    }

    /** A named asset ({@code app.js}, {@code uplot.css}, ...), or null. */
    public Asset asset(String name) {
        return files.get(name);
    }

    private static String webJarVersion() {
        Properties pom = new Properties();
        try (InputStream in = UiAssets.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot WebJar is not on the class path (" + UPLOT_POM + ")");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static byte[] read(String path) {
        try (InputStream in = UiAssets.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the page's file " + path + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Asset asset(byte[] bytes, String mediaType) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(bytes, mediaType, HexFormat.of().formatHex(hash, 0, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
