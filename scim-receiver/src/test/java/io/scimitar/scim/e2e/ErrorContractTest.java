package io.scimitar.scim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Across the real stack, every failure is a SCIM error body (RFC 7644 §3.12) with the right status
 * and scimType, and a failed write leaves the change log where it was.
 */
class ErrorContractTest {

    private static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    private static final String PATCH = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[%s]}";

    private static ReceiverFixture receiver;
    private static String userId;
    private static String groupId;
    private static String userEtag;

    @BeforeAll
    static void start() {
        receiver = ReceiverFixture.start(64 * 1024);
        ReceiverFixture.Reply user = receiver.send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"taken@example.com",
                 "emails":[{"type":"work","value":"taken@example.com"}],"active":true}""");
        userId = user.at("/id").asText();
        userEtag = user.header("ETag");
        groupId = receiver.send("POST", "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"errors",
                 "members":[{"value":"%s"}]}""".formatted(userId)).at("/id").asText();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    private static ReceiverFixture.Reply send(String method, String path, String body) {
        return receiver.send(method, path.replace("${user}", userId).replace("${group}", groupId),
                body == null ? null : body.replace("${user}", userId).replace("${group}", groupId));
    }

    static void assertScimError(ReceiverFixture.Reply reply, int status, String scimType) {
        assertThat(reply.status()).as("%s", reply).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/scim+json");
        JsonNode body = reply.json();
        assertThat(body.path("schemas").get(0).asText()).isEqualTo(ERROR);
        assertThat(body.path("status").asText()).isEqualTo(Integer.toString(status));
        assertThat(body.path("detail").asText()).isNotBlank();
        if (scimType.isEmpty()) {
            assertThat(body.has("scimType")).as("no scimType in %s", body).isFalse();
        } else {
            assertThat(body.path("scimType").asText()).isEqualTo(scimType);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            filter without a value          | GET    | /Users?filter=userName%20eq             |                                                                                  | 400 | invalidFilter
            filter with an unknown operator | GET    | /Users?filter=userName%20xx%20%22a%22    |                                                                                  | 400 | invalidFilter
            filter with a dangling paren    | GET    | /Users?filter=(active%20eq%20true        |                                                                                  | 400 | invalidFilter
            filter on password              | GET    | /Users?filter=password%20eq%20%22hunter2%22 |                                                                              | 403 | sensitive
            search on password              | POST   | /Users/.search                          | '{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"password pr"}' | 403 | sensitive
            body that is not JSON           | POST   | /Users                                  | '{"userName":'                                                                   | 400 | invalidSyntax
            body that is a JSON array       | POST   | /Users                                  | '[1,2]'                                                                          | 400 | invalidSyntax
            PATCH body that is not JSON     | PATCH  | /Users/${user}                          | 'Operations'                                                                     | 400 | invalidSyntax
            PATCH on an unknown attribute   | PATCH  | /Users/${user}                          | '{"op":"replace","path":"bogus","value":"x"}'                                    | 400 | invalidPath
            PATCH with an unbalanced filter | PATCH  | /Users/${user}                          | '{"op":"replace","path":"emails[type eq \\"work\\"","value":"x"}'                | 400 | invalidPath
            PATCH on a filter matching none | PATCH  | /Users/${user}                          | '{"op":"replace","path":"emails[type eq \\"fax\\"].value","value":"x"}'          | 400 | noTarget
            PATCH with an object for a name | PATCH  | /Users/${user}                          | '{"op":"replace","path":"userName","value":{"a":1}}'                             | 400 | invalidValue
            PATCH with an unknown op        | PATCH  | /Users/${user}                          | '{"op":"merge","path":"nickName","value":"x"}'                                   | 400 | invalidSyntax
            PATCH on id                     | PATCH  | /Users/${user}                          | '{"op":"replace","path":"id","value":"x"}'                                       | 400 | mutability
            PATCH on groups                 | PATCH  | /Users/${user}                          | '{"op":"add","path":"groups","value":[{"value":"${group}"}]}'                    | 400 | mutability
            PATCH on a group id             | PATCH  | /Groups/${group}                        | '{"op":"replace","path":"id","value":"x"}'                                       | 400 | mutability
            create without userName         | POST   | /Users                                  | '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"active":true}'       | 400 | invalidValue
            create with active "maybe"      | POST   | /Users                                  | '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"maybe@example.com","active":"maybe"}' | 400 | invalidValue
            duplicate userName              | POST   | /Users                                  | '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"TAKEN@example.com"}' | 409 | uniqueness
            unknown user                    | GET    | /Users/00000000-0000-0000-0000-000000000000 |                                                                              | 404 |
            PATCH of an unknown user        | PATCH  | /Users/00000000-0000-0000-0000-000000000000 | '{"op":"replace","path":"nickName","value":"x"}'                             | 404 |
            DELETE of an unknown group      | DELETE | /Groups/00000000-0000-0000-0000-000000000000 |                                                                             | 404 |
            unknown endpoint                | GET    | /Widgets                                |                                                                                  | 404 |
            """)
    void errorsAreScimErrorsAndChangeNothing(String name, String method, String path, String body, int status,
            String scimType) {
        String payload = body == null ? null
                : method.equals("PATCH") && body.startsWith("{\"op\"") ? PATCH.formatted(body) : body;
        long before = receiver.directoryVersion();

        ReceiverFixture.Reply reply = send(method, path, payload);

        assertScimError(reply, status, scimType == null ? "" : scimType);
        assertThat(receiver.directoryVersion()).as("change log after a refused %s", name).isEqualTo(before);
    }

    @Test
    void aFilterWithTooManyComparisonsIsTooMany() {
        String filter = IntStream.range(0, 101).mapToObj(i -> "userName eq \"u" + i + "\"")
                .collect(Collectors.joining(" or "));

        ReceiverFixture.Reply reply = send("GET", "/Users?filter="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20"), null);

        assertScimError(reply, 400, "tooMany");
    }

    /**
     * RFC 7643 §2.3.1: userName is a string; a boolean is a type error. (Numbers are deliberately
     * coerced to strings by the normaliser, for IdPs that send employeeNumber unquoted.)
     */
    @Test
    void booleanForAStringAttributeIsInvalidValue() {
        String id = receiver.send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"numeric@example.com"}""")
                .at("/id").asText();
        long before = receiver.directoryVersion();

        ReceiverFixture.Reply reply = receiver.send("PATCH", "/Users/" + id,
                PATCH.formatted("{\"op\":\"replace\",\"path\":\"userName\",\"value\":true}"));

        assertScimError(reply, 400, "invalidValue");
        assertThat(receiver.directoryVersion()).isEqualTo(before);
    }

    @Test
    void missingTokenIs401WithABearerChallenge() {
        ReceiverFixture.Reply reply = receiver.exchange(receiver.request("/Users").GET().build());

        assertScimError(reply, 401, "");
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void wrongTokenIs401WithABearerChallenge() {
        ReceiverFixture.Reply reply = receiver.exchange(receiver.request("/Users/" + userId)
                .header("Authorization", "Bearer " + receiver.token() + "x").GET().build());

        assertScimError(reply, 401, "");
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void staleIfMatchIs412AndTheUserIsUnchanged() {
        receiver.send("PATCH", "/Users/" + userId, PATCH.formatted("{\"op\":\"replace\",\"path\":\"nickName\",\"value\":\"one\"}"));
        long before = receiver.directoryVersion();

        ReceiverFixture.Reply reply = receiver.send("PATCH", "/Users/" + userId,
                PATCH.formatted("{\"op\":\"replace\",\"path\":\"nickName\",\"value\":\"two\"}"),
                Map.of("Content-Type", "application/scim+json", "If-Match", userEtag));

        assertScimError(reply, 412, "");
        assertThat(receiver.directoryVersion()).isEqualTo(before);
        assertThat(receiver.send("GET", "/Users/" + userId, null).at("/nickName").asText()).isEqualTo("one");
    }

    @Test
    void oversizedBodyIs413() {
        String big = "{\"userName\":\"big@example.com\",\"nickName\":\"" + "x".repeat(70 * 1024) + "\"}";
        long before = receiver.directoryVersion();

        ReceiverFixture.Reply reply = receiver.send("POST", "/Users", big);

        assertScimError(reply, 413, "");
        assertThat(receiver.directoryVersion()).isEqualTo(before);
    }

    @Test
    void unsupportedContentTypeIs415() {
        ReceiverFixture.Reply reply = receiver.exchange(receiver.request("/Users")
                .header("Authorization", "Bearer " + receiver.token()).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<user userName=\"x\"/>")).build());

        assertScimError(reply, 415, "");
    }
}
