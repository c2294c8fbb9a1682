package io.scimitar.scim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.messages.SortOrder;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.UserResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Queries (RFC 7644 §3.4.2): filters, paging and sorting, as UnboundID's client sends them. */
class UnboundIdSearchTest {

    @AutoClose
    private static final ScimClients clients = ScimClients.onNewReceiver();
    private static final List<UserResource> users = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        String[][] people = {
                {"ada.lovelace", "Ada", "Lovelace", "work", "ada@example.com", "true"},
                {"alan.turing", "Alan", "Turing", "work", "alan@example.org", "true"},
                {"grace.hopper", "Grace", "Hopper", "home", "grace@example.com", "false"},
                {"edsger.dijkstra", "Edsger", "Dijkstra", "work", "edsger@example.com", "true"},
                {"barbara.liskov", "Barbara", "Liskov", "work", "barbara@mit.example", "false"},
        };
        for (String[] p : people) {
            UserResource user = new UserResource().setUserName(p[0])
                    .setName(new Name().setGivenName(p[1]).setFamilyName(p[2]))
                    .setEmails(List.of(new Email().setType(p[3]).setValue(p[4])))
                    .setActive(Boolean.parseBoolean(p[5]));
            users.add(clients.scim.create("Users", user));
        }
    }

    private static List<String> userNames(String filter) throws Exception {
        return clients.scim.searchRequest("Users").filter(filter).invoke(UserResource.class).getResources().stream()
                .map(UserResource::getUserName).toList();
    }

    @Test
    void userNameEqIsCaseInsensitive() throws Exception {
        assertThat(userNames("userName eq \"ADA.Lovelace\"")).containsExactly("ada.lovelace");
    }

    @Test
    void valueFilterOnEmailsMatchesWithinOneEmail() throws Exception {
        assertThat(userNames("emails[type eq \"work\" and value co \"@example.com\"]"))
                .containsExactlyInAnyOrder("ada.lovelace", "edsger.dijkstra");
    }

    @Test
    void andOrNotCombine() throws Exception {
        assertThat(userNames("name.givenName sw \"A\" and not (emails.value ew \".org\")")).containsExactly("ada.lovelace");
        assertThat(userNames("userName eq \"grace.hopper\" or active eq false"))
                .containsExactlyInAnyOrder("grace.hopper", "barbara.liskov");
        assertThat(userNames("(active eq true and name.familyName pr) and not (userName sw \"a\")"))
                .containsExactly("edsger.dijkstra");
    }

    @Test
    void lastModifiedCompareAsTimestamps() throws Exception {
        UserResource third = users.get(2);
        String at = third.getMeta().getLastModified().toInstant().toString();
        List<String> expectedAfter = users.stream()
                .filter(u -> u.getMeta().getLastModified().toInstant().isAfter(Instant.parse(at)))
                .map(UserResource::getUserName).toList();

        assertThat(userNames("meta.lastModified gt \"" + at + "\"")).containsExactlyInAnyOrderElementsOf(expectedAfter)
                .doesNotContain(third.getUserName());
        assertThat(userNames("meta.lastModified ge \"" + at + "\"")).contains(third.getUserName());
        assertThat(userNames("meta.lastModified gt \"2000-01-01T00:00:00Z\"")).hasSize(users.size());
        assertThat(userNames("meta.lastModified lt \"2000-01-01T00:00:00Z\"")).isEmpty();
    }

    @Test
    void pagesCoverEveryMatchOnceWithTotalResults() throws Exception {
        List<String> seen = new ArrayList<>();
        for (int start = 1; start <= users.size(); start += 2) {
            ListResponse<UserResource> page = clients.scim.searchRequest("Users")
                    .sort("userName", SortOrder.ASCENDING).page(start, 2).invoke(UserResource.class);
            assertThat(page.getTotalResults()).isEqualTo(users.size());
            assertThat(page.getStartIndex()).isEqualTo(start);
            assertThat(page.getItemsPerPage()).isEqualTo(page.getResources().size());
            page.getResources().forEach(u -> seen.add(u.getUserName()));
        }
        assertThat(seen).containsExactly("ada.lovelace", "alan.turing", "barbara.liskov", "edsger.dijkstra", "grace.hopper");
    }

    @Test
    void countZeroAnswersOnlyTheTotal() throws Exception {
        ListResponse<UserResource> page = clients.scim.searchRequest("Users").filter("active eq true")
                .page(1, 0).invoke(UserResource.class);

        assertThat(page.getTotalResults()).isEqualTo(3);
        assertThat(page.getResources()).isNullOrEmpty();
    }

    @Test
    void sortDescendingBySubAttribute() throws Exception {
        List<String> families = clients.scim.searchRequest("Users").sort("name.familyName", SortOrder.DESCENDING)
                .invoke(UserResource.class).getResources().stream().map(u -> u.getName().getFamilyName()).toList();

        assertThat(families).containsExactly("Turing", "Lovelace", "Liskov", "Hopper", "Dijkstra");
    }

    @Test
    void postSearchMatchesGetSearch() throws Exception {
        ListResponse<UserResource> viaPost = clients.scim.searchRequest("Users").filter("active eq false")
                .sort("userName", SortOrder.ASCENDING).invokePost(UserResource.class);

        assertThat(viaPost.getResources()).extracting(UserResource::getUserName)
                .containsExactly("barbara.liskov", "grace.hopper");
    }

    @Test
    void attributesProjectionReturnsOnlyWhatWasAsked() throws Exception {
        ListResponse<UserResource> page = clients.scim.searchRequest("Users").filter("userName eq \"alan.turing\"")
                .attributes("name.familyName").invoke(UserResource.class);

        UserResource alan = page.getResources().get(0);
        assertThat(alan.getId()).isEqualTo(users.get(1).getId());
        assertThat(alan.getName().getFamilyName()).isEqualTo("Turing");
        assertThat(alan.getName().getGivenName()).isNull();
        assertThat(alan.getEmails()).isNullOrEmpty();
        assertThat(IntStream.of(page.getTotalResults())).containsExactly(1);
    }
}
