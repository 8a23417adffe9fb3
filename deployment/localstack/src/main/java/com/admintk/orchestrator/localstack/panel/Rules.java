package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A small subset of Laravel validation: {@code required, nullable, present, string, integer, numeric, boolean,
 * max, min, between, in, regex, url, email}. Texts follow the panel's resources/lang/en/validation.php.
 * One violation per attribute (the first failing rule).
 */
final class Rules {
    private Rules() {}

    /** Validates {@code value} (null/missing/"" count as empty) against a pipe-separated rule string. */
    static PanelException.Violation check(String field, String attribute, JsonNode value, String rules) {
        List<String> list = split(rules);
        boolean empty = value == null || value.isNull() || value.isMissingNode() || (value.isTextual() && value.asText().isEmpty());
        boolean numericRule = list.contains("numeric") || list.contains("integer");
        for (String r : list) {
            String name = r.contains(":") ? r.substring(0, r.indexOf(':')) : r;
            String arg = r.contains(":") ? r.substring(r.indexOf(':') + 1) : null;
            if (name.equals("required") && empty) return v(field, "required", "The " + attribute + " field is required.");
            if (name.equals("present") && (value == null || value.isMissingNode()))
                return v(field, "present", "The " + attribute + " field must be present.");
        }
        if (empty) return null; // non-implicit rules skip empty values
        for (String r : list) {
            String name = r.contains(":") ? r.substring(0, r.indexOf(':')) : r;
            String arg = r.contains(":") ? r.substring(r.indexOf(':') + 1) : null;
            switch (name) {
                case "string" -> { if (!value.isTextual()) return v(field, "string", "The " + attribute + " must be a string."); }
                case "integer" -> { if (!isInteger(value)) return v(field, "integer", "The " + attribute + " must be an integer."); }
                case "numeric" -> { if (!isNumeric(value)) return v(field, "numeric", "The " + attribute + " must be a number."); }
                case "boolean" -> { if (!isBoolean(value)) return v(field, "boolean", "The " + attribute + " field must be true or false."); }
                case "array" -> { if (!value.isContainerNode()) return v(field, "array", "The " + attribute + " must be an array."); }
                case "max" -> {
                    double max = Double.parseDouble(arg);
                    if (numericRule && isNumeric(value)) {
                        if (num(value) > max) return v(field, "max", "The " + attribute + " may not be greater than " + arg + ".");
                    } else if (text(value).length() > max) {
                        return v(field, "max", "The " + attribute + " may not be greater than " + arg + " characters.");
                    }
                }
                case "min" -> {
                    double min = Double.parseDouble(arg);
                    if (numericRule && isNumeric(value)) {
                        if (num(value) < min) return v(field, "min", "The " + attribute + " must be at least " + arg + ".");
                    } else if (text(value).length() < min) {
                        return v(field, "min", "The " + attribute + " must be at least " + arg + " characters.");
                    }
                }
                case "between" -> {
                    String[] mm = arg.split(",");
                    double lo = Double.parseDouble(mm[0]), hi = Double.parseDouble(mm[1]);
                    if (numericRule && isNumeric(value)) {
                        if (num(value) < lo || num(value) > hi)
                            return v(field, "between", "The " + attribute + " must be between " + mm[0] + " and " + mm[1] + ".");
                    } else {
                        int len = text(value).length();
                        if (len < lo || len > hi)
                            return v(field, "between", "The " + attribute + " must be between " + mm[0] + " and " + mm[1] + " characters.");
                    }
                }
                case "in" -> {
                    List<String> allowed = List.of(arg.split(","));
                    if (!allowed.contains(text(value))) return v(field, "in", "The selected " + attribute + " is invalid.");
                }
                case "regex" -> {
                    if (!phpRegex(arg).matcher(text(value)).find()) return v(field, "regex", "The " + attribute + " format is invalid.");
                }
                case "url" -> {
                    if (!isUrl(text(value))) return v(field, "url", "The " + attribute + " format is invalid.");
                }
                case "email" -> {
                    if (!text(value).matches("^[^@\\s]+@[^@\\s]+$")) return v(field, "email", "The " + attribute + " must be a valid email address.");
                }
                default -> { /* nullable, required, sometimes, unknown: ignore */ }
            }
        }
        return null;
    }

    /** Splits on '|' but keeps the pipes inside a regex:... rule (the regex is the last part of its rule). */
    static List<String> split(String rules) {
        List<String> out = new ArrayList<>();
        if (rules == null || rules.isBlank()) return out;
        String rest = rules;
        while (!rest.isEmpty()) {
            if (rest.startsWith("regex:")) {
                // a PHP regex: /.../flags — find the closing delimiter
                char delim = rest.charAt(6);
                int close = rest.lastIndexOf(delim);
                int end = rest.indexOf('|', close);
                if (close <= 6) end = rest.indexOf('|');
                out.add(end < 0 ? rest : rest.substring(0, end));
                rest = end < 0 ? "" : rest.substring(end + 1);
            } else {
                int end = rest.indexOf('|');
                out.add(end < 0 ? rest : rest.substring(0, end));
                rest = end < 0 ? "" : rest.substring(end + 1);
            }
        }
        return out;
    }

    static Pattern phpRegex(String php) {
        char delim = php.charAt(0);
        int close = php.lastIndexOf(delim);
        String body = php.substring(1, close);
        String flags = php.substring(close + 1);
        int f = 0;
        if (flags.contains("i")) f |= Pattern.CASE_INSENSITIVE;
        if (flags.contains("u")) f |= Pattern.UNICODE_CASE;
        return Pattern.compile(body, f);
    }

    static boolean isInteger(JsonNode v) {
        if (v.isIntegralNumber()) return true;
        if (v.isTextual()) return v.asText().matches("^[+-]?\\d+$");
        return v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
    }

    static boolean isNumeric(JsonNode v) {
        if (v.isNumber()) return true;
        if (v.isTextual()) return v.asText().trim().matches("^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$");
        return false;
    }

    static boolean isBoolean(JsonNode v) {
        if (v.isBoolean()) return true;
        if (v.isIntegralNumber()) return v.asInt() == 0 || v.asInt() == 1;
        if (v.isTextual()) return List.of("0", "1", "true", "false").contains(v.asText());
        return false;
    }

    static boolean isUrl(String s) {
        try {
            URI u = URI.create(s);
            return u.getScheme() != null && u.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    static double num(JsonNode v) {
        return v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText().trim());
    }

    static String text(JsonNode v) {
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static PanelException.Violation v(String field, String rule, String detail) {
        return new PanelException.Violation(field, rule, detail);
    }

    /** Laravel's default attribute name: underscores become spaces. */
    static String attribute(String field) {
        return field.replace('_', ' ');
    }
}
