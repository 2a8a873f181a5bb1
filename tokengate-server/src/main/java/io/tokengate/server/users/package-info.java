/**
 * Users of tokengate: the cached directories the data plane consults (e-mail, admin role, run-as
 * groups, upstream credential), password hashing, and the admin plane's identity sources, both
 * chosen by {@code identity.source}. With {@code local}: {@link
 * io.tokengate.server.users.StoreUserDirectory} and {@link io.tokengate.server.users.LocalUsers}
 * (the {@code users} table; also the service behind {@code tokengate user} and {@code tokengate
 * demo}'s admin). With {@code jira}: {@link io.tokengate.server.users.JiraUserDirectory} and {@link
 * io.tokengate.server.users.JiraIdentity}, which ask Jira through {@link
 * io.tokengate.server.users.JiraRest}. The identity sources sit behind {@link
 * io.tokengate.server.users.CachedIdentity} so that scripts do not pay the slow check on every call.
 */
package io.tokengate.server.users;
