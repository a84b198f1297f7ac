package io.tally.collectors.core;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Skip-if-busy: one run at a time, and a run that comes due while another is still going is
 * skipped and counted rather than queued, so a slow peer never piles up threads. A permit rather
 * than a lock, so that a run may be entered on the scheduler's thread and left on the virtual
 * thread that did the work.
 */
public final class BusyGuard {
    private final Semaphore permit = new Semaphore(1);
    private final LongAdder skips;

    public BusyGuard() {
        this(new LongAdder());
    }

    /** Counts its skips into {@code skips}, which several guards (one per target) may share. */
    public BusyGuard(LongAdder skips) {
        this.skips = skips;
    }

    /** Enters when no run is going; otherwise counts a skip and returns false. A true answer must be followed by {@link #leave()}. */
    public boolean tryEnter() {
        if (permit.tryAcquire()) {
            return true;
        }
        skips.increment();
        return false;
    }

    /** Waits, uninterruptibly, for the run going to end, then enters: for a run asked for on purpose. */
    public void enter() {
        permit.acquireUninterruptibly();
    }

    /** Waits at most {@code wait} for the run going to end; true when entered. Not a skip when it times out. */
    public boolean enterWithin(Duration wait) throws InterruptedException {
        return permit.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Ends the run that entered, from whichever thread did its work. */
    public void leave() {
        permit.release();
    }

    /** Runs skipped because one was already going, since the start. */
    public long skipped() {
        return skips.sum();
    }
}
