package io.scimitar.scim.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.error.ScimType;
import io.scimitar.scim.store.Directory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The query-parameter form of a projection: comma-separated paths, blanks ignored, bad paths refused. */
class ProjectionParseTest {

    @Test
    void nothingAskedForIsTheDefaultProjection() {
        assertThat(Projection.parse(List.of(), List.of())).isSameAs(Projection.DEFAULT);
        assertThat(Projection.parse(List.of("", " , "), List.of(","))).isSameAs(Projection.DEFAULT);
    }

    /** query values (separated by |) -> the same paths written one per space, as ProjectionTest builds them. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            userName                               ; userName
            userName,name.givenName                ; userName name.givenName
            ' userName , emails.value '            ; userName emails.value
            userName|meta                          ; userName meta
            %E%:manager.value                      ; %E%:manager.value
            %E%                                    ; %E%
            urn:ietf:params:scim:schemas:core:2.0:User:userName ; urn:ietf:params:scim:schemas:core:2.0:User:userName
            """)
    void readsCommaSeparatedPaths(String values, String paths) {
        List<String> query = List.of(values.replace("%E%", Directory.ENTERPRISE).split("\\|"));
        List<io.scimitar.scim.filter.AttributePath> expected = ProjectionTest.paths(paths);
        assertThat(Projection.parse(query, List.of())).isEqualTo(new Projection(expected, List.of()));
        assertThat(Projection.parse(List.of(), query)).isEqualTo(new Projection(List.of(), expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"user name", "emails[type eq \"work\"]", "name..givenName", "1abc", "\"userName\""})
    void refusesWhatIsNotAnAttributePath(String value) {
        assertThatThrownBy(() -> Projection.parse(List.of(value), List.of()))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).isPresent().get().isIn(ScimType.INVALID_FILTER, ScimType.INVALID_PATH,
                            ScimType.INVALID_SYNTAX, ScimType.INVALID_VALUE);
                });
    }
}
