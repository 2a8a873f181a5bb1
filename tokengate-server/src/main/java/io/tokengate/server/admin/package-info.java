/**
 * The admin plane: the REST API under {@code /api/v1} (tokens, dry-run checks, audit log and
 * export, settings, users, sign-in sessions; described by {@code openapi.yaml} beside these
 * classes), with its authentication (Basic for scripts, a database-backed session cookie with CSRF
 * protection for browsers), roles (admins everything, users their own tokens and audit records)
 * and the audit of every admin action; and the health endpoints.
 */
package io.tokengate.server.admin;
