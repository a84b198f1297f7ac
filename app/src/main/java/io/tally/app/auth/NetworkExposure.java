package io.tally.app.auth;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Whether a connector listens beyond loopback. No bind host means every interface; a host name
 * other than {@code localhost} is taken as beyond loopback without resolving it, because a check
 * at start-up must not wait on DNS and a name may resolve elsewhere later.
 */
public final class NetworkExposure {
    private NetworkExposure() {
    }

    public static boolean applicationBeyondLoopback(ServerFactory server) {
        if (server instanceof DefaultServerFactory d) {
            return anyBeyondLoopback(d.getApplicationConnectors());
        }
        if (server instanceof SimpleServerFactory s) {
            return anyBeyondLoopback(List.of(s.getConnector()));
        }
        return true;
    }

    public static boolean adminBeyondLoopback(ServerFactory server) {
        if (server instanceof DefaultServerFactory d) {
            return anyBeyondLoopback(d.getAdminConnectors());
        }
        // The simple server serves admin on its one connector.
        return applicationBeyondLoopback(server);
    }

    private static boolean anyBeyondLoopback(List<ConnectorFactory> connectors) {
        for (ConnectorFactory connector : connectors) {
            if (!(connector instanceof HttpConnectorFactory http) || !loopback(http.getBindHost())) {
                return true;
            }
        }
        return false;
    }

    static boolean loopback(String bindHost) {
        if (bindHost == null || bindHost.isBlank()) {
            return false;
        }
        String host = bindHost.strip().toLowerCase(Locale.ROOT);
        if (host.equals("localhost")) {
            return true;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!host.matches("[0-9.]+|[0-9a-f:]+")) {
            return false;
        }
        try {
            // A literal address: no lookup happens.
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
