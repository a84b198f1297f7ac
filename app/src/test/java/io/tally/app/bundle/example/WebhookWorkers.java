package io.tally.app.bundle.example;

import io.dropwizard.lifecycle.Managed;
import io.tally.collectors.core.workers.BreakerState;
import io.tally.collectors.core.workers.JobOutcome;
import io.tally.collectors.workers.PublishingRecorder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker pool: takes jobs off a bounded queue, POSTs them to the target's webhook, retries
 * failures, keeps a circuit breaker per target and dead-letters what cannot be delivered. Every
 * step goes to the {@link PublishingRecorder}: that is all embedding Tally asks of a host.
 */
public final class WebhookWorkers implements Managed {
    private record Job(String target, String priority, long enqueuedNanos, int attempt) {
    }

    /** One target's breaker: consecutive failures, and when it opened (0 while closed). */
    private static final class Breaker {
        int failures;
        long openedNanos;
        BreakerState state = BreakerState.CLOSED;
    }

    private final PublishingServiceConfiguration config;
    private final PublishingRecorder recorder;
    private final BlockingQueue<Job> queue;
    private final ConcurrentLinkedQueue<Job> deadLetters = new ConcurrentLinkedQueue<>();
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger active = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public WebhookWorkers(PublishingServiceConfiguration config, PublishingRecorder recorder) {
        this.config = config;
        this.recorder = recorder;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity);
    }

    public boolean submit(String target, String priority) {
        boolean accepted = config.webhooks.containsKey(target)
                && queue.offer(new Job(target, priority, System.nanoTime(), 1));
        recorder.submitted(priority, accepted ? "accepted" : "rejected");
        return accepted;
    }

    @Override
    public void start() {
        running = true;
        recorder.workers(0, config.workers);
        for (int i = 0; i < config.workers; i++) {
            threads.add(Thread.ofVirtual().name("webhook-worker-" + i).start(this::work));
        }
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.interrupt();
            t.join(5000);
        }
    }

    private void work() {
        while (running) {
            Job job;
            try {
                job = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (job == null) {
                continue;
            }
            recorder.workers(active.incrementAndGet(), config.workers - active.get());
            try {
                deliver(job);
            } finally {
                recorder.workers(active.decrementAndGet(), config.workers - active.get());
            }
        }
    }

    private void deliver(Job job) {
        long started = System.nanoTime();
        long wait = started - job.enqueuedNanos;
        recorder.started(job.target);
        if (!admit(job.target)) {
            deadLetter(job, "breaker_open", started, wait);
            return;
        }
        String error = call(job.target);
        settle(job.target, error == null);
        if (error == null) {
            recorder.finished(job.target, JobOutcome.SUCCESS, System.nanoTime() - started, wait);
        } else if (job.attempt < config.maxAttempts && running) {
            recorder.retry(job.target, error);
            recorder.finished(job.target, JobOutcome.RETRIED, System.nanoTime() - started, wait);
            if (!queue.offer(new Job(job.target, job.priority, System.nanoTime(), job.attempt + 1))) {
                deadLetters.add(job);
                recorder.dlqWrite(job.target, "queue_full");
            }
        } else {
            deadLetter(job, error, started, wait);
        }
    }

    private void deadLetter(Job job, String error, long started, long wait) {
        deadLetters.add(job);
        recorder.dlqWrite(job.target, error);
        recorder.finished(job.target, JobOutcome.DEAD_LETTERED, System.nanoTime() - started, wait);
    }

    /** The webhook's answer: null when delivered, else the error type. */
    private String call(String target) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.webhooks.get(target)))
                .timeout(Duration.ofSeconds(2)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"alert\":\"example\"}")).build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? null : "http_" + status / 100 + "xx";
        } catch (HttpTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return "connect";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Whether the breaker lets a job through: closed, or open for longer than the cooldown (then half-open). */
    private boolean admit(String target) {
        Breaker b = breakers.computeIfAbsent(target, t -> new Breaker());
        synchronized (b) {
            if (b.state == BreakerState.OPEN
                    && System.nanoTime() - b.openedNanos >= config.breakerCooldown.toNanoseconds()) {
                b.state = BreakerState.HALF_OPEN;
                recorder.breaker(target, b.state);
            }
            return b.state != BreakerState.OPEN;
        }
    }

    private void settle(String target, boolean delivered) {
        Breaker b = breakers.computeIfAbsent(target, t -> new Breaker());
        synchronized (b) {
            if (delivered) {
                b.failures = 0;
                b.state = BreakerState.CLOSED;
            } else if (++b.failures >= config.breakerThreshold || b.state == BreakerState.HALF_OPEN) {
                b.state = BreakerState.OPEN;
                b.openedNanos = System.nanoTime();
            }
            recorder.breaker(target, b.state);
        }
    }

    /** Tries every dead-lettered job once more; returns how many were tried. */
    public int replayDeadLetters() {
        int n = 0;
        Job job;
        while ((job = deadLetters.poll()) != null) {
            n++;
            recorder.dlqReplay(job.target, call(job.target) == null);
        }
        return n;
    }
}
