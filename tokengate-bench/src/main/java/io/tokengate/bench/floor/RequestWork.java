package io.tokengate.bench.floor;

/**
 * What a reference proxy does with each request besides forwarding it: {@link #admit} before,
 * {@link #complete} after the response has been written.
 */
interface RequestWork {
    /** Why a request is not forwarded: the status to answer with. */
    record Refusal(int status) {}

    /**
     * A {@link Refusal}, or any other object to be handed to {@link #complete} once the request
     * has been answered.
     */
    Object admit(String method, String uri, String authorization, String clientIp);

    void complete(Object admitted, int status, long bytesIn, long bytesOut);

    /** Only the credential comparison: the floor itself. */
    static RequestWork credentialOnly(String authorization) {
        Refusal unauthorized = new Refusal(401);
        return new RequestWork() {
            @Override
            public Object admit(String method, String uri, String presented, String clientIp) {
                return authorization.equals(presented) ? Boolean.TRUE : unauthorized;
            }

            @Override
            public void complete(Object admitted, int status, long bytesIn, long bytesOut) {}
        };
    }
}
