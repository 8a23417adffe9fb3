package com.admintk.orchestrator.store;

import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a query, with the number of documents the whole query matches. The page is read with one document
 * more than it shows: when that one is missing, the page itself shows where the results end and the total needs no
 * count query (a customer's list of orders or servers usually fits on its first page). One round trip instead of two.
 */
public record Paged<T>(List<T> items, long total) {

    public static <T> Paged<T> read(MongoCollection<Document> collection, Bson filter, Bson sort, int page, int size,
                                    Function<Document, T> map) {
        List<Document> documents = new ArrayList<>(size + 1);
        collection.find(filter).sort(sort).skip(page * size).limit(size + 1).into(documents);
        boolean more = documents.size() > size;
        List<T> items = documents.stream().limit(size).map(map).toList();
        boolean endShown = !more && (page == 0 || !items.isEmpty());
        long total = endShown ? (long) page * size + items.size() : collection.countDocuments(filter);
        return new Paged<>(items, total);
    }
}
