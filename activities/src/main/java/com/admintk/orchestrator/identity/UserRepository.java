package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.store.Database;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Users in MongoDB, unique by lower-case email. Only typed values reach the driver, never request documents. */
@Singleton
public class UserRepository {

    public static final String COLLECTION = "users";

    private final MongoCollection<Document> users;

    public UserRepository(Database database) {
        this.users = database.collection(COLLECTION);
        users.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        // Sparse: only customers the store created or linked carry the store's id.
        users.createIndex(Indexes.ascending("externalId"), new IndexOptions().unique(true).sparse(true));
    }

    /** @return false when the email is taken (the unique index decides, so concurrent seeders are safe) */
    public boolean insert(UserRecord user) {
        try {
            Document doc = new Document("_id", user.id())
                    .append("email", user.email())
                    .append("passwordHash", user.passwordHash())
                    .append("roles", new ArrayList<>(user.roles()))
                    .append("createdAt", Date.from(user.createdAt()));
            if (user.name() != null) {
                doc.append("name", user.name());
            }
            // Absent flags mean "verified" and "enabled", so accounts stored before these fields keep working.
            if (!user.emailVerified()) {
                doc.append("unverified", true);
            }
            if (user.disabled()) {
                doc.append("disabled", true);
            }
            if (user.externalId() != null) {
                doc.append("externalId", user.externalId());
            }
            users.insertOne(doc);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    public Optional<UserRecord> findById(String id) {
        return Optional.ofNullable(users.find(Filters.eq("_id", id)).first()).map(UserRepository::toRecord);
    }

    public Optional<UserRecord> findByEmail(String email) {
        return Optional.ofNullable(users.find(Filters.eq("email", email)).first()).map(UserRepository::toRecord);
    }

    public Optional<UserRecord> findByExternalId(String externalId) {
        return Optional.ofNullable(users.find(Filters.eq("externalId", externalId)).first()).map(UserRepository::toRecord);
    }

    /** Filters of the admin user list; null means any. */
    public record Query(String role, String status, String emailContains) {
    }

    public List<UserRecord> find(Query query, int page, int size) {
        List<UserRecord> out = new ArrayList<>();
        users.find(filter(query)).sort(Sorts.ascending("createdAt", "_id")).skip(page * size).limit(size)
                .forEach(doc -> out.add(toRecord(doc)));
        return out;
    }

    public long count(Query query) {
        return users.countDocuments(filter(query));
    }

    public boolean anyWithRole(String role) {
        return users.find(Filters.eq("roles", role)).limit(1).first() != null;
    }

    private static Bson filter(Query q) {
        List<Bson> parts = new ArrayList<>();
        if (q.role() != null) {
            parts.add(Filters.eq("roles", q.role()));
        }
        if (q.status() != null) {
            parts.add(switch (q.status()) {
                case "DISABLED" -> Filters.eq("disabled", true);
                case "UNVERIFIED" -> Filters.and(Filters.ne("disabled", true), Filters.eq("unverified", true));
                default -> Filters.and(Filters.ne("disabled", true), Filters.ne("unverified", true));
            });
        }
        if (q.emailContains() != null) {
            // Quoted: the caller's text is matched literally, never as a pattern.
            parts.add(Filters.regex("email", java.util.regex.Pattern.quote(q.emailContains().toLowerCase(java.util.Locale.ROOT))));
        }
        return parts.isEmpty() ? new Document() : Filters.and(parts);
    }

    /** Follows a verification link: only while the account still has the email the link was sent to. */
    public boolean markVerified(String id, String email) {
        return users.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("email", email)),
                Updates.unset("unverified")).getMatchedCount() == 1;
    }

    /** A new password; {@code proveMailbox} when it came through an emailed token, which also verifies the email. */
    public boolean setPassword(String id, String passwordHash, boolean proveMailbox) {
        Bson update = Updates.combine(Updates.set("passwordHash", passwordHash), Updates.set("passwordChangedAt", new Date()));
        if (proveMailbox) {
            update = Updates.combine(update, Updates.unset("unverified"));
        }
        return users.updateOne(Filters.eq("_id", id), update).getMatchedCount() == 1;
    }

    public boolean setDisabled(String id, boolean disabled) {
        Bson update = disabled ? Updates.set("disabled", true) : Updates.unset("disabled");
        return users.updateOne(Filters.eq("_id", id), update).getMatchedCount() == 1;
    }

    /**
     * Binds a customer to the store's id. An unverified registrant's password is dropped: the store vouches for the
     * mailbox, not for whoever typed that password.
     *
     * @return false when the account is already bound to another store id (or gone)
     */
    public boolean linkExternal(String id, String externalId, String name, boolean dropPassword) {
        Bson update = Updates.combine(Updates.set("externalId", externalId), Updates.set("name", name), Updates.unset("unverified"));
        if (dropPassword) {
            update = Updates.combine(update, Updates.unset("passwordHash"));
        }
        return users.updateOne(Filters.and(Filters.eq("_id", id), Filters.exists("externalId", false)), update)
                .getMatchedCount() == 1;
    }

    /** @return false when the email belongs to another account (the unique index decides) */
    public boolean updateProfile(String id, String email, String name) {
        try {
            users.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("email", email), Updates.set("name", name)));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    public List<UserRecord> list(int page, int size) {
        List<UserRecord> out = new ArrayList<>();
        users.find().sort(Sorts.ascending("createdAt", "_id")).skip(page * size).limit(size)
                .forEach(doc -> out.add(toRecord(doc)));
        return out;
    }

    public long count() {
        return users.countDocuments();
    }

    /** @return false when no such user */
    public boolean setRoles(String id, Set<String> roles) {
        return users.updateOne(Filters.eq("_id", id), Updates.set("roles", new ArrayList<>(roles))).getMatchedCount() == 1;
    }

    private static UserRecord toRecord(Document doc) {
        Set<String> roles = new LinkedHashSet<>(doc.getList("roles", String.class, List.of()));
        Date created = doc.getDate("createdAt");
        return new UserRecord(doc.getString("_id"), doc.getString("email"), doc.getString("passwordHash"), roles,
                created == null ? null : created.toInstant(), doc.getString("name"),
                !Boolean.TRUE.equals(doc.getBoolean("unverified")), Boolean.TRUE.equals(doc.getBoolean("disabled")),
                doc.getString("externalId"));
    }
}
