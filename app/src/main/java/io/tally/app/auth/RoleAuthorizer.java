package io.tally.app.auth;

import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;

/** A caller may do what its configured roles say, and nothing else: roles do not imply one another. */
final class RoleAuthorizer implements Authorizer<Caller> {
    @Override
    public boolean authorize(Caller caller, String role, ContainerRequestContext request) {
        return caller.roles().contains(role);
    }
}
