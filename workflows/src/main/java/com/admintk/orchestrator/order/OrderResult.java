package com.admintk.orchestrator.order;

import java.util.List;

/**
 * How the order ended. {@code charged}: money was taken at some point; {@code refunded}: it was given back.
 * {@code panelServerId} is set only for {@link OrderStatus#ACTIVE}.
 */
public record OrderResult(String orderId,
                          OrderStatus status,
                          String reason,
                          boolean charged,
                          boolean refunded,
                          String serverId,
                          Integer panelServerId,
                          List<StepRecord> timeline) {
}
