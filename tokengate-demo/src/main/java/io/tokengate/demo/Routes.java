package io.tokengate.demo;

import java.time.Clock;

/** The demo's REST surface: which endpoint answers which method and path. */
final class Routes {
    private Routes() {}

    static Router create(JiraData data, Directory directory, Clock clock, boolean faultEndpoints) {
        IssueEndpoints issues = new IssueEndpoints(data, clock);
        UserEndpoints users = new UserEndpoints(directory);
        FilterEndpoints filters = new FilterEndpoints(data);
        Router router = new Router()
                .add("GET", "rest/api/2/issue/*", issues::get)
                .add("POST", "rest/api/2/issue/*/comment", issues::addComment)
                .add("GET", "rest/api/2/search", issues::search)
                .add("GET", "rest/api/2/issuetype", issues::issueTypes)
                .add("POST", "rest/api/2/filter", filters::create)
                .add("GET", "rest/api/2/myself", users::myself)
                .add("GET", "rest/api/2/user", users::user)
                .add("GET", "rest/api/2/mypermissions", users::myPermissions)
                .add("GET", "rest/api/2/attachment/content/*", new AttachmentEndpoint())
                .add("*", "rest/api/2/echo/**", new EchoEndpoint())
                .add("GET", "rest/extender/1.0/filter/user/*", filters::ofUser)
                .add("GET", "rest/extender/1.0/worklog/user/*", new WorklogEndpoint(data));
        if (faultEndpoints) {
            FaultEndpoints faults = new FaultEndpoints();
            router.add("*", "rest/demo/1.0/slow", faults::slow)
                    .add("GET", "rest/demo/1.0/reset", faults::reset)
                    .add("GET", "rest/demo/1.0/stall", faults::stall)
                    .add("GET", "rest/demo/1.0/trickle", faults::trickle)
                    .add("GET", "rest/demo/1.0/status/*", faults::status)
                    .add("GET", "rest/demo/1.0/header", faults::header);
        }
        return router;
    }
}
