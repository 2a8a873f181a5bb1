/**
 * The server's logs: {@link io.tokengate.server.logging.LogFiles} writes them as JSON Lines under
 * the home directory ({@code log.dir}), one file a day, through {@link
 * io.tokengate.server.logging.JsonLogLayout}; standard error keeps a line of text per event. Both
 * replace any token secret in a message or a stack trace by its hint, whatever logged it.
 */
package io.tokengate.server.logging;
