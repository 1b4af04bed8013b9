package org.convrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One statement of a write with its values, in the order and types {@link Sql} declares. */
record SqlWrite(Sql sql, Object... values) {

    SqlWrite {
        if (values.length != sql.types.length()) {
            throw new IllegalArgumentException(sql + " takes " + sql.types.length() + " values, not " + values.length);
        }
    }

    /**
     * Runs writes on one connection inside its current transaction, preparing each statement once.
     * Not thread-safe; close it (closing the statements) before the connection goes back to the pool.
     */
    static final class Runner implements AutoCloseable {
        private final Connection connection;
        private final Map<Sql, PreparedStatement> prepared = new EnumMap<>(Sql.class);

        Runner(Connection connection) {
            this.connection = connection;
        }

        void run(List<SqlWrite> writes) throws SQLException {
            for (SqlWrite write : writes) {
                run(write);
            }
        }

        void run(SqlWrite write) throws SQLException {
            PreparedStatement statement = prepared.get(write.sql());
            if (statement == null) {
                statement = connection.prepareStatement(write.sql().text);
                prepared.put(write.sql(), statement);
            }
            String types = write.sql().types;
            for (int i = 0; i < types.length(); i++) {
                bind(statement, i + 1, types.charAt(i), write.values()[i]);
            }
            int rows = statement.executeUpdate();
            if (write.sql().exactlyOneRow && rows != 1) {
                throw new SQLException(write.sql() + " changed " + rows + " rows instead of one (values "
                        + java.util.Arrays.toString(write.values()) + "): the row is not stored");
            }
        }

        private static void bind(PreparedStatement statement, int index, char type, Object value) throws SQLException {
            switch (type) {
                case 's' -> statement.setString(index, (String) value);
                case 'i' -> {
                    if (value == null) statement.setNull(index, Types.INTEGER); else statement.setInt(index, (Integer) value);
                }
                case 'l' -> {
                    if (value == null) statement.setNull(index, Types.BIGINT); else statement.setLong(index, (Long) value);
                }
                case 't' -> statement.setTimestamp(index, (Timestamp) value);
                default -> throw new IllegalStateException("unknown parameter type " + type);
            }
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement statement : prepared.values()) {
                statement.close();
            }
            prepared.clear();
        }
    }
}
