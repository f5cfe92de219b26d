package org.screening.outreach.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.screening.outreach.support.TestIdKeys;

class IdNumberCipherTest {
    static final String ID = "51010419900101123X";
    static final IdKey K1 = IdKey.of(TestIdKeys.key(1));
    static final IdKey K2 = IdKey.of(TestIdKeys.key(2));

    @Test
    void roundTripsAndNamesItsKeyWithoutShowingTheNumber() {
        IdNumberCipher cipher = new IdNumberCipher(K1, List.of());
        String stored = cipher.seal(ID);
        assertThat(stored).startsWith("1:" + K1.id() + ":").doesNotContain("51010419900101").doesNotContain("123X");
        assertThat(IdNumberCipher.keyIdOf(stored)).isEqualTo(K1.id());
        assertThat(cipher.isCurrent(stored)).isTrue();
        assertThat(cipher.open(stored)).isEqualTo(ID);
    }

    @Test
    void everyValueHasAFreshNonce() {
        IdNumberCipher cipher = new IdNumberCipher(K1, List.of());
        // Equal numbers must not give equal stored values (that is the blind index's job, under its own key).
        assertThat(cipher.seal(ID)).isNotEqualTo(cipher.seal(ID));
    }

    @Test
    void anAlteredValueIsRefusedNotMisread() {
        IdNumberCipher cipher = new IdNumberCipher(K1, List.of());
        String stored = cipher.seal(ID);
        String header = stored.substring(0, stored.lastIndexOf(':') + 1);
        byte[] body = Base64.getUrlDecoder().decode(stored.substring(header.length()));
        for (int at : new int[] {0, 12, body.length - 1}) { // nonce, ciphertext, tag
            byte[] changed = body.clone();
            changed[at] ^= 1;
            String tampered = header + Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
            assertThatThrownBy(() -> cipher.open(tampered)).as("byte %d", at)
                    .isInstanceOf(IdNumberCipher.Unreadable.class).hasMessageNotContaining(ID);
        }
        assertThatThrownBy(() -> cipher.open("51010419900101123X")).isInstanceOf(IdNumberCipher.Unreadable.class);
        assertThatThrownBy(() -> cipher.open(header)).isInstanceOf(IdNumberCipher.Unreadable.class);
    }

    @Test
    void aValueRelabelledToAnotherKeyIsRefused() {
        IdNumberCipher both = new IdNumberCipher(K1, List.of(K2));
        String stored = both.seal(ID);
        // The header is authenticated: claiming K2 made it fails even though K2 is configured.
        String relabelled = stored.replace(":" + K1.id() + ":", ":" + K2.id() + ":");
        assertThatThrownBy(() -> both.open(relabelled)).isInstanceOf(IdNumberCipher.Unreadable.class);
    }

    @Test
    void oldKeysOpenWhatTheyWroteAndUnknownKeysAreNamed() {
        String underOld = new IdNumberCipher(K1, List.of()).seal(ID);
        IdNumberCipher rotated = new IdNumberCipher(K2, List.of(K1));
        assertThat(rotated.open(underOld)).isEqualTo(ID);
        assertThat(rotated.isCurrent(underOld)).isFalse();
        assertThat(rotated.hasOldKeys()).isTrue();
        assertThat(IdNumberCipher.keyIdOf(rotated.seal(ID))).isEqualTo(K2.id());
        assertThatThrownBy(() -> new IdNumberCipher(K2, List.of()).open(underOld))
                .isInstanceOf(IdNumberCipher.Unreadable.class).hasMessageContaining(K1.id());
    }

    @Test
    void keysAreAes256AndNeverShown() {
        assertThatThrownBy(() -> IdKey.of(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdNumberCipher(K1, List.of(IdKey.of(TestIdKeys.key(1)))))
                .hasMessageContaining("twice");
        String key64 = Base64.getEncoder().encodeToString(TestIdKeys.key(1));
        IdNumbers ids = IdNumbers.of(TestIdKeys.key(1), List.of(TestIdKeys.key(3)), TestIdKeys.key(2));
        assertThat(K1.toString() + ids).doesNotContain(key64).doesNotContain("AQEBAQEB").contains(K1.id());
        assertThat(K1.id()).matches("[0-9a-f]{8}").isNotEqualTo(K2.id());
    }

    @Test
    void withoutKeysNothingIsSealedButAbsentNumbersPass() {
        IdNumbers none = IdNumbers.unavailable();
        assertThat(none.seal(null)).isNull();
        assertThat(none.open(null)).isNull();
        assertThat(none.indexOf(null)).isNull();
        assertThatThrownBy(() -> none.seal(ID)).isInstanceOf(IllegalStateException.class);
    }
}
