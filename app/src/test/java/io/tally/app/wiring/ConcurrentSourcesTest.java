package io.tally.app.wiring;

import io.dropwizard.lifecycle.Managed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentSourcesTest {

    /** A source whose start and stop each wait until every source is in its start or stop at once. */
    private record Meeting(CyclicBarrier starts, CyclicBarrier stops, List<String> log, String name) implements Managed {
        @Override
        public void start() throws Exception {
            // Started one after another, the first would wait here alone and time out.
            starts.await(20, TimeUnit.SECONDS);
            log.add("started " + name);
        }

        @Override
        public void stop() throws Exception {
            stops.await(20, TimeUnit.SECONDS);
            log.add("stopped " + name);
        }
    }

    @Test
    void sourcesStartAndStopTogetherAndStartReturnsWhenAllHaveStarted() throws Exception {
        CyclicBarrier starts = new CyclicBarrier(3);
        CyclicBarrier stops = new CyclicBarrier(3);
        List<String> log = new CopyOnWriteArrayList<>();
        ConcurrentSources sources = new ConcurrentSources();
        for (String name : List.of("health", "queue", "publisher")) {
            sources.add(new Meeting(starts, stops, log, name));
        }
        sources.start();
        assertThat(log).containsExactlyInAnyOrder("started health", "started queue", "started publisher");
        sources.stop();
        assertThat(log).hasSize(6).contains("stopped health", "stopped queue", "stopped publisher");
    }

    @Test
    void aSourceThatFailsToStartFailsStartAfterTheOthersHaveStarted() {
        List<String> log = new CopyOnWriteArrayList<>();
        ConcurrentSources sources = new ConcurrentSources();
        sources.add(new Managed() {
            @Override
            public void start() {
                throw new IllegalStateException("cannot start");
            }
        });
        sources.add(new Managed() {
            @Override
            public void start() throws InterruptedException {
                Thread.sleep(200);
                log.add("slow one started");
            }
        });
        assertThatThrownBy(sources::start).isInstanceOf(IllegalStateException.class).hasMessage("cannot start");
        assertThat(log).containsExactly("slow one started");
    }
}
