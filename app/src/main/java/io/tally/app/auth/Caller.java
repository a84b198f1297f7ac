package io.tally.app.auth;

import java.security.Principal;
import java.util.Set;

/** Who called: a configured token or user by its name (never its secret), and its roles. */
public record Caller(String name, Set<String> roles) implements Principal {
    public Caller {
        roles = Set.copyOf(roles);
    }

    @Override
    public String getName() {
        return name;
    }
}
