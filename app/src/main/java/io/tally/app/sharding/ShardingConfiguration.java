package io.tally.app.sharding;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;

/**
 * The {@code sharding:} block: {@code shard} (an index, or {@code auto} for the ordinal at the end of
 * a StatefulSet pod's host name), {@code shards}, and the {@code singletons} that run the queue and
 * publisher collectors. Without it, one replica owns everything.
 */
public class ShardingConfiguration {
    private static final java.util.regex.Pattern ORDINAL = java.util.regex.Pattern.compile("^.*-([0-9]{1,9})$");

    @NotNull
    @Pattern(regexp = "auto|[0-9]{1,9}", message = "must be auto or a shard index (0, 1, 2, ...)")
    @JsonProperty
    private String shard = "0";

    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int shards = 1;

    @NotEmpty
    @JsonProperty
    private List<@NotNull Integer> singletons = List.of(0);

    /** For {@code shard: auto}: the name whose ordinal counts; the HOSTNAME variable, else the machine's, when unset. */
    @JsonProperty
    private String hostname;

    public String getShard() {
        return shard;
    }

    public int getShards() {
        return shards;
    }

    public List<Integer> getSingletons() {
        return singletons;
    }

    @ValidationMethod(message = "sharding.shard is auto, but the host name does not end in -<ordinal> as a "
            + "StatefulSet pod's does (tally-2): set sharding.shard to an index, or sharding.hostname")
    @JsonIgnore
    public boolean isShardResolvable() {
        return !"auto".equals(shard) || ordinal(hostName()).isPresent();
    }

    @ValidationMethod(message = "sharding.shard must be below sharding.shards (shards are numbered from 0)")
    @JsonIgnore
    public boolean isShardWithinShards() {
        OptionalInt index = index();
        return index.isEmpty() || index.getAsInt() < shards;
    }

    @ValidationMethod(message = "sharding.singletons must be distinct shard indexes below sharding.shards")
    @JsonIgnore
    public boolean isSingletonsWithinShards() {
        return singletons.stream().allMatch(s -> s != null && s >= 0 && s < shards)
                && new HashSet<>(singletons).size() == singletons.size();
    }

    /** This replica's place; call after validation. */
    public ShardIdentity identity() {
        OptionalInt index = index();
        if (index.isEmpty()) {
            throw new IllegalStateException("sharding.shard: no ordinal at the end of host name '" + hostName() + "'");
        }
        return new ShardIdentity(index.getAsInt(), shards, new HashSet<>(singletons));
    }

    private OptionalInt index() {
        if (shard == null || !shard.matches("auto|[0-9]{1,9}")) {
            return OptionalInt.empty();
        }
        return "auto".equals(shard) ? ordinal(hostName()) : OptionalInt.of(Integer.parseInt(shard));
    }

    /** {@code tally-2} → 2, {@code tally-2.tally.monitoring.svc} → 2: a StatefulSet pod's ordinal. */
    static OptionalInt ordinal(String host) {
        if (host == null) {
            return OptionalInt.empty();
        }
        int dot = host.indexOf('.');
        Matcher m = ORDINAL.matcher(dot < 0 ? host : host.substring(0, dot));
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private String hostName() {
        if (hostname != null && !hostname.isBlank()) {
            return hostname;
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
