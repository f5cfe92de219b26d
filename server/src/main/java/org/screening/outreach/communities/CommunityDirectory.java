package org.screening.outreach.communities;

import java.util.concurrent.atomic.AtomicReference;
import org.screening.outreach.domain.CommunityNames;

/**
 * The names every node uses when it renders an SMS or a greeting: a snapshot read from the store, so a lookup never
 * waits on the database (SMS are rendered on the event loop). Refreshed by {@link RefreshCommunityNamesJob} on every
 * node, and at once on the node that saved a change.
 */
public final class CommunityDirectory {
    private final CommunityStore store;
    private final AtomicReference<CommunityNames> names = new AtomicReference<>(CommunityNames.none());

    public CommunityDirectory(CommunityStore store) {
        this.store = store;
    }

    public CommunityNames names() {
        return names.get();
    }

    /** Reads the store again (blocking: call from a worker); how many names there are. */
    public int refresh() {
        CommunityNames fresh = new CommunityNames(store.all());
        names.set(fresh);
        return fresh.size();
    }

    /** What a message calls {@code jurisdiction}: its name, or {@code fallback} (e.g. "社区") when it has none. */
    public String nameOf(String jurisdiction, String fallback) {
        return names.get().of(jurisdiction).orElse(fallback);
    }
}
