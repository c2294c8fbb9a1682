package io.scimitar.scim.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.ScimService;
import io.scimitar.scim.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a request, routes it to an endpoint and turns every outcome into a
 * {@link ScimResponse}: a {@link ScimException} becomes its SCIM error, anything unexpected a 500
 * with a request id. Runs on the blocking executor; never throws.
 */
final class ScimRouter {

    private static final Logger LOG = LoggerFactory.getLogger(ScimRouter.class);
    private static final String REALM = "Bearer realm=\"scimitar\"";

    private final ScimServerSettings settings;
    private final ResourceEndpoints resources;
    private final Discovery discovery;

    ScimRouter(ScimServerSettings settings, ScimService service) {
        this.settings = settings;
        this.resources = new ResourceEndpoints(service, settings.maxResults());
        this.discovery = new Discovery(settings.maxResults());
    }

    ScimResponse handle(ScimRequest request) {
        try {
            Optional<ScimResponse> denied = authenticate(request);
            if (denied.isPresent()) {
                return denied.get();
            }
            return route(request, segments(request.path()));
        } catch (ScimException e) {
            return ScimResponse.error(e);
        } catch (StoreUnavailableException e) {
            // The database failed, not the request: tell the IdP to retry (Okta honours Retry-After).
            LOG.atError().setMessage("the directory store failed").addKeyValue("event", "scim_store_unavailable")
                    .addKeyValue("request_id", request.requestId()).addKeyValue("method", request.method())
                    .addKeyValue("path", AccessLog.printable(request.path())).setCause(e).log();
            return ScimResponse.error(503, Optional.empty(), "the directory store is unavailable; retry shortly")
                    .withHeader(HttpHeaderNames.RETRY_AFTER.toString(), "5");
        } catch (RuntimeException e) {
            LOG.atError().setMessage("internal error").addKeyValue("event", "scim_internal_error")
                    .addKeyValue("request_id", request.requestId()).addKeyValue("method", request.method())
                    .addKeyValue("path", AccessLog.printable(request.path())).setCause(e).log();
            return ScimResponse.error(500, Optional.empty(),
                    "internal error; request id " + request.requestId());
        }
    }

    /** RFC 6750 §3: 401 with a challenge; {@code invalid_token} only when a token was sent. */
    private Optional<ScimResponse> authenticate(ScimRequest request) {
        Optional<String> token = request.header(HttpHeaderNames.AUTHORIZATION).flatMap(ScimRouter::bearerToken);
        if (token.isEmpty()) {
            return Optional.of(ScimResponse.error(401, Optional.empty(), "a bearer token is required")
                    .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), REALM));
        }
        if (!settings.tokens().accepts(token.get())) {
            LOG.atInfo().setMessage("bearer token rejected").addKeyValue("event", "scim_token_rejected")
                    .addKeyValue("request_id", request.requestId())
                    .addKeyValue("token_sha256", BearerTokens.fingerprint(token.get())).log();
            return Optional.of(ScimResponse.error(401, Optional.empty(), "the bearer token is not valid")
                    .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), REALM + ", error=\"invalid_token\""));
        }
        return Optional.empty();
    }

    /** The credentials of an {@code Authorization: Bearer} header; the scheme is case-insensitive (RFC 9110 §11.1). */
    private static Optional<String> bearerToken(String header) {
        String value = header.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = value.substring(7).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** Path segments below the base path, percent-decoded; a trailing slash is tolerated. */
    private List<String> segments(String rawPath) {
        String base = settings.basePath();
        String rest;
        if (rawPath.equals(base)) {
            rest = "";
        } else if (rawPath.startsWith(base + "/")) {
            rest = rawPath.substring(base.length() + 1);
        } else {
            throw ScimException.notFound("no SCIM endpoint at this path");
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        List<String> segments = new ArrayList<>();
        if (rest.isEmpty()) {
            return segments;
        }
        for (String segment : rest.split("/", -1)) {
            if (segment.isEmpty()) {
                throw ScimException.notFound("no SCIM endpoint at this path");
            }
            try {
                segments.add(QueryStringDecoder.decodeComponent(segment));
            } catch (IllegalArgumentException e) {
                throw ScimException.status(400, "the path is not correctly percent-encoded");
            }
        }
        return segments;
    }

    private ScimResponse route(ScimRequest request, List<String> path) {
        if (path.isEmpty()) {
            throw ScimException.notFound("no SCIM endpoint at the base path; try /Users or /Groups");
        }
        String first = path.get(0);
        String base = request.baseUrl();
        Optional<ResourceType> resourceType = ResourceType.byEndpoint(first);
        if (resourceType.isPresent()) {
            ResourceType type = resourceType.get();
            if (path.size() == 1) {
                return methods(request, Map.of(
                        HttpMethod.GET, () -> resources.list(type, request),
                        HttpMethod.POST, () -> resources.create(type, request)));
            }
            if (path.size() == 2 && path.get(1).equals(".search")) {
                return methods(request, Map.of(HttpMethod.POST, () -> resources.search(List.of(type), request)));
            }
            if (path.size() == 2) {
                String id = path.get(1);
                return methods(request, Map.of(
                        HttpMethod.GET, () -> resources.get(type, id, request),
                        HttpMethod.PUT, () -> resources.replace(type, id, request),
                        HttpMethod.PATCH, () -> resources.patch(type, id, request),
                        HttpMethod.DELETE, () -> resources.delete(type, id, request)));
            }
            throw ScimException.notFound("no SCIM endpoint at this path");
        }
        return switch (first) {
            case ".search" -> exactly(path, 1, () -> methods(request, Map.of(HttpMethod.POST,
                    () -> resources.search(List.of(ResourceType.values()), request))));
            case "ServiceProviderConfig" -> exactly(path, 1, () -> methods(request, Map.of(HttpMethod.GET,
                    () -> ScimResponse.json(200, discovery.serviceProviderConfig(base)))));
            case "Schemas" -> path.size() == 1
                    ? methods(request, Map.of(HttpMethod.GET, () -> ScimResponse.json(200, discovery.schemas(base))))
                    : exactly(path, 2, () -> methods(request, Map.of(HttpMethod.GET,
                            () -> ScimResponse.json(200, discovery.schema(path.get(1), base)))));
            case "ResourceTypes" -> path.size() == 1
                    ? methods(request, Map.of(HttpMethod.GET,
                            () -> ScimResponse.json(200, discovery.resourceTypes(base))))
                    : exactly(path, 2, () -> methods(request, Map.of(HttpMethod.GET,
                            () -> ScimResponse.json(200, discovery.resourceType(path.get(1), base)))));
            // RFC 7644 §3.11 (/Me) and §3.7 (/Bulk) are optional; ServiceProviderConfig says bulk is off.
            case "Me" -> throw ScimException.status(501, "the /Me endpoint is not supported");
            case "Bulk" -> throw ScimException.status(501, "bulk operations are not supported");
            default -> throw ScimException.notFound("no SCIM endpoint at this path");
        };
    }

    private static ScimResponse exactly(List<String> path, int size, Supplier<ScimResponse> endpoint) {
        if (path.size() != size) {
            throw ScimException.notFound("no SCIM endpoint at this path");
        }
        return endpoint.get();
    }

    /** Runs the endpoint for the request's method; HEAD runs GET (the body is dropped on the wire); else 405. */
    private static ScimResponse methods(ScimRequest request, Map<HttpMethod, Supplier<ScimResponse>> endpoints) {
        HttpMethod method = request.method();
        Supplier<ScimResponse> endpoint = endpoints.get(HttpMethod.HEAD.equals(method) ? HttpMethod.GET : method);
        if (endpoint != null) {
            return endpoint.get();
        }
        return ScimResponse.error(405, Optional.empty(), "method " + AccessLog.printable(method.name())
                        + " is not allowed here")
                .withHeader(HttpHeaderNames.ALLOW.toString(), allow(endpoints));
    }

    private static String allow(Map<HttpMethod, Supplier<ScimResponse>> endpoints) {
        Map<String, Boolean> ordered = new LinkedHashMap<>();
        for (HttpMethod m : List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
                HttpMethod.PATCH, HttpMethod.DELETE)) {
            boolean allowed = endpoints.containsKey(m) || (m.equals(HttpMethod.HEAD) && endpoints.containsKey(HttpMethod.GET));
            if (allowed) {
                ordered.put(m.name(), true);
            }
        }
        StringJoiner joiner = new StringJoiner(", ");
        ordered.keySet().forEach(joiner::add);
        return joiner.toString();
    }
}
