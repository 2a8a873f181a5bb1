package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditExportAndCursorTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "plain|plain",
                "=SUM(A1)|'=SUM(A1)",
                "+1|'+1",
                "-1|'-1",
                "@import|'@import",
                "a,b|\"a,b\"",
                "say \"hi\"|\"say \"\"hi\"\"\"",
                "=a,b|\"'=a,b\"",
            })
    void csvCellsAreQuotedAndDefused(String text, String cell) {
        assertThat(AuditExporter.cell(text)).isEqualTo(cell);
    }

    @Test
    void csvCellsWithLineBreaksAreQuoted() {
        assertThat(AuditExporter.cell("a\r\nb")).isEqualTo("\"a\r\nb\"");
        assertThat(AuditExporter.cell("\tx")).isEqualTo("'\tx");
    }

    @Test
    void cursorsRoundTripAndRejectGarbage() {
        AuditCursor cursor = new AuditCursor(Instant.parse("2026-11-28T10:00:00.123456Z"), 42);
        assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
        assertThat(AuditCursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThatThrownBy(() -> AuditCursor.decode("!!")).hasMessageContaining("invalid audit cursor");
        assertThatThrownBy(() -> AuditCursor.decode("eDp5")).hasMessageContaining("invalid audit cursor");
    }
}
