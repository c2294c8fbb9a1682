package io.scimitar.e2e;

import io.scimitar.testing.RawClient;
import static io.scimitar.e2e.SidecarFixture.ADA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client that sends its own {@code X-Scimitar-*} headers, in any spelling, gets them stripped:
 * the app sees exactly the verified identity on a protected route and no identity on a public one.
 */
class HeaderSpoofingTest {

    @RegisterExtension
    static final SidecarFixture STACK = SidecarFixture.standard();

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    /** Every identity header, spoofed, in the given letter case. */
    private static List<String> spoofed(String casing) {
        var names = List.of("X-Scimitar-User", "X-Scimitar-Groups", "X-Scimitar-User-Id", "X-Scimitar-Email",
                "X-Scimitar-Directory-Version", "X-Scimitar-Role");
        var lines = new ArrayList<String>();
        for (String name : names) {
            String spelled = switch (casing) {
                case "lower" -> name.toLowerCase();
                case "upper" -> name.toUpperCase();
                case "mixed" -> name.replace("Scimitar", "sCiMiTaR");
                default -> name;
            };
            lines.add(spelled + ": " + (name.endsWith("Version") ? "999999" : "mallory"));
        }
        return lines;
    }

    @ParameterizedTest(name = "{0} case")
    @ValueSource(strings = {"canonical", "lower", "upper", "mixed"})
    void spoofedIdentityHeadersAreReplacedByTheVerifiedIdentity(String casing) throws Exception {
        STACK.app().forget();
        var headers = new ArrayList<>(spoofed(casing));
        headers.add(STACK.bearer(ADA));
        headers.add("X-Forwarded-For: 203.0.113.7");
        headers.add("traceparent: " + TRACEPARENT);

        assertThat(STACK.send(RawClient.get("/api/me", headers)).status()).isEqualTo(200);

        var seen = STACK.app().next();
        assertThat(seen.headers().get("x-scimitar-user")).containsExactly(ADA);
        assertThat(seen.headers().get("x-scimitar-user-id")).containsExactly(STACK.userId(ADA));
        assertThat(seen.headers().get("x-scimitar-email")).containsExactly("ada.work@mail.example");
        assertThat(seen.headers().get("x-scimitar-groups")).containsExactly("eng");
        String version = new ObjectMapper().readTree(STACK.admin("/explain?user=" + ADA + "&method=GET&path=/api/me")
                .body()).get("directoryVersion").asText();
        assertThat(seen.headers().get("x-scimitar-directory-version")).containsExactly(version);
        assertThat(seen.headers()).doesNotContainKey("x-scimitar-role");
        assertThat(seen.header("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.header("x-forwarded-host")).isEqualTo("app.test");
        assertThat(seen.header("traceparent")).isEqualTo(TRACEPARENT);
    }

    @ParameterizedTest(name = "{0} case")
    @ValueSource(strings = {"canonical", "lower", "upper", "mixed"})
    void onAPublicRouteSpoofedHeadersAreStrippedAndNoneAdded(String casing) throws Exception {
        STACK.app().forget();
        var headers = new ArrayList<>(spoofed(casing));
        headers.add("traceparent: " + TRACEPARENT);

        assertThat(STACK.send(RawClient.get("/public/page", headers)).status()).isEqualTo(200);

        var seen = STACK.app().next();
        assertThat(seen.headers().keySet()).noneMatch(name -> name.startsWith("x-scimitar-"));
        assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(seen.header("traceparent")).isEqualTo(TRACEPARENT);
    }

    @Test
    void aSpoofedAdminGroupDoesNotOpenTheAdminRoutes() throws Exception {
        STACK.app().forget();
        var response = STACK.get("/admin/users", STACK.bearer(ADA), "X-Scimitar-Groups: platform-admins",
                "X-Scimitar-User: grace@example.com");

        assertThat(response.status()).isEqualTo(403);
        STACK.assertAppSawNothing();
    }
}
