package io.tokengate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The attachment stream: exact length and content, any size up to 2 GiB. */
class AttachmentIT {
    private static final String PATH = "/rest/api/2/attachment/content/10042";
    private static final String[] AS_BOB = {"X-Forwarded-User", "bob"};

    private static DemoJira jira;
    private static Http http;

    @BeforeAll
    static void start() {
        jira = DemoJira.start(DemoJira.Options.defaults());
        http = new Http(jira.baseUri());
    }

    @AfterAll
    static void stop() {
        jira.close();
    }

    @Test
    void streamsFiftyMebibytesWithExactLengthAndContent() throws Exception {
        long size = 50L << 20;
        HttpResponse<InputStream> response = http.client()
                .send(http.request(PATH + "?size=" + size, AS_BOB).build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(size);
        assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"attachment-10042.bin\"");
        Digest received;
        try (InputStream body = response.body()) {
            received = Digest.of(body);
        }
        assertThat(received.length).isEqualTo(size);
        assertThat(received.sha256).isEqualTo(Digest.of(DemoJira.attachmentContent(size)).sha256);
    }

    @Test
    void contentIsTheDocumentedSequence() throws Exception {
        HttpResponse<byte[]> response = http.client()
                .send(http.request(PATH + "?size=600", AS_BOB).build(), HttpResponse.BodyHandlers.ofByteArray());

        byte[] body = response.body();
        assertThat(body).hasSize(600);
        for (int i = 0; i < body.length; i++) {
            assertThat(body[i] & 0xff).as("byte %d", i).isEqualTo(i % 251);
        }
    }

    @Test
    void defaultsToOneMebibyte() throws Exception {
        HttpResponse<byte[]> response =
                http.client().send(http.request(PATH, AS_BOB).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.body()).hasSize(1 << 20);
        assertThat(response.body())
                .isEqualTo(DemoJira.attachmentContent(1 << 20).readAllBytes());
    }

    @Test
    void anEmptyAttachmentHasContentLengthZero() throws Exception {
        HttpResponse<byte[]> response = http.client()
                .send(http.request(PATH + "?size=0", AS_BOB).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(0);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void twoGibibytesIsTheLargestSizeAndIsAnnouncedUpFront() throws Exception {
        long max = 2L << 30;
        HttpResponse<InputStream> response = http.client()
                .send(http.request(PATH + "?size=" + max, AS_BOB).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(max);
            assertThat(body.readNBytes(1000))
                    .isEqualTo(DemoJira.attachmentContent(1000).readAllBytes());
        }

        assertThat(http.get(PATH + "?size=" + (max + 1), AS_BOB).statusCode()).isEqualTo(400);
        assertThat(http.get(PATH + "?size=-1", AS_BOB).statusCode()).isEqualTo(400);
        assertThat(http.get(PATH + "?size=lots", AS_BOB).statusCode()).isEqualTo(400);
        assertThat(http.get(PATH + "?size=10", AS_BOB).body()).hasSize(10);
    }

    @Test
    void needsAnIdentityLikeEverythingElse() {
        assertThat(http.get(PATH).statusCode()).isEqualTo(401);
    }

    private static final class Digest {
        final long length;
        final String sha256;

        private Digest(long length, String sha256) {
            this.length = length;
            this.sha256 = sha256;
        }

        static Digest of(InputStream in) throws IOException {
            MessageDigest sha256 = BodyReader.newDigest();
            long length = 0;
            byte[] buffer = new byte[64 * 1024];
            try (DigestInputStream digesting = new DigestInputStream(in, sha256)) {
                for (int n; (n = digesting.read(buffer)) >= 0; ) {
                    length += n;
                }
            }
            return new Digest(length, HexFormat.of().formatHex(sha256.digest()));
        }
    }
}
