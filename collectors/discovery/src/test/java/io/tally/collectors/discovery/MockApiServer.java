package io.tally.collectors.discovery;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * fabric8's Kubernetes mock server in CRUD mode: a real HTTP server on loopback that speaks the
 * API, lists and watches included, and keeps what it is given. Around it: a switch that answers
 * one namespace's requests with 403 as RBAC would, a restart on the same port (its watches drop,
 * its objects stay), and a kubeconfig that points at it. Shared with the app's docs scenario.
 */
public final class MockApiServer implements AutoCloseable {
    public static final String TOKEN = "kube-token-do-not-show";

    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final AtomicReference<String> forbidden = new AtomicReference<>();
    private final KubernetesMixedDispatcher dispatcher = new KubernetesMixedDispatcher(responses) {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String namespace = forbidden.get();
            if (namespace != null && request.getPath().contains("/namespaces/" + namespace + "/")) {
                return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json")
                        .setBody("""
                                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"Forbidden",\
                                "code":403,"message":"secrets is forbidden: User \\"system:serviceaccount:tally:tally\\"\
                                 cannot list resource \\"secrets\\" in API group \\"\\" in the namespace \\"%s\\""}"""
                                .formatted(namespace));
            }
            return super.dispatch(request);
        }
    };
    private final boolean https;
    private KubernetesMockServer server;
    private int port;

    public MockApiServer(boolean https) {
        this.https = https;
        start(0);
    }

    public MockApiServer() {
        this(false);
    }

    private void start(int onPort) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, https);
        server.init(InetAddress.getLoopbackAddress(), onPort);
        port = server.getPort();
    }

    public int port() {
        return port;
    }

    public KubernetesMockServer server() {
        return server;
    }

    /** Answers requests for this namespace with 403 Forbidden; null lets them through again. */
    public void forbid(String namespace) {
        forbidden.set(namespace);
    }

    /** Stops the server: connections refused, open watches cut. */
    public void stop() {
        destroy();
    }

    /** Starts it again on the same port with the objects it held. */
    public void restart() {
        start(port);
    }

    /** A client for the test to create, change and delete objects with. */
    public KubernetesClient admin() {
        return server.createClient();
    }

    /** A kubeconfig whose current context points at this server, with a token and a namespace. */
    public Path kubeconfig(Path dir, String namespace) throws IOException {
        Path file = dir.resolve("kubeconfig-" + port);
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster: { server: "http://127.0.0.1:%d" }
                users:
                  - name: tally
                    user: { token: "%s" }
                contexts:
                  - name: mock
                    context: { cluster: mock, user: tally, namespace: %s }
                current-context: mock
                """.formatted(port, TOKEN, namespace));
        return file;
    }

    /** A labelled Opaque Secret holding these keys (base64, as the API serves them). */
    public void secret(String namespace, String name, Map<String, String> data) {
        secret(namespace, name, data, Map.of("tally.io/target", "true"), "Opaque");
    }

    public void secret(String namespace, String name, Map<String, String> data, Map<String, String> labels, String type) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        try (KubernetesClient client = admin()) {
            client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                    .withNamespace(namespace).withLabels(labels).endMetadata().withType(type).withData(encoded).build())
                    .createOr(existing -> existing.update());
        }
    }

    public void configMap(String namespace, String name, Map<String, String> data) {
        try (KubernetesClient client = admin()) {
            client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                    .withNamespace(namespace).withLabels(Map.of("tally.io/target", "true")).endMetadata().withData(data)
                    .build()).createOr(existing -> existing.update());
        }
    }

    public void deleteSecret(String namespace, String name) {
        try (KubernetesClient client = admin()) {
            client.secrets().inNamespace(namespace).withName(name).delete();
        }
    }

    @Override
    public void close() {
        destroy();
    }

    /**
     * The server's close future failed once on CI, right after the informers had closed their
     * watches: most likely the client's and the server's closes of one connection racing.
     * That is the fake API server's own teardown, not Tally's behaviour, so it must not fail a test
     * whose assertions passed; a server that truly kept listening still fails a restart on its port.
     */
    private void destroy() {
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            if (!"Unable to close MockWebServer".equals(e.getMessage())) {
                throw e;
            }
            System.err.println("mock API server: close raced a closing watch: " + e.getCause());
        }
    }
}
