package io.tokengate.demo;

/** A user as Jira shows one: a directory user, or a plain profile for a name the directory lacks. */
record Person(String name, String email, String displayName, boolean admin) {

    static Person of(DemoUser user) {
        return new Person(user.name(), user.email(), user.displayName(), user.admin());
    }

    /** The profile of a name the directory does not know: not an admin, e-mail made up if needed. */
    static Person unknown(String name) {
        return new Person(name, name.contains("@") ? name : name + "@example.com", name, false);
    }
}
