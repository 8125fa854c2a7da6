package io.tidings.example;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies the example API accepts. */
final class Requests {

    private static final String NOT_BLANK = "(?s).*\\S.*";

    private Requests() {
    }

    record CreateProject(@Schema(examples = "Apollo") @NotBlank @Size(max = 200) String name,
            @Schema(examples = "To the moon") @Size(max = 2000) String description) {
    }

    /** Absent fields stay as they are. */
    record UpdateProject(@Pattern(regexp = NOT_BLANK, message = "must not be blank") @Size(max = 200) String name,
            @Size(max = 2000) String description) {
    }

    record CreateJob(@NotBlank @Size(max = 200) String name) {
    }

    record CreateRun(@PositiveOrZero @Max(10_000) Integer stepsCount) {
    }

    record ChangeStatus(@Schema(examples = "started") @NotNull @Pattern(regexp = RunStatus.REQUESTABLE,
            message = "must be one of " + RunStatus.REQUESTABLE) String status) {
    }
}
