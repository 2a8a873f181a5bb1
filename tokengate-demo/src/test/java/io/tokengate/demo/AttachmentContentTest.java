package io.tokengate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AttachmentContentTest {
    @Test
    void byteAtOffsetIsOffsetModulo251() throws Exception {
        byte[] bytes = DemoJira.attachmentContent(600).readAllBytes();

        assertThat(bytes).hasSize(600);
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(bytes[250] & 0xff).isEqualTo(250);
        assertThat(bytes[251]).isEqualTo((byte) 0);
        assertThat(bytes[599] & 0xff).isEqualTo(599 % 251);
    }

    @Test
    void fillingFromAnyOffsetContinuesTheSameSequence() throws Exception {
        byte[] whole = DemoJira.attachmentContent(1000).readAllBytes();
        ByteBuffer buffer = ByteBuffer.allocate(300);

        AttachmentContent.fill(buffer, 700, 300);

        byte[] tail = new byte[300];
        System.arraycopy(whole, 700, tail, 0, 300);
        assertThat(buffer.array()).isEqualTo(tail);
    }

    @Test
    void streamReadsSingleBytesAndArraysAlikeAndEnds() throws Exception {
        InputStream stream = DemoJira.attachmentContent(3);

        assertThat(stream.read()).isZero();
        byte[] rest = new byte[10];
        assertThat(stream.read(rest, 0, 10)).isEqualTo(2);
        assertThat(rest[0]).isEqualTo((byte) 1);
        assertThat(rest[1]).isEqualTo((byte) 2);
        assertThat(stream.read()).isEqualTo(-1);
        assertThat(stream.read(rest, 0, 10)).isEqualTo(-1);
    }

    @Test
    void hugeSizesNeedNoMemory() throws Exception {
        InputStream stream = DemoJira.attachmentContent(2L << 30);

        assertThat(stream.skip(2L << 30)).isEqualTo(2L << 30);
        assertThat(stream.read()).isEqualTo(-1);
    }
}
