package com.admintk.orchestrator.order;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Deadlines of the provisioning saga ({@code orchestrator.orders.*}).
 *
 * @param installDeadline   how long to wait for the panel to finish installing before compensating
 * @param installPollInitial first poll interval while installing (doubles up to {@code installPollMax})
 * @param cardPaymentDeadline how long a card checkout waits for the payment webhook
 * @param maxCapacityWait   the longest {@code waitForCapacity.maxWait} a checkout may ask for
 */
@ConfigurationProperties("orchestrator.orders")
public record OrderSettings(@Bindable(defaultValue = "15m") Duration installDeadline,
                            @Bindable(defaultValue = "5s") Duration installPollInitial,
                            @Bindable(defaultValue = "60s") Duration installPollMax,
                            @Bindable(defaultValue = "30m") Duration cardPaymentDeadline,
                            @Bindable(defaultValue = "7d") Duration maxCapacityWait) {

    OrderOptions toOptions() {
        return new OrderOptions(installDeadline.toSeconds(), Math.max(1, installPollInitial.toSeconds()),
                Math.max(1, installPollMax.toSeconds()), cardPaymentDeadline.toSeconds());
    }
}
