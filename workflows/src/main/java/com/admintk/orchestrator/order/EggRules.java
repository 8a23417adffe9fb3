package com.admintk.orchestrator.order;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A small checker for the Laravel rule strings the panel puts on egg variables, so a bad value is refused before
 * anything is created. Supports {@code required, nullable, string, numeric, integer, boolean, max:N, min:N,
 * between:a,b, in:a,b,… , regex:/…/flags}. Other rules are left to the panel (its 422 then fails the create step
 * without retries).
 *
 * <p>Laravel semantics kept: an empty value is only checked by {@code required}; sizes are numeric for
 * {@code numeric}/{@code integer} attributes and string lengths (code points) otherwise; {@code regex} finds a match
 * anywhere unless anchored, like {@code preg_match}.
 *
 * <p>Every rule but {@code regex} runs in time linear in the value, with no regex engine. A {@code regex} rule is the
 * egg's own pattern run on customer input, which can backtrack for ever: it goes to a {@link RegexCheck}, so workflow
 * code can leave it to the panel and activities can bound it in time.
 */
public final class EggRules {

    /** Holds a value to an egg's compiled {@code regex:} rule; answers the refusal, or empty when it matches. */
    @FunctionalInterface
    public interface RegexCheck {
        Optional<String> violation(Pattern pattern, String value);
    }

    /**
     * For workflow code: a pattern on customer input could block the workflow thread, so regex rules are not run
     * there; the panel checks them on create (its 422 fails that step for good).
     */
    public static final RegexCheck LEFT_TO_PANEL = (pattern, value) -> Optional.empty();

    private EggRules() {
    }

    /** The first broken rule, described for a customer, or empty when the value passes. */
    public static Optional<String> violation(String value, String rules, RegexCheck regexCheck) {
        List<String> parsed = split(rules);
        boolean empty = value == null || value.trim().isEmpty();
        if (empty) {
            return parsed.contains("required") ? Optional.of("is required") : Optional.empty();
        }
        boolean numericAttribute = parsed.contains("numeric") || parsed.contains("integer");
        for (String rule : parsed) {
            Optional<String> broken = check(rule, value, numericAttribute, regexCheck);
            if (broken.isPresent()) {
                return broken;
            }
        }
        return Optional.empty();
    }

    public static boolean required(String rules) {
        return split(rules).contains("required");
    }

    /**
     * Splits on {@code |}, except inside a {@code regex:} pattern, whose delimiters are honoured so a pattern may
     * hold alternations.
     */
    static List<String> split(String rules) {
        List<String> out = new ArrayList<>();
        if (rules == null) {
            return out;
        }
        int i = 0;
        while (i < rules.length()) {
            int end;
            if (rules.startsWith("regex:", i) && i + 6 < rules.length()) {
                end = endOfRegexRule(rules, i + 6);
            } else {
                end = rules.indexOf('|', i);
                end = end < 0 ? rules.length() : end;
            }
            String rule = rules.substring(i, end).trim();
            if (!rule.isEmpty()) {
                out.add(rule);
            }
            i = end + 1;
        }
        return out;
    }

    private static int endOfRegexRule(String rules, int start) {
        char delimiter = rules.charAt(start);
        int j = start + 1;
        while (j < rules.length()) {
            char c = rules.charAt(j);
            if (c == '\\') {
                j += 2;
                continue;
            }
            if (c == delimiter) {
                break;
            }
            j++;
        }
        int bar = rules.indexOf('|', Math.min(j, rules.length()));
        return bar < 0 ? rules.length() : bar;
    }

    private static Optional<String> check(String rule, String value, boolean numericAttribute, RegexCheck regexCheck) {
        int colon = rule.indexOf(':');
        String name = colon < 0 ? rule : rule.substring(0, colon);
        String argument = colon < 0 ? "" : rule.substring(colon + 1);
        return switch (name) {
            case "required", "nullable", "string", "sometimes" -> Optional.empty();
            case "numeric" -> isNumeric(value) ? Optional.empty() : Optional.of("must be a number");
            case "integer" -> isInteger(value) ? Optional.empty() : Optional.of("must be an integer");
            case "boolean" -> List.of("0", "1", "true", "false").contains(value)
                    ? Optional.empty() : Optional.of("must be true or false (1 or 0)");
            case "max" -> size(value, numericAttribute).compareTo(number(argument)) <= 0
                    ? Optional.empty() : Optional.of(sizeMessage("may not be greater than", argument, numericAttribute));
            case "min" -> size(value, numericAttribute).compareTo(number(argument)) >= 0
                    ? Optional.empty() : Optional.of(sizeMessage("must be at least", argument, numericAttribute));
            case "between" -> between(value, argument, numericAttribute);
            case "in" -> options(argument).contains(value)
                    ? Optional.empty() : Optional.of("must be one of " + String.join(", ", options(argument)));
            case "regex" -> regex(value, argument, regexCheck);
            default -> Optional.empty();
        };
    }

    private static Optional<String> between(String value, String argument, boolean numericAttribute) {
        String[] bounds = argument.split(",", 2);
        if (bounds.length < 2) {
            return Optional.empty();
        }
        BigDecimal size = size(value, numericAttribute);
        if (size.compareTo(number(bounds[0])) >= 0 && size.compareTo(number(bounds[1])) <= 0) {
            return Optional.empty();
        }
        return Optional.of(numericAttribute
                ? "must be between " + bounds[0].trim() + " and " + bounds[1].trim()
                : "must be between " + bounds[0].trim() + " and " + bounds[1].trim() + " characters");
    }

    private static BigDecimal size(String value, boolean numericAttribute) {
        if (numericAttribute && isNumeric(value)) {
            return new BigDecimal(value.startsWith("+") ? value.substring(1) : value);
        }
        return BigDecimal.valueOf(value.codePointCount(0, value.length()));
    }

    private static BigDecimal number(String argument) {
        try {
            return new BigDecimal(argument.trim());
        } catch (NumberFormatException e) {
            // A malformed bound in the egg: nothing we can hold the value to.
            return BigDecimal.ZERO;
        }
    }

    private static String sizeMessage(String verb, String argument, boolean numericAttribute) {
        return verb + " " + argument.trim() + (numericAttribute ? "" : " characters");
    }

    private static List<String> options(String argument) {
        return Arrays.stream(argument.split(","))
                .map(String::trim)
                .map(o -> o.length() >= 2 && o.startsWith("\"") && o.endsWith("\"") ? o.substring(1, o.length() - 1) : o)
                .toList();
    }

    private static Optional<String> regex(String value, String argument, RegexCheck regexCheck) {
        if (argument.length() < 2) {
            return Optional.empty();
        }
        char delimiter = argument.charAt(0);
        int close = argument.lastIndexOf(delimiter);
        if (close <= 0) {
            return Optional.empty();
        }
        String body = argument.substring(1, close);
        int flags = 0;
        for (char f : argument.substring(close + 1).toCharArray()) {
            flags |= switch (f) {
                case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                case 'm' -> Pattern.MULTILINE;
                case 's' -> Pattern.DOTALL;
                case 'x' -> Pattern.COMMENTS;
                case 'u' -> Pattern.UNICODE_CHARACTER_CLASS;
                default -> 0;
            };
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(body, flags);
        } catch (PatternSyntaxException notJavaCompatible) {
            // PCRE-only syntax: the panel validates it on create.
            return Optional.empty();
        }
        return regexCheck.violation(pattern, value);
    }

    /** {@code [+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?}, scanned by hand: no regex on customer input. */
    static boolean isNumeric(String value) {
        int i = sign(value, 0);
        int mantissaStart = i;
        i = digits(value, i);
        boolean intDigits = i > mantissaStart;
        boolean fractionDigits = false;
        if (i < value.length() && value.charAt(i) == '.') {
            int fractionStart = ++i;
            i = digits(value, i);
            fractionDigits = i > fractionStart;
        }
        if (!intDigits && !fractionDigits) {
            return false;
        }
        if (i < value.length() && (value.charAt(i) == 'e' || value.charAt(i) == 'E')) {
            int exponentStart = sign(value, i + 1);
            i = digits(value, exponentStart);
            if (i == exponentStart) {
                return false;
            }
        }
        return i == value.length();
    }

    /** {@code [+-]?digits}. */
    static boolean isInteger(String value) {
        int start = sign(value, 0);
        int end = digits(value, start);
        return end > start && end == value.length();
    }

    private static int sign(String value, int i) {
        return i < value.length() && (value.charAt(i) == '+' || value.charAt(i) == '-') ? i + 1 : i;
    }

    /** Past the ASCII digits from {@code i}: Laravel's numeric and integer rules take no other digits. */
    private static int digits(String value, int i) {
        while (i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
