package com.admintk.orchestrator.server;

/**
 * A server that stayed above its plan's CPU or memory alert level. {@code resource} is {@code cpu} or
 * {@code memory}; {@code percent} the use at the time of the alert and {@code thresholdPercent} the alert level, both
 * in percent of the plan's limit; {@code sinceMillis} when the episode began (it names the alert, so one episode is
 * one alert); {@code aboveSeconds} how long the server had to stay above before the alert.
 */
public record ServerResourceAlert(String serverId,
                                  String customerId,
                                  String customerEmail,
                                  String serverName,
                                  String resource,
                                  double percent,
                                  int thresholdPercent,
                                  long sinceMillis,
                                  long aboveSeconds) {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
}
