package io.tally.app.auth;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The admin port (health checks, tasks, the admin metrics JSON) is Dropwizard's servlets, not
 * Jersey: this one servlet filter in front of them asks for the same credentials as the
 * application port and the {@code admin} role. Paths in {@code auth.publicPaths} stay open (for
 * example {@code /ping} for a process supervisor).
 */
public final class AdminAccessFilter implements Filter {
    private final CredentialStore credentials;
    private final AuthFailures failures;
    private final Set<String> publicPaths;
    private final Challenges challenges;

    public AdminAccessFilter(AuthConfiguration config, CredentialStore credentials, AuthFailures failures) {
        this.credentials = credentials;
        this.failures = failures;
        this.publicPaths = config.publicPaths();
        this.challenges = new Challenges(config.realm());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (publicPaths.contains(path.isEmpty() ? "/" : path)) {
            chain.doFilter(req, res);
            return;
        }
        String header = request.getHeader("Authorization");
        Optional<Caller> caller = header == null ? Optional.empty() : authenticate(header);
        if (caller.isEmpty()) {
            failures.refused("admin", header == null ? "missing" : "invalid");
            for (String challenge : challenges.challenges()) {
                response.addHeader("WWW-Authenticate", challenge);
            }
            write(response, 401, "credentials are required: a bearer token or a user and password");
            return;
        }
        if (!caller.get().roles().contains("admin")) {
            failures.refused("admin", "forbidden");
            write(response, 403, "the admin port needs the admin role");
            return;
        }
        chain.doFilter(req, res);
    }

    private Optional<Caller> authenticate(String header) {
        int space = header.indexOf(' ');
        if (space <= 0) {
            return Optional.empty();
        }
        String scheme = header.substring(0, space);
        String value = header.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return credentials.bearer(value);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            return colon <= 0 ? Optional.empty()
                    : credentials.basic(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        return Optional.empty();
    }

    private static void write(HttpServletResponse response, int code, String message) throws IOException {
        response.setStatus(code);
        response.setContentType("application/json");
        response.getOutputStream().write(("{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\"}}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
