package dev.upstreamguard.audit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A task run with a fixed delay on a daemon thread of its own, that nothing it throws can stop. Whatever escapes a
 * task of a {@link ScheduledExecutorService} cancels its schedule for good, silently (the Throwable waits in a future
 * no one reads): here every Throwable, Errors included, goes to {@code onFailure} and the next run comes as planned.
 */
final class Periodic implements AutoCloseable {
    private final ScheduledExecutorService executor;

    Periodic(String thread, Duration initialDelay, Duration delay, Runnable task, Consumer<Throwable> onFailure) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                onFailure.accept(e);
            }
        }, initialDelay.toMillis(), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
