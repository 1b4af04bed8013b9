package org.convrouter.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convrouter.directory.Contact;
import org.convrouter.directory.ContactStore;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiContactStore implements ContactStore {

    private static final RowMapper<Contact> CONTACT = (rs, ctx) -> new Contact(rs.getString("id"), rs.getString("email"),
            rs.getString("name"), rs.getString("owner_id"), rs.getBoolean("cookie_tracked"));

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
    public void save(Contact contact) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", contact.id());
        values.put("email", contact.email());
        values.put("name", contact.name());
        values.put("owner", contact.owner());
        values.put("tracked", contact.cookieTracked());
        jdbi.useTransaction(h -> JdbiDirectoryStore.upsert(h,
                "UPDATE contacts SET email = :email, name = :name, owner_id = :owner, cookie_tracked = :tracked WHERE id = :id",
                "INSERT INTO contacts (id, email, name, owner_id, cookie_tracked) VALUES (:id, :email, :name, :owner, :tracked)",
                values));
    }

    @Override
    public List<Contact> list(String afterId, int limit) {
        String where = afterId == null ? "" : "WHERE id > :after ";
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM contacts " + where + "ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit).map(CONTACT).list());
    }
}
