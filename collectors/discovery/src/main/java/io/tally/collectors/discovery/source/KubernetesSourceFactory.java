package io.tally.collectors.discovery.source;

import com.codahale.metrics.Clock;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tally.collectors.core.catalog.TargetType;
import io.tally.collectors.discovery.TargetSource;
import io.tally.collectors.discovery.TargetSourceFactory;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code type: kubernetes}: targets from Secrets (and ConfigMaps) chosen by a label selector,
 * watched by informers so a change shows within moments. The client reads a kubeconfig when
 * {@code kubeconfig} is set, else the pod's service account (in-cluster).
 */
@JsonTypeName("kubernetes")
public class KubernetesSourceFactory implements TargetSourceFactory {
    private static final String NAMESPACE_PATTERN = "\\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    @JsonProperty
    private String name = "kubernetes";

    /** Which kinds of object hold targets. */
    @NotEmpty
    @JsonProperty
    private List<@NotNull @Pattern(regexp = "secrets|configmaps", message = "must be secrets or configmaps") String>
            resources = List.of("secrets");

    /** Empty: the namespace of the kubeconfig context or of the service account; ["*"]: every namespace. */
    @NotNull
    @JsonProperty
    private List<@NotNull @Pattern(regexp = NAMESPACE_PATTERN, message = "must be a namespace name or *") String>
            namespaces = List.of();

    @NotEmpty
    @JsonProperty
    private String labelSelector = "tally.io/target=true";

    /** A kubeconfig file; absent: in-cluster, from the service account. */
    @JsonProperty
    private String kubeconfig;

    /** The kubeconfig context; absent: its current context. */
    @JsonProperty
    private String context;

    /** In-cluster: the API server; absent: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT. */
    @JsonProperty
    private String apiServer;

    /** In-cluster: where the service account's token, ca.crt and namespace are mounted. */
    @NotEmpty
    @JsonProperty
    private String serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

    /** Each request to the API server (a list; not a watch, which stays open) must end within this. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration requestTimeout = Duration.seconds(5);

    @NotNull
    @JsonProperty
    private String defaultType = "generic";

    /** As for file sources: whoever may write a selected object may also shape the probe request. */
    @JsonProperty
    private boolean trustProbeSettings = false;

    @Override
    public String getName() {
        return name;
    }

    @ValidationMethod(message = "namespaces: '*' (every namespace) stands alone")
    public boolean isStarAlone() {
        return namespaces == null || !namespaces.contains("*") || namespaces.size() == 1;
    }

    @ValidationMethod(message = "context needs kubeconfig")
    public boolean isContextWithKubeconfig() {
        return context == null || kubeconfig != null;
    }

    @ValidationMethod(message = "kubernetes source needs kubeconfig, or apiServer, or to run in a pod"
            + " (KUBERNETES_SERVICE_HOST is not set)")
    public boolean isApiServerKnown() {
        return kubeconfig != null || apiServer != null || System.getenv("KUBERNETES_SERVICE_HOST") != null;
    }

    @ValidationMethod(message = "defaultType must be one of webhook, slack, rootly, pagerduty, alertmanager, generic")
    public boolean isDefaultTypeKnown() {
        try {
            TargetType.parse(defaultType);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    @Override
    public TargetSource build(Clock clock) {
        List<String> kinds = resources.stream()
                .map(r -> r.equals("configmaps") ? KubernetesEntries.CONFIG_MAP : KubernetesEntries.SECRET)
                .distinct().toList();
        Config config = config();
        return new KubernetesTargetSource(name, () -> new KubernetesClientBuilder().withConfig(config).build(), kinds,
                namespaces, labelSelector, new KubernetesEntries(defaultType, trustProbeSettings, kinds));
    }

    /** Fails start-up with the key to fix when the client has nothing to go on. */
    Config config() {
        Config config;
        if (kubeconfig != null) {
            File file = new File(kubeconfig);
            if (!file.canRead()) {
                throw new IllegalArgumentException("discovery source '" + name + "': kubeconfig " + kubeconfig
                        + " cannot be read");
            }
            config = Config.fromKubeconfig(context, file);
        } else {
            config = inCluster();
        }
        int millis = (int) requestTimeout.toMilliseconds();
        config.setRequestTimeout(millis);
        config.setConnectionTimeout(millis);
        // One attempt per request: the informer and the refresh manager do the retrying, each with its backoff.
        config.setRequestRetryBackoffLimit(0);
        config.setWatchReconnectInterval(1000);
        config.setWatchReconnectLimit(-1);
        return config;
    }

    private Config inCluster() {
        String server = apiServer;
        if (server == null) {
            Map<String, String> env = System.getenv();
            String host = env.get("KUBERNETES_SERVICE_HOST");
            if (host == null) {
                throw new IllegalArgumentException("discovery source '" + name + "': set kubeconfig, or apiServer, or run"
                        + " in a pod (KUBERNETES_SERVICE_HOST is not set)");
            }
            String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
            server = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
        Path dir = Path.of(serviceAccountDir);
        Path token = dir.resolve("token");
        if (!Files.isReadable(token)) {
            throw new IllegalArgumentException("discovery source '" + name + "': no service account token at " + token
                    + " (serviceAccountDir)");
        }
        Config config = Config.empty();
        config.setMasterUrl(server);
        Path ca = dir.resolve("ca.crt");
        if (Files.isReadable(ca)) {
            config.setCaCertFile(ca.toString());
        }
        Path namespace = dir.resolve("namespace");
        config.setNamespace(Files.isReadable(namespace) ? read(namespace).strip() : "default");
        // Bound service-account tokens are rotated by the kubelet: read the file for each request, as
        // client-go does, rather than keep the first one.
        config.setOauthTokenProvider(() -> read(token).strip());
        return config;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
