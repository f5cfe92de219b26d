package org.screening.outreach.communities;

import java.time.Duration;
import org.screening.outreach.dispatch.BackgroundJob;

/** Every node re-reads the names each minute, so a change saved through another node reaches its messages too. */
public final class RefreshCommunityNamesJob implements BackgroundJob {
    private final CommunityDirectory directory;

    public RefreshCommunityNamesJob(CommunityDirectory directory) {
        this.directory = directory;
    }

    @Override
    public String name() {
        return "refresh-community-names";
    }

    @Override
    public Duration every() {
        return Duration.ofMinutes(1);
    }

    @Override
    public int runOnce() {
        return directory.refresh();
    }
}
