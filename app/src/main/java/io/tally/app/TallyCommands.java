package io.tally.app;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Subparser;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.tally.app.config.TallyConfiguration;
import net.sourceforge.argparse4j.inf.Namespace;

/** Dropwizard's server and check commands, reporting failures as one line on stderr; and {@code hash}. */
final class TallyCommands {
    private TallyCommands() {
    }

    /**
     * {@code tally hash}: reads a password or token from standard input (one line) and prints the
     * lines to paste into {@code auth:}, so that a secret never has to be written into config.yml.
     */
    static final class Hash extends Command {
        Hash() {
            super("hash", "Prints the bcrypt and SHA-256 hashes of a password or token read from standard input");
        }

        @Override
        public void configure(Subparser subparser) {
            subparser.addArgument("--cost").type(Integer.class).setDefault(10)
                    .help("bcrypt cost (log2 rounds), 4..31; 10 is what htpasswd -B uses");
        }

        @Override
        public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
            java.io.Console console = System.console();
            String secret = console != null ? new String(console.readPassword("secret: "))
                    : new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                            java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("nothing to hash: give the secret on standard input");
            }
            int cost = namespace.getInt("cost");
            System.out.println("bcrypt: \"" + at.favre.lib.crypto.bcrypt.BCrypt.with(
                    at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2Y).hashToString(cost, secret.toCharArray()) + "\"");
            System.out.println("sha256: \"" + java.util.HexFormat.of().formatHex(java.security.MessageDigest
                    .getInstance("SHA-256").digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8))) + "\"");
        }
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
