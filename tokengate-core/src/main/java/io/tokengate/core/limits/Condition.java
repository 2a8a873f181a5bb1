package io.tokengate.core.limits;

import io.tokengate.core.request.RequestView;

/**
 * One part of a rule. A rule allows a request when all of its conditions hold. Each condition is
 * immutable and prints back the source syntax it was parsed from.
 */
public sealed interface Condition permits MethodCondition, UrlCondition, QueryParamCondition, JsonDataCondition {

    /** Whether the request satisfies this condition. May throw on hostile input; the rule denies then. */
    boolean matches(RequestView request);

    /**
     * Why the request does not satisfy this condition, for the explanation of a denial; only
     * asked after {@link #matches} answered false. Quotes request data shortened and escaped.
     */
    String mismatch(RequestView request);

    /** Whether checking this condition needs the request body. */
    default boolean needsBody() {
        return false;
    }

    /** The condition in the restriction language, as {@link LimitsParser} accepts it. */
    @Override
    String toString();
}
