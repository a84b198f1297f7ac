package io.tally.app;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.tally.app.config.TallyConfiguration;
import net.sourceforge.argparse4j.inf.Namespace;

/** Dropwizard's server and check commands, reporting failures as one line on stderr. */
final class TallyCommands {
    private TallyCommands() {
    }

    static final class Server extends ServerCommand<TallyConfiguration> {
        Server(Application<TallyConfiguration> application) {
            super(application);
        }

        @Override
        public void onError(Cli cli, Namespace namespace, Throwable e) {
            cli.getStdErr().println("tally: " + StartupErrors.oneLine(e));
        }
    }

    static final class Check extends CheckCommand<TallyConfiguration> {
        Check(Application<TallyConfiguration> application) {
            super(application);
        }

        @Override
        public void onError(Cli cli, Namespace namespace, Throwable e) {
            cli.getStdErr().println("tally: " + StartupErrors.oneLine(e));
        }
    }
}
