package io.tokengate.demo;

import java.util.List;

/** A user as Jira shows one: a directory user, or a plain profile for a name the directory lacks. */
record Person(String name, String email, String displayName, boolean admin, List<String> groups) {

    static Person of(DemoUser user) {
        return new Person(user.name(), user.email(), user.displayName(), user.admin(), user.groups());
    }

    /** The profile of a name the directory does not know: not an admin, e-mail made up if needed. */
    static Person unknown(String name) {
        return new Person(
                name, name.contains("@") ? name : name + "@example.com", name, false, List.of(DemoUser.USERS));
    }
}
