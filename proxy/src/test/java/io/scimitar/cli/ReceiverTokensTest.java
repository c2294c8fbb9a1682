package io.scimitar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.config.ScimConfig;
import io.scimitar.config.Secret;
import io.scimitar.scim.http.BearerTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which bearer tokens the receiver accepts: the configured one, the token file's, and the demo's. */
class ReceiverTokensTest {

    private static final String ENV_TOKEN = "env-token-0123456789";
    private static final String FILE_TOKEN = "file-token-0123456789";
    private static final String DEMO_TOKEN = "demo-token-0123456789";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @CsvSource({
            ENV_TOKEN + ", true",
            FILE_TOKEN + ", true",
            DEMO_TOKEN + ", true",
            "# a comment, false",
            "env-token-012345678, false",
            "unknown-token-0123456789, false"})
    void everySourceIsAcceptedAndNothingElse(String presented, boolean accepted) throws IOException {
        Path file = Files.writeString(dir.resolve("tokens"), "# rotated\n" + FILE_TOKEN + "\n");
        ScimConfig scim = new ConfigLoader(Map.of("SCIMITAR_SCIM_TOKEN", ENV_TOKEN,
                "SCIMITAR_SCIM_TOKEN_FILE", file.toString())).load(Optional.empty(), Profile.RECEIVER).scim();

        BearerTokens tokens = ReceiverLauncher.bearerTokens(scim, List.of(new Secret(DEMO_TOKEN)));

        assertThat(tokens.accepts(presented)).isEqualTo(accepted);
    }

    @Test
    void withoutAFileTheFixedTokensAreAccepted() {
        ScimConfig scim = new ConfigLoader(Map.of("SCIMITAR_SCIM_TOKEN", ENV_TOKEN))
                .load(Optional.empty(), Profile.RECEIVER).scim();

        BearerTokens tokens = ReceiverLauncher.bearerTokens(scim, List.of());

        assertThat(tokens.accepts(ENV_TOKEN)).isTrue();
        assertThat(tokens.accepts(DEMO_TOKEN)).isFalse();
    }

    @Test
    void theDemoTokenIsLongAndFresh() {
        Secret a = DemoCommand.generateToken();
        Secret b = DemoCommand.generateToken();

        assertThat(a.reveal()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(a).isNotEqualTo(b);
    }
}
