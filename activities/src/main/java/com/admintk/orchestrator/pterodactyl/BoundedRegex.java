package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.order.EggRules;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Holds customer input to an egg's {@code regex:} rule within a time budget. {@code java.util.regex} backtracks, so a
 * pattern such as {@code ^(a+)+$} takes exponential time on {@code aaaa…!}; the matcher reads the input through a
 * {@link CharSequence} that gives up once the deadline has passed, and inputs past a length cap are not run at all.
 * Either way the value is refused with a problem the customer can act on: a slow rule never hangs a worker.
 */
public final class BoundedRegex implements EggRules.RegexCheck {

    static final String INVALID = "has an invalid format";

    private final Duration budget;
    private final int maxInputLength;

    public BoundedRegex(Duration budget, int maxInputLength) {
        if (budget.isNegative() || budget.isZero() || maxInputLength < 1) {
            throw new IllegalArgumentException("a regex budget must be positive");
        }
        this.budget = budget;
        this.maxInputLength = maxInputLength;
    }

    @Override
    public Optional<String> violation(Pattern pattern, String value) {
        if (value.length() > maxInputLength) {
            return Optional.of("is too long to check against its format (at most " + maxInputLength + " characters)");
        }
        try {
            return pattern.matcher(new Deadline(value, System.nanoTime() + budget.toNanos())).find()
                    ? Optional.empty() : Optional.of(INVALID);
        } catch (TooSlow | StackOverflowError tooComplex) {
            return Optional.of("could not be checked against its format in time: choose a simpler value");
        }
    }

    /**
     * Reads a sane rule needs at most on an input within the length cap. Below it a match is never called slow: on a
     * busy machine (300 checkouts at once on 2 cores) a thread can be descheduled past the deadline while matching
     * {@code server.jar}, and a wall clock alone then refused a valid value.
     */
    static final int READS_BEFORE_DEADLINE_COUNTS = 50_000;

    /** The input as the matcher sees it: a read past the deadline, after many reads, aborts the match. */
    private static final class Deadline implements CharSequence {
        private final CharSequence text;
        private final long deadlineNanos;
        private final int[] reads;

        Deadline(CharSequence text, long deadlineNanos) {
            this(text, deadlineNanos, new int[1]);
        }

        private Deadline(CharSequence text, long deadlineNanos, int[] reads) {
            this.text = text;
            this.deadlineNanos = deadlineNanos;
            this.reads = reads;
        }

        @Override
        public char charAt(int index) {
            if (++reads[0] > READS_BEFORE_DEADLINE_COUNTS && System.nanoTime() - deadlineNanos > 0) {
                throw TooSlow.INSTANCE;
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.subSequence(start, end), deadlineNanos, reads);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** Control flow only: no stack trace, one shared instance. */
    private static final class TooSlow extends RuntimeException {
        static final TooSlow INSTANCE = new TooSlow();

        private TooSlow() {
            super("regex budget exceeded", null, false, false);
        }
    }
}
