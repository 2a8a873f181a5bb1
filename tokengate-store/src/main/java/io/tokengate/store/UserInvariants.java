package io.tokengate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the users table must keep that its unique keys cannot, checked inside the transaction of
 * the change: names and e-mail addresses share one space, and there is always an admin.
 */
final class UserInvariants {
    private UserInvariants() {}

    /**
     * A user's name may not be another's e-mail address, nor the reverse: a bound token's Basic
     * user may be either, and sign-in looks a user up by either, so the new user would take the
     * other's place (the unique keys only keep names apart and e-mails apart).
     */
    static void refuseCrossedNameAndEmail(Connection c, NewUser user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE email_key = ? OR name_key = ?")) {
            ps.setString(1, UserRows.emailKey(user.name()));
            ps.setString(2, user.email() == null ? null : UserRows.nameKey(user.email()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new StoreConflictException(
                            "the user '" + rs.getString(1) + "' has that as a name or e-mail", null);
                }
            }
        }
    }

    /**
     * Refuses, inside {@code c}'s transaction, a change that would leave no admin: nobody could
     * then manage tokens or users from the admin plane. The admins' rows are locked first, so two
     * such changes at once, on one node or two, are decided one after the other.
     */
    static void keepAnAdmin(Connection c, String name, String change) throws SQLException {
        List<String> admins = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name_key FROM users WHERE role = ? FOR UPDATE")) {
            ps.setString(1, UserRole.ADMIN.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    admins.add(rs.getString(1));
                }
            }
        }
        if (admins.equals(List.of(UserRows.nameKey(name)))) {
            throw new StoreConflictException(
                    name + " is the last admin: make another user an admin before you " + change + ".", null);
        }
    }
}
