package io.scimitar.scim.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.PreconditionFailedException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.EnterpriseUserExtension;
import com.unboundid.scim2.common.types.Manager;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.UserResource;
import io.scimitar.scim.json.Json;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The user lifecycle (RFC 7644 §3.3–3.6) driven by UnboundID's client: every answer read back and checked. */
class UnboundIdUserTest {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String ACME = "urn:example:params:scim:schemas:extension:acme:2.0:User";

    @AutoClose
    private static final ScimClients clients = ScimClients.onNewReceiver();

    static UserResource barbara(String userName) {
        UserResource user = new UserResource().setUserName(userName)
                .setName(new Name().setGivenName("Barbara").setFamilyName("Jensen").setFormatted("Ms. Barbara J Jensen"))
                .setDisplayName("Babs Jensen")
                .setActive(true)
                .setEmails(List.of(
                        new Email().setValue(userName + "@example.com").setType("work").setPrimary(true),
                        new Email().setValue("babs@jensen.org").setType("home")));
        user.setExternalId("ext-" + userName);
        EnterpriseUserExtension enterprise = new EnterpriseUserExtension()
                .setEmployeeNumber("701984").setDepartment("Tour Operations").setCostCenter("4130")
                .setManager(new Manager().setValue("26118915-6090-4610-87e4-49d8ca9f808d"));
        user.setExtension(enterprise);
        return user;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createReturnsTheStoredUserWithServerAssignedAttributes() throws Exception {
        UserResource created = clients.scim.create("Users", barbara(unique("bjensen")));

        assertThat(created.getId()).isNotBlank();
        assertThat(created.getMeta().getResourceType()).isEqualTo("User");
        assertThat(created.getMeta().getVersion()).startsWith("W/\"");
        assertThat(created.getMeta().getLocation().toString()).endsWith("/Users/" + created.getId());
        assertThat(created.getMeta().getCreated()).isNotNull();
        assertThat(created.getName().getGivenName()).isEqualTo("Barbara");
        assertThat(created.getEmails()).extracting(Email::getType, Email::getPrimary)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("work", true), org.assertj.core.groups.Tuple.tuple("home", null));
        EnterpriseUserExtension enterprise = created.getExtension(EnterpriseUserExtension.class);
        assertThat(enterprise.getEmployeeNumber()).isEqualTo("701984");
        assertThat(enterprise.getManager().getValue()).isEqualTo("26118915-6090-4610-87e4-49d8ca9f808d");
        assertThat(created.getSchemaUrns()).contains(ENTERPRISE);
    }

    @Test
    void retrieveReturnsWhatWasCreated() throws Exception {
        UserResource created = clients.scim.create("Users", barbara(unique("retrieve")));

        UserResource read = clients.scim.retrieve("Users", created.getId(), UserResource.class);

        assertThat(read.getUserName()).isEqualTo(created.getUserName());
        assertThat(read.getExternalId()).isEqualTo(created.getExternalId());
        assertThat(read.getDisplayName()).isEqualTo("Babs Jensen");
        assertThat(read.getExtension(EnterpriseUserExtension.class).getDepartment()).isEqualTo("Tour Operations");
        assertThat(read.getMeta().getVersion()).isEqualTo(created.getMeta().getVersion());
    }

    @Test
    void replaceSwapsTheWholeUserAndKeepsIdAndCreated() throws Exception {
        UserResource created = clients.scim.create("Users", barbara(unique("replace")));
        UserResource changed = clients.scim.retrieve("Users", created.getId(), UserResource.class);
        changed.setDisplayName("Barbara J.");
        changed.setEmails(List.of(new Email().setValue("barbara@example.net").setType("work").setPrimary(true)));
        changed.removeExtension(EnterpriseUserExtension.class);

        UserResource replaced = clients.scim.replace(changed);

        assertThat(replaced.getId()).isEqualTo(created.getId());
        assertThat(replaced.getMeta().getCreated()).isEqualTo(created.getMeta().getCreated());
        assertThat(replaced.getMeta().getVersion()).isNotEqualTo(created.getMeta().getVersion());
        UserResource read = clients.scim.retrieve("Users", created.getId(), UserResource.class);
        assertThat(read.getDisplayName()).isEqualTo("Barbara J.");
        assertThat(read.getEmails()).extracting(Email::getValue).containsExactly("barbara@example.net");
        assertThat(read.getExtension(EnterpriseUserExtension.class)).isNull();
    }

    @Test
    void modifyAddsReplacesAndRemovesIncludingValueFilterPaths() throws Exception {
        UserResource created = clients.scim.create("Users", barbara(unique("modify")));

        UserResource modified = clients.scim.modifyRequest("Users", created.getId())
                .replaceValue("displayName", "Babs")
                .replaceValue("emails[type eq \"work\"].value", "babs.work@example.com")
                .addValues("phoneNumbers", Json.object().put("value", "+1 555 0100").put("type", "mobile"))
                .removeValues("emails[type eq \"home\"]")
                .replaceValue(ENTERPRISE + ":department", "Marketing")
                .removeValues("name.formatted")
                .invoke(UserResource.class);

        assertThat(modified.getDisplayName()).isEqualTo("Babs");
        assertThat(modified.getEmails()).extracting(Email::getValue).containsExactly("babs.work@example.com");
        assertThat(modified.getPhoneNumbers()).extracting(p -> p.getValue()).containsExactly("+1 555 0100");
        assertThat(modified.getName().getFormatted()).isNull();
        assertThat(modified.getName().getGivenName()).isEqualTo("Barbara");
        assertThat(modified.getExtension(EnterpriseUserExtension.class).getDepartment()).isEqualTo("Marketing");
        assertThat(modified.getExtension(EnterpriseUserExtension.class).getEmployeeNumber()).isEqualTo("701984");
        UserResource read = clients.scim.retrieve("Users", created.getId(), UserResource.class);
        assertThat(read.getEmails()).extracting(Email::getValue).containsExactly("babs.work@example.com");
    }

    @Test
    void modifyDeactivatesAndReactivates() throws Exception {
        UserResource created = clients.scim.create("Users", barbara(unique("active")));

        UserResource off = clients.scim.modifyRequest("Users", created.getId()).replaceValue("active", false)
                .invoke(UserResource.class);
        assertThat(off.getActive()).isFalse();
        assertThat(clients.scim.retrieve("Users", created.getId(), UserResource.class).getActive()).isFalse();

        UserResource on = clients.scim.modifyRequest("Users", created.getId()).replaceValue("active", true)
                .invoke(UserResource.class);
        assertThat(on.getActive()).isTrue();
    }

    @Test
    void deleteRemovesTheUserAndLaterReadsAreNotFound() throws Exception {
        UserResource created = clients.scim.create("Users", barbara(unique("delete")));

        clients.scim.delete(created);

        assertThatThrownBy(() -> clients.scim.retrieve("Users", created.getId(), UserResource.class))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> clients.scim.delete("Users", created.getId()))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void unknownIdIsResourceNotFoundWithAScimError() {
        assertThatThrownBy(() -> clients.scim.retrieve("Users", "no-such-id", UserResource.class))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.getScimError().getStatus()).isEqualTo(404);
                    assertThat(e.getScimError().getDetail()).isNotBlank();
                });
    }

    @Test
    void duplicateUserNameIsAConflictWhateverItsCase() throws Exception {
        String userName = unique("Dup");
        clients.scim.create("Users", barbara(userName));

        assertThatThrownBy(() -> clients.scim.create("Users", barbara(userName.toUpperCase())))
                .isInstanceOfSatisfying(ResourceConflictException.class,
                        e -> assertThat(e.getScimError().getScimType()).isEqualTo("uniqueness"));
        assertThatThrownBy(() -> clients.scim.create("Users", barbara(userName.toLowerCase())))
                .isInstanceOf(ResourceConflictException.class);
    }

    @Test
    void renamingOntoATakenUserNameIsAConflict() throws Exception {
        String taken = unique("taken");
        clients.scim.create("Users", barbara(taken));
        UserResource other = clients.scim.create("Users", barbara(unique("other")));

        assertThatThrownBy(() -> clients.scim.modifyRequest("Users", other.getId())
                .replaceValue("userName", taken.toUpperCase()).invoke(UserResource.class))
                .isInstanceOf(ResourceConflictException.class);
        assertThat(clients.scim.retrieve("Users", other.getId(), UserResource.class).getUserName())
                .isEqualTo(other.getUserName());
    }

    @Test
    void staleVersionOnModifyIsPreconditionFailed() throws Exception {
        UserResource created = clients.scim.create("Users", barbara(unique("etag")));
        String stale = created.getMeta().getVersion();
        clients.scim.modifyRequest("Users", created.getId()).replaceValue("displayName", "first")
                .ifMatch(stale).invoke(UserResource.class);

        assertThatThrownBy(() -> clients.scim.modifyRequest("Users", created.getId())
                .replaceValue("displayName", "second").ifMatch(stale).invoke(UserResource.class))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(clients.scim.retrieve("Users", created.getId(), UserResource.class).getDisplayName())
                .isEqualTo("first");
    }

    @Test
    void staleVersionOnReplaceAndDeleteIsPreconditionFailed() throws Exception {
        UserResource created = clients.scim.create("Users", barbara(unique("etag2")));
        clients.scim.modifyRequest("Users", created.getId()).replaceValue("nickName", "Babs").invoke(UserResource.class);

        created.setDisplayName("lost update");
        assertThatThrownBy(() -> clients.scim.replaceRequest(created).ifMatch().invoke())
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> clients.scim.deleteRequest("Users", created.getId())
                .ifMatch(created.getMeta().getVersion()).invoke())
                .isInstanceOf(PreconditionFailedException.class);

        UserResource current = clients.scim.retrieve("Users", created.getId(), UserResource.class);
        assertThat(current.getNickName()).isEqualTo("Babs");
        current.setDisplayName("fresh");
        assertThat(clients.scim.replaceRequest(current).ifMatch().invoke().getDisplayName()).isEqualTo("fresh");
    }

    @Test
    void unknownExtensionAttributesAreKeptAndReturned() throws Exception {
        GenericScimResource user = new GenericScimResource();
        user.setSchemaUrns("urn:ietf:params:scim:schemas:core:2.0:User", ACME);
        user.replaceValue("userName", unique("acme"));
        ObjectNode acme = Json.object().put("badgeId", "B-7731").put("clearance", 3);
        acme.putArray("sites").add("HEL").add("SFO");
        user.getObjectNode().set(ACME, acme);

        GenericScimResource created = clients.scim.create("Users", user);
        GenericScimResource read = clients.scim.retrieve("Users", created.getId(), GenericScimResource.class);

        assertThat(Json.MAPPER.readTree(read.getObjectNode().get(ACME).toString())).isEqualTo(acme);
        assertThat(read.getSchemaUrns()).contains(ACME);
        assertThat(Json.MAPPER.readTree(created.getObjectNode().get(ACME).toString())).isEqualTo(acme);
    }

    @Test
    void errorsCarryTheScimErrorBody() {
        assertThatThrownBy(() -> clients.scim.create("Users", new UserResource().setDisplayName("no userName")))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.getScimError().getStatus()).isEqualTo(400);
                    assertThat(e.getScimError().getScimType()).isEqualTo("invalidValue");
                });
    }
}
