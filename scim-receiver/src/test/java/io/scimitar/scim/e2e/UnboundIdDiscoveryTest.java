package io.scimitar.scim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.types.ResourceTypeResource;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import java.net.URI;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The discovery documents (RFC 7644 §4) as UnboundID's client reads them. */
class UnboundIdDiscoveryTest {

    @AutoClose
    private static final ScimClients clients = ScimClients.onNewReceiver();

    @Test
    void serviceProviderConfigAdvertisesWhatTheReceiverDoes() throws Exception {
        ServiceProviderConfigResource config = clients.scim.getServiceProviderConfig();

        assertThat(config.getPatch().isSupported()).isTrue();
        assertThat(config.getFilter().isSupported()).isTrue();
        assertThat(config.getFilter().getMaxResults()).isPositive();
        assertThat(config.getEtag().isSupported()).isTrue();
        assertThat(config.getSort().isSupported()).isTrue();
        assertThat(config.getBulk().isSupported()).isFalse();
        assertThat(config.getChangePassword().isSupported()).isFalse();
        assertThat(config.getAuthenticationSchemes()).extracting(s -> s.getType()).contains("oauthbearertoken");
    }

    @Test
    void schemasListUserGroupAndEnterpriseUser() throws Exception {
        ListResponse<SchemaResource> schemas = clients.scim.getSchemas();

        assertThat(schemas.getResources()).extracting(SchemaResource::getId).contains(
                "urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:core:2.0:Group",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
        assertThat(schemas.getTotalResults()).isEqualTo(schemas.getResources().size());
        SchemaResource user = clients.scim.getSchema("urn:ietf:params:scim:schemas:core:2.0:User");
        assertThat(user.getAttributes()).anySatisfy(a -> {
            assertThat(a.getName()).isEqualTo("userName");
            assertThat(a.isRequired()).isTrue();
            assertThat(a.getUniqueness().getName()).isEqualTo("server");
        });
    }

    @Test
    void resourceTypesNameTheEndpointsAndTheEnterpriseExtension() throws Exception {
        ListResponse<ResourceTypeResource> types = clients.scim.getResourceTypes();

        assertThat(types.getResources()).extracting(ResourceTypeResource::getName).containsExactlyInAnyOrder("User", "Group");
        ResourceTypeResource user = clients.scim.getResourceType("User");
        assertThat(user.getEndpoint()).isEqualTo(URI.create("/Users"));
        assertThat(user.getSchema()).isEqualTo(URI.create("urn:ietf:params:scim:schemas:core:2.0:User"));
        assertThat(user.getSchemaExtensions()).extracting(e -> e.getSchema()).containsExactly(
                URI.create("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
    }
}
