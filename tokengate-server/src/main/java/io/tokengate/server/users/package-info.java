/**
 * Users of tokengate: the cached directory the data plane consults (e-mail, admin role, run-as
 * groups) and password hashing for local users.
 */
package io.tokengate.server.users;
