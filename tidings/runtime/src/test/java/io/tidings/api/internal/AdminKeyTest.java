package io.tidings.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeyTest {

    private static final String GOOD = "a".repeat(16) + "0123456789abcdef";

    @TempDir
    Path directory;

    @Test
    void a_short_key_or_a_shipped_placeholder_stops_the_start_with_what_to_set() {
        assertThatThrownBy(() -> new AdminKey(Optional.of("a".repeat(31)), false, file()))
                .hasMessageContaining("tidings.api.admin-key is shorter than 32 characters");
        for (String placeholder : AdminKey.PLACEHOLDERS) {
            assertThatThrownBy(() -> new AdminKey(Optional.of(placeholder), false, file()))
                    .hasMessageContaining("tidings.api.admin-key is the placeholder");
        }
        assertThat(new AdminKey(Optional.of(GOOD), false, file()).matches(GOOD)).isTrue();
    }

    @Test
    void every_admin_key_placeholder_in_deploy_is_refused() throws Exception {
        Pattern value = Pattern.compile("TIDINGS_API_ADMIN_KEY:\\s*\"?([^\"\\n]+)\"?");
        int found = 0;
        Path deploy = Path.of("").toAbsolutePath().resolve("../../deploy").normalize(); // from tidings/runtime
        for (Path manifest : List.of(deploy.resolve("compose.yaml"), deploy.resolve("kubernetes/secret.example.yaml"))) {
            Matcher matcher = value.matcher(Files.readString(manifest));
            while (matcher.find()) {
                assertThat(AdminKey.PLACEHOLDERS).as(manifest.toString()).contains(matcher.group(1).trim());
                found++;
            }
        }
        assertThat(found).isEqualTo(2);
    }

    @Test
    void without_a_key_only_a_run_on_the_embedded_database_generates_one_kept_for_its_owner() throws Exception {
        AdminKey none = new AdminKey(Optional.empty(), false, file());
        assertThat(none.matches("")).isFalse();
        assertThat(file()).doesNotExist();

        AdminKey generated = new AdminKey(Optional.empty(), true, file());
        String key = Files.readString(file()).trim();
        assertThat(key).hasSize(64);
        assertThat(generated.matches(key)).isTrue();
        assertThat(Files.getPosixFilePermissions(file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(new AdminKey(Optional.empty(), true, file()).matches(key)).as("reused at the next start").isTrue();
        assertThat(new AdminKey(Optional.of(GOOD), true, file()).matches(key)).as("a configured key wins").isFalse();
    }

    private Path file() {
        return directory.resolve(".tidings").resolve("admin-key");
    }
}
