package org.screening.outreach.channels;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import org.screening.outreach.domain.ChannelKind;

/** The configured adapter of each channel kind. */
public final class ChannelRegistry {
    private final Map<ChannelKind, ChannelAdapter> adapters = new EnumMap<>(ChannelKind.class);

    public ChannelRegistry register(ChannelAdapter adapter) {
        if (adapters.putIfAbsent(adapter.kind(), adapter) != null) {
            throw new IllegalStateException("two adapters for " + adapter.kind());
        }
        return this;
    }

    public ChannelAdapter of(ChannelKind kind) {
        ChannelAdapter a = adapters.get(kind);
        if (a == null) throw new IllegalStateException("no adapter configured for " + kind);
        return a;
    }

    public Collection<ChannelAdapter> all() {
        return adapters.values();
    }
}
