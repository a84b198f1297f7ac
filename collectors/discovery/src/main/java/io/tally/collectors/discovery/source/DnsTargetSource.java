package io.tally.collectors.discovery.source;

import io.tally.collectors.core.http.Deadline;
import io.tally.collectors.discovery.DiscoveryException;
import io.tally.collectors.discovery.EntryValidator;
import io.tally.collectors.discovery.SourceResult;
import io.tally.collectors.discovery.TargetEntry;
import io.tally.collectors.discovery.TargetSource;

import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Looks records up through the JDK's DNS provider (JNDI), which speaks to a chosen server; the whole
 * lookup is bounded by the refresh timeout.
 */
final class DnsTargetSource implements TargetSource {
    private final String name;
    private final String dnsName;
    private final String recordType;
    private final Integer port;
    private final String scheme;
    private final String path;
    private final String targetType;
    private final String nameserver;

    DnsTargetSource(String name, String dnsName, String recordType, Integer port, String scheme, String path,
                    String targetType, String nameserver) {
        this.name = name;
        this.dnsName = dnsName;
        this.recordType = recordType;
        this.port = port;
        this.scheme = scheme;
        this.path = path.startsWith("/") ? path : "/" + path;
        this.targetType = targetType;
        this.nameserver = nameserver;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceResult discover(Duration timeout) throws DiscoveryException, InterruptedException {
        List<TargetEntry> entries = new ArrayList<>();
        for (String answer : boundedLookup(timeout)) {
            String host;
            int answerPort;
            if (recordType.equals("SRV")) {
                // "priority weight port target."
                String[] parts = answer.strip().split("\\s+");
                if (parts.length != 4) {
                    continue;
                }
                answerPort = Integer.parseInt(parts[2]);
                host = stripDot(parts[3]);
            } else {
                host = answer.strip();
                answerPort = port;
            }
            String authority = host.contains(":") ? "[" + host + "]:" + answerPort : host + ":" + answerPort;
            String targetName = (host.contains(":") ? host.replace(':', '.') : host) + ":" + answerPort;
            entries.add(new TargetEntry(targetName, targetType,
                    scheme + "://" + authority + (scheme.equals("tcp") ? "" : path), null,
                    Map.of("dns_name", dnsName), null));
        }
        return EntryValidator.validate(name, entries);
    }

    /**
     * The lookup under one deadline of the refresh timeout. JNDI's DNS client is given tries that add
     * up to the timeout (a third, then two thirds, doubling) but spends them on every server in turn
     * (the system may list several) and does not stop when interrupted; so the lookup runs on its own
     * thread and the caller waits for it at most the timeout.
     */
    private List<String> boundedLookup(Duration timeout) throws DiscoveryException, InterruptedException {
        Deadline deadline = Deadline.after(timeout);
        try {
            return deadline.await("tally-discovery-dns-" + name, () -> lookup(timeout));
        } catch (TimeoutException e) {
            throw new DiscoveryException("timeout", dnsName + " " + recordType + " lookup: no answer within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DiscoveryException d) {
                throw d;
            }
            throw new DiscoveryException("dns", dnsName + " " + recordType + " lookup failed: "
                    + e.getCause().getClass().getSimpleName());
        }
    }

    private List<String> lookup(Duration timeout) throws DiscoveryException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", nameserver == null ? "dns:" : "dns://" + nameserver + "/");
        env.put("com.sun.jndi.dns.timeout.initial", Long.toString(Math.max(100, timeout.toMillis() / 3)));
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext context = null;
        try {
            context = new InitialDirContext(env);
            Attributes attributes = context.getAttributes(dnsName, new String[] {recordType});
            Attribute records = attributes.get(recordType);
            List<String> out = new ArrayList<>();
            if (records != null) {
                NamingEnumeration<?> values = records.getAll();
                while (values.hasMore()) {
                    out.add(String.valueOf(values.next()));
                }
            }
            return out;
        } catch (NameNotFoundException e) {
            throw new DiscoveryException("dns", dnsName + ": no such name");
        } catch (NamingException e) {
            String explanation = e.getExplanation() == null ? e.getClass().getSimpleName() : e.getExplanation();
            // A server that never answers ends as "DNS error" caused by a SocketTimeoutException.
            String kind = explanation.toLowerCase(java.util.Locale.ROOT).contains("timed out")
                    || e.getRootCause() instanceof java.net.SocketTimeoutException ? "timeout" : "dns";
            throw new DiscoveryException(kind, dnsName + " " + recordType + " lookup failed: " + explanation);
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException ignored) {
                    // nothing held open
                }
            }
        }
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
