package io.scimitar.scim.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.store.Directory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code attributes} / {@code excludedAttributes} (RFC 7644 §3.4.2.5) and the {@code returned}
 * characteristic (RFC 7643 §2.4). Paths are built directly, as the parser would produce them
 * ({@code URN:attribute.sub}, the URN ending at the last colon before the attribute).
 */
class ProjectionTest {

    private static final String E = Directory.ENTERPRISE;

    private static final ObjectNode USER = Directory.object("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","%E%"],
             "id":"u1","externalId":"ext-1","userName":"bjensen",
             "name":{"givenName":"Barbara","familyName":"Jensen"},
             "emails":[{"value":"b@example.com","type":"work","primary":true},{"value":"babs@home.org","type":"home"}],
             "password":"secret","active":true,
             "groups":[{"value":"g1","display":"Admins","type":"direct"}],
             "%E%":{"employeeNumber":"701984","manager":{"value":"u2","displayName":"John"}},
             "meta":{"resourceType":"User","created":"2026-11-28T10:00:00.000Z",
                     "lastModified":"2026-11-28T10:00:01.000Z","version":"W/\\"2\\""}}""".replace("%E%", E));

    private static final ObjectNode GROUP = Directory.object("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Admins",
             "members":[{"value":"u1","display":"bjensen","type":"User"}],
             "meta":{"resourceType":"Group","version":"W/\\"3\\""}}""");

    /** Everything but the password: what a request without attributes/excludedAttributes gets. */
    private static final String DEFAULT = """
            "externalId":"ext-1","userName":"bjensen","name":{"givenName":"Barbara","familyName":"Jensen"},
            "emails":[{"value":"b@example.com","type":"work","primary":true},{"value":"babs@home.org","type":"home"}],
            "active":true,"groups":[{"value":"g1","display":"Admins","type":"direct"}],
            "meta":{"resourceType":"User","created":"2026-11-28T10:00:00.000Z",
                    "lastModified":"2026-11-28T10:00:01.000Z","version":"W/\\"2\\""}""";

    /**
     * attributes | excludedAttributes (paths separated by spaces) | the expected resource without
     * {@code schemas} and {@code id}, which always come back. %E% is the enterprise extension URN.
     */
    @ParameterizedTest(name = "[{index}] attributes={0} excluded={1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                   | ''                         | %DEFAULT%,"%E%":{"employeeNumber":"701984","manager":{"value":"u2","displayName":"John"}}
            userName                             | ''                         | "userName":"bjensen"
            USERNAME                             | ''                         | "userName":"bjensen"
            urn:ietf:params:scim:schemas:core:2.0:User:userName | ''          | "userName":"bjensen"
            name.givenName                       | ''                         | "name":{"givenName":"Barbara"}
            NAME.GIVENNAME                       | ''                         | "name":{"givenName":"Barbara"}
            name                                 | ''                         | "name":{"givenName":"Barbara","familyName":"Jensen"}
            emails.value                         | ''                         | "emails":[{"value":"b@example.com"},{"value":"babs@home.org"}]
            emails.type emails.primary           | ''                         | "emails":[{"type":"work","primary":true},{"type":"home"}]
            userName name.familyName             | ''                         | "userName":"bjensen","name":{"familyName":"Jensen"}
            %E%:employeeNumber                   | ''                         | "%E%":{"employeeNumber":"701984"}
            %EU%:EMPLOYEENUMBER                  | ''                         | "%E%":{"employeeNumber":"701984"}
            %E%:manager.value                    | ''                         | "%E%":{"manager":{"value":"u2"}}
            employeeNumber                       | ''                         | "%E%":{"employeeNumber":"701984"}
            %E%                                  | ''                         | "%E%":{"employeeNumber":"701984","manager":{"value":"u2","displayName":"John"}}
            %EU%                                 | ''                         | "%E%":{"employeeNumber":"701984","manager":{"value":"u2","displayName":"John"}}
            password                             | ''                         | ''
            id                                   | ''                         | ''
            schemas                              | ''                         | ''
            groups                               | ''                         | "groups":[{"value":"g1","display":"Admins","type":"direct"}]
            meta.lastModified                    | ''                         | "meta":{"lastModified":"2026-11-28T10:00:01.000Z"}
            nonExistent                          | ''                         | ''
            ''                                   | password                   | %DEFAULT%,"%E%":{"employeeNumber":"701984","manager":{"value":"u2","displayName":"John"}}
            ''                                   | id schemas                 | %DEFAULT%,"%E%":{"employeeNumber":"701984","manager":{"value":"u2","displayName":"John"}}
            ''                                   | %E%                        | %DEFAULT%
            ''                                   | %EU%                       | %DEFAULT%
            ''                                   | %E%:manager                | %DEFAULT%,"%E%":{"employeeNumber":"701984"}
            ''                                   | %E%:manager.displayName    | %DEFAULT%,"%E%":{"employeeNumber":"701984","manager":{"value":"u2"}}
            ''                                   | %E%:manager %E%:employeeNumber | %DEFAULT%
            userName                             | userName                   | "userName":"bjensen"
            """)
    void projectsAUser(String attributes, String excluded, String expected) {
        Projection projection = new Projection(paths(attributes), paths(excluded));
        String body = expected.replace("%DEFAULT%", DEFAULT).replace("%E%", E);
        ObjectNode want = Directory.object("{\"schemas\":" + USER.get("schemas") + ",\"id\":\"u1\""
                + (body.isBlank() ? "" : "," + body) + "}");
        assertThat(projection.apply(ResourceType.USER, USER)).isEqualTo(want);
    }

    /** Excluding attributes or sub-attributes removes exactly those, in any case. */
    @ParameterizedTest(name = "[{index}] excluded={0}")
    @CsvSource(delimiter = '|', textBlock = """
            emails               | emails
            EMAILS               | emails
            name.givenName       | name.givenName
            Emails.VALUE         | emails.value
            meta groups          | meta groups
            externalId active    | externalId active
            """)
    void excludesExactlyWhatIsNamed(String excluded, String removed) {
        ObjectNode want = USER.deepCopy();
        want.remove("password");
        for (String path : removed.split(" ")) {
            String[] parts = path.split("\\.");
            if (parts.length == 1) {
                want.remove(parts[0]);
            } else if (want.get(parts[0]).isArray()) {
                want.get(parts[0]).forEach(element -> ((ObjectNode) element).remove(parts[1]));
            } else {
                ((ObjectNode) want.get(parts[0])).remove(parts[1]);
            }
        }
        assertThat(new Projection(List.of(), paths(excluded)).apply(ResourceType.USER, USER)).isEqualTo(want);
    }

    @ParameterizedTest(name = "[{index}] attributes={0} excluded={1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                     | ''                | true
            members                | ''                | true
            MEMBERS                | ''                | true
            members.value          | ''                | true
            urn:ietf:params:scim:schemas:core:2.0:Group:members | '' | true
            displayName            | ''                | false
            id                     | ''                | false
            ''                     | members           | false
            ''                     | Members           | false
            ''                     | members.display   | true
            ''                     | displayName       | true
            """)
    void knowsWhetherAGroupsMembersAreReturned(String attributes, String excluded, boolean includes) {
        Projection projection = new Projection(paths(attributes), paths(excluded));
        assertThat(projection.includesMembers()).isEqualTo(includes);
        assertThat(projection.apply(ResourceType.GROUP, GROUP).has("members")).isEqualTo(includes);
    }

    @Test
    void excludingASubAttributeOfMembersKeepsTheRest() {
        ObjectNode projected = new Projection(List.of(), paths("members.display meta"))
                .apply(ResourceType.GROUP, GROUP);
        assertThat(projected).isEqualTo(Directory.object("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Admins",
                 "members":[{"value":"u1","type":"User"}]}"""));
    }

    @Test
    void excludingAddsToTheExcludedPathsOnly() {
        Projection base = new Projection(List.of(), paths("emails"));
        Projection more = base.excluding(AttributePath.of("members"));
        assertThat(more.excludedAttributes()).containsExactly(AttributePath.of("emails"), AttributePath.of("members"));
        assertThat(base.excludedAttributes()).containsExactly(AttributePath.of("emails"));
        assertThat(more.includesMembers()).isFalse();
        assertThat(new Projection(paths("members"), List.of()).excluding(AttributePath.of("members"))
                .includesMembers()).isTrue();
    }

    @Test
    void projectingNeverChangesTheInput() {
        ObjectNode before = USER.deepCopy();
        ObjectNode projected = new Projection(paths("name.givenName"), List.of()).apply(ResourceType.USER, USER);
        ((ObjectNode) projected.get("name")).put("givenName", "changed");
        assertThat(USER).isEqualTo(before);
    }

    /** Space-separated paths, split as the parser does: the URN ends at the last colon. */
    static List<AttributePath> paths(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.replace("%EU%", E.toUpperCase(java.util.Locale.ROOT)).replace("%E%", E).split(" "))
                .map(ProjectionTest::path).toList();
    }

    private static AttributePath path(String text) {
        int colon = text.lastIndexOf(':');
        String urn = colon < 0 ? "" : text.substring(0, colon);
        String local = text.substring(colon + 1);
        int dot = local.indexOf('.');
        return dot < 0 ? new AttributePath(urn, local, "")
                : new AttributePath(urn, local.substring(0, dot), local.substring(dot + 1));
    }
}
