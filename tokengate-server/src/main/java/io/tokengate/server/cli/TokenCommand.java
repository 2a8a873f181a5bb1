package io.tokengate.server.cli;

import picocli.CommandLine.Command;

/** {@code tokengate token create|list|show|edit|rotate|revoke}: the group, one class per subcommand. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Manage API tokens: offline on --home, or on a running server with --server.",
            "Exit codes: 0 done, 1 refused by tokengate (its message is printed), 2 invalid configuration,"
                    + " 3 tokengate unreachable or its home held by a server, 64 invalid command line (an option or its value)."
        },
        subcommands = {
            TokenCreateCommand.class,
            TokenListCommand.class,
            TokenShowCommand.class,
            TokenEditCommand.class,
            TokenRotateCommand.class,
            TokenRevokeCommand.class
        })
final class TokenCommand {}
