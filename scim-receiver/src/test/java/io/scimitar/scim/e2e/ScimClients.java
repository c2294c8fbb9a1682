package io.scimitar.scim.e2e;

import com.unboundid.scim2.client.ScimService;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import org.glassfish.jersey.apache5.connector.Apache5ConnectorProvider;
import org.glassfish.jersey.client.ClientConfig;

/**
 * UnboundID's SCIM 2 client pointed at a {@link ReceiverFixture}, over Jersey with the Apache 5
 * connector: the JDK connector cannot send PATCH on JDK 25 (see TOOLS.md).
 */
final class ScimClients implements AutoCloseable {

    final Client jersey;
    final ScimService scim;

    ScimClients(ReceiverFixture receiver) {
        ClientConfig config = new ClientConfig().connectorProvider(new Apache5ConnectorProvider());
        jersey = ClientBuilder.newClient(config).register((ClientRequestFilter) request ->
                request.getHeaders().putSingle("Authorization", "Bearer " + receiver.token()));
        scim = new ScimService(jersey.target(receiver.baseUrl()));
    }

    @Override
    public void close() {
        jersey.close();
    }
}
