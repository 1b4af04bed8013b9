package org.convrouter.store;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convrouter.directory.Contact;
import org.convrouter.directory.ContactStore;
import org.convrouter.error.ConflictException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Contacts in SQL, read per request (never cached), so every instance sees the same ones. */
public final class JdbiContactStore implements ContactStore {

    private static final RowMapper<Contact> CONTACT = (rs, ctx) -> new Contact(rs.getString("id"), rs.getString("email"),
            rs.getString("name"), rs.getString("owner_id"), rs.getBoolean("cookie_tracked"));

    /** The SQL state both H2 and PostgreSQL give a duplicate key. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Jdbi jdbi;

    public JdbiContactStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<Contact> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM contacts WHERE id = :id").bind("id", id).map(CONTACT).findOne());
    }

    @Override
    public Optional<Contact> findByEmail(String email) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM contacts WHERE email = :email").bind("email", email)
                .map(CONTACT).findOne());
    }

    @Override
    public void create(Contact contact) {
        try {
            jdbi.useTransaction(h -> h.createUpdate(
                            "INSERT INTO contacts (id, email, name, owner_id, cookie_tracked) VALUES (:id, :email, :name, :owner, :tracked)")
                    .bindMap(values(contact)).execute());
        } catch (RuntimeException e) {
            throw taken(e, contact);
        }
    }

    @Override
    public void save(Contact contact) {
        try {
            jdbi.useTransaction(h -> JdbiDirectoryStore.upsert(h,
                    "UPDATE contacts SET email = :email, name = :name, owner_id = :owner, cookie_tracked = :tracked WHERE id = :id",
                    "INSERT INTO contacts (id, email, name, owner_id, cookie_tracked) VALUES (:id, :email, :name, :owner, :tracked)",
                    values(contact)));
        } catch (RuntimeException e) {
            throw taken(e, contact);
        }
    }

    private static Map<String, Object> values(Contact contact) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", contact.id());
        values.put("email", contact.email());
        values.put("name", contact.name());
        values.put("owner", contact.owner());
        values.put("tracked", contact.cookieTracked());
        return values;
    }

    /** A unique key refused the write (the id or email was stored meanwhile, perhaps by another instance): 409. */
    private static RuntimeException taken(RuntimeException e, Contact contact) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return new ConflictException("a contact with id '" + contact.id() + "' or email '" + contact.email()
                        + "' is already stored");
            }
        }
        return e;
    }

    @Override
    public List<Contact> list(String afterId, int limit) {
        String where = afterId == null ? "" : "WHERE id > :after ";
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM contacts " + where + "ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit).map(CONTACT).list());
    }
}
