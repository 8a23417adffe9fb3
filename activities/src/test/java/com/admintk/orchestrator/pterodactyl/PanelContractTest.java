package com.admintk.orchestrator.pterodactyl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fixture of {@code shared/pterodactyl/fixtures} goes through the client's parsers, request records or error
 * mapping, with assertions on the fields. A fixture nobody asserts on fails {@link #everyFixtureIsCovered()}.
 */
class PanelContractTest {

    private final Map<String, Consumer<String>> contract = new LinkedHashMap<>();

    /**
     * Fixtures of calls the client does not make (yet): their parsers and request records went with the dead code.
     * The issue that needs one of these calls brings its contract back here.
     */
    private static final List<String> NOT_CALLED = List.of("app_server_build_update_request.json",
            "app_server_startup_update_request.json", "app_server_details_update_request.json",
            "client_server_list_200.json", "client_files_list_200.json", "client_files_upload_url_200.json",
            "client_files_download_url_200.json", "client_command_request.json", "client_files_delete_request.json",
            "client_files_rename_request.json");

    PanelContractTest() {
        // ---- application API responses
        contract.put("app_server_create_response_201.json", body -> {
            Panel.Server s = PanelJson.item(body, Panel.Server.class);
            assertEquals(57, s.id());
            assertEquals("order-7f3c2a91-line-1", s.externalId());
            assertEquals("1a7ce997", s.identifier());
            assertEquals("installing", s.status());
            assertTrue(s.installing());
            assertFalse(s.suspended());
            assertEquals(4096, s.limits().memory());
            assertTrue(s.limits().oomDisabled());
            assertNull(s.limits().threads());
            assertEquals(3, s.featureLimits().backups());
            assertEquals(12, s.user());
            assertEquals(2, s.node());
            assertEquals(1042, s.allocation());
            assertEquals(0, s.container().installed());
            assertEquals("server.jar", s.container().environment().get("SERVER_JARFILE"));
            PanelServerRef ref = PterodactylActivitiesImpl.toRef(s);
            assertTrue(ref.installing());
            assertEquals("1a7ce997-259b-452e-8b4e-cecc464142ca", ref.uuid());
        });
        contract.put("app_server_get_installed_200.json", body -> {
            Panel.Server s = PanelJson.item(body, Panel.Server.class);
            assertNull(s.status());
            assertEquals(1, s.container().installed());
            assertTrue(PterodactylActivitiesImpl.toRef(s).installed());
        });
        contract.put("app_server_get_install_failed_200.json", body -> {
            Panel.Server s = PanelJson.item(body, Panel.Server.class);
            assertEquals("install_failed", s.status());
            assertTrue(PterodactylActivitiesImpl.toRef(s).installFailed());
        });
        contract.put("app_server_get_suspended_200.json", body -> {
            Panel.Server s = PanelJson.item(body, Panel.Server.class);
            assertEquals("suspended", s.status());
            assertTrue(s.suspended());
            assertTrue(PterodactylActivitiesImpl.toRef(s).suspended());
        });
        contract.put("app_server_get_by_external_id_200.json", body -> {
            Panel.Server s = PanelJson.item(body, Panel.Server.class);
            assertEquals("order-7f3c2a91-line-1", s.externalId());
            assertEquals(57, s.id());
        });
        contract.put("app_server_list_filter_external_id_200.json", body -> {
            Panel.Page<Panel.Server> page = PanelJson.page(body, Panel.Server.class);
            assertEquals(1, page.data().size());
            assertEquals("order-7f3c2a91-line-1", page.data().get(0).externalId());
            assertPagination(page.pagination(), 1, 50, 1, 1);
            assertFalse(page.hasNext());
        });
        contract.put("app_user_create_response_201.json", body -> {
            Panel.User u = PanelJson.item(body, Panel.User.class);
            assertEquals(12, u.id());
            assertEquals("cust_8842", u.externalId());
            assertEquals("steve@example.com", u.email());
            assertEquals("steve8842", u.username());
            assertFalse(u.rootAdmin());
        });
        contract.put("app_user_get_by_external_id_200.json", body -> {
            Panel.User u = PanelJson.item(body, Panel.User.class);
            assertEquals("cust_8842", u.externalId());
            assertEquals("Minecraft", u.lastName());
        });
        contract.put("app_user_list_filter_email_200.json", body -> {
            Panel.Page<Panel.User> page = PanelJson.page(body, Panel.User.class);
            assertEquals("steve@example.com", page.data().get(0).email());
            assertPagination(page.pagination(), 1, 50, 1, 1);
        });
        contract.put("app_node_get_200.json", body -> {
            Panel.Node n = PanelJson.item(body, Panel.Node.class);
            assertEquals(2, n.id());
            assertEquals("fra02.nodes.example.com", n.fqdn());
            assertEquals(1, n.locationId());
            assertFalse(n.maintenanceMode());
            assertEquals(65536, n.memory());
            assertEquals(40960, n.allocatedResources().memory());
            assertEquals(512000, n.allocatedResources().disk());
            assertEquals(8080, n.daemonListen());
        });
        contract.put("app_node_allocations_unassigned_200.json", body -> {
            Panel.Page<Panel.Allocation> page = PanelJson.page(body, Panel.Allocation.class);
            assertEquals(List.of(1042, 1043), page.data().stream().map(Panel.Allocation::id).toList());
            assertEquals(25565, page.data().get(0).port());
            assertEquals("fra02.play.example.com", page.data().get(0).alias());
            assertFalse(page.data().get(0).assigned());
            assertPagination(page.pagination(), 2, 50, 1, 1);
        });
        contract.put("app_location_list_200.json", body -> {
            Panel.Page<Panel.Location> page = PanelJson.page(body, Panel.Location.class);
            assertEquals("eu-fra", page.data().get(0).shortCode());
            assertEquals("Frankfurt, DE", page.data().get(0).longName());
            assertPagination(page.pagination(), 1, 50, 1, 1);
        });
        contract.put("app_egg_get_include_variables_200.json", body -> {
            Panel.Egg egg = PanelJson.item(body, Panel.Egg.class);
            assertEquals(3, egg.id());
            assertEquals(1, egg.nest());
            assertEquals("ghcr.io/pterodactyl/yolks:java_21", egg.dockerImage());
            assertEquals("ghcr.io/pterodactyl/yolks:java_17", egg.dockerImages().get("Java 17"));
            assertEquals(List.of("MINECRAFT_VERSION", "SERVER_JARFILE", "DL_PATH", "BUILD_NUMBER"),
                    egg.variables().stream().map(Panel.EggVariable::envVariable).toList());
            assertEquals(List.of("SERVER_JARFILE", "BUILD_NUMBER"), egg.variables().stream()
                    .filter(Panel.EggVariable::required).map(Panel.EggVariable::envVariable).toList());
            Panel.EggVariable dl = egg.variables().get(2);
            assertEquals("", dl.defaultValue());
            assertFalse(dl.userViewable());
            assertEquals("nullable|string", dl.rules());
        });
        // ---- application API requests: our records write exactly these bodies
        contract.put("app_server_create_request_allocation.json", body -> {
            Panel.NewServer s = assertRoundTrip(body, Panel.NewServer.class);
            assertEquals(1042, s.allocation().defaultAllocation());
            assertEquals(List.of(1043), s.allocation().additional());
            assertTrue(s.oomDisabled());
            assertNull(s.deploy());
        });
        contract.put("app_server_create_request_deploy.json", body -> {
            Panel.NewServer s = assertRoundTrip(body, Panel.NewServer.class);
            assertEquals(List.of(1, 2), s.deploy().locations());
            assertEquals(List.of("28015", "28100-28200"), s.deploy().portRange());
            assertNull(s.allocation());
        });
        contract.put("app_user_create_request.json", body -> {
            Panel.NewUser u = assertRoundTrip(body, Panel.NewUser.class);
            assertEquals("cust_8842", u.externalId());
        });
        // ---- client API
        contract.put("client_resources_200.json", body -> {
            Panel.Resources r = PanelJson.item(body, Panel.Resources.class);
            assertEquals("running", r.currentState());
            assertFalse(r.isSuspended());
            assertEquals(2147483648L, r.resources().memoryBytes());
            assertEquals(37.52, r.resources().cpuAbsolute());
            assertEquals(5871240L, r.resources().uptime());
            assertEquals(337600L, r.resources().networkTxBytes());
        });
        contract.put("client_websocket_200.json", body -> {
            Panel.WebsocketCredentials c = PanelJson.websocket(body);
            assertTrue(c.token().startsWith("eyJ0eXAi"));
            assertEquals("wss://fra02.nodes.example.com:8080/api/servers/1a7ce997-259b-452e-8b4e-cecc464142ca/ws",
                    c.socket());
        });
        contract.put("client_power_request.json", body -> assertSameJson(body,
                PanelJson.write(Map.of("signal", Panel.PowerSignal.restart.name()))));
        // ---- errors
        contract.put("error_422_external_id_taken.json", body -> {
            PanelException e = PanelClient.toException(422, body, null);
            assertInstanceOf(PanelException.AlreadyExists.class, e);
            assertEquals("external_id", e.errors().get(0).sourceField());
            assertEquals("unique", e.errors().get(0).rule());
        });
        contract.put("error_422_egg_variable.json", body -> {
            var e = assertInstanceOf(PanelException.Validation.class, PanelClient.toException(422, body, null));
            assertEquals(List.of("environment.SERVER_JARFILE:required", "environment.BUILD_NUMBER:required"),
                    e.violations());
            ApplicationFailure f = PterodactylActivitiesImpl.toFailure(e);
            assertEquals(PanelFailures.VALIDATION, f.getType());
            assertFalse(f.isNonRetryable(), "the step's retry options decide");
            assertFalse(PterodactylActivitiesImpl.allocationTaken(e), "a bad variable is no capacity problem");
            assertTrue(PanelFailures.FINAL_FOR_FORWARD_STEPS.contains(f.getType()));
        });
        contract.put("error_422_allocation_taken.json", body -> {
            var e = assertInstanceOf(PanelException.Validation.class, PanelClient.toException(422, body, null));
            assertEquals(List.of("allocation.default:exists"), e.violations());
            // The reserved room was taken outside the orchestrator: the create reads it as no room.
            assertTrue(PterodactylActivitiesImpl.allocationTaken(e));
        });
        contract.put("error_400_no_viable_node.json", body -> assertFailure(
                PanelClient.toException(400, body, null), PanelException.NoCapacity.class,
                PanelFailures.NO_CAPACITY, true));
        contract.put("error_400_no_viable_allocation.json", body -> assertFailure(
                PanelClient.toException(400, body, null), PanelException.NoCapacity.class,
                PanelFailures.NO_CAPACITY, true));
        contract.put("error_403_access_denied.json", body -> assertFailure(
                PanelClient.toException(403, body, null), PanelException.AccessDenied.class,
                PanelFailures.ACCESS_DENIED, true));
        contract.put("error_404_not_found.json", body -> assertFailure(
                PanelClient.toException(404, body, null), PanelException.NotFound.class,
                PanelFailures.NOT_FOUND, true));
        contract.put("error_409_server_state_conflict.json", body -> assertFailure(
                PanelClient.toException(409, body, null), PanelException.Conflict.class,
                PanelFailures.STATE_CONFLICT, false));
        contract.put("error_409_suspended.json", body -> {
            PanelException e = PanelClient.toException(409, body, null);
            assertTrue(e.errors().get(0).detail().contains("suspended"));
            assertFailure(e, PanelException.Conflict.class, PanelFailures.STATE_CONFLICT, false);
        });
        contract.put("error_429_rate_limited.json", body -> {
            var e = assertInstanceOf(PanelException.Unavailable.class, PanelClient.toException(429, body, "7"));
            assertEquals(PanelException.Unavailable.Reason.RATE_LIMITED, e.reason());
            assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
            assertEquals("ThrottleRequestsException", e.errors().get(0).code());
            ApplicationFailure f = PterodactylActivitiesImpl.toFailure(e);
            assertEquals(PanelFailures.UNAVAILABLE, f.getType());
            assertFalse(f.isNonRetryable());
            assertEquals(Duration.ofSeconds(7), f.getNextRetryDelay());
        });
        contract.put("error_502_command_server_offline.json", body -> {
            var e = assertInstanceOf(PanelException.Unavailable.class, PanelClient.toException(502, body, null));
            assertEquals(PanelException.Unavailable.Reason.SERVER_ERROR, e.reason());
            assertTrue(e.daemonError());
            assertFailure(e, PanelException.Unavailable.class, PanelFailures.UNAVAILABLE, false);
        });
        contract.put("error_504_daemon_unreachable.json", body -> {
            var e = assertInstanceOf(PanelException.Unavailable.class, PanelClient.toException(504, body, null));
            assertTrue(e.daemonError());
            assertEquals("DaemonConnectionException", e.errors().get(0).code());
        });
        // ---- Wings
        contract.put("wings_ws_frames.json", body -> {
            JsonNode frames = PanelJson.tree(body);
            assertInstanceOf(WingsEvent.AuthSuccess.class, decode(frames, "s2c_auth_success"));
            assertEquals(new WingsEvent.Status("running"), decode(frames, "s2c_status"));
            var stats = assertInstanceOf(WingsEvent.Stats.class, decode(frames, "s2c_stats")).stats();
            assertEquals(PanelJson.read(Fixtures.read("wings_ws_stats_payload_decoded.json"),
                    WingsEvent.WingsStats.class), stats);
            assertTrue(decode(frames, "s2c_console_output") instanceof WingsEvent.ConsoleOutput c
                    && c.line().contains("Done (7.412s)!"));
            assertInstanceOf(WingsEvent.InstallStarted.class, decode(frames, "s2c_install_started"));
            assertEquals(new WingsEvent.InstallOutput("Downloading paper-1.21.1-119.jar"),
                    decode(frames, "s2c_install_output"));
            assertInstanceOf(WingsEvent.InstallCompleted.class, decode(frames, "s2c_install_completed"));
            assertInstanceOf(WingsEvent.DaemonMessage.class, decode(frames, "s2c_daemon_message"));
            assertInstanceOf(WingsEvent.TokenExpiring.class, decode(frames, "s2c_token_expiring"));
            assertInstanceOf(WingsEvent.TokenExpired.class, decode(frames, "s2c_token_expired"));
            assertInstanceOf(WingsEvent.JwtError.class, decode(frames, "s2c_jwt_error"));
            assertInstanceOf(WingsEvent.DaemonError.class, decode(frames, "s2c_daemon_error"));
            var backup = assertInstanceOf(WingsEvent.Other.class, decode(frames, "s2c_backup_completed"));
            assertTrue(backup.event().startsWith("backup completed:"));
            // what we send
            assertSameJson(frames.get("c2s_send_command").toString(), WingsEvent.frame("send command", "say hello"));
            assertSameJson(frames.get("c2s_set_state").toString(), WingsEvent.frame("set state", "restart"));
            assertSameJson(frames.get("c2s_send_logs").toString(), WingsEvent.frame("send logs", null));
            assertSameJson(frames.get("c2s_send_stats").toString(), WingsEvent.frame("send stats", null));
            assertEquals("auth", PanelJson.tree(WingsEvent.frame("auth", "t")).get("event").asText());
        });
        contract.put("wings_ws_stats_payload_decoded.json", body -> {
            WingsEvent.WingsStats s = PanelJson.read(body, WingsEvent.WingsStats.class);
            assertEquals(4617089843L, s.memoryLimitBytes());
            assertEquals(694220L, s.network().rxBytes());
            assertEquals("running", s.state());
            assertEquals(1288490188L, s.diskBytes());
        });
    }

    @Test
    void everyFixtureIsCovered() {
        List<String> uncovered = Fixtures.jsonNames().stream()
                .filter(n -> !contract.containsKey(n) && !NOT_CALLED.contains(n)).toList();
        assertEquals(List.of(), uncovered, "fixtures in " + Fixtures.source() + " with no contract assertion");
    }

    @Test
    void everyFixtureParsesWithTheExpectedFields() {
        for (Map.Entry<String, Consumer<String>> each : contract.entrySet()) {
            try {
                each.getValue().accept(Fixtures.read(each.getKey()));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(each.getKey() + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrHttpDateAndDefaultsWhenMissing() {
        assertEquals(Duration.ofSeconds(30), PanelClient.parseRetryAfter("30"));
        assertNull(PanelClient.parseRetryAfter(null));
        Duration date = PanelClient.parseRetryAfter(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(20)));
        assertTrue(date.toSeconds() >= 18 && date.toSeconds() <= 20, date.toString());
        var noHeader = (PanelException.Unavailable) PanelClient.toException(429,
                Fixtures.read("error_429_rate_limited.json"), null);
        assertEquals(Duration.ofSeconds(1), noHeader.retryAfter().orElseThrow());
    }

    @Test
    void otherFailuresMapToRetryableOrRejected() {
        var e500 = assertInstanceOf(PanelException.Unavailable.class, PanelClient.toException(500, "oops", null));
        assertFalse(e500.daemonError());
        assertFalse(PanelFailures.FINAL_FOR_FORWARD_STEPS.contains(PterodactylActivitiesImpl.toFailure(e500).getType()));
        var display = PanelClient.toException(400,
                "{\"errors\":[{\"code\":\"DisplayException\",\"status\":\"400\",\"detail\":\"x\"}]}", null);
        assertFailure(display, PanelException.Rejected.class, PanelFailures.VALIDATION, true);
        assertFailure(PanelClient.toException(401, "", null), PanelException.AccessDenied.class,
                PanelFailures.ACCESS_DENIED, true);
    }

    private static WingsEvent decode(JsonNode frames, String name) {
        return WingsEvent.decode(frames.get(name).toString());
    }

    private static void assertPagination(Panel.Pagination p, int total, int perPage, int current, int pages) {
        assertEquals(total, p.total());
        assertEquals(perPage, p.perPage());
        assertEquals(current, p.currentPage());
        assertEquals(pages, p.totalPages());
    }

    /** {@code finalForward}: the forward steps give up on it at once (compensations retry it regardless). */
    private static void assertFailure(PanelException e, Class<? extends PanelException> type, String failureType,
                                      boolean finalForward) {
        assertInstanceOf(type, e);
        ApplicationFailure f = PterodactylActivitiesImpl.toFailure(e);
        assertEquals(failureType, f.getType());
        assertFalse(f.isNonRetryable(), "activities never decide retryability; the step's retry options do");
        assertEquals(finalForward, PanelFailures.FINAL_FOR_FORWARD_STEPS.contains(f.getType()));
    }

    /** Reads the fixture into {@code type}, writes it back, and expects the same JSON (nulls aside). */
    private static <T> T assertRoundTrip(String fixture, Class<T> type) {
        T value = PanelJson.read(fixture, type);
        assertSameJson(fixture, PanelJson.write(value));
        return value;
    }

    private static void assertSameJson(String expected, String actual) {
        assertEquals(withoutNulls(PanelJson.tree(expected)), withoutNulls(PanelJson.tree(actual)));
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    fields.remove();
                } else {
                    withoutNulls(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(PanelContractTest::withoutNulls);
        }
        return node;
    }
}
