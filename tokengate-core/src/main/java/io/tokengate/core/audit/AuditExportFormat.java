package io.tokengate.core.audit;

/** Formats of {@link AuditLog#export}. */
public enum AuditExportFormat {
    /** RFC 4180 CSV with a header row; cells that a spreadsheet would run as a formula are defused. */
    CSV,
    /** One JSON object per line. */
    JSON_LINES
}
