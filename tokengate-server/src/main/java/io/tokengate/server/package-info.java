/**
 * The tokengate server: the data plane that enforces tokens in front of Jira, the admin plane,
 * the command line, and the composition root that wires them to the core and the store.
 */
package io.tokengate.server;
