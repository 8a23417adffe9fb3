package com.admintk.orchestrator.live;

import com.admintk.orchestrator.pterodactyl.PanelClient;
import com.admintk.orchestrator.pterodactyl.PanelException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which panel answers count against the panel (the breaker's failures) and what the API makes of them. */
class LivePanelTest {

    /** The {@code errors[]} of {@code shared/pterodactyl/fixtures/error_*.json} (code, status, detail), by file name. */
    private static final Map<String, String> FIXTURES = Map.of(
            "error_404_not_found.json", error("NotFoundHttpException", 404,
                    "The requested resource could not be found on the server."),
            "error_409_server_state_conflict.json", error("ServerStateConflictException", 409,
                    "This server has not yet completed its installation process, please try again later."),
            "error_409_suspended.json", error("ServerStateConflictException", 409,
                    "This server is currently suspended and the functionality requested is unavailable."),
            "error_422_egg_variable.json", error("ValidationException", 422,
                    "The Server Jar File variable field is required."),
            "error_429_rate_limited.json", error("ThrottleRequestsException", 429, "Too Many Attempts."),
            "error_502_command_server_offline.json", error("HttpException", 502,
                    "Server must be online in order to send commands."),
            "error_504_daemon_unreachable.json", error("DaemonConnectionException", 504,
                    "Could not establish a connection to the machine running this server. Please try again."));

    @Test
    void onlyUnavailabilityCountsAgainstThePanel() {
        assertTrue(LivePanel.panelUnavailable(PanelClient.toException(500, "", null)));
        assertTrue(LivePanel.panelUnavailable(PanelClient.toException(504, fixture("error_504_daemon_unreachable.json"), null)));
        assertTrue(LivePanel.panelUnavailable(PanelClient.toException(429, fixture("error_429_rate_limited.json"), "20")));
        assertTrue(LivePanel.panelUnavailable(new PanelException.Unavailable("timed out",
                PanelException.Unavailable.Reason.TIMEOUT, 0, List.of(), null, null)));

        assertFalse(LivePanel.panelUnavailable(PanelClient.toException(404, fixture("error_404_not_found.json"), null)));
        assertFalse(LivePanel.panelUnavailable(PanelClient.toException(409, fixture("error_409_server_state_conflict.json"), null)));
        assertFalse(LivePanel.panelUnavailable(PanelClient.toException(422, fixture("error_422_egg_variable.json"), null)));
        assertFalse(LivePanel.panelUnavailable(PanelClient.toException(502, fixture("error_502_command_server_offline.json"), null)),
                "a stopped game server is not a failing panel");
        PanelException.Unavailable bucketEmpty = new PanelException.Unavailable("not sent",
                PanelException.Unavailable.Reason.RATE_LIMITED, 0, List.of(), Duration.ofMillis(300), null);
        assertFalse(LivePanel.panelUnavailable(bucketEmpty), "our own rate limit sent nothing");
        assertTrue(LivePanel.notSent(bucketEmpty));
    }

    @Test
    void thePanelsConflictsBecomeTheServersState() {
        assertEquals("SERVER_INSTALLING", LiveServerService.answer(PanelClient.toException(409,
                fixture("error_409_server_state_conflict.json"), null), false).code());
        assertEquals("SERVER_SUSPENDED", LiveServerService.answer(PanelClient.toException(409,
                fixture("error_409_suspended.json"), null), false).code());
        assertEquals("SERVER_OFFLINE", LiveServerService.answer(PanelClient.toException(502,
                fixture("error_502_command_server_offline.json"), null), false).code());
        assertEquals("FILE_NOT_FOUND", LiveServerService.answer(PanelClient.toException(404,
                fixture("error_404_not_found.json"), null), true).code());
        assertEquals("PANEL_BUSY", LiveServerService.answer(PanelClient.toException(429,
                fixture("error_429_rate_limited.json"), "20"), false).code());
        assertEquals("20", LiveServerService.answer(PanelClient.toException(429,
                fixture("error_429_rate_limited.json"), "20"), false).headers().get("Retry-After"));
        assertEquals(502, LiveServerService.answer(PanelClient.toException(504,
                fixture("error_504_daemon_unreachable.json"), null), false).status().getCode());
    }

    private static String fixture(String name) {
        return FIXTURES.get(name);
    }

    private static String error(String code, int status, String detail) {
        return "{\"errors\":[{\"code\":\"" + code + "\",\"status\":\"" + status + "\",\"detail\":\"" + detail + "\"}]}";
    }
}
