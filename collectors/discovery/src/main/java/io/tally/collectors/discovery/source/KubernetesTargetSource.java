package io.tally.collectors.discovery.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.tally.collectors.discovery.DiscoveryException;
import io.tally.collectors.discovery.SourceResult;
import io.tally.collectors.discovery.TargetSource;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Targets from labelled Secrets (and ConfigMaps) kept current by fabric8 informers: one per kind
 * and namespace, started by the first lookup, each holding a cache that its watch keeps up to date.
 * A lookup reads the caches; an informer event asks the refresh manager for a refresh at once.
 *
 * <p>While an informer's watch is down its cache may be stale, so the lookup asks the API server
 * one small list to name why: {@code forbidden} (401/403), {@code unreachable} (no connection or
 * no answer in time), {@code http_status} (any other refusal). The lookup then fails, and the
 * refresh manager keeps the source's last good targets; the informer keeps reconnecting with
 * backoff by itself, and once every watch is back {@link #changed()} says so.
 */
final class KubernetesTargetSource implements TargetSource {
    private static final Duration POLL = Duration.ofMillis(50);

    private final String name;
    private final Supplier<KubernetesClient> clients;
    private final List<String> kinds;
    /** Empty for every namespace. */
    private final List<String> namespaces;
    private final String labelSelector;
    private final KubernetesEntries entries;
    private final AtomicLong generation = new AtomicLong();
    private volatile long readGeneration = -1;
    private volatile boolean lastLookupFailed;
    private volatile Runnable listener = () -> { };
    private KubernetesClient client;
    private List<Watched> watched;
    private boolean closed;

    /**
     * @param namespaces the namespaces to watch; empty for the client's own namespace, {@code ["*"]} for all
     */
    KubernetesTargetSource(String name, Supplier<KubernetesClient> clients, List<String> kinds, List<String> namespaces,
                           String labelSelector, KubernetesEntries entries) {
        this.name = name;
        this.clients = clients;
        this.kinds = List.copyOf(kinds);
        this.namespaces = List.copyOf(namespaces);
        this.labelSelector = labelSelector;
        this.entries = entries;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void onChange(Runnable changed) {
        this.listener = Objects.requireNonNull(changed);
    }

    @Override
    public SourceResult discover(Duration timeout) throws DiscoveryException, InterruptedException {
        List<Watched> informers = start();
        // Leave the refresh manager a margin: a failure named here is worth more than its "timeout".
        long deadline = System.nanoTime() + timeout.toNanos() * 8 / 10;
        try {
            while (!informers.stream().allMatch(w -> w.informer.hasSynced())) {
                Watched failing = informers.stream().filter(w -> !w.informer.hasSynced() && w.lastError != null)
                        .findFirst().orElse(null);
                if (failing != null) {
                    throw classify(failing.lastError, failing);
                }
                if (System.nanoTime() > deadline) {
                    throw new DiscoveryException("timeout", "the first list of " + pending(informers)
                            + " did not finish in time");
                }
                Thread.sleep(POLL);
            }
            for (Watched w : informers) {
                if (!w.informer.isWatching()) {
                    probe(w);
                }
            }
            long seen = generation.get();
            List<HasMetadata> objects = new ArrayList<>();
            for (Watched w : informers) {
                objects.addAll(w.informer.getStore().list());
            }
            SourceResult result = entries.read(name, objects);
            readGeneration = seen;
            lastLookupFailed = false;
            return result;
        } catch (DiscoveryException e) {
            lastLookupFailed = true;
            throw e;
        }
    }

    @Override
    public boolean changed() {
        List<Watched> informers = current();
        if (informers == null) {
            return false;
        }
        // A recovered watch relists without an event when nothing changed: say so, or the failure would
        // stand until the next interval.
        return generation.get() != readGeneration
                || (lastLookupFailed && informers.stream().allMatch(w -> w.informer.isWatching()));
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watched != null) {
            watched.forEach(w -> w.informer.stop());
        }
        if (client != null) {
            client.close();
        }
    }

    private synchronized List<Watched> current() {
        return watched;
    }

    private synchronized List<Watched> start() throws DiscoveryException {
        if (closed) {
            throw new DiscoveryException("other", "the source is closed");
        }
        if (watched != null) {
            return watched;
        }
        client = clients.get();
        List<Watched> started = new ArrayList<>();
        for (String kind : kinds) {
            if (namespaces.isEmpty()) {
                // A kubeconfig context without a namespace means "default", as for kubectl; never all.
                started.add(watch(kind, client.getNamespace() == null ? "default" : client.getNamespace()));
            } else if (namespaces.equals(List.of("*"))) {
                started.add(watch(kind, null));
            } else {
                for (String namespace : namespaces) {
                    started.add(watch(kind, namespace));
                }
            }
        }
        watched = List.copyOf(started);
        return watched;
    }

    /** An informer, not yet synced: its first list runs in the background, and retries until it works. */
    private Watched watch(String kind, String namespace) {
        Watched w = new Watched(kind, namespace);
        SharedIndexInformer<? extends HasMetadata> informer = listing(kind, namespace).runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            // Keep trying whatever the error (a Role granted later, an API server back up); the lookup
            // reports the error meanwhile.
            w.lastError = error;
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<HasMetadata>() {
            @Override
            public void onAdd(HasMetadata object) {
                changedNow();
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                // A relist repeats unchanged objects: not a change.
                if (!Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
                    changedNow();
                }
            }

            @Override
            public void onDelete(HasMetadata object, boolean finalStateUnknown) {
                changedNow();
            }
        });
        w.informer = informer;
        informer.start().thenRun(() -> w.lastError = null);
        return w;
    }

    private void changedNow() {
        generation.incrementAndGet();
        listener.run();
    }

    private FilterWatchListDeletable<? extends HasMetadata, ? extends KubernetesResourceList<? extends HasMetadata>,
            ? extends Resource<? extends HasMetadata>> listing(String kind, String namespace) {
        if (kind.equals(KubernetesEntries.CONFIG_MAP)) {
            return namespace == null ? client.configMaps().inAnyNamespace().withLabelSelector(labelSelector)
                    : client.configMaps().inNamespace(namespace).withLabelSelector(labelSelector);
        }
        return namespace == null ? client.secrets().inAnyNamespace().withLabelSelector(labelSelector)
                : client.secrets().inNamespace(namespace).withLabelSelector(labelSelector);
    }

    /** The watch is down: one small list says whether the API server is there and lets us read. */
    private void probe(Watched w) throws DiscoveryException {
        try {
            listing(w.kind, w.namespace).list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
            throw classify(e, w);
        }
        // The API server answers: the watch is being re-established, and the cache is at most moments old.
    }

    private static String pending(List<Watched> informers) {
        return String.join(", ", informers.stream().filter(w -> !w.informer.hasSynced()).map(Watched::describe).toList());
    }

    static DiscoveryException classify(Throwable error, Watched w) {
        String what = w.describe();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                int code = k.getCode();
                String detail = k.getStatus() != null && k.getStatus().getMessage() != null
                        ? ": " + abbreviate(k.getStatus().getMessage()) : "";
                if (code == 401 || code == 403) {
                    return new DiscoveryException("forbidden", "HTTP " + code + " listing " + what + detail);
                }
                return new DiscoveryException("http_status", "HTTP " + code + " listing " + what + detail);
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof HttpTimeoutException) {
                return new DiscoveryException("unreachable", "cannot reach the API server listing " + what + " ("
                        + t.getClass().getSimpleName() + ")");
            }
        }
        return new DiscoveryException("unreachable", "cannot list " + what + " (" + error.getClass().getSimpleName() + ")");
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** One informer and the last error it met since it last listed without one. */
    static final class Watched {
        final String kind;
        final String namespace;
        volatile SharedIndexInformer<? extends HasMetadata> informer;
        volatile Throwable lastError;

        Watched(String kind, String namespace) {
            this.kind = kind;
            this.namespace = namespace;
        }

        String describe() {
            String plural = kind.equals(KubernetesEntries.CONFIG_MAP) ? "configmaps" : "secrets";
            return plural + (namespace == null ? " in all namespaces" : " in namespace " + namespace);
        }
    }
}
