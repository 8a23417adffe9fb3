package com.admintk.orchestrator.localstack.panel;

import java.time.Instant;

/** Demo data: 2 locations, 2 nodes with allocations on 10.0.0.x, nests with Paper (egg 3) and Rust (egg 14), one admin. */
final class Seed {
    private Seed() {}

    static final Instant SEEDED_AT = Instant.parse("2024-01-10T09:00:00Z");

    static void seed(SimState s) {
        s.locations.clear(); s.nodes.clear(); s.allocations.clear(); s.nests.clear(); s.eggs.clear();
        s.users.clear(); s.servers.clear();
        s.nextUserId = 2; s.nextServerId = 1;

        location(s, 1, "eu-fra", "Frankfurt, DE");
        location(s, 2, "us-nyc", "New York, US");
        node(s, 1, "fra-node-01", 1, "fra01.nodes.local", "10.0.0.1", 1000);
        node(s, 2, "nyc-node-01", 2, "nyc01.nodes.local", "10.0.0.2", 2000);

        SimState.Nest mc = new SimState.Nest();
        mc.id = 1; mc.author = "support@pterodactyl.io"; mc.name = "Minecraft";
        mc.description = "Minecraft - the classic game from Mojang."; mc.created = SEEDED_AT; mc.updated = SEEDED_AT;
        s.nests.put(1, mc);
        SimState.Nest rustNest = new SimState.Nest();
        rustNest.id = 4; rustNest.author = "support@pterodactyl.io"; rustNest.name = "Rust";
        rustNest.description = "Rust - A game where you must fight to survive."; rustNest.created = SEEDED_AT; rustNest.updated = SEEDED_AT;
        s.nests.put(4, rustNest);

        SimState.Egg paper = new SimState.Egg();
        paper.id = 3; paper.nestId = 1; paper.uuid = "5da37ef6-58da-4169-90a6-e683e1721247"; paper.name = "Paper";
        paper.author = "parker@pterodactyl.io";
        paper.description = "High performance Spigot fork that aims to fix gameplay and mechanics inconsistencies.";
        paper.dockerImage = "ghcr.io/pterodactyl/yolks:java_21";
        paper.dockerImages.put("Java 21", "ghcr.io/pterodactyl/yolks:java_21");
        paper.dockerImages.put("Java 17", "ghcr.io/pterodactyl/yolks:java_17");
        paper.dockerImages.put("Java 11", "ghcr.io/pterodactyl/yolks:java_11");
        paper.dockerImages.put("Java 8", "ghcr.io/pterodactyl/yolks:java_8");
        paper.startup = "java -Xms128M -XX:MaxRAMPercentage=95.0 -Dterminal.jline=false -Dterminal.ansi=true -jar {{SERVER_JARFILE}}";
        paper.features.add("eula"); paper.features.add("java_version"); paper.features.add("pid_limit");
        paper.doneText = ")! For help, type ";
        var(paper, 10, "Minecraft Version", "MINECRAFT_VERSION", "latest", true, true, "nullable|string|max:20");
        var(paper, 11, "Server Jar File", "SERVER_JARFILE", "server.jar", true, true, "required|regex:/^([\\w\\d._-]+)(\\.jar)$/");
        var(paper, 12, "Download Path", "DL_PATH", "", false, false, "nullable|string");
        var(paper, 13, "Build Number", "BUILD_NUMBER", "latest", true, true, "required|string|max:20");
        paper.created = SEEDED_AT; paper.updated = SEEDED_AT;
        s.eggs.put(3, paper);

        SimState.Egg rust = new SimState.Egg();
        rust.id = 14; rust.nestId = 4; rust.name = "Rust"; rust.author = "support@pterodactyl.io";
        rust.description = "The only aim in Rust is to survive.";
        rust.dockerImage = "ghcr.io/pterodactyl/games:rust";
        rust.dockerImages.put("ghcr.io/pterodactyl/games:rust", "ghcr.io/pterodactyl/games:rust");
        rust.startup = "./RustDedicated -batchmode +server.port {{SERVER_PORT}} +server.queryport {{QUERY_PORT}} +server.identity \"rust\" +rcon.port {{RCON_PORT}} +rcon.web true +server.hostname \\\"{{HOSTNAME}}\\\" +server.level \\\"{{LEVEL}}\\\" +server.maxplayers {{MAX_PLAYERS}} +rcon.password \\\"{{RCON_PASS}}\\\" +server.saveinterval {{SAVEINTERVAL}} +app.port {{APP_PORT}} {{ADDITIONAL_ARGS}}";
        rust.stopCommand = "quit";
        rust.doneText = "Server startup complete";
        rust.features.add("steam_disk_space");
        int id = 100;
        var(rust, id++, "Server Name", "HOSTNAME", "A Rust Server", true, true, "required|string|max:60");
        var(rust, id++, "Modding Framework", "FRAMEWORK", "vanilla", true, true, "required|in:vanilla,oxide,carbon");
        var(rust, id++, "Level", "LEVEL", "Procedural Map", true, true, "required|in:Barren,Craggy Island,Hapis,Hapis Island,Procedural Map,Savas Island,Savas Island_koth");
        var(rust, id++, "Description", "DESCRIPTION", "Powered by Pterodactyl", true, true, "required|string");
        var(rust, id++, "URL", "SERVER_URL", "http://pterodactyl.io", true, true, "nullable|url");
        var(rust, id++, "World Size", "WORLD_SIZE", "3000", true, true, "required|integer");
        var(rust, id++, "World Seed", "WORLD_SEED", "", true, true, "nullable|string");
        var(rust, id++, "Max Players", "MAX_PLAYERS", "40", true, true, "required|integer");
        var(rust, id++, "Server Image", "SERVER_IMG", "", true, true, "nullable|url");
        var(rust, id++, "Query Port", "QUERY_PORT", "27017", true, false, "required|integer");
        var(rust, id++, "RCON Port", "RCON_PORT", "28016", true, false, "required|integer");
        var(rust, id++, "RCON Password", "RCON_PASS", "CHANGEME", true, true, "required|regex:/^[\\w.-]*$/|max:64");
        var(rust, id++, "Save Interval", "SAVEINTERVAL", "60", true, true, "required|integer");
        var(rust, id++, "Additional Arguments", "ADDITIONAL_ARGS", "", true, true, "nullable|string");
        var(rust, id++, "App Port", "APP_PORT", "28082", true, false, "required|integer");
        var(rust, id++, "Server Logo", "SERVER_LOGO", "", true, true, "nullable|url");
        var(rust, id, "Custom Map URL", "MAP_URL", "", true, true, "nullable|url");
        rust.created = SEEDED_AT; rust.updated = SEEDED_AT;
        s.eggs.put(14, rust);

        SimState.User admin = new SimState.User();
        admin.id = 1; admin.username = "admin"; admin.email = "admin@admin-tk.local"; admin.firstName = "Admin";
        admin.lastName = "Admin-TK"; admin.rootAdmin = true; admin.created = SEEDED_AT; admin.updated = SEEDED_AT;
        s.users.put(1, admin);
    }

    private static void location(SimState s, int id, String shortCode, String longName) {
        SimState.Location l = new SimState.Location();
        l.id = id; l.shortCode = shortCode; l.longName = longName; l.created = SEEDED_AT; l.updated = SEEDED_AT;
        s.locations.put(id, l);
    }

    /** A node of 64 GiB / 1 TB with 100 allocations (ports 25565–25624 and 28015–28054) from {@code firstAllocationId}. */
    static void node(SimState s, int id, String name, int location, String fqdn, String ip, int firstAllocationId) {
        SimState.Node n = new SimState.Node();
        n.id = id; n.name = name; n.locationId = location; n.fqdn = fqdn; n.memory = 65536; n.disk = 1024000;
        n.created = SEEDED_AT; n.updated = SEEDED_AT;
        s.nodes.put(id, n);
        int aid = firstAllocationId;
        for (int port = 25565; port < 25565 + 60; port++) allocation(s, aid++, id, ip, fqdn.replace("nodes", "play"), port);
        for (int port = 28015; port < 28015 + 40; port++) allocation(s, aid++, id, ip, fqdn.replace("nodes", "play"), port);
    }

    private static void allocation(SimState s, int id, int node, String ip, String alias, int port) {
        SimState.Allocation a = new SimState.Allocation();
        a.id = id; a.nodeId = node; a.ip = ip; a.alias = alias; a.port = port;
        s.allocations.put(id, a);
    }

    private static void var(SimState.Egg egg, int id, String name, String env, String def, boolean viewable, boolean editable, String rules) {
        SimState.EggVar v = new SimState.EggVar();
        v.id = id; v.eggId = egg.id; v.name = name; v.env = env; v.defaultValue = def; v.userViewable = viewable;
        v.userEditable = editable; v.rules = rules;
        egg.variables.add(v);
    }
}
