package com.admintk.orchestrator.pterodactyl;

import java.util.List;

/** An egg as provisioning needs it: the default image and startup, and the variables with their rules. */
public record EggSpec(int id, int nestId, String name, String dockerImage, String startup, List<EggVariable> variables) {

    /** {@code rules} is the panel's Laravel rule string, e.g. {@code required|string|max:20}. */
    public record EggVariable(String envVariable, String defaultValue, String rules, boolean userViewable,
                              boolean userEditable) {
    }
}
