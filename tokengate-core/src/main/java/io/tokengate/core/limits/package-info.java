/**
 * The restriction language ("limits") that scopes a token to exactly what it is for: one rule per
 * line, any rule may allow a request, and all parts of a rule must hold. {@link
 * io.tokengate.core.limits.LimitsParser#parse(String)} is the single entry point and documents the
 * grammar; {@link io.tokengate.core.limits.Limits#evaluate} answers with a {@link
 * io.tokengate.core.limits.Decision} that explains itself. Every regular expression is RE2 (linear
 * time), compiled once at parse time.
 */
package io.tokengate.core.limits;
