package io.scimitar.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.schema.ResourceType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a client sends, the parser and evaluator answer with a result or a ScimException. */
class FilterRobustnessTest {

    private static final FilterEvaluator USERS = new FilterEvaluator(ResourceType.USER);

    /** Strings built from the grammar's own pieces, so most of them get deep into the parser. */
    @Provide
    Arbitrary<String> filterish() {
        Arbitrary<String> piece = Arbitraries.of(
                "userName", "emails", "name.givenName", "meta.lastModified", "active", "score", "members",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "$ref", ".value",
                "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "and", "or", "not",
                "(", ")", "[", "]", "\"x\"", "\"2011-05-13T04:42:34Z\"", "\"", "\\", "true", "null", "42", "1.5",
                "jyoung", ":", ".", " ");
        return piece.list().ofMaxSize(25).map(parts -> String.join(" ", parts));
    }

    @Property(tries = 2000)
    void parseAndEvaluateNeverThrowAnythingElse(@ForAll("filterish") String text) {
        Filter filter;
        try {
            filter = FilterParser.parse(text);
        } catch (ScimException e) {
            assertThat(e.status()).isEqualTo(400);
            return;
        }
        for (var user : FilterFixtures.USERS) {
            try {
                USERS.matches(filter, user);
            } catch (ScimException e) {
                assertThat(e.status()).isEqualTo(400);
            }
        }
    }

    @Property(tries = 1000)
    void arbitraryTextNeverEscapesAsAnotherException(@ForAll String text) {
        try {
            FilterParser.parse(text);
        } catch (ScimException e) {
            assertThat(e.status()).isEqualTo(400);
        }
        try {
            FilterParser.parsePatchPath(text);
        } catch (ScimException e) {
            assertThat(e.status()).isEqualTo(400);
        }
        try {
            FilterParser.parseAttributePath(text);
        } catch (ScimException e) {
            assertThat(e.status()).isEqualTo(400);
        }
    }
}
