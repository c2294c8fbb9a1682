package io.scimitar.scim.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.filter.FilterParser;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.store.Directory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Queries (RFC 7644 §3.4.2): paging, sorting, the server's page cap, and index lookups agreeing with scans. */
class DirectorySearchTest {

    private static final int MAX_RESULTS = 5;

    @TempDir
    Path dir;

    private Directory d;

    @BeforeEach
    void sevenUsersAndTwoGroups() {
        d = Directory.open(dir, new DirectorySettings(true, MAX_RESULTS));
        for (String name : List.of("carol", "Alice", "bob", "erin", "Dave", "frank", "grace")) {
            d.createUser(Directory.object("""
                    {"schemas":["%s"],"userName":"%s","externalId":"ext-%s"}"""
                    .formatted(Directory.USER_SCHEMA, name, name)));
        }
        d.createGroup("Admins");
        d.createGroup("ops");
    }

    @AfterEach
    void close() {
        d.close();
    }

    @ParameterizedTest(name = "startIndex={0} count={1}")
    @CsvSource(textBlock = """
            1,  3,  carol Alice bob
            3,  3,  bob erin Dave
            6,  3,  frank grace
            7,  1,  grace
            8,  3,  ''
            100,3,  ''
            0,  2,  carol Alice
            -4, 2,  carol Alice
            1,  0,  ''
            4,  0,  ''
            1,  100, carol Alice bob erin Dave
            3,  -1, ''
            """)
    void pagesThroughTheMatchesInAStableOrder(int startIndex, int count, String expected) {
        // Without sortBy the order is the view's (by id); sort by created time to name the expected pages.
        ListResult page = search(Optional.empty(), startIndex, count, Optional.of(AttributePath.of("meta", "created")), false);
        assertThat(page.totalResults()).isEqualTo(7);
        assertThat(page.startIndex()).isEqualTo(Math.max(1, startIndex));
        assertThat(userNames(page)).containsExactlyElementsOf(expected.isBlank() ? List.of() : List.of(expected.split(" ")));
    }

    @Test
    void unsortedPagesCoverEveryResourceOnce() {
        List<String> all = new java.util.ArrayList<>();
        for (int start = 1; start <= 7; start += 2) {
            all.addAll(userNames(search(Optional.empty(), start, 2, Optional.empty(), false)));
        }
        assertThat(all).containsExactlyInAnyOrder("carol", "Alice", "bob", "erin", "Dave", "frank", "grace");
    }

    @Test
    void sortsByUserNameCaseInsensitivelyBothWays() {
        assertThat(userNames(search(Optional.empty(), 1, 5, Optional.of(AttributePath.of("userName")), false)))
                .containsExactly("Alice", "bob", "carol", "Dave", "erin");
        assertThat(userNames(search(Optional.empty(), 1, 5, Optional.of(AttributePath.of("USERNAME")), true)))
                .containsExactly("grace", "frank", "erin", "Dave", "carol");
    }

    @Test
    void sortsByLastModified() {
        String carol = d.service().search(request("userName eq \"carol\"")).resources().getFirst().id();
        d.patch(ResourceType.USER, carol, """
                [{"op":"replace","path":"displayName","value":"Carol"}]""");
        AttributePath lastModified = AttributePath.of("meta", "lastModified");
        assertThat(userNames(search(Optional.empty(), 1, 3, Optional.of(lastModified), false)))
                .containsExactly("Alice", "bob", "erin");
        assertThat(userNames(search(Optional.empty(), 1, 3, Optional.of(lastModified), true)))
                .containsExactly("carol", "grace", "frank");
    }

    @Test
    void theServerCapsThePageAtMaxResultsButCountsEveryMatch() {
        ListResult page = search(Optional.empty(), 1, 1000, Optional.empty(), false);
        assertThat(page.resources()).hasSize(MAX_RESULTS);
        assertThat(page.totalResults()).isEqualTo(7);
    }

    @Test
    void aSearchOverBothTypesFindsUsersAndGroups() {
        ListResult all = d.service().search(new SearchRequest(List.of(ResourceType.USER, ResourceType.GROUP),
                Optional.empty(), 1, 0, Optional.empty(), false, Projection.DEFAULT));
        assertThat(all.totalResults()).isEqualTo(9);
        assertThat(all.resources()).isEmpty();
    }

    /** Each IdP lookup, answered from an index, against the same filter forced through a full scan. */
    @ParameterizedTest
    @ValueSource(strings = {
        "userName eq \"alice\"",
        "userName eq \"ALICE\"",
        "userName eq \"nobody\"",
        "UserName eq \"Dave\"",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"bob\"",
        "externalId eq \"ext-Alice\"",
        "externalId eq \"EXT-ALICE\"",
        "externalId eq \"ext-alice\"",
        "displayName eq \"admins\"",
        "displayName eq \"OPS\"",
        "displayName eq \"nobody\"",
    })
    void indexLookupsAnswerLikeAScan(String filter) {
        ResourceType type = filter.startsWith("displayName") ? ResourceType.GROUP : ResourceType.USER;
        ListResult indexed = d.service().search(new SearchRequest(List.of(type),
                Optional.of(FilterParser.parse(filter)), 1, 100, Optional.empty(), false, Projection.DEFAULT));
        // "and id pr" makes the filter a conjunction, which no index answers.
        ListResult scanned = d.service().search(new SearchRequest(List.of(type),
                Optional.of(FilterParser.parse("(" + filter + ") and id pr")), 1, 100, Optional.empty(), false,
                Projection.DEFAULT));
        assertThat(indexed).isEqualTo(scanned);
        assertThat(indexed.totalResults()).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            userName eq "alice",      1
            externalId eq "ext-Alice",1
            externalId eq "EXT-ALICE",0
            displayName eq "admins",  1
            """)
    void lookupsHonourCaseExactness(String filter, int matches) {
        ResourceType type = filter.startsWith("displayName") ? ResourceType.GROUP : ResourceType.USER;
        assertThat(d.service().search(new SearchRequest(List.of(type), Optional.of(FilterParser.parse(filter)), 1, 10,
                Optional.empty(), false, Projection.DEFAULT)).totalResults()).isEqualTo(matches);
    }

    @Test
    void lookupsFollowRenames() {
        String alice = d.service().search(request("userName eq \"alice\"")).resources().getFirst().id();
        d.patch(ResourceType.USER, alice, """
                [{"op":"replace","path":"userName","value":"alicia"}]""");
        assertThat(d.service().search(request("userName eq \"alice\"")).totalResults()).isZero();
        assertThat(d.service().search(request("userName eq \"ALICIA\"")).resources())
                .extracting(ScimResource::id).containsExactly(alice);
    }

    private SearchRequest request(String filter) {
        return new SearchRequest(List.of(ResourceType.USER), Optional.of(FilterParser.parse(filter)), 1, 10,
                Optional.empty(), false, Projection.DEFAULT);
    }

    private ListResult search(Optional<String> filter, int startIndex, int count, Optional<AttributePath> sortBy,
            boolean descending) {
        return d.service().search(new SearchRequest(List.of(ResourceType.USER), filter.map(FilterParser::parse),
                startIndex, count, sortBy, descending, Projection.DEFAULT));
    }

    private static List<String> userNames(ListResult page) {
        return page.resources().stream().map(r -> r.json().path("userName").asText()).toList();
    }
}
