package io.tally.collectors.discovery.source;

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

/** Looks records up through the JDK's DNS provider (JNDI), which speaks to a chosen server. */
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
    public SourceResult discover(Duration timeout) throws DiscoveryException {
        List<TargetEntry> entries = new ArrayList<>();
        for (String answer : lookup(timeout)) {
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
            String kind = explanation.toLowerCase(java.util.Locale.ROOT).contains("timed out") ? "timeout" : "dns";
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
