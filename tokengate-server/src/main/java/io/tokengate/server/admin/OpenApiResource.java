package io.tokengate.server.admin;

import io.tokengate.core.TokengateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;

/** {@code GET /api/v1/openapi.yaml}: the API's OpenAPI 3.1 document, served to anyone. */
final class OpenApiResource {
    static final String RESOURCE = "/io/tokengate/server/admin/openapi.yaml";
    private final byte[] document;

    OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new TokengateException("the OpenAPI document " + RESOURCE + " is missing from the jar");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new TokengateException("cannot read the OpenAPI document " + RESOURCE, e);
        }
    }

    void routes(Router router) {
        router.addPublic("GET", "/api/v1/openapi.yaml", this::serve);
    }

    private void serve(ApiExchange ex) {
        ex.response.setStatus(200);
        ex.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/yaml;charset=utf-8");
        ex.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, document.length);
        ex.response.write(true, ByteBuffer.wrap(document), ex.callback);
    }
}
