package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.audit.AuditEvent;

/** An audit record as the admin API shows it: the same names as the CSV and JSON Lines exports. */
final class AuditJson {
    private AuditJson() {}

    static ObjectNode of(AuditEvent e) {
        ObjectNode json = Json.object();
        json.put("time", e.time().toString());
        json.put("requestId", e.requestId());
        json.put("node", e.node());
        json.put("kind", e.kind().name());
        json.put("tokenId", e.tokenId() == null ? null : e.tokenId().value());
        json.put("tokenName", e.tokenName());
        json.put("basicUser", e.basicUser());
        json.put("effectiveUser", e.effectiveUser());
        json.put("actor", e.actor());
        json.put("clientIp", e.clientIp());
        json.put("method", e.method());
        json.put("path", e.path());
        json.put("query", e.query());
        json.put("decision", e.decision() == null ? null : e.decision().name());
        json.put("reason", e.reason());
        json.put("matchedRule", e.matchedRule());
        json.put("status", e.status());
        json.put("upstreamMillis", e.upstreamMillis());
        json.put("bytesIn", e.bytesIn());
        json.put("bytesOut", e.bytesOut());
        return json;
    }
}
