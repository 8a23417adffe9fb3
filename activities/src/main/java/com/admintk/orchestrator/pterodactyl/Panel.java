package com.admintk.orchestrator.pterodactyl;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The panel's objects as typed records: the {@code attributes} of its envelopes, in the panel's own field names
 * (snake_case in JSON, camelCase here). Relationship envelopes are flattened by {@link PanelJson} before binding, so
 * a {@code relationships.variables} list arrives as a plain {@code List}. Unknown fields are ignored, so a newer
 * panel adding fields does not break us.
 */
public final class Panel {

    private Panel() {
    }

    /** One page of a list; {@code pagination} is null for lists the panel does not paginate (files). */
    public record Page<T>(List<T> data, Pagination pagination) {
        public boolean hasNext() {
            return pagination != null && pagination.currentPage() < pagination.totalPages();
        }
    }

    public record Pagination(int total, int count, int perPage, int currentPage, int totalPages) {
    }

    // ---- application API -------------------------------------------------------------------------------------

    public record User(int id, String externalId, String uuid, String username, String email, String firstName,
                       String lastName, String language, boolean rootAdmin, String createdAt, String updatedAt) {
    }

    /** Server limits; {@code oomDisabled} is only in responses (a create sends it at the top level). */
    public record Limits(Integer memory, Integer swap, Integer disk, Integer io, Integer cpu, String threads,
                         Boolean oomDisabled) {
        public static Limits of(int memory, int swap, int disk, int io, int cpu) {
            return new Limits(memory, swap, disk, io, cpu, null, null);
        }
    }

    public record FeatureLimits(int databases, int allocations, int backups) {
    }

    public record Container(String startupCommand, String image, int installed, Map<String, Object> environment) {
    }

    public record Server(int id, String externalId, String uuid, String identifier, String name, String description,
                         String status, boolean suspended, Limits limits, FeatureLimits featureLimits, int user,
                         int node, int allocation, int nest, int egg, Container container, String createdAt,
                         String updatedAt, ServerRelationships relationships) {
        public boolean installing() {
            return "installing".equals(status);
        }
    }

    /** What {@code ?include=} can add to a server. */
    public record ServerRelationships(List<Allocation> allocations, User user, List<EggVariable> variables,
                                      Location location, Node node, Egg egg) {
    }

    public record Node(int id, String uuid, String name, String description, int locationId, String fqdn,
                       String scheme, boolean behindProxy, boolean maintenanceMode, long memory,
                       int memoryOverallocate, long disk, int diskOverallocate, int daemonListen, int daemonSftp,
                       AllocatedResources allocatedResources) {
    }

    public record AllocatedResources(long memory, long disk) {
    }

    /** An allocation; the application API says {@code alias}/{@code assigned}, the client API {@code ip_alias}/{@code is_default}. */
    public record Allocation(int id, String ip, String alias, String ipAlias, int port, String notes, Boolean assigned,
                             Boolean isDefault) {
    }

    public record Location(int id, @JsonProperty("short") String shortCode, @JsonProperty("long") String longName) {
    }

    public record Egg(int id, String uuid, String name, int nest, String author, String description,
                      String dockerImage, Map<String, String> dockerImages, String startup,
                      EggRelationships relationships) {
        public List<EggVariable> variables() {
            return relationships == null || relationships.variables() == null ? List.of() : relationships.variables();
        }
    }

    public record EggRelationships(List<EggVariable> variables) {
    }

    /**
     * An egg variable; the application API fills {@code userViewable}/{@code userEditable}, the client API
     * {@code serverValue}/{@code isEditable}.
     */
    public record EggVariable(Integer id, Integer eggId, String name, String description, String envVariable,
                              String defaultValue, String serverValue, Boolean userViewable, Boolean userEditable,
                              Boolean isEditable, String rules) {
        public boolean required() {
            return rules != null && List.of(rules.split("\\|")).contains("required");
        }
    }

    // ---- client API ------------------------------------------------------------------------------------------

    /** {@code currentState}: offline, starting, running, stopping. */
    public record Resources(String currentState, boolean isSuspended, Usage resources) {
    }

    public record Usage(long memoryBytes, double cpuAbsolute, long diskBytes, long networkRxBytes,
                        long networkTxBytes, long uptime) {
    }

    /** {@code token} is a 10-minute JWT for {@code socket}. */
    public record WebsocketCredentials(String token, String socket) {
    }

    /** A power action, as the Wings socket's {@code set state} takes it. */
    public enum PowerSignal { start, stop, restart, kill }

    // ---- request bodies (null fields are left out) -----------------------------------------------------------

    public record NewUser(String externalId, String email, String username, String firstName, String lastName,
                          String password, String language, Boolean rootAdmin) {
    }

    /** Placement is {@code allocation} or {@code deploy}, never both. */
    public record NewServer(String externalId, String name, String description, int user, int egg,
                            String dockerImage, String startup, Map<String, String> environment, Limits limits,
                            FeatureLimits featureLimits, AllocationPlacement allocation, DeployPlacement deploy,
                            Boolean oomDisabled, Boolean startOnCompletion, Boolean skipScripts) {
    }

    /** {@code PATCH /servers/{id}/build}: {@code allocation} and {@code featureLimits} are required by the panel. */
    public record BuildUpdate(int allocation, Limits limits, FeatureLimits featureLimits, Boolean oomDisabled,
                              List<Integer> addAllocations, List<Integer> removeAllocations) {
    }

    /** {@code PATCH /servers/{id}/startup}: {@code skipScripts} must be present. */
    public record StartupUpdate(String startup, Map<String, String> environment, int egg, String image,
                                boolean skipScripts) {
    }

    public record AllocationPlacement(@JsonProperty("default") int defaultAllocation, List<Integer> additional) {
    }

    public record DeployPlacement(List<Integer> locations, boolean dedicatedIp, List<String> portRange) {
    }

    // ---- live server operations: files (client API) ------------------------------------------------------------

    /** An entry of {@code GET /servers/{s}/files/list}; dates are ISO-8601 with offset, as the panel writes them. */
    public record FileObject(String name, String mode, String modeBits, long size, boolean isFile, boolean isSymlink,
                             String mimetype, String createdAt, String modifiedAt) {
    }

    /** One move of {@code PUT /servers/{s}/files/rename}, both relative to the request's root. */
    public record FileRename(String from, String to) {
    }

    /** {@code {"object":"signed_url","attributes":{"url"}}}: a Wings URL valid for 15 minutes. */
    public record SignedUrl(String url) {
    }
}
