package io.tally.app;

import io.dropwizard.configuration.ConfigurationException;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns whatever stopped start-up into one line a person can act on: the key and the problem,
 * never a stack trace as the only message.
 */
final class StartupErrors {
    private StartupErrors() {
    }

    static String oneLine(Throwable error) {
        if (error instanceof ConfigurationException config) {
            List<String> problems = new ArrayList<>();
            for (String problem : config.getErrors()) {
                problems.add(squash(problem));
            }
            String file = firstLine(config.getMessage()).replace(" has an error:", "").replace(" has the following errors:", "");
            return "invalid configuration " + file + ": " + String.join("; ", problems);
        }
        if (error instanceof com.google.inject.ProvisionException && error.getCause() != null) {
            // A factory that refused to build (a kubeconfig that cannot be read): its own message says
            // what to fix; Guice's wrapping around it only adds its wiring.
            return oneLine(error.getCause());
        }
        StringBuilder line = new StringBuilder(describe(error));
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            line.append(": ").append(describe(cause));
        }
        return "cannot start: " + line;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : squash(message);
    }

    private static String squash(String text) {
        StringBuilder out = new StringBuilder();
        for (String part : text.split("\\R")) {
            String trimmed = part.strip();
            while (trimmed.startsWith("*") || trimmed.startsWith("-")) {
                trimmed = trimmed.substring(1).strip();
            }
            // Jackson's location and reference chain repeat what the key path already says.
            if (trimmed.isEmpty() || trimmed.startsWith("at [Source:")) {
                continue;
            }
            int pojo = trimmed.indexOf(" (for POJO property");
            if (pojo > 0) {
                trimmed = trimmed.substring(0, pojo);
            }
            if (!out.isEmpty()) {
                out.append(trimmed.startsWith("Did you mean") || out.toString().endsWith(":") ? " " : ", ");
            }
            out.append(trimmed);
        }
        return out.toString();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
