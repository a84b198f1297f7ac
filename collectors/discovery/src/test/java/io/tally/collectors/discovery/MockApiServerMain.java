package io.tally.collectors.discovery;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link MockApiServer} in a JVM of its own, for the app's tests: the mock runs on Vert.x 5 and
 * Netty 4.2, the app's class path holds Lettuce's Netty 4.1. Run with this module's test class path
 * ({@code target/mock-api-server.classpath} plus its classes) and {@code <kubeconfig> <namespace>}: it
 * writes the kubeconfig, prints {@code ready}, then takes one command a line on stdin, answering
 * {@code ok} to each, and ends when stdin closes:
 * <pre>
 * secret NAMESPACE NAME KEY=VALUE...
 * delete NAMESPACE NAME
 * </pre>
 */
public final class MockApiServerMain {
    private MockApiServerMain() {
    }

    public static void main(String[] args) throws Exception {
        // stdout is for the protocol: whatever logs to the console goes to stderr instead.
        java.io.PrintStream protocol = System.out;
        System.setOut(System.err);
        try (MockApiServer api = new MockApiServer()) {
            Path kubeconfig = api.kubeconfig(Path.of(args[0]).getParent(), args[1]);
            Files.move(kubeconfig, Path.of(args[0]), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            protocol.println("ready");
            protocol.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.strip().split(" +");
                if (words[0].equals("secret")) {
                    Map<String, String> data = new LinkedHashMap<>();
                    for (int i = 3; i < words.length; i++) {
                        int eq = words[i].indexOf('=');
                        data.put(words[i].substring(0, eq), words[i].substring(eq + 1));
                    }
                    api.secret(words[1], words[2], data);
                } else if (words[0].equals("delete")) {
                    api.deleteSecret(words[1], words[2]);
                } else {
                    protocol.println("unknown command " + words[0]);
                    protocol.flush();
                    continue;
                }
                protocol.println("ok");
                protocol.flush();
            }
        }
    }
}
