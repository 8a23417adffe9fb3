package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /api/client}: server list, power, command, resources, websocket credentials, files; plus the Wings file URLs. */
final class ClientApi {
    private static final String P = "/api/client";
    private static final int MAX_CONTENTS = 4 * 1024 * 1024;

    private enum Access { VIEW, RESOURCES, WEBSOCKET, NORMAL }

    private final PanelEngine engine;
    private final PanelHttp http;
    private final SimState st;
    private final Transformers tx;

    ClientApi(PanelEngine engine, PanelHttp http) {
        this.engine = engine;
        this.http = http;
        this.st = engine.state;
        this.tx = new Transformers(engine.state);
    }

    void register() {
        http.panel("GET", P, this::list);
        http.panel("GET", P + "/servers/{server}", c -> {
            synchronized (st) {
                SimState.Server s = server(c, Access.VIEW);
                ObjectNode out = tx.clientServer(s, c.user);
                ObjectNode meta = out.putObject("meta");
                meta.put("is_server_owner", s.userId == c.user.id);
                meta.putArray("user_permissions").add("*");
                return Reply.json(out);
            }
        });
        http.panel("GET", P + "/servers/{server}/resources", c -> {
            synchronized (st) {
                SimState.Server s = server(c, Access.RESOURCES);
                wings(s);
                return Reply.json(engine.resources(s));
            }
        });
        http.panel("POST", P + "/servers/{server}/power", c -> {
            JsonNode b = PanelHttp.bodyObject(c);
            synchronized (st) {
                SimState.Server s = server(c, Access.NORMAL);
                String signal = b.path("signal").asText(null);
                if (signal == null || signal.isEmpty()) {
                    throw PanelException.validation(List.of(new PanelException.Violation("signal", "required", "The signal field is required.")));
                }
                if (!List.of("start", "stop", "restart", "kill").contains(signal)) {
                    throw PanelException.validation(List.of(new PanelException.Violation("signal", "in", "The selected signal is invalid.")));
                }
                wings(s);
                engine.power(s, signal);
                return Reply.noContent();
            }
        });
        http.panel("POST", P + "/servers/{server}/command", c -> {
            JsonNode b = PanelHttp.bodyObject(c);
            synchronized (st) {
                SimState.Server s = server(c, Access.NORMAL);
                String cmd = b.path("command").asText(null);
                if (cmd == null || cmd.isEmpty()) {
                    throw PanelException.validation(List.of(new PanelException.Violation("command", "required", "The command field is required.")));
                }
                wings(s);
                if (!s.powerState.equals("running") && !s.powerState.equals("starting")) {
                    throw PanelException.of(502, "HttpException", "Server must be online in order to send commands.");
                }
                engine.consoleCommand(s.uuid, cmd);
                return Reply.noContent();
            }
        });
        http.panel("GET", P + "/servers/{server}/websocket", c -> {
            synchronized (st) {
                SimState.Server s = server(c, Access.WEBSOCKET);
                String token = engine.jwt.mint(s.uuid, c.user.id, c.user.uuid, engine.settings.tokenLifetime, "websocket");
                ObjectNode out = Json.object();
                ObjectNode data = out.putObject("data");
                data.put("token", token);
                data.put("socket", wsBase() + "/api/servers/" + s.uuid + "/ws");
                return Reply.json(out);
            }
        });

        http.panel("GET", P + "/servers/{server}/files/list", c -> {
            synchronized (st) {
                SimState.Server s = server(c, Access.NORMAL);
                wings(s);
                String dir = norm(c.q("directory") == null ? "/" : c.q("directory"));
                if (!dir.equals("/") && (s.files.get(dir) == null || !s.files.get(dir).dir)) throw PanelException.notFound();
                List<ObjectNode> items = new ArrayList<>();
                String prefix = dir.equals("/") ? "/" : dir + "/";
                // directories first, like Wings
                for (boolean wantDir : new boolean[]{true, false}) {
                    for (Map.Entry<String, SimState.FileNode> e : s.files.entrySet()) {
                        String p = e.getKey();
                        if (!p.startsWith(prefix) || p.length() == prefix.length()) continue;
                        String rest = p.substring(prefix.length());
                        if (rest.contains("/") || e.getValue().dir != wantDir) continue;
                        items.add(Transformers.fileObject(rest, e.getValue()));
                    }
                }
                return Reply.json(Transformers.relList(items));
            }
        });
        http.panel("GET", P + "/servers/{server}/files/contents", c -> {
            synchronized (st) {
                SimState.Server s = server(c, Access.NORMAL);
                wings(s);
                SimState.FileNode f = s.files.get(norm(required(c.q("file"), "file")));
                if (f == null) throw PanelException.notFound();
                if (f.dir) throw PanelException.of(400, "BadRequestHttpException", "Cannot perform that action: file is a directory.");
                if (f.content.length > MAX_CONTENTS) {
                    throw PanelException.of(400, "FileSizeTooLargeException", "The file you are attempting to open is too large to view in the file editor.");
                }
                return Reply.bytes(200, f.content, "text/plain");
            }
        });
        http.panel("POST", P + "/servers/{server}/files/write", c -> {
            byte[] body = c.raw();
            synchronized (st) {
                SimState.Server s = server(c, Access.NORMAL);
                wings(s);
                writeFile(s, norm(required(c.q("file"), "file")), body);
                return Reply.noContent();
            }
        });
        http.panel("POST", P + "/servers/{server}/files/delete", c -> {
            JsonNode b = PanelHttp.bodyObject(c);
            synchronized (st) {
                SimState.Server s = server(c, Access.NORMAL);
                wings(s);
                String root = b.path("root").asText("/");
                if (!b.path("files").isArray() || b.get("files").isEmpty()) {
                    throw PanelException.validation(List.of(new PanelException.Violation("files", "required", "The files field is required.")));
                }
                for (JsonNode f : b.get("files")) {
                    String p = norm(root + "/" + f.asText());
                    s.files.keySet().removeIf(k -> k.equals(p) || k.startsWith(p + "/"));
                }
                return Reply.noContent();
            }
        });
        http.panel("PUT", P + "/servers/{server}/files/rename", c -> {
            JsonNode b = PanelHttp.bodyObject(c);
            synchronized (st) {
                SimState.Server s = server(c, Access.NORMAL);
                wings(s);
                String root = b.path("root").asText("/");
                for (JsonNode f : b.path("files")) {
                    String from = norm(root + "/" + f.path("from").asText());
                    String to = norm(root + "/" + f.path("to").asText());
                    if (!s.files.containsKey(from)) throw PanelException.notFound();
                    if (s.files.containsKey(to)) {
                        throw PanelException.of(400, "DaemonConnectionException", "Cannot rename: a file or folder already exists at the destination.");
                    }
                    List<String> keys = new ArrayList<>(s.files.keySet());
                    for (String k : keys) {
                        if (k.equals(from) || k.startsWith(from + "/")) {
                            s.files.put(to + k.substring(from.length()), s.files.remove(k));
                        }
                    }
                    ensureParents(s, to);
                }
                return Reply.noContent();
            }
        });
        http.panel("POST", P + "/servers/{server}/files/create-folder", c -> {
            JsonNode b = PanelHttp.bodyObject(c);
            synchronized (st) {
                SimState.Server s = server(c, Access.NORMAL);
                wings(s);
                String p = norm(b.path("root").asText("/") + "/" + required(b.path("name").asText(null), "name"));
                ensureParents(s, p);
                s.files.putIfAbsent(p, new SimState.FileNode(true, null));
                return Reply.noContent();
            }
        });
        http.panel("GET", P + "/servers/{server}/files/upload", c -> {
            synchronized (st) {
                SimState.Server s = server(c, Access.NORMAL);
                String token = engine.jwt.mint(s.uuid, c.user.id, c.user.uuid, java.time.Duration.ofMinutes(15), "upload");
                return Reply.json(signedUrl(engine.publicUrl() + "/upload/file?token=" + token));
            }
        });
        http.panel("GET", P + "/servers/{server}/files/download", c -> {
            synchronized (st) {
                SimState.Server s = server(c, Access.NORMAL);
                String file = norm(required(c.q("file"), "file"));
                SimState.FileNode f = s.files.get(file);
                if (f == null || f.dir) throw PanelException.notFound();
                String token = engine.jwt.mint(s.uuid + "|" + file, c.user.id, c.user.uuid, java.time.Duration.ofMinutes(15), "download");
                return Reply.json(signedUrl(engine.publicUrl() + "/download/file?token=" + token));
            }
        });

        // Wings side of the signed URLs (no panel auth, no faults)
        http.wings("GET", "/download/file", c -> {
            WingsJwt.Claims claims = engine.jwt.verify(c.q("token"));
            if (claims == null || !"download".equals(claims.purpose()) || claims.expiresAt().isBefore(Instant.now())) {
                return Reply.error(PanelException.accessDenied(403));
            }
            String[] parts = claims.serverUuid().split("\\|", 2);
            synchronized (st) {
                SimState.Server s = st.findServer(parts[0]);
                SimState.FileNode f = s == null ? null : s.files.get(parts[1]);
                if (f == null || f.dir) throw PanelException.notFound();
                Reply r = Reply.bytes(200, f.content, "application/octet-stream");
                r.headers.put("Content-Disposition", "attachment; filename=\"" + parts[1].substring(parts[1].lastIndexOf('/') + 1) + "\"");
                return r;
            }
        });
        http.wings("POST", "/upload/file", c -> {
            WingsJwt.Claims claims = engine.jwt.verify(c.q("token"));
            if (claims == null || !"upload".equals(claims.purpose()) || claims.expiresAt().isBefore(Instant.now())) {
                return Reply.error(PanelException.accessDenied(403));
            }
            byte[] body = c.raw();
            String dir = c.q("directory") == null ? "/" : c.q("directory");
            String name = required(c.q("name"), "name");
            synchronized (st) {
                SimState.Server s = st.findServer(claims.serverUuid());
                if (s == null) throw PanelException.notFound();
                writeFile(s, norm(dir + "/" + name), body);
                return Reply.noContent();
            }
        });
    }

    private Reply list(PanelHttp.Ctx c) {
        synchronized (st) {
            String type = c.q("type") == null ? "" : c.q("type");
            List<SimState.Server> list = new ArrayList<>();
            for (SimState.Server s : st.servers.values()) {
                boolean owned = s.userId == c.user.id;
                boolean include = switch (type) {
                    case "admin", "admin-all" -> c.user.rootAdmin && (type.equals("admin-all") || !owned);
                    default -> owned;
                };
                if (!include) continue;
                if (!matches(c, "uuid", s.uuid) || !matches(c, "uuidShort", s.identifier) || !matches(c, "name", s.name)
                        || !matches(c, "description", s.description) || !matches(c, "external_id", s.externalId)) continue;
                list.add(s);
            }
            return Reply.json(Transformers.page(list.stream().map(s -> tx.clientServer(s, c.user)).toList(),
                    PanelHttp.page(c), PanelHttp.perPage(c, 50, 100), http.url(c)));
        }
    }

    private static boolean matches(PanelHttp.Ctx c, String filter, String value) {
        String f = c.q("filter[" + filter + "]");
        if (f == null || f.isEmpty()) return true;
        return value != null && value.toLowerCase(Locale.ROOT).contains(f.toLowerCase(Locale.ROOT));
    }

    /** AuthenticateServerAccess: 404 unknown, 409 suspended / not installed (root admins may open the websocket). */
    private SimState.Server server(PanelHttp.Ctx c, Access access) {
        SimState.Server s = st.findServer(c.p("server"));
        if (s == null) throw PanelException.notFound();
        if (!c.user.rootAdmin && s.userId != c.user.id) throw PanelException.notFound();
        if (access == Access.VIEW) return s;
        if (s.suspended()) {
            if (access == Access.RESOURCES) return s;
            throw PanelException.suspended();
        }
        if (!Transformers.isInstalled(s)) {
            if (access == Access.WEBSOCKET && c.user.rootAdmin) return s;
            throw PanelException.notInstalled();
        }
        return s;
    }

    private void wings(SimState.Server s) {
        if (engine.faults.isNodeDead(s.nodeId)) throw PanelException.daemonUnreachable();
    }

    private String wsBase() {
        String base = engine.publicUrl();
        if (base.startsWith("https://")) return "wss://" + base.substring(8);
        if (base.startsWith("http://")) return "ws://" + base.substring(7);
        return base;
    }

    private static ObjectNode signedUrl(String url) {
        ObjectNode a = Json.object();
        a.put("url", url);
        return Transformers.item("signed_url", a);
    }

    private static String required(String v, String field) {
        if (v == null || v.isEmpty()) {
            throw PanelException.validation(List.of(new PanelException.Violation(field, "required", "The " + field + " field is required.")));
        }
        return v;
    }

    /** Normalises to "/a/b"; rejects paths escaping the server root. */
    static String norm(String p) {
        List<String> parts = new ArrayList<>();
        for (String x : p.replace('\\', '/').split("/")) {
            if (x.isEmpty() || x.equals(".")) continue;
            if (x.equals("..")) {
                if (parts.isEmpty()) throw PanelException.of(400, "BadRequestHttpException", "The requested path is outside the server root.");
                parts.remove(parts.size() - 1);
                continue;
            }
            parts.add(x);
        }
        return "/" + String.join("/", parts);
    }

    private static void ensureParents(SimState.Server s, String path) {
        int idx = path.indexOf('/', 1);
        while (idx > 0) {
            s.files.putIfAbsent(path.substring(0, idx), new SimState.FileNode(true, null));
            idx = path.indexOf('/', idx + 1);
        }
    }

    private static void writeFile(SimState.Server s, String path, byte[] content) {
        if (path.equals("/")) throw PanelException.of(400, "BadRequestHttpException", "Cannot write to the server root.");
        SimState.FileNode existing = s.files.get(path);
        if (existing != null && existing.dir) throw PanelException.of(400, "BadRequestHttpException", "Cannot perform that action: file is a directory.");
        ensureParents(s, path);
        if (existing != null) {
            existing.content = content;
            existing.modified = Instant.now();
        } else {
            s.files.put(path, new SimState.FileNode(false, content));
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
