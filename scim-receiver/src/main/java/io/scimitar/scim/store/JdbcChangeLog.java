package io.scimitar.scim.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChangeLog} on the {@code change_log} table of a {@link JdbcStore}. Listeners are called
 * by the committing thread while it still holds the store's writer lock, so every listener sees
 * every change exactly once and in version order.
 */
public final class JdbcChangeLog implements ChangeLog {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcChangeLog.class);

    private final JdbcStore store;
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

    JdbcChangeLog(JdbcStore store) {
        this.store = store;
    }

    @Override
    public long currentVersion() {
        return store.currentVersion();
    }

    @Override
    public List<Change> readAfter(long afterVersion, int limit) {
        return store.readAfter(afterVersion, limit);
    }

    @Override
    public AutoCloseable subscribe(Consumer<Change> listener) {
        // A wrapper per subscription, so subscribing the same listener twice yields two independent handles.
        Consumer<Change> handle = listener::accept;
        listeners.add(handle);
        return () -> listeners.remove(handle);
    }

    /** Called after commit, under the writer lock. A failing listener must not undo or hide a committed write. */
    void publish(Change change) {
        for (Consumer<Change> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.atError().setMessage("a change-log listener failed").addKeyValue("event", "change_listener_failed")
                        .addKeyValue("version", change.version()).setCause(e).log();
            }
        }
    }
}
