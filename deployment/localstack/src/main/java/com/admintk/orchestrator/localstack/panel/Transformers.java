package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the panel's JSON shapes (Fractal transformers + PterodactylSerializer envelopes). Call under the state lock. */
final class Transformers {
    private final SimState st;

    Transformers(SimState st) {
        this.st = st;
    }

    static ObjectNode item(String object, ObjectNode attributes) {
        ObjectNode n = Json.object();
        n.put("object", object);
        n.set("attributes", attributes);
        return n;
    }

    /** A relationship list (no meta), as the panel renders includes. */
    static ObjectNode relList(List<ObjectNode> items) {
        ObjectNode n = Json.object();
        n.put("object", "list");
        ArrayNode data = n.putArray("data");
        items.forEach(data::add);
        return n;
    }

    /** A paginated top-level list. */
    static ObjectNode page(List<ObjectNode> all, int page, int perPage, String url) {
        int total = all.size();
        int totalPages = Math.max(1, (int) Math.ceil(total / (double) perPage));
        int from = Math.min(total, (page - 1) * perPage);
        int to = Math.min(total, from + perPage);
        List<ObjectNode> slice = all.subList(from, to);
        ObjectNode n = relList(slice);
        ObjectNode p = n.putObject("meta").putObject("pagination");
        p.put("total", total);
        p.put("count", slice.size());
        p.put("per_page", perPage);
        p.put("current_page", page);
        p.put("total_pages", totalPages);
        if (page < totalPages || page > 1) {
            ObjectNode links = p.putObject("links");
            String sep = url.contains("?") ? "&" : "?";
            if (page > 1) links.put("previous", url + sep + "page=" + (page - 1));
            if (page < totalPages) links.put("next", url + sep + "page=" + (page + 1));
        } else {
            p.putArray("links");
        }
        return n;
    }

    // ---------------------------------------------------------------- application API

    ObjectNode location(SimState.Location l) {
        ObjectNode a = Json.object();
        a.put("id", l.id);
        a.put("short", l.shortCode);
        a.put("long", l.longName);
        a.put("updated_at", Json.time(l.updated));
        a.put("created_at", Json.time(l.created));
        return item("location", a);
    }

    ObjectNode node(SimState.Node n) {
        ObjectNode a = Json.object();
        a.put("id", n.id);
        a.put("uuid", n.uuid);
        a.put("public", n.isPublic);
        a.put("name", n.name);
        if (n.description == null) a.putNull("description"); else a.put("description", n.description);
        a.put("location_id", n.locationId);
        a.put("fqdn", n.fqdn);
        a.put("scheme", "https");
        a.put("behind_proxy", false);
        a.put("maintenance_mode", n.maintenance);
        a.put("memory", n.memory);
        a.put("memory_overallocate", n.memoryOverallocate);
        a.put("disk", n.disk);
        a.put("disk_overallocate", n.diskOverallocate);
        a.put("upload_size", 100);
        a.put("daemon_listen", 8080);
        a.put("daemon_sftp", 2022);
        a.put("daemon_base", "/var/lib/pterodactyl/volumes");
        a.put("created_at", Json.time(n.created));
        a.put("updated_at", Json.time(n.updated));
        ObjectNode res = a.putObject("allocated_resources");
        res.put("memory", allocatedMemory(n.id));
        res.put("disk", allocatedDisk(n.id));
        return item("node", a);
    }

    int allocatedMemory(int nodeId) {
        return st.serversOnNode(nodeId).stream().mapToInt(s -> s.memory).sum();
    }

    int allocatedDisk(int nodeId) {
        return st.serversOnNode(nodeId).stream().mapToInt(s -> s.disk).sum();
    }

    ObjectNode allocation(SimState.Allocation al) {
        ObjectNode a = Json.object();
        a.put("id", al.id);
        a.put("ip", al.ip);
        if (al.alias == null) a.putNull("alias"); else a.put("alias", al.alias);
        a.put("port", al.port);
        if (al.notes == null) a.putNull("notes"); else a.put("notes", al.notes);
        a.put("assigned", al.serverId != null);
        return item("allocation", a);
    }

    ObjectNode user(SimState.User u) {
        ObjectNode a = Json.object();
        a.put("id", u.id);
        if (u.externalId == null) a.putNull("external_id"); else a.put("external_id", u.externalId);
        a.put("uuid", u.uuid);
        a.put("username", u.username);
        a.put("email", u.email);
        a.put("first_name", u.firstName);
        a.put("last_name", u.lastName);
        a.put("language", u.language);
        a.put("root_admin", u.rootAdmin);
        a.put("2fa", false);
        a.put("created_at", Json.time(u.created));
        a.put("updated_at", Json.time(u.updated));
        return item("user", a);
    }

    ObjectNode nest(SimState.Nest n) {
        ObjectNode a = Json.object();
        a.put("id", n.id);
        a.put("uuid", n.uuid);
        a.put("author", n.author);
        a.put("name", n.name);
        a.put("description", n.description);
        a.put("created_at", Json.time(n.created));
        a.put("updated_at", Json.time(n.updated));
        return item("nest", a);
    }

    ObjectNode egg(SimState.Egg e, Set<String> includes) {
        ObjectNode a = Json.object();
        a.put("id", e.id);
        a.put("uuid", e.uuid);
        a.put("name", e.name);
        a.put("nest", e.nestId);
        a.put("author", e.author);
        a.put("description", e.description);
        a.put("docker_image", e.dockerImage);
        ObjectNode imgs = a.putObject("docker_images");
        e.dockerImages.forEach(imgs::put);
        ObjectNode config = a.putObject("config");
        ObjectNode files = config.putObject("files");
        if (e.id == 3) {
            ObjectNode props = files.putObject("server.properties");
            props.put("parser", "properties");
            ObjectNode find = props.putObject("find");
            find.put("server-ip", "0.0.0.0");
            find.put("server-port", "{{server.build.default.port}}");
            find.put("query.port", "{{server.build.default.port}}");
        }
        config.putObject("startup").put("done", e.doneText);
        config.put("stop", e.stopCommand);
        config.putObject("logs");
        config.putArray("file_denylist");
        config.putNull("extends");
        a.put("startup", e.startup);
        ObjectNode script = a.putObject("script");
        script.put("privileged", true);
        script.put("install", "#!/bin/ash\n# " + e.name + " Installation Script\n...");
        script.put("entry", "ash");
        script.put("container", "ghcr.io/pterodactyl/installers:alpine");
        script.putNull("extends");
        a.put("created_at", Json.time(e.created));
        a.put("updated_at", Json.time(e.updated));
        if (!includes.isEmpty()) {
            ObjectNode rel = a.putObject("relationships");
            if (includes.contains("variables")) {
                rel.set("variables", relList(e.variables.stream().map(this::eggVariable).toList()));
            }
            if (includes.contains("nest")) rel.set("nest", nest(st.nests.get(e.nestId)));
            if (includes.contains("servers")) {
                rel.set("servers", relList(st.servers.values().stream().filter(s -> s.eggId == e.id)
                        .map(s -> server(s, Set.of())).toList()));
            }
        }
        return item("egg", a);
    }

    ObjectNode eggVariable(SimState.EggVar v) {
        ObjectNode a = Json.object();
        a.put("id", v.id);
        a.put("egg_id", v.eggId);
        a.put("name", v.name);
        a.put("description", v.description);
        a.put("env_variable", v.env);
        a.put("default_value", v.defaultValue);
        a.put("user_viewable", v.userViewable);
        a.put("user_editable", v.userEditable);
        a.put("rules", v.rules);
        a.put("created_at", Json.microsTime(Seed.SEEDED_AT));
        a.put("updated_at", Json.microsTime(Seed.SEEDED_AT));
        return item("egg_variable", a);
    }

    /** The server's environment: egg variables (server value or default), then the panel's own keys. */
    ObjectNode environment(SimState.Server s) {
        ObjectNode env = Json.object();
        SimState.Egg egg = st.eggs.get(s.eggId);
        if (egg != null) {
            for (SimState.EggVar v : egg.variables) env.put(v.env, s.env.getOrDefault(v.env, v.defaultValue));
        }
        env.put("STARTUP", s.startup);
        SimState.Node n = st.nodes.get(s.nodeId);
        SimState.Location l = n == null ? null : st.locations.get(n.locationId);
        env.put("P_SERVER_LOCATION", l == null ? "" : l.shortCode);
        env.put("P_SERVER_UUID", s.uuid);
        if (s.allocationsLimit == null) env.putNull("P_SERVER_ALLOCATION_LIMIT");
        else env.put("P_SERVER_ALLOCATION_LIMIT", s.allocationsLimit);
        return env;
    }

    static boolean isInstalled(SimState.Server s) {
        return !"installing".equals(s.status) && !"install_failed".equals(s.status);
    }

    ObjectNode server(SimState.Server s, Set<String> includes) {
        ObjectNode a = Json.object();
        a.put("id", s.id);
        if (s.externalId == null) a.putNull("external_id"); else a.put("external_id", s.externalId);
        a.put("uuid", s.uuid);
        a.put("identifier", s.identifier);
        a.put("name", s.name);
        a.put("description", s.description);
        if (s.status == null) a.putNull("status"); else a.put("status", s.status);
        a.put("suspended", s.suspended());
        a.set("limits", limits(s));
        a.set("feature_limits", featureLimits(s));
        a.put("user", s.userId);
        a.put("node", s.nodeId);
        a.put("allocation", s.allocationId);
        a.put("nest", s.nestId);
        a.put("egg", s.eggId);
        ObjectNode c = a.putObject("container");
        c.put("startup_command", s.startup);
        c.put("image", s.image);
        c.put("installed", isInstalled(s) ? 1 : 0);
        c.set("environment", environment(s));
        a.put("updated_at", Json.time(s.updated));
        a.put("created_at", Json.time(s.created));
        if (!includes.isEmpty()) {
            ObjectNode rel = a.putObject("relationships");
            for (String inc : includes) {
                switch (inc) {
                    case "allocations" -> rel.set("allocations", relList(st.allocationsOf(s).stream().map(this::allocation).toList()));
                    case "user" -> rel.set("user", user(st.users.get(s.userId)));
                    case "subusers" -> rel.set("subusers", relList(List.of()));
                    case "nest" -> rel.set("nest", nest(st.nests.get(s.nestId)));
                    case "egg" -> rel.set("egg", egg(st.eggs.get(s.eggId), Set.of()));
                    case "variables" -> rel.set("variables", relList(serverVariables(s)));
                    case "location" -> {
                        SimState.Node n = st.nodes.get(s.nodeId);
                        rel.set("location", location(st.locations.get(n.locationId)));
                    }
                    case "node" -> rel.set("node", node(st.nodes.get(s.nodeId)));
                    case "databases" -> rel.set("databases", relList(List.of()));
                    default -> { }
                }
            }
        }
        return item("server", a);
    }

    private List<ObjectNode> serverVariables(SimState.Server s) {
        SimState.Egg egg = st.eggs.get(s.eggId);
        return egg.variables.stream().map(v -> {
            ObjectNode n = eggVariable(v);
            ObjectNode attrs = (ObjectNode) n.get("attributes");
            attrs.put("server_value", s.env.getOrDefault(v.env, v.defaultValue));
            n.put("object", "server_variable");
            return n;
        }).toList();
    }

    ObjectNode limits(SimState.Server s) {
        ObjectNode l = Json.object();
        l.put("memory", s.memory);
        l.put("swap", s.swap);
        l.put("disk", s.disk);
        l.put("io", s.io);
        l.put("cpu", s.cpu);
        if (s.threads == null) l.putNull("threads"); else l.put("threads", s.threads);
        l.put("oom_disabled", s.oomDisabled);
        return l;
    }

    ObjectNode featureLimits(SimState.Server s) {
        ObjectNode f = Json.object();
        putNullable(f, "databases", s.databases);
        putNullable(f, "allocations", s.allocationsLimit);
        putNullable(f, "backups", s.backups);
        return f;
    }

    private static void putNullable(ObjectNode n, String k, Integer v) {
        if (v == null) n.putNull(k); else n.put(k, v);
    }

    // ---------------------------------------------------------------- client API

    ObjectNode clientServer(SimState.Server s, SimState.User viewer) {
        SimState.Node n = st.nodes.get(s.nodeId);
        SimState.Egg egg = st.eggs.get(s.eggId);
        ObjectNode a = Json.object();
        a.put("server_owner", viewer.id == s.userId);
        a.put("identifier", s.identifier);
        a.put("internal_id", s.id);
        a.put("uuid", s.uuid);
        a.put("name", s.name);
        a.put("node", n.name);
        a.put("is_node_under_maintenance", n.maintenance);
        ObjectNode sftp = a.putObject("sftp_details");
        sftp.put("ip", n.fqdn);
        sftp.put("port", 2022);
        a.put("description", s.description);
        a.set("limits", limits(s));
        a.put("invocation", invocation(s));
        a.put("docker_image", s.image);
        ArrayNode features = a.putArray("egg_features");
        egg.features.forEach(features::add);
        a.set("feature_limits", featureLimits(s));
        if (s.status == null) a.putNull("status"); else a.put("status", s.status);
        a.put("is_suspended", s.suspended());
        a.put("is_installing", !isInstalled(s));
        a.put("is_transferring", false);
        ObjectNode rel = a.putObject("relationships");
        rel.set("allocations", relList(st.allocationsOf(s).stream().map(al -> {
            ObjectNode x = Json.object();
            x.put("id", al.id);
            x.put("ip", al.ip);
            if (al.alias == null) x.putNull("ip_alias"); else x.put("ip_alias", al.alias);
            x.put("port", al.port);
            if (al.notes == null) x.putNull("notes"); else x.put("notes", al.notes);
            x.put("is_default", al.id == s.allocationId);
            return item("allocation", x);
        }).toList()));
        rel.set("variables", relList(egg.variables.stream().filter(v -> v.userViewable).map(v -> {
            ObjectNode x = Json.object();
            x.put("name", v.name);
            x.put("description", v.description);
            x.put("env_variable", v.env);
            x.put("default_value", v.defaultValue);
            x.put("server_value", s.env.getOrDefault(v.env, v.defaultValue));
            x.put("is_editable", v.userEditable);
            x.put("rules", v.rules);
            return item("egg_variable", x);
        }).toList()));
        return item("server", a);
    }

    String invocation(SimState.Server s) {
        String out = s.startup;
        SimState.Egg egg = st.eggs.get(s.eggId);
        for (SimState.EggVar v : egg.variables) {
            out = out.replace("{{" + v.env + "}}", s.env.getOrDefault(v.env, v.defaultValue));
        }
        SimState.Allocation al = st.allocations.get(s.allocationId);
        out = out.replace("{{SERVER_MEMORY}}", String.valueOf(s.memory));
        if (al != null) {
            out = out.replace("{{SERVER_IP}}", al.ip).replace("{{SERVER_PORT}}", String.valueOf(al.port));
        }
        return out;
    }

    static ObjectNode fileObject(String name, SimState.FileNode f) {
        ObjectNode a = Json.object();
        a.put("name", name);
        a.put("mode", f.dir ? "drwxr-xr-x" : "-rw-r--r--");
        a.put("mode_bits", f.dir ? "755" : "644");
        a.put("size", f.dir ? 4096 : f.content.length);
        a.put("is_file", !f.dir);
        a.put("is_symlink", false);
        a.put("mimetype", f.dir ? "inode/directory" : mimetype(name));
        a.put("created_at", Json.time(f.created));
        a.put("modified_at", Json.time(f.modified));
        return item("file_object", a);
    }

    static String mimetype(String name) {
        if (name.endsWith(".jar")) return "application/java-archive";
        if (name.endsWith(".zip")) return "application/zip";
        if (name.endsWith(".gz")) return "application/gzip";
        return "text/plain; charset=utf-8";
    }

    static ObjectNode env(Map<String, String> m) {
        ObjectNode n = Json.object();
        m.forEach(n::put);
        return n;
    }
}
