package io.tally.app.bundle;

import io.tally.app.config.TallyConfiguration;

/**
 * Tally's configuration as a block of a host application's configuration ({@code tally:}). The
 * host owns the server: the {@code server} keys of this block are not used, and whether Tally's
 * API is exposed beyond loopback without auth is checked against the host's server by
 * {@link TallyBundle} when it starts, not against this block's unused default server.
 */
public class EmbeddedTallyConfiguration extends TallyConfiguration {

    @Override
    public boolean isApplicationExposureAuthorized() {
        return true;
    }

    @Override
    public boolean isAdminExposureAuthorized() {
        return true;
    }
}
