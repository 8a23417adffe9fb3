package com.admintk.orchestrator.capacity;

import java.util.List;

/** A plan's port ranges as the panel's deploy reads them: {@code "25565-25624"} or a single {@code "25565"}. */
final class PortRanges {

    private PortRanges() {
    }

    /** No ranges: any port. An unreadable range matches nothing (the panel refuses it too). */
    static boolean contains(List<String> ranges, int port) {
        if (ranges == null || ranges.isEmpty()) {
            return true;
        }
        for (String range : ranges) {
            try {
                int dash = range.indexOf('-');
                if (dash < 0 ? port == Integer.parseInt(range.trim())
                        : port >= Integer.parseInt(range.substring(0, dash).trim())
                        && port <= Integer.parseInt(range.substring(dash + 1).trim())) {
                    return true;
                }
            } catch (NumberFormatException unreadable) {
                // matches nothing
            }
        }
        return false;
    }
}
