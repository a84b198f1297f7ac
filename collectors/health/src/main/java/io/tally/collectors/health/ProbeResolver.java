package io.tally.collectors.health;

import io.tally.collectors.core.http.Deadline;

import java.net.InetAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Name resolution inside a probe's deadline. {@link InetAddress} lookups block for as long as the
 * system resolver takes and ignore interruption, so each runs on its own virtual thread and the
 * probe waits for it only as long as its deadline allows.
 */
final class ProbeResolver {
    private ProbeResolver() {
    }

    /** Every address of {@code host}; fails with class {@code dns} or {@code timeout}. */
    static InetAddress[] resolve(String host, Deadline deadline) throws Unresolved, InterruptedException {
        try {
            return deadline.await("tally-probe-resolve", () -> InetAddress.getAllByName(host));
        } catch (TimeoutException e) {
            throw new Unresolved("timeout", "resolving " + host + " took longer than "
                    + deadline.budget().toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new Unresolved("dns", "cannot resolve " + host);
        }
    }

    /** Why a name gave no address; {@code errorClass} is a probe error class. */
    static final class Unresolved extends Exception {
        final String errorClass;

        Unresolved(String errorClass, String message) {
            super(message, null, false, false);
            this.errorClass = errorClass;
        }
    }
}
