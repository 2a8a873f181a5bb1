/**
 * Users of tokengate: the cached directory the data plane consults (e-mail, admin role, run-as
 * groups), password hashing, and the admin plane's identity sources chosen by {@code
 * identity.source}: {@link io.tokengate.server.users.LocalUsers} (the {@code users} table; also the
 * service behind {@code tokengate user} and {@code tokengate demo}'s admin) and {@link
 * io.tokengate.server.users.JiraIdentity}, each behind {@link
 * io.tokengate.server.users.CachedIdentity} so that scripts do not pay the slow check on every call.
 */
package io.tokengate.server.users;
