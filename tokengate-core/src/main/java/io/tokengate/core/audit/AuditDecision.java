package io.tokengate.core.audit;

/** Whether the audited request or action was carried out. */
public enum AuditDecision {
    ALLOW,
    DENY
}
