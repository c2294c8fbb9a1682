package io.scimitar.scim.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.ScimResource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The in-memory view is a fold of the change log: following, loading and replaying agree, as a whole. */
class DirectoryViewTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void followingLoadingAndReplayingGiveTheSameDirectory(StoreEngine engine) {
        try (Directory d = engine.directory(dir)) {
            writeAMixedHistory(d);

            DirectoryView.Dump followed = d.view().dump();
            assertThat(followed.version()).isEqualTo(d.version());
            assertThat(DirectoryView.load(d.store()).dump()).isEqualTo(followed);
            assertThat(DirectoryView.replay(d.allChanges()).dump()).isEqualTo(followed);
            assertThat(followed.users()).hasSize(3);
            assertThat(followed.groups()).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void aViewLoadedEarlierCatchesUpByApplyingTheRest(StoreEngine engine) {
        try (Directory d = engine.directory(dir)) {
            ScimResource alice = d.createUser("alice");
            d.createGroup("admins", alice.id());
            DirectoryView early = DirectoryView.load(d.store());
            long at = early.version();
            writeAMixedHistory(d);

            d.log().readAfter(at, Integer.MAX_VALUE).forEach(early::apply);
            // Re-delivering a change the view already has is harmless.
            d.log().readAfter(0, Integer.MAX_VALUE).forEach(early::apply);

            assertThat(early.dump()).isEqualTo(d.view().dump());
        }
    }

    @Test
    void aGapInVersionsIsRefusedAndLeavesTheViewAsItWas() {
        DirectoryView view = DirectoryView.empty();
        view.apply(new Change(1, Instant.EPOCH, List.of(new ChangeEvent.GroupUpserted(
                Directory.object("{\"id\":\"g1\",\"displayName\":\"admins\"}")))));
        DirectoryView.Dump before = view.dump();

        assertThatThrownBy(() -> view.apply(new Change(3, Instant.EPOCH, List.of(new ChangeEvent.GroupDeleted("g1")))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("3");
        assertThat(view.dump()).isEqualTo(before);
        assertThatThrownBy(() -> DirectoryView.replay(List.of(
                new Change(2, Instant.EPOCH, List.of(new ChangeEvent.GroupDeleted("g1"))))))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void aClosedViewStopsFollowing(StoreEngine engine) {
        try (Directory d = engine.directory(dir)) {
            DirectoryView second = DirectoryView.follow(d.store());
            d.createUser("alice");
            second.close();
            d.createUser("bob");
            assertThat(second.version()).isEqualTo(1);
            assertThat(d.view().version()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void deletingAMemberGroupRemovesItEverywhereInEveryView(StoreEngine engine) {
        try (Directory d = engine.directory(dir)) {
            ScimResource alice = d.createUser("alice");
            ScimResource inner = d.createGroup("inner", alice.id());
            ScimResource outer = d.createGroup("outer", inner.id(), alice.id());
            d.service().delete(ResourceType.GROUP, inner.id(), Optional.empty());

            assertThat(d.membersOf(outer.id())).containsOnlyKeys(alice.id());
            assertThat(d.groupsOf(alice.id())).containsExactly(outer.id());
            assertThat(d.membersOf(inner.id())).isEmpty();
            assertThat(DirectoryView.load(d.store()).dump()).isEqualTo(d.view().dump());
            assertThat(DirectoryView.replay(d.allChanges()).dump()).isEqualTo(d.view().dump());
        }
    }

    /**
     * Each PATCH i renames the group to "step-i" and adds user i, so at version i the group has
     * exactly i members. Readers on other threads must always see a name and a member list of
     * one and the same version, through the view and through the service.
     */
    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void readersNeverSeeHalfAChange(StoreEngine engine) throws Exception {
        int steps = 150;
        int readers = 3;
        try (Directory d = engine.directory(dir)) {
            ScimResource group = d.createGroup("step-0");
            List<String> users = new ArrayList<>();
            for (int i = 1; i <= steps; i++) {
                users.add(d.createUser("user" + i).id());
            }
            CyclicBarrier start = new CyclicBarrier(readers + 1);
            AtomicBoolean writing = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> inconsistencies = new ConcurrentLinkedQueue<>();
            AtomicInteger reads = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < readers; t++) {
                boolean throughService = t % 2 == 1;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        do {
                            String seen = throughService ? readThroughService(d, group.id())
                                    : readThroughView(d, group.id());
                            reads.incrementAndGet();
                            if (seen != null) {
                                inconsistencies.add(seen);
                            }
                        } while (writing.get());
                    } catch (Exception e) {
                        inconsistencies.add(e.toString());
                    }
                }));
            }
            start.await();
            try {
                for (int i = 1; i <= steps; i++) {
                    d.patch(ResourceType.GROUP, group.id(), """
                            [{"op":"replace","path":"displayName","value":"step-%d"},
                             {"op":"add","path":"members","value":[{"value":"%s"}]}]""".formatted(i, users.get(i - 1)));
                }
            } finally {
                writing.set(false);
                for (Thread thread : threads) {
                    thread.join();
                }
            }
            assertThat(inconsistencies).isEmpty();
            assertThat(reads.get()).isGreaterThanOrEqualTo(readers);
            assertThat(d.membersOf(group.id())).hasSize(steps);
        }
    }

    /** Null when the name and the members belong to one version, else what was seen. */
    private static String readThroughView(Directory d, String groupId) {
        return d.view().read(r -> {
            String name = r.group(groupId).orElseThrow().path("displayName").asText();
            int step = Integer.parseInt(name.substring("step-".length()));
            Set<String> members = new HashSet<>(r.members(groupId).keySet());
            return members.size() == step ? null : name + " with " + members.size() + " members (view)";
        });
    }

    private static String readThroughService(Directory d, String groupId) {
        JsonNode json = d.service().get(ResourceType.GROUP, groupId, Projection.DEFAULT).json();
        String name = json.path("displayName").asText();
        int step = Integer.parseInt(name.substring("step-".length()));
        int members = json.path("members").size();
        return members == step ? null : name + " with " + members + " members (service)";
    }

    /** Creates, renames, deactivates, deletes users and groups, and changes memberships every way. */
    static void writeAMixedHistory(Directory d) {
        ScimResource bob = d.createUser("bob");
        ScimResource carol = d.createUser("carol");
        ScimResource dave = d.createUser("dave");
        ScimResource erin = d.createUser("erin");
        ScimResource devs = d.createGroup("devs", bob.id(), carol.id());
        ScimResource all = d.createGroup("all", devs.id(), dave.id());
        d.patch(ResourceType.USER, carol.id(), """
                [{"op":"replace","value":{"active":false,"displayName":"Carol"}}]""");
        d.patch(ResourceType.USER, dave.id(), """
                [{"op":"replace","path":"userName","value":"david"}]""");
        d.patch(ResourceType.GROUP, devs.id(), """
                [{"op":"remove","path":"members[value eq \\"%s\\"]"},
                 {"op":"add","path":"members","value":[{"value":"%s"}]}]""".formatted(bob.id(), erin.id()));
        d.service().replace(ResourceType.GROUP, all.id(), Directory.object("""
                {"schemas":["%s"],"displayName":"everyone","members":[{"value":"%s"},{"value":"%s"}]}"""
                .formatted(Directory.GROUP_SCHEMA, erin.id(), bob.id())), Optional.empty(), Projection.DEFAULT);
        d.service().delete(ResourceType.USER, erin.id(), Optional.empty());
        ScimResource temp = d.createGroup("temp", bob.id());
        d.service().delete(ResourceType.GROUP, temp.id(), Optional.empty());
        d.service().delete(ResourceType.GROUP, devs.id(), Optional.empty());
        d.createGroup("devs", carol.id(), all.id());
        d.patch(ResourceType.USER, carol.id(), """
                [{"op":"replace","path":"active","value":true}]""");
    }
}
