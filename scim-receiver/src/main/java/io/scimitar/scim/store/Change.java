package io.scimitar.scim.store;

import java.time.Instant;
import java.util.List;

/**
 * One committed write: the directory version it produced and every event in it. A reader sees
 * version V or V+1, never part of a change, because a change is applied as a whole.
 */
public record Change(long version, Instant committedAt, List<ChangeEvent> events) {

    public Change {
        events = List.copyOf(events);
    }
}
