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
    }

    /** @return false when the email is taken (the unique index decides, so concurrent seeders are safe) */
    public boolean insert(UserRecord user) {
        try {
            users.insertOne(new Document("_id", user.id())
                    .append("email", user.email())
                    .append("passwordHash", user.passwordHash())
                    .append("roles", new ArrayList<>(user.roles()))
                    .append("createdAt", Date.from(user.createdAt())));
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
                created == null ? null : created.toInstant());
    }
}
