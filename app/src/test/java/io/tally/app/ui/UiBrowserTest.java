package io.tally.app.ui;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page in a real browser (Debian's chromium, headless, through chromium-driver) against two
 * live Tallies in their own JVMs, probing real loopback targets, reading a real Redis list and
 * scraping a publisher's exposition:
 * <ul>
 *   <li>{@code live}: a collection every second, 25 targets (healthy, degraded, unhealthy, one
 *       disabled), so that trends have points and the page follows new snapshots;</li>
 *   <li>{@code guarded}: auth on and one collection every ten minutes, so that every refresh of the
 *       page is answered 304 and must leave the page as it is;</li>
 *   <li>{@code bulk}: 10 000 targets from a target file, which the page must page through.</li>
 * </ul>
 * Each test saves a screenshot under {@code target/screenshots/}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UiBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ALICE_PASSWORD = "looking-glass-7";
    private static final String READER_TOKEN = "reader-0123456789abcdef0123456789abcdef";
    private static final String SCRAPER_TOKEN = "scraper-0123456789abcdef0123456789abcdef";
    private static final String QUEUE = "tally-ui-test:" + UUID.randomUUID();

    private static Path dir;
    private static LoopbackPeer peer;
    private static LiveTally live;
    private static LiveTally guarded;
    private static LiveTally bulk;
    private static RedisList queue;
    private static Thread queueFeeder;
    private static volatile boolean feeding = true;
    private static Browser browser;

    @BeforeAll
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    static void start() throws Exception {
        dir = Files.createTempDirectory("tally-ui");
        peer = new LoopbackPeer(600, "pub-01");
        queue = new RedisList(QUEUE);
        queueFeeder = Thread.ofVirtual().name("queue-feeder").start(UiBrowserTest::feedQueue);

        live = LiveTally.start(Files.createDirectories(dir.resolve("live")), liveConfig(), null);
        guarded = LiveTally.start(Files.createDirectories(dir.resolve("guarded")), guardedConfig(),
                "Bearer " + READER_TOKEN);
        Path bulkDir = Files.createDirectories(dir.resolve("bulk"));
        bulk = LiveTally.start(bulkDir, bulkConfig(bulkDir), null);
        browser = Browser.start(); // while the three JVMs start
        // Bounds for a machine shared with other builds; on an idle one each takes a few seconds.
        live.awaitUp(Duration.ofSeconds(100));
        guarded.awaitUp(Duration.ofSeconds(100));
        bulk.awaitUp(Duration.ofSeconds(100));
        awaitSettled();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (queueFeeder != null) {
            feeding = false;
            queueFeeder.join(5_000);
        }
        if (queue != null) {
            queue.delete();
            queue.close();
        }
        for (LiveTally tally : new LiveTally[] {live, guarded, bulk}) {
            if (tally != null) {
                tally.close();
            }
        }
        if (peer != null) {
            peer.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ------------------------------------------------------------------------------------ tests

    /** Each test answers for its own console: what earlier pages logged is dropped. */
    @BeforeEach
    void forgetEarlierConsole() {
        browser.consoleErrors();
    }

    @Test
    void theOverviewShowsTheLiveTargetsWithoutConsoleErrors() throws Exception {
        browser.open(live.url("/ui?refresh=1"));
        awaitRowCount(25);

        List<String> expected = names(live.json("/stats?limit=100").path("items"));
        assertThat(rowNames()).containsExactlyElementsOf(expected);
        awaitRowStatus("fail-01", "unhealthy");
        awaitRowStatus("ok-02", "healthy");
        awaitRowStatus("slow-01", "degraded");
        assertThat(badgeColour("fail-01")).isNotEqualTo(badgeColour("ok-02")).isNotEqualTo(badgeColour("slow-01"));
        assertThat(cell("off-01", 1)).contains("unknown").contains("disabled");
        assertThat(cell("pub-01", 5)).contains("95").contains("attempts");
        // The error text of a problem row comes from its /stats/{target}.
        browser.await("the last error of fail-01", WAIT, d -> cell("fail-01", 6).contains("status"));

        assertThat(text("#collectors tbody")).contains("discovery").contains("health").contains("redis")
                .contains("notifier").contains("ok");
        assertThat(Double.parseDouble(text("#score"))).isBetween(0.0, 100.0);
        assertThat(text("#components tbody")).contains("publishing").contains("targets").contains("freshness");
        assertThat(text("#reasons")).contains("fail-01");
        assertThat(text("#target-count")).isEqualTo("25");

        // A new snapshot (one a second here) is rendered anew: the refresh does follow Tally.
        browser.script("document.querySelector('#targets tbody').rows[0].tallyMark = 'old'");
        browser.await("a refresh with a new snapshot", WAIT,
                d -> browser.script("return document.querySelector('#targets tbody').rows[0].tallyMark") == null);

        browser.screenshot("overview");
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();

        // The view README.md shows (docs/images/ui.png): the worst first, one page of ten.
        browser.open(live.url("/ui?sort=status&limit=10"));
        awaitRowCount(10);
        assertThat(rowNames().subList(0, 3)).containsExactlyInAnyOrder("fail-01", "fail-02", "fail-03");
        browser.await("the last errors", WAIT, d -> cell("fail-01", 6).contains("status")
                && cell("fail-02", 6).contains("status") && cell("fail-03", 6).contains("status"));
        browser.screenshot("overview-by-status");
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void filtersSearchAndLabelsAskTheApi() throws Exception {
        browser.open(live.url("/ui"));
        awaitRowCount(25);

        browser.driver().findElement(By.id("q")).sendKeys("fail");
        awaitRowNames(List.of("fail-01", "fail-02", "fail-03"));
        new Select(browser.driver().findElement(By.id("status"))).selectByValue("unhealthy");
        awaitRowNames(List.of("fail-01", "fail-02", "fail-03"));
        new Select(browser.driver().findElement(By.id("status"))).selectByValue("healthy");
        browser.await("no row", WAIT, d -> text("#targets tbody").contains("No target matches these filters."));
        assertThat(browser.driver().getCurrentUrl()).contains("q=fail").contains("status=healthy");

        // The filters live in the address: a reload (or a shared link) shows the same view.
        browser.open(browser.driver().getCurrentUrl());
        browser.await("the filters restored", WAIT, d -> "fail".equals(value("#q")) && "healthy".equals(value("#status")));
        browser.await("no row", WAIT, d -> text("#targets tbody").contains("No target matches these filters."));

        browser.open(live.url("/ui?label=team:core&type=webhook&sort=latency"));
        List<String> expected = names(live.json("/stats?limit=100&label=team:core&type=webhook&sort=latency")
                .path("items"));
        assertThat(expected).isNotEmpty().allMatch(n -> n.startsWith("ok-"));
        browser.await("the label and type filter", WAIT, d -> rowNames().size() == expected.size()
                && rowNames().containsAll(expected));
        assertThat(value("#labels")).isEqualTo("team:core");
        assertThat(browser.script("return document.querySelector('#targets th[data-sort=latency]').getAttribute('aria-sort')"))
                .isEqualTo("descending");
        browser.screenshot("filtered");
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void pagesFollowTheApiCursorAndNeverLoadEverything() throws Exception {
        browser.open(live.url("/ui?limit=10"));
        JsonNode first = live.json("/stats?limit=10");
        JsonNode second = live.json("/stats?limit=10&cursor=" + first.path("next_cursor").asText());
        JsonNode third = live.json("/stats?limit=10&cursor=" + second.path("next_cursor").asText());
        assertThat(third.path("next_cursor").isNull()).isTrue();

        awaitRowNames(names(first.path("items")));
        assertThat(attribute("#prev", "aria-disabled")).isEqualTo("true");
        browser.driver().findElement(By.id("next")).click();
        awaitRowNames(names(second.path("items")));
        browser.driver().findElement(By.id("next")).click();
        awaitRowNames(names(third.path("items")));
        assertThat(text("#page-info")).contains("21–25").contains("last page");
        assertThat(attribute("#next", "aria-disabled")).isEqualTo("true");
        browser.driver().findElement(By.id("next")).click(); // nothing after the last page
        browser.driver().findElement(By.id("prev")).click();
        awaitRowNames(names(second.path("items")));
        browser.screenshot("paging");

        // Every /stats the page asked for was one page of 10, never the whole list.
        @SuppressWarnings("unchecked")
        List<String> asked = (List<String>) browser.script("return performance.getEntriesByType('resource')"
                + ".map(e => e.name).filter(n => new URL(n).pathname === '/stats')");
        assertThat(asked).hasSizeGreaterThanOrEqualTo(4).allMatch(url -> url.contains("limit=10"));
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void tenThousandTargetsArePagedThroughNeverLoaded() throws Exception {
        browser.open(bulk.url("/ui"));
        browser.await("the first 50 of 10 000", WAIT, d -> rowNames().size() == 50);
        assertThat(rowNames().get(0)).isEqualTo("bulk-00001");
        assertThat(text("#target-count")).isEqualTo("10,000");
        assertThat(text("#page-info")).contains("1–50 of 10,000");
        browser.driver().findElement(By.id("next")).click();
        browser.await("the second page", WAIT, d -> rowNames().size() == 50 && rowNames().get(0).equals("bulk-00051"));
        browser.driver().findElement(By.id("q")).sendKeys("bulk-09999");
        browser.await("the search", WAIT, d -> rowNames().equals(List.of("bulk-09999")));

        // What went over the wire: pages of 50, each a few kilobytes; never the whole list.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> asked = (List<Map<String, Object>>) browser.script(
                "return performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname === '/stats')"
                        + ".map(e => ({url: e.name, bytes: e.decodedBodySize, ms: e.duration}))");
        assertThat(asked).hasSizeGreaterThanOrEqualTo(3);
        for (Map<String, Object> request : asked) {
            assertThat((String) request.get("url")).contains("limit=50");
            assertThat(((Number) request.get("bytes")).longValue()).as("bytes of %s", request.get("url"))
                    .isLessThan(64 * 1024);
        }
        System.out.println("UiBrowserTest: /stats requests of the page over 10 000 targets: " + asked);
        browser.screenshot("ten-thousand");
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void aTargetsPageDrawsItsTrends() throws Exception {
        awaitTrendPoints("ok-01", "success_ratio", 5);
        awaitTrendPoints("ok-01", "queue_depth", 5);
        browser.open(live.url("/ui/targets/ok-01"));
        browser.await("the target's heading", WAIT, d -> text("#t-name").equals("ok-01"));
        for (String metric : List.of("success_ratio", "latency_p95_seconds", "queue_depth")) {
            awaitChart(metric, 5);
        }
        assertThat(text("#t-info")).contains(peer.url("/ok")).contains("team=sre");
        assertThat(text("#t-status")).contains("healthy");
        assertThat(text("#t-queues tbody")).contains(QUEUE).contains("redis");
        assertThat(text("#chart-success_ratio figcaption")).contains("points over the last 1h");

        // 6 h, chosen with the keyboard: the last 24 h at a 90 s step, cut to 6 h in the browser.
        WebElement oneHour = browser.driver().findElement(By.cssSelector("input[name=window][value='1h']"));
        oneHour.sendKeys(Keys.ARROW_RIGHT);
        browser.await("the 6 h window", WAIT, d -> text("#chart-success_ratio figcaption").contains("last 6h"));
        assertThat(browser.driver().getCurrentUrl()).contains("window=6h");
        assertThat(Integer.parseInt(attribute("#chart-success_ratio", "data-points"))).isPositive();
        @SuppressWarnings("unchecked")
        List<String> trends = (List<String>) browser.script("return performance.getEntriesByType('resource')"
                + ".map(e => e.name).filter(n => new URL(n).pathname === '/trends')");
        assertThat(trends).anyMatch(u -> u.contains("metric=queue_depth") && u.contains("window=24h")
                && u.contains("step=90s"));

        // 24 h: the same points as 1 h so far, drawn again.
        browser.driver().switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
        browser.await("the 24 h window", WAIT, d -> text("#chart-success_ratio figcaption").contains("last 24h"));
        assertThat(browser.driver().getCurrentUrl()).contains("window=24h");
        awaitChart("success_ratio", 5);
        browser.screenshot("target");
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void theKeyboardAloneReachesTheFilterAndATarget() throws Exception {
        browser.open(live.url("/ui"));
        awaitRowCount(25);
        Actions keys = new Actions(browser.driver());

        List<String> visited = tabUntil(keys, "q", 25);
        assertThat(visited).as("tab order").contains("refresh").endsWith("q");
        assertThat(browser.script("const s = getComputedStyle(document.activeElement); "
                + "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2")).as("visible focus").isEqualTo(true);
        keys.sendKeys("ok-1").perform();
        browser.await("the search", WAIT, d -> !rowNames().isEmpty() && rowNames().stream().allMatch(n -> n.contains("ok-1")));

        List<String> further = tabUntil(keys, "target-link", 12);
        String target = (String) browser.script("return document.activeElement.textContent");
        assertThat(target).startsWith("ok-1");
        assertThat(further).contains("status", "type", "labels", "sort", "limit");
        browser.screenshot("keyboard-focus");
        keys.sendKeys(Keys.ENTER).perform();
        browser.await("the target's page", WAIT, d -> d.getCurrentUrl().endsWith("/ui/targets/" + target)
                && text("#t-name").equals(target));
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void withAuthOnAnonymousIsRefusedAndAReaderGetsThePage() throws Exception {
        for (String path : List.of("/ui", "/ui/targets/ok-01", "/ui/assets/app.js", "/ui/assets/uplot.js")) {
            HttpResponse<String> anonymous = guarded.send(path, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().allValues("WWW-Authenticate")).contains("Basic realm=\"tally\", charset=\"UTF-8\"");
            assertThat(anonymous.body()).doesNotContain("ok-01").doesNotContain("<html");
            assertThat(guarded.send(path, "Bearer " + SCRAPER_TOKEN).statusCode()).as(path).isEqualTo(403);
            assertThat(guarded.send(path, "Bearer " + READER_TOKEN).statusCode()).as(path).isEqualTo(200);
        }
        try (Browser anonymous = Browser.start()) {
            // The 401's Basic challenge holds the browser at its sign-in prompt: nothing of the page loads.
            anonymous.open(guarded.url("/ui"));
            assertThat(anonymous.script("return document.getElementById('targets') === null")).isEqualTo(true);
            assertThat(anonymous.driver().getPageSource()).doesNotContain("ok-01").doesNotContain("Name contains");
            anonymous.screenshot("auth-anonymous");
        }
        try (Browser alice = Browser.start()) {
            alice.open("http://alice:" + ALICE_PASSWORD + "@127.0.0.1:" + guarded.port() + "/ui");
            alice.await("the targets, read with alice's credentials", WAIT,
                    d -> rowNames(alice).containsAll(List.of("ok-01", "fail-01")));
            alice.screenshot("auth-reader");
            assertThat(alice.consoleErrors()).as("console errors").isEmpty();
        }
    }

    @Test
    void aRefreshAnswered304LeavesThePageAlone() throws Exception {
        try (Browser alice = Browser.start()) {
            alice.open("http://alice:" + ALICE_PASSWORD + "@127.0.0.1:" + guarded.port() + "/ui?refresh=1");
            alice.await("the targets", WAIT, d -> rowNames(alice).contains("ok-01"));
            // Refreshes run one after another: once one has been answered 304, the first load (rows,
            // then /health and the problem rows' details) is over and the page is what it will stay.
            alice.await("a first refresh answered 304", WAIT, d -> ((Number) alice.script(
                    "return Number(document.getElementById('updated').dataset.unchanged)")).longValue() >= 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> before = (Map<String, Object>) alice.script("""
                    const body = document.querySelector('#targets tbody');
                    body.tallyMark = 'kept';
                    body.rows[0].tallyMark = 'kept';
                    document.querySelector('#collectors tbody').tallyMark = 'kept';
                    const s = document.getElementById('updated').dataset;
                    return {renders: s.renders, unchanged: Number(s.unchanged), html: body.innerHTML,
                            score: document.getElementById('score').textContent};""");
            long unchanged = ((Number) before.get("unchanged")).longValue();
            alice.await("three refreshes answered 304", WAIT, d -> ((Number) alice.script(
                    "return Number(document.getElementById('updated').dataset.unchanged)")).longValue() >= unchanged + 3);

            @SuppressWarnings("unchecked")
            Map<String, Object> after = (Map<String, Object>) alice.script("""
                    const body = document.querySelector('#targets tbody');
                    return {renders: document.getElementById('updated').dataset.renders, html: body.innerHTML,
                            body: body.tallyMark, row: body.rows[0].tallyMark,
                            collectors: document.querySelector('#collectors tbody').tallyMark,
                            score: document.getElementById('score').textContent};""");
            assertThat(after.get("renders")).isEqualTo(before.get("renders"));
            assertThat(after.get("html")).isEqualTo(before.get("html"));
            assertThat(after.get("body")).isEqualTo("kept");
            assertThat(after.get("row")).isEqualTo("kept");
            assertThat(after.get("collectors")).isEqualTo("kept");
            assertThat(after.get("score")).isEqualTo(before.get("score"));
            assertThat(alice.script("return document.getElementById('updated').textContent").toString())
                    .contains("no change");

            // What came over the wire: 304s to the page's If-None-Match, not 200s it ignored.
            @SuppressWarnings("unchecked")
            List<Number> statuses = (List<Number>) alice.script("return performance.getEntriesByType('resource')"
                    + ".filter(e => new URL(e.name).pathname === '/stats').map(e => e.responseStatus)");
            assertThat(statuses.stream().filter(s -> s.intValue() == 304).count()).isGreaterThanOrEqualTo(3);
            alice.screenshot("etag-unchanged");
            assertThat(alice.consoleErrors()).as("console errors").isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------ the page

    private static List<String> rowNames() {
        return rowNames(browser);
    }

    @SuppressWarnings("unchecked")
    private static List<String> rowNames(Browser in) {
        return (List<String>) in.script("return [...document.querySelectorAll('#targets tbody tr[data-target]')]"
                + ".map(r => r.dataset.target)");
    }

    private static void awaitRowCount(int count) {
        browser.await(count + " rows", WAIT, d -> rowNames().size() == count);
    }

    private static void awaitRowNames(List<String> names) {
        browser.await("rows " + names, WAIT, d -> rowNames().equals(names));
    }

    private static String cell(String target, int column) {
        return (String) browser.script("const row = document.querySelector('#targets tbody tr[data-target=\"' + "
                + "arguments[0] + '\"]'); return row ? row.cells[arguments[1]].textContent : ''", target, column);
    }

    private static void awaitRowStatus(String target, String status) {
        browser.await(target + " shown " + status, WAIT, d -> cell(target, 1).contains(status));
    }

    private static String badgeColour(String target) {
        return (String) browser.script("const row = document.querySelector('#targets tbody tr[data-target=\"' + "
                + "arguments[0] + '\"]'); return getComputedStyle(row.cells[1].querySelector('.badge')).backgroundColor",
                target);
    }

    private static String text(String selector) {
        return (String) browser.script("const e = document.querySelector(arguments[0]); return e ? e.textContent : ''",
                selector);
    }

    private static String value(String selector) {
        return (String) browser.script("return document.querySelector(arguments[0]).value", selector);
    }

    private static String attribute(String selector, String name) {
        return (String) browser.script("return document.querySelector(arguments[0]).getAttribute(arguments[1])",
                selector, name);
    }

    /**
     * Presses Tab until the focused element has the id or class {@code wanted}; returns the ids (or
     * classes) of what was focused on the way.
     */
    private static List<String> tabUntil(Actions keys, String wanted, int most) {
        List<String> visited = new ArrayList<>();
        for (int i = 0; i < most; i++) {
            keys.sendKeys(Keys.TAB).perform();
            String focused = (String) browser.script("const e = document.activeElement; return e.id || e.className");
            visited.add(focused);
            if (focused.equals(wanted)) {
                return visited;
            }
        }
        throw new AssertionError("Tab never reached " + wanted + "; it visited " + visited);
    }

    /** Waits until the chart has points and its canvas holds pixels of its line's colour. */
    private static void awaitChart(String metric, int points) {
        browser.await(metric + " drawn with " + points + "+ points", WAIT, d -> {
            Number n = (Number) browser.script("""
                    const figure = document.getElementById('chart-' + arguments[0]);
                    const canvas = figure.querySelector('canvas');
                    if (!canvas || Number(figure.dataset.points) < arguments[1]) return 0;
                    const colour = {success_ratio: [26, 127, 55], latency_p95_seconds: [130, 80, 223],
                                    queue_depth: [9, 105, 218]}[arguments[0]];
                    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                    let line = 0;
                    for (let i = 0; i < data.length; i += 4) {
                      if (data[i + 3] > 200 && Math.abs(data[i] - colour[0]) < 12 && Math.abs(data[i + 1] - colour[1]) < 12
                          && Math.abs(data[i + 2] - colour[2]) < 12) line++;
                    }
                    return line;""", metric, points);
            return n.intValue() >= 50;
        });
    }

    // ------------------------------------------------------------------------------------ Tally

    private static List<String> names(JsonNode items) {
        return StreamSupport.stream(items.spliterator(), false).map(i -> i.path("name").asText()).toList();
    }

    /** Until every kind of target has its steady status and the publisher has been read. */
    private static void awaitSettled() throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        String last = "";
        while (System.nanoTime() < until) {
            JsonNode stats = live.json("/stats?limit=100");
            StringBuilder seen = new StringBuilder();
            boolean settled = true;
            for (JsonNode item : stats.path("items")) {
                String name = item.path("name").asText();
                String status = item.path("status").asText();
                String want = name.startsWith("fail-") ? "unhealthy" : name.startsWith("slow-") ? "degraded"
                        : name.startsWith("off-") ? "unknown" : "healthy";
                settled &= status.equals(want);
                if (name.equals("pub-01")) {
                    settled &= item.path("attempts").asDouble() > 0;
                }
                seen.append(name).append('=').append(status).append(' ');
            }
            JsonNode guardedStats = guarded.json("/stats?limit=100");
            settled &= guardedStats.path("items").size() == 3;
            settled &= bulk.json("/stats?limit=1").path("targets").path("total").asInt() == 10_000;
            if (settled) {
                return;
            }
            last = seen.toString();
            Thread.sleep(250);
        }
        throw new AssertionError("targets did not settle within 40 s: " + last + "\n" + live.log());
    }

    private static void awaitTrendPoints(String target, String metric, int points) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            if (live.json("/trends?window=1h&target=" + target + "&metric=" + metric).path("points").size() >= points) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("/trends has fewer than " + points + " points of " + metric + " for " + target);
    }

    /** Keeps the Redis list moving (3..9 entries) so that its queue has a depth that changes. */
    private static void feedQueue() {
        int i = 0;
        while (feeding) {
            try {
                if (queue.push("job-" + i++) > 9) {
                    queue.keepLast(3);
                }
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static String liveConfig() {
        StringBuilder targets = new StringBuilder();
        for (int i = 1; i <= 18; i++) {
            targets.append(target("ok-%02d".formatted(i), "webhook", "/ok", i % 2 == 0 ? "core" : "sre", true));
        }
        targets.append(target("slow-01", "slack", "/slow", "sre", true))
                .append(target("slow-02", "slack", "/slow", "core", true))
                .append(target("fail-01", "pagerduty", "/fail", "sre", true))
                .append(target("fail-02", "pagerduty", "/fail", "core", true))
                .append(target("fail-03", "webhook", "/fail", "sre", true))
                .append(target("pub-01", "generic", "/ok", "core", true))
                .append(target("off-01", "rootly", "/ok", "sre", false));
        return """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: %%PORT%% } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: %%ADMIN_PORT%% } ]
                  requestLog: { appenders: [] }
                collection: { interval: 1s, deadline: 250ms, maxAge: 500ms }
                discovery:
                  sources:
                    - type: static
                      targets:
                %s
                health: { interval: 1s, timeout: 900ms, unhealthyAfter: 2, degradedLatency: 300ms }
                queues:
                  - type: redis
                    name: redis
                    uri: "redis://127.0.0.1:6379/0"
                    pollInterval: 1s
                    queues: [ { name: "%s", target: ok-01 } ]
                publishers:
                  - type: prometheus
                    name: notifier
                    url: "%s"
                    preset: generic
                    prefix: "notifier_"
                    rules: { attempts: deliveries_total, failures: delivery_failures_total }
                    interval: 1s
                trends: { dataDir: "%%DATA%%" }
                logging: { level: WARN }
                """.formatted(targets, QUEUE, peer.url("/metrics"));
    }

    /** 10 000 disabled targets in a target file: listed and paged, never probed. */
    private static String bulkConfig(Path bulkDir) throws java.io.IOException {
        Path targets = Files.createDirectories(bulkDir.resolve("targets.d"));
        StringBuilder file = new StringBuilder();
        for (int i = 1; i <= 10_000; i++) {
            file.append("- { name: bulk-%05d, type: webhook, url: \"%s\", enabled: false }\n"
                    .formatted(i, peer.url("/ok")));
        }
        Files.writeString(targets.resolve("bulk.yml"), file);
        return """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: %%PORT%% } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: %%ADMIN_PORT%% } ]
                  requestLog: { appenders: [] }
                collection: { interval: 30s, deadline: 250ms, maxAge: 30s }
                discovery:
                  sources:
                    - type: file
                      files: [ "%s/*.yml" ]
                trends: { dataDir: "%%DATA%%" }
                logging: { level: WARN }
                """.formatted(targets);
    }

    private static String guardedConfig() throws Exception {
        String readerHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(READER_TOKEN.getBytes(StandardCharsets.UTF_8)));
        String scraperHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(SCRAPER_TOKEN.getBytes(StandardCharsets.UTF_8)));
        String aliceHash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, ALICE_PASSWORD.toCharArray());
        return """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: %%PORT%% } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: %%ADMIN_PORT%% } ]
                  requestLog: { appenders: [] }
                collection: { interval: 10m, deadline: 250ms, maxAge: 10m }
                discovery:
                  sources:
                    - type: static
                      targets:
                %s%s%s
                health: { interval: 1s, timeout: 900ms }
                auth:
                  tokens:
                    - { name: reader, sha256: "%s", roles: [ read ] }
                    - { name: scraper, sha256: "%s", roles: [ metrics ] }
                  users:
                    - { name: alice, bcrypt: "%s", roles: [ read ] }
                trends: { dataDir: "%%DATA%%" }
                logging: { level: WARN }
                """.formatted(target("ok-01", "webhook", "/ok", "sre", true),
                target("fail-01", "pagerduty", "/fail", "sre", true), target("ok-02", "slack", "/ok", "core", true),
                readerHash, scraperHash, aliceHash);
    }

    private static String target(String name, String type, String path, String team, boolean enabled) {
        return "        - { name: %s, type: %s, url: \"%s\", enabled: %s, labels: { team: %s } }\n"
                .formatted(name, type, peer.url(path), enabled, team);
    }
}
