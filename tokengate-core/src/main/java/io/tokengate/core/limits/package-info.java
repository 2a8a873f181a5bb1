/**
 * The restriction language ("limits") that scopes a token to exactly what it is for: one rule per
 * line, any rule may allow a request, and all parts of a rule must hold. {@link
 * io.tokengate.core.limits.LimitsParser#parse(String)} is the single entry point and documents the
 * grammar; {@link io.tokengate.core.limits.Limits#evaluate} answers with a {@link
 * io.tokengate.core.limits.Decision} that explains itself. Every regular expression is RE2 (linear
 * time), compiled once at parse time; RE2/J defines what matches, and a lazily built DFA gives the
 * same answers faster where it can ({@link io.tokengate.core.limits.Regex}). Evaluation first finds,
 * in one pass over the URL, the rules whose URL regex matches, then checks those rules in order.
 */
package io.tokengate.core.limits;
