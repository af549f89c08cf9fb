package org.vcj.support.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class OneLineTest {

    @Test
    void controlCharactersBecomeEscapesAndTheRestStays() {
        assertEquals("a\\nb\\r\\tc\\u0000d\\u001b[0m é", OneLine.of("a\nb\r\tc\u0000d\u001b[0m é"));
        assertEquals("plain", OneLine.of("plain"));
        assertNull(OneLine.of(null));
    }
}
