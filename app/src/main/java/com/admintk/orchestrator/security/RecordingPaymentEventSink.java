package com.admintk.orchestrator.security;

import com.admintk.orchestrator.store.Database;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.util.Date;

/** Default {@link PaymentEventSink}: keeps the event in {@code payment_events} (the payload as a string, never parsed keys). */
@Singleton
public class RecordingPaymentEventSink implements PaymentEventSink {

    public static final String COLLECTION = "payment_events";

    private final Database database;

    public RecordingPaymentEventSink(Database database) {
        this.database = database;
    }

    @Override
    public void accept(String provider, String eventId, String type, String payload) {
        database.collection(COLLECTION).insertOne(new Document("provider", provider).append("eventId", eventId)
                .append("type", type).append("payload", payload).append("receivedAt", new Date()));
    }
}
