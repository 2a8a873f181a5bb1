package io.tokengate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** JDBC conversions that both drivers agree on: instants as {@code TIMESTAMP WITH TIME ZONE}. */
final class Jdbc {
    private Jdbc() {}

    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    static void setNullableInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    /**
     * Binds the parameters of a statement built from conditions, in order from index 1: instants,
     * longs and strings. Answers the index after the last.
     */
    static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        int index = 1;
        for (Object arg : args) {
            if (arg instanceof Instant instant) {
                setInstant(ps, index++, instant);
            } else if (arg instanceof Long number) {
                ps.setLong(index++, number);
            } else {
                ps.setString(index++, (String) arg);
            }
        }
        return index;
    }

    /** The parameters of {@code first}, then those of {@code second}. */
    static List<Object> concat(List<Object> first, List<Object> second) {
        List<Object> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** The length of the columns holding user-name keys ({@code VARCHAR(255)}). */
    static final int NAME_KEY_LENGTH = 255;
    /** The length of the column holding e-mail keys ({@code VARCHAR(320)}). */
    static final int EMAIL_KEY_LENGTH = 320;

    /**
     * How names are compared: lower case, cut to the {@code column} length that holds the key
     * (null stays null). Lower case can be longer than the text ('İ' becomes two characters): the
     * key of a name at its length limit would otherwise not fit its column, and the database would
     * refuse the row.
     */
    static String key(String text, int column) {
        if (text == null) {
            return null;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.length() <= column ? lower : lower.substring(0, column);
    }

    /**
     * How a user name is stored for comparison, wherever one is kept: tokens' bound users, audit
     * records' users, sessions, accounts (null stays null).
     */
    static String userKey(String user) {
        return key(user, NAME_KEY_LENGTH);
    }

    /** A LIKE pattern matching {@code text} anywhere, with '!' as escape character. */
    static String containsPattern(String text) {
        return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }
}
