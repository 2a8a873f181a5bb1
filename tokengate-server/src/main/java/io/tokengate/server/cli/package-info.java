/**
 * The {@code tokengate} command line (picocli): one launcher for the server, the demo, and the
 * administrative commands. Exit codes are part of the contract and documented on each command.
 */
package io.tokengate.server.cli;
