package org.convrouter.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.autoToOwner;
import static org.convrouter.World.seatless;
import static org.convrouter.World.world;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingSettingsValidatorTest {

    private final Directory directory = world().users(agent("ana"), seatless("bo")).team("tier1", List.of("ana"), List.of())
            .directory();
    private final RoutingSettingsValidator validator = new RoutingSettingsValidator();

    @Test
    void R2_aSeatlessUserInUsersIsRefusedByName() {
        var problems = validator.problems(autoTo(List.of("ana", "bo"), List.of("tier1")), directory);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("assignTo.users[1]");
            assertThat(p.id()).isEqualTo("bo");
            assertThat(p.message()).contains("'bo'", "Bo", "no paid seat");
        });
    }

    @Test
    void R2_aSeatlessFallbackUserIsRefusedByName() {
        assertThat(validator.problems(autoToOwner("bo"), directory)).singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("assignTo.fallbackUser"));
    }

    @Test
    void R2_paidSeatsAndUnknownIdsAreJudgedSeparately() {
        assertThat(validator.problems(autoTo(List.of("ana"), List.of("tier1")), directory)).isEmpty();
        assertThat(validator.problems(autoToOwner(null), directory)).isEmpty();
        assertThat(validator.problems(autoTo(List.of("ghost"), List.of("nope")), directory))
                .extracting(RoutingSettingsValidator.Problem::message)
                .containsExactly("unknown user 'ghost'", "unknown team 'nope'");
    }
}
