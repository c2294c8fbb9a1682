package io.scimitar.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scimitar.authz.GroupRef;
import io.scimitar.scim.store.Change;
import io.scimitar.scim.store.ChangeEvent;
import io.scimitar.testing.ReceiverDirectory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The index built from the real receiver (SQLite store, view, SCIM service) and kept current from
 * its change log: each user key, case rules, inactive and deleted users, group references that
 * follow renames, membership changes, and the refusal of a change that skips a version.
 */
class MembershipIndexTest {

    private final ReceiverDirectory directory = ReceiverDirectory.open();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        directory.close();
    }

    /** Builds the index from the view and follows the store's log, with no write slipping in between. */
    private DirectoryIndex follow(UserKey key) {
        DirectoryIndex index = directory.store().withoutWrites(() -> {
            DirectoryIndex built = new DirectoryIndex(MembershipIndex.of(directory.view(), key));
            closing.add(directory.store().changeLog().subscribe(built::apply));
            return built;
        });
        assertThat(index.current().version()).isEqualTo(directory.version());
        return index;
    }

    private String alice() {
        // The primary email is listed second: primary wins over order (RFC 7643 §2.4).
        return directory.createUserFrom("""
                {"userName":"Alice.Smith","externalId":"00uABC",
                 "emails":[{"value":"Alice@Home.Example","type":"home"},
                           {"value":"alice@corp.example","type":"work","primary":true}]}""");
    }

    static Stream<Arguments> claims() {
        return Stream.of(
                Arguments.of(UserKey.USER_NAME, "Alice.Smith", true),
                Arguments.of(UserKey.USER_NAME, "alice.smith", true),
                Arguments.of(UserKey.USER_NAME, "ALICE.SMITH", true),
                Arguments.of(UserKey.USER_NAME, "00uABC", false),
                Arguments.of(UserKey.USER_NAME, "alice@corp.example", false),
                Arguments.of(UserKey.USER_NAME, "Alice.Smit", false),
                Arguments.of(UserKey.EXTERNAL_ID, "00uABC", true),
                Arguments.of(UserKey.EXTERNAL_ID, "00uabc", false),
                Arguments.of(UserKey.EXTERNAL_ID, "Alice.Smith", false),
                Arguments.of(UserKey.EMAILS, "alice@corp.example", true),
                Arguments.of(UserKey.EMAILS, "ALICE@Corp.Example", true),
                Arguments.of(UserKey.EMAILS, "alice@home.example", true),
                Arguments.of(UserKey.EMAILS, "Alice.Smith", false),
                Arguments.of(UserKey.EMAILS, "alice@corp.example.evil", false),
                Arguments.of(UserKey.ID, "{id}", true),
                Arguments.of(UserKey.ID, "{ID}", false),
                Arguments.of(UserKey.ID, "Alice.Smith", false));
    }

    @ParameterizedTest(name = "{0} \"{1}\" finds alice: {2}")
    @MethodSource("claims")
    void aClaimFindsTheUserOnlyUnderTheConfiguredKey(UserKey key, String claim, boolean found) {
        String id = alice();
        directory.createUser("bob", "bob@corp.example");
        MembershipIndex index = MembershipIndex.of(directory.view(), key);
        String value = claim.replace("{id}", id).replace("{ID}", id.toUpperCase(Locale.ROOT));

        assertThat(index.user(value).map(DirectoryUser::id)).isEqualTo(found ? Optional.of(id) : Optional.empty());
    }

    @Test
    void aUserCarriesItsNamePrimaryEmailAndActiveFlag() {
        String id = alice();
        DirectoryUser user = follow(UserKey.USER_NAME).current().user("alice.smith").orElseThrow();

        assertThat(user.id()).isEqualTo(id);
        assertThat(user.userName()).isEqualTo("Alice.Smith");
        assertThat(user.email()).contains("alice@corp.example");
        assertThat(user.active()).isTrue();
        assertThat(user.groupCount()).isZero();
    }

    @Test
    void theUserKeyIsParsedFromTheConfiguredAttributeName() {
        assertThat(Stream.of("userName", "USERNAME", "externalId", "emails", " id ").map(UserKey::forAttribute))
                .containsExactly(UserKey.USER_NAME, UserKey.USER_NAME, UserKey.EXTERNAL_ID, UserKey.EMAILS, UserKey.ID);
        assertThatThrownBy(() -> UserKey.forAttribute("email"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"email\"")
                .hasMessageContaining("userName");
    }

    @Test
    void aLookupOfAnAlreadyNormalizedClaimReturnsTheSameOptionalEveryTime() {
        alice();
        MembershipIndex index = MembershipIndex.of(directory.view(), UserKey.EMAILS);
        // The index hands out the Optional it built with the user, so a hit allocates nothing.
        assertThat(index.user("alice@corp.example")).isSameAs(index.user("alice@corp.example"));
    }

    @Test
    void anEmailSharedByTwoUsersIdentifiesNobodyUntilOneLetsGoOfIt() {
        String alice = directory.createUser("alice", "shared@corp.example");
        String bob = directory.createUser("bob", "Shared@Corp.Example", "bob@corp.example");
        DirectoryIndex index = follow(UserKey.EMAILS);

        assertThat(index.current().user("shared@corp.example")).isEmpty();
        assertThat(index.current().isAmbiguous("SHARED@corp.example")).isTrue();
        assertThat(index.current().user("bob@corp.example").map(DirectoryUser::id)).contains(bob);

        directory.patchUser(bob, """
                [{"op":"remove","path":"emails[value eq \\"Shared@Corp.Example\\"]"}]""");

        assertThat(index.current().user("shared@corp.example").map(DirectoryUser::id)).contains(alice);
        assertThat(index.current().isAmbiguous("shared@corp.example")).isFalse();
    }

    @Test
    void aChangedUserNameOrEmailMovesTheUserToItsNewKey() {
        String id = alice();
        DirectoryIndex byName = follow(UserKey.USER_NAME);
        DirectoryIndex byEmail = follow(UserKey.EMAILS);

        directory.patchUser(id, """
                [{"op":"replace","path":"userName","value":"asmith"},
                 {"op":"replace","path":"emails","value":[{"value":"asmith@corp.example","primary":true}]}]""");

        assertThat(byName.current().user("alice.smith")).isEmpty();
        assertThat(byName.current().user("ASmith").map(DirectoryUser::id)).contains(id);
        assertThat(byEmail.current().user("alice@corp.example")).isEmpty();
        assertThat(byEmail.current().user("alice@home.example")).isEmpty();
        assertThat(byEmail.current().user("asmith@corp.example").map(DirectoryUser::email))
                .contains(Optional.of("asmith@corp.example"));
    }

    @Test
    void aDeactivatedUserIsFoundInactiveAndReportedAsAffected() {
        String id = alice();
        DirectoryIndex index = follow(UserKey.USER_NAME);
        List<IndexUpdate> updates = new ArrayList<>();
        index.addListener(updates::add);

        directory.patchUser(id, """
                [{"op":"replace","path":"active","value":false}]""");

        assertThat(index.current().user("alice.smith").map(DirectoryUser::active)).contains(false);
        assertThat(updates).singleElement().satisfies(u -> {
            assertThat(u.affectedUserIds()).containsExactly(id);
            assertThat(u.previous().user("alice.smith").orElseThrow().active()).isTrue();
            assertThat(u.current()).isSameAs(index.current());
        });

        directory.patchUser(id, """
                [{"op":"replace","path":"active","value":true}]""");
        assertThat(index.current().user("alice.smith").map(DirectoryUser::active)).contains(true);
    }

    @Test
    void aDeletedUserIsUnknownAndLeavesEveryGroup() {
        String alice = alice();
        String bob = directory.createUser("bob");
        String eng = directory.createGroup("eng", alice, bob);
        String ops = directory.createGroup("ops", alice);
        DirectoryIndex index = follow(UserKey.EXTERNAL_ID);
        int engOrdinal = index.current().groupOrdinal(new GroupRef.ById(eng)).orElseThrow();
        int opsOrdinal = index.current().groupOrdinal(new GroupRef.ById(ops)).orElseThrow();

        directory.deleteUser(alice);
        MembershipIndex now = index.current();

        assertThat(now.user("00uABC")).isEmpty();
        assertThat(now.userById(alice)).isEmpty();
        assertThat(now.group(engOrdinal).orElseThrow().memberCount()).isEqualTo(1);
        assertThat(now.group(opsOrdinal).orElseThrow().memberCount()).isZero();
        assertThat(now.isMember(now.userById(bob).orElseThrow(), engOrdinal)).isTrue();
        assertThat(now.userCount()).isEqualTo(1);
    }

    @Test
    void policyReferencesResolveByDisplayNameIgnoringCaseByIdAndByExternalId() {
        String alice = alice();
        String bob = directory.createUser("bob");
        String eng = directory.createGroup("Engineering", Optional.of("okta-eng"), List.of(alice));
        directory.createGroup("ops", Optional.empty(), List.of(bob));
        MembershipIndex index = follow(UserKey.USER_NAME).current();

        int ordinal = index.groupOrdinal(GroupRef.parse("engineering")).orElseThrow();
        assertThat(index.groupOrdinal(GroupRef.parse("ENGINEERING"))).hasValue(ordinal);
        assertThat(index.groupOrdinal(GroupRef.parse("id:" + eng))).hasValue(ordinal);
        assertThat(index.groupOrdinal(GroupRef.parse("externalId:okta-eng"))).hasValue(ordinal);
        assertThat(index.groupOrdinal(GroupRef.parse("externalId:OKTA-ENG"))).isEmpty();
        assertThat(index.groupOrdinal(GroupRef.parse("id:" + eng.toUpperCase(Locale.ROOT)))).isEmpty();
        assertThat(index.groupOrdinal(GroupRef.parse("eng"))).isEmpty();
        assertThat(index.displayName(ordinal)).isEqualTo("Engineering");

        DirectoryUser a = index.user("alice.smith").orElseThrow();
        DirectoryUser b = index.user("bob").orElseThrow();
        assertThat(index.isMember(a, ordinal)).isTrue();
        assertThat(index.isMember(b, ordinal)).isFalse();
        assertThat(a.groupOrdinals()).containsExactly(ordinal);
    }

    @Test
    void aRenamedGroupIsFoundUnderItsNewNameOnlyAndItsMembersAreAffected() {
        String alice = alice();
        String eng = directory.createGroup("eng", alice);
        DirectoryIndex index = follow(UserKey.USER_NAME);
        int ordinal = index.current().groupOrdinal(new GroupRef.ByDisplayName("eng")).orElseThrow();
        List<IndexUpdate> updates = new ArrayList<>();
        index.addListener(updates::add);

        directory.patchGroup(eng, """
                [{"op":"replace","path":"displayName","value":"Platform"}]""");
        MembershipIndex now = index.current();

        assertThat(now.groupOrdinal(new GroupRef.ByDisplayName("eng"))).isEmpty();
        assertThat(now.groupOrdinal(new GroupRef.ByDisplayName("platform"))).hasValue(ordinal);
        assertThat(now.displayName(ordinal)).isEqualTo("Platform");
        assertThat(now.isMember(now.user("alice.smith").orElseThrow(), ordinal)).isTrue();
        assertThat(updates).singleElement().satisfies(u -> assertThat(u.affectedUserIds()).containsExactly(alice));
    }

    @Test
    void aDeletedGroupDisappearsFromItsMembersAndItsOrdinalIsNeverReused() {
        String alice = alice();
        String eng = directory.createGroup("eng", alice);
        DirectoryIndex index = follow(UserKey.USER_NAME);
        int ordinal = index.current().groupOrdinal(new GroupRef.ByDisplayName("eng")).orElseThrow();

        directory.deleteGroup(eng);
        String again = directory.createGroup("eng", alice);
        MembershipIndex now = index.current();

        assertThat(now.group(ordinal)).isEmpty();
        assertThatThrownBy(() -> now.displayName(ordinal)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ordinal " + ordinal);
        int fresh = now.groupOrdinal(new GroupRef.ById(again)).orElseThrow();
        assertThat(fresh).isNotEqualTo(ordinal);
        // A policy resolved before the delete fails closed: the old ordinal matches nobody.
        assertThat(now.isMember(now.user("alice.smith").orElseThrow(), ordinal)).isFalse();
        assertThat(now.isMember(now.user("alice.smith").orElseThrow(), fresh)).isTrue();
        assertThat(now.groupCount()).isEqualTo(1);
    }

    @Test
    void membersAddedRemovedAndReplacedThroughPatch() {
        String alice = alice();
        String bob = directory.createUser("bob");
        String carol = directory.createUser("carol");
        String eng = directory.createGroup("eng");
        DirectoryIndex index = follow(UserKey.USER_NAME);
        int ordinal = index.current().groupOrdinal(new GroupRef.ById(eng)).orElseThrow();

        directory.patchGroup(eng, """
                [{"op":"add","path":"members","value":%s}]""".formatted(ReceiverDirectory.members(List.of(alice, bob))));
        assertThat(membersOf(index.current(), ordinal)).containsExactlyInAnyOrder("Alice.Smith", "bob");

        directory.patchGroup(eng, """
                [{"op":"remove","path":"members[value eq \\"%s\\"]"}]""".formatted(alice));
        assertThat(membersOf(index.current(), ordinal)).containsExactly("bob");

        IndexUpdate[] last = new IndexUpdate[1];
        index.addListener(u -> last[0] = u);
        directory.patchGroup(eng, """
                [{"op":"replace","path":"members","value":%s}]""".formatted(ReceiverDirectory.members(List.of(carol))));
        assertThat(membersOf(index.current(), ordinal)).containsExactly("carol");
        assertThat(last[0].affectedUserIds()).containsExactlyInAnyOrder(bob, carol);
        assertThat(index.current().group(ordinal).orElseThrow().memberCount()).isEqualTo(1);
    }

    @Test
    void groupsNestedInGroupsAreNotExpanded() {
        String alice = alice();
        String inner = directory.createGroup("inner", alice);
        String outer = directory.createGroup("outer", inner);
        MembershipIndex index = follow(UserKey.USER_NAME).current();

        DirectoryUser a = index.user("alice.smith").orElseThrow();
        assertThat(index.isMember(a, index.groupOrdinal(new GroupRef.ById(inner)).orElseThrow())).isTrue();
        assertThat(index.isMember(a, index.groupOrdinal(new GroupRef.ById(outer)).orElseThrow())).isFalse();
        assertThat(index.group(index.groupOrdinal(new GroupRef.ById(outer)).orElseThrow()).orElseThrow().memberCount()).isZero();
    }

    @Test
    void aChangeSharesEveryUserItDidNotTouchWithThePreviousVersion() {
        String alice = alice();
        String bob = directory.createUser("bob");
        String eng = directory.createGroup("eng", bob);
        DirectoryIndex index = follow(UserKey.USER_NAME);
        MembershipIndex before = index.current();

        directory.patchUser(alice, """
                [{"op":"replace","path":"active","value":false}]""");
        MembershipIndex after = index.current();

        assertThat(after.version()).isEqualTo(before.version() + 1);
        assertThat(after.userById(bob).orElseThrow()).isSameAs(before.userById(bob).orElseThrow());
        assertThat(after.userById(alice).orElseThrow()).isNotSameAs(before.userById(alice).orElseThrow());
        // The old version is untouched: a reader still holding it sees alice active.
        assertThat(before.userById(alice).orElseThrow().active()).isTrue();
        assertThat(before.groupOrdinal(new GroupRef.ById(eng))).isEqualTo(after.groupOrdinal(new GroupRef.ById(eng)));
    }

    @Test
    void aChangeThatSkipsAVersionIsRefusedAndTheIndexStaysWhereItWas() {
        String alice = alice();
        DirectoryIndex index = new DirectoryIndex(MembershipIndex.of(directory.view(), UserKey.USER_NAME));
        long version = index.current().version();
        directory.patchUser(alice, """
                [{"op":"replace","path":"active","value":false}]""");
        directory.deleteUser(alice);
        List<Change> missed = directory.store().changeLog().readAfter(version, 10);
        MembershipIndex before = index.current();

        assertThatThrownBy(() -> index.apply(missed.get(1)))
                .isInstanceOfSatisfying(VersionGapException.class, e -> {
                    assertThat(e.indexVersion()).isEqualTo(version);
                    assertThat(e.changeVersion()).isEqualTo(version + 2);
                })
                .hasMessageContaining("expected change " + (version + 1));
        assertThat(index.current()).isSameAs(before);

        missed.forEach(index::apply);
        assertThat(index.current().version()).isEqualTo(version + 2);
        assertThat(index.current().user("alice.smith")).isEmpty();

        IndexUpdate again = index.apply(missed.get(0));
        assertThat(again.changed()).isFalse();
        assertThat(index.current().version()).isEqualTo(version + 2);
    }

    @Test
    void aChangeThatFailsHalfwayLeavesTheIndexAtItsVersion() {
        alice();
        DirectoryIndex index = new DirectoryIndex(MembershipIndex.of(directory.view(), UserKey.USER_NAME));
        MembershipIndex before = index.current();
        var badUser = ReceiverDirectory.object("""
                {"userName":"mallory"}""");
        Change broken = new Change(before.version() + 1, Instant.now(), List.of(
                new ChangeEvent.UserDeleted(before.user("alice.smith").orElseThrow().id()),
                new ChangeEvent.UserUpserted(badUser)));

        assertThatThrownBy(() -> index.apply(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without an \"id\"");
        assertThat(index.current()).isSameAs(before);
        assertThat(index.current().user("alice.smith")).isPresent();
    }

    @Test
    void aResyncKeepsTheOrdinalsOfSurvivingGroupsAndRefusesAReshuffledSnapshot() {
        String alice = alice();
        String eng = directory.createGroup("eng", alice);
        String ops = directory.createGroup("ops", alice);
        DirectoryIndex index = new DirectoryIndex(MembershipIndex.of(directory.view(), UserKey.USER_NAME));
        int opsOrdinal = index.current().groupOrdinal(new GroupRef.ById(ops)).orElseThrow();
        directory.deleteGroup(eng);
        String dev = directory.createGroup("dev", alice);

        IndexBuilder builder = new IndexBuilder(index.current());
        MembershipIndex fresh = MembershipIndex.of(directory.store().snapshot(), UserKey.USER_NAME);
        MembershipIndex continued = rebuild(builder);
        assertThat(fresh.groupOrdinal(new GroupRef.ById(dev))).isNotEqualTo(continued.groupOrdinal(new GroupRef.ById(dev)));

        assertThatThrownBy(() -> index.reset(fresh)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("build it from the current index");
        IndexUpdate update = index.reset(continued);

        assertThat(update.everyUser()).isTrue();
        assertThat(update.affects("anyone")).isTrue();
        MembershipIndex now = index.current();
        assertThat(now.version()).isEqualTo(directory.version());
        assertThat(now.groupOrdinal(new GroupRef.ById(ops))).hasValue(opsOrdinal);
        assertThat(membersOf(now, now.groupOrdinal(new GroupRef.ById(dev)).orElseThrow())).containsExactly("Alice.Smith");
        assertThatThrownBy(() -> index.reset(MembershipIndex.empty(UserKey.USER_NAME)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("older");
    }

    @Test
    void theEmbeddedFollowerTracksTheStoreUntilClosed() {
        String alice = alice();
        DirectoryIndex index = DirectoryIndex.follow(directory.store(), directory.view(), UserKey.ID);
        assertThat(index.current().user(alice)).isPresent();

        directory.createUser("bob");
        assertThat(index.current().userCount()).isEqualTo(2);

        index.close();
        directory.createUser("carol");
        assertThat(index.current().userCount()).isEqualTo(2);
        assertThat(index.current().version()).isEqualTo(directory.version() - 1);
    }

    private MembershipIndex rebuild(IndexBuilder builder) {
        var snapshot = directory.store().snapshot();
        snapshot.users().forEach(builder::user);
        snapshot.groups().forEach(builder::group);
        snapshot.memberships().forEach(m -> builder.member(m.groupId(), m.member()));
        return builder.build(snapshot.version());
    }

    private static List<String> membersOf(MembershipIndex index, int ordinal) {
        List<String> names = new ArrayList<>();
        index.forEachUser(u -> {
            if (index.isMember(u, ordinal)) {
                names.add(u.userName());
            }
        });
        return names;
    }

    @Test
    void anEmptyDirectoryHasNoUsersNoGroupsAndVersionZero() {
        MembershipIndex index = MembershipIndex.empty(UserKey.EMAILS);
        assertThat(index.version()).isZero();
        assertThat(index.user("anyone@example.com")).isEmpty();
        assertThat(index.groupOrdinal(new GroupRef.ByDisplayName("eng"))).isEqualTo(OptionalInt.empty());
        assertThat(index.userCount()).isZero();
        assertThat(index.groupCount()).isZero();
    }
}
