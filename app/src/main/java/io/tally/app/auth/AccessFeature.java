package io.tally.app.auth;

import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.basic.BasicCredentialAuthFilter;
import io.dropwizard.auth.basic.BasicCredentials;
import io.dropwizard.auth.chained.ChainedAuthFilter;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;

import java.util.List;
import java.util.Set;

/**
 * Authentication and roles for the application port, built from dropwizard-auth's filters (bearer
 * and basic, chained) and Jersey's {@code @RolesAllowed} feature. Resources say which role they
 * need with {@code @RolesAllowed}; paths listed in {@code auth.publicPaths} are left open. A
 * response filter counts refusals in {@link AuthFailures}.
 */
public final class AccessFeature implements DynamicFeature {
    private final Set<String> publicPaths;
    private final AuthDynamicFeature authentication;
    private final RolesAllowedDynamicFeature roles = new RolesAllowedDynamicFeature();
    private final RefusalCounter counter;

    public AccessFeature(AuthConfiguration config, CredentialStore credentials, AuthFailures failures) {
        this.publicPaths = config.publicPaths();
        Challenges challenges = new Challenges(config.realm());
        RoleAuthorizer authorizer = new RoleAuthorizer();
        AuthFilter<String, Caller> bearer = new OAuthCredentialAuthFilter.Builder<Caller>()
                .setAuthenticator(credentials::bearer).setAuthorizer(authorizer).setPrefix("Bearer")
                .setRealm(config.realm()).setUnauthorizedHandler(challenges).buildAuthFilter();
        AuthFilter<BasicCredentials, Caller> basic = new BasicCredentialAuthFilter.Builder<Caller>()
                .setAuthenticator(c -> credentials.basic(c.getUsername(), c.getPassword())).setAuthorizer(authorizer)
                .setPrefix("Basic").setRealm(config.realm()).setUnauthorizedHandler(challenges).buildAuthFilter();
        @SuppressWarnings("rawtypes")
        List<AuthFilter> chain = List.of(bearer, basic);
        this.authentication = new AuthDynamicFeature(new ChainedAuthFilter<>(chain));
        this.counter = new RefusalCounter(failures);
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        if (publicPaths.contains(template(resource))) {
            return;
        }
        authentication.configure(resource, context);
        roles.configure(resource, context);
        context.register(counter);
    }

    /** The resource method's path template as the API documents it: {@code /stats/{target}}. */
    static String template(ResourceInfo resource) {
        Path onClass = resource.getResourceClass().getAnnotation(Path.class);
        Path onMethod = resource.getResourceMethod().getAnnotation(Path.class);
        String path = (onClass == null ? "" : "/" + strip(onClass.value()))
                + (onMethod == null ? "" : "/" + strip(onMethod.value()));
        return path.isEmpty() ? "/" : path;
    }

    private static String strip(String segment) {
        String s = segment;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Counts the 401s and 403s of protected resources, by whether credentials came with the call. */
    @Priority(Priorities.AUTHENTICATION)
    static final class RefusalCounter implements ContainerResponseFilter {
        private final AuthFailures failures;

        RefusalCounter(AuthFailures failures) {
            this.failures = failures;
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (response.getStatus() == 401) {
                failures.refused("application",
                        request.getHeaderString(HttpHeaders.AUTHORIZATION) == null ? "missing" : "invalid");
            } else if (response.getStatus() == 403) {
                failures.refused("application", "forbidden");
            }
        }
    }
}
