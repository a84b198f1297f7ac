package io.tally.app.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code auth:} block: who may call Tally, as bearer tokens and basic-auth users stored only
 * as hashes, each with roles. With neither tokens nor users, auth is off; Tally then refuses to
 * listen beyond loopback unless {@code allowAnonymous} says so (see {@link NetworkExposure}).
 */
public class AuthConfiguration {
    /** What a caller may do: scrape {@code /metrics}, read the JSON API and the page, use the admin port. */
    public static final Set<String> ROLES = Set.of("metrics", "read", "admin", "ingest");

    @Valid
    @NotNull
    @JsonProperty
    private List<TokenEntry> tokens = List.of();

    @Valid
    @NotNull
    @JsonProperty
    private List<UserEntry> users = List.of();

    /** Resource paths anyone may call, as written in the API (for example {@code /health}). */
    @NotNull
    @JsonProperty
    private List<@Pattern(regexp = "/[^\\s]*", message = "must be a path starting with /") String> publicPaths =
            List.of();

    /** Serve the application port beyond loopback with auth off: an explicit choice, never a default. */
    @JsonProperty
    private boolean allowAnonymous = false;

    @NotEmpty
    @JsonProperty
    private String realm = "tally";

    public boolean enabled() {
        return !tokens.isEmpty() || !users.isEmpty();
    }

    public List<TokenEntry> tokens() {
        return tokens;
    }

    public List<UserEntry> users() {
        return users;
    }

    public Set<String> publicPaths() {
        return Set.copyOf(publicPaths);
    }

    public boolean allowAnonymous() {
        return allowAnonymous;
    }

    public String realm() {
        return realm;
    }

    @ValidationMethod(message = "auth.users: user names must be unique")
    public boolean isUserNamesUnique() {
        Set<String> names = new HashSet<>();
        return users.stream().allMatch(u -> u.name() == null || names.add(u.name()));
    }

    /** A bearer token, stored as a hash: {@code sha256} (hex, for long random tokens) or {@code bcrypt}. */
    public static class TokenEntry {
        /** Shown in logs and on the admin port as who called; never the token. */
        @NotEmpty
        @JsonProperty
        private String name;

        @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be the 64 hex digits of a SHA-256 hash")
        @JsonProperty
        private String sha256;

        @Pattern(regexp = "\\$2[aby]?\\$\\d{2}\\$[./A-Za-z0-9]{53}", message = "must be a bcrypt hash like $2y$10$...")
        @JsonProperty
        private String bcrypt;

        @NotEmpty
        @JsonProperty
        private List<@Pattern(regexp = "metrics|read|admin|ingest", message = "must be metrics, read, admin or ingest") String> roles =
                List.of();

        public String name() {
            return name;
        }

        public String sha256() {
            return sha256;
        }

        public String bcrypt() {
            return bcrypt;
        }

        public Set<String> roles() {
            return Set.copyOf(roles);
        }

        @ValidationMethod(message = "auth.tokens: give each token exactly one of sha256 or bcrypt")
        public boolean isOneHash() {
            return (sha256 == null) != (bcrypt == null);
        }
    }

    /** A basic-auth user with a bcrypt password hash ({@code htpasswd -nBC 10 name}, or {@code tally hash}). */
    public static class UserEntry {
        @NotEmpty
        @Pattern(regexp = "[^:\\s]+", message = "must not contain ':' or spaces")
        @JsonProperty
        private String name;

        @NotNull
        @Pattern(regexp = "\\$2[aby]?\\$\\d{2}\\$[./A-Za-z0-9]{53}", message = "must be a bcrypt hash like $2y$10$...")
        @JsonProperty
        private String bcrypt;

        @NotEmpty
        @JsonProperty
        private List<@Pattern(regexp = "metrics|read|admin|ingest", message = "must be metrics, read, admin or ingest") String> roles =
                List.of();

        public String name() {
            return name;
        }

        public String bcrypt() {
            return bcrypt;
        }

        public Set<String> roles() {
            return Set.copyOf(roles);
        }
    }
}
