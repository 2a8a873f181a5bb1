package io.tokengate.server.cli;

import picocli.CommandLine.Command;

/** {@code tokengate user add|list|edit|passwd|remove|revoke-tokens}: local users of the admin plane. */
@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = {
            "Manage local users (identity.source = local): offline on --home, or on a running server with --server.",
            "Exit codes: 0 done, 1 refused, 2 invalid configuration, 3 unreachable, 64 invalid command line (an option or its value)."
        },
        subcommands = {
            UserAddCommand.class,
            UserListCommand.class,
            UserEditCommand.class,
            UserPasswdCommand.class,
            UserRemoveCommand.class,
            UserRevokeTokensCommand.class
        })
final class UserCommand {}
