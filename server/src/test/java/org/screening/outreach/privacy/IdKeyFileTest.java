package org.screening.outreach.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.support.TestIdKeys;

class IdKeyFileTest {
    static final String ID = "51010419900101123X";

    @Test
    void withNothingConfiguredKeysAreGeneratedOnceOwnerOnlyAndReadBackAfterARestart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        IdNumbers first = IdKeyFile.resolve(null, List.of(), null, data);
        Path file = data.resolve(IdKeyFile.NAME);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String stored = first.seal(ID);
        IdNumbers again = IdKeyFile.resolve(null, List.of(), null, data);
        assertThat(again.open(stored)).isEqualTo(ID);
        assertThat(again.indexOf(ID)).isEqualTo(first.indexOf(ID));
        try (var files = Files.list(data)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void configuredKeysWinAndNoFileIsWritten(@TempDir Path dir) {
        IdNumbers ids = IdKeyFile.resolve(TestIdKeys.key(1), List.of(), TestIdKeys.key(2), dir);
        assertThat(ids.cipher().currentKeyId()).isEqualTo(IdKey.of(TestIdKeys.key(1)).id());
        assertThat(dir.resolve(IdKeyFile.NAME)).doesNotExist();
    }

    @Test
    void aDamagedFileStopsTheStartInsteadOfMakingNewKeys(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(IdKeyFile.NAME), "key=AAAA\n");
        assertThatThrownBy(() -> IdKeyFile.resolve(null, List.of(), null, dir)).hasMessageContaining("damaged");
        assertThat(Files.readString(dir.resolve(IdKeyFile.NAME))).isEqualTo("key=AAAA\n");
    }
}
