package com.admintk.orchestrator.common;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;

import java.util.Collection;
import java.util.Set;

/** Reading Temporal failure chains, the same way in every workflow. */
public final class Failures {

    private Failures() {
    }

    /**
     * The raw reason kept for operators: the innermost application failure's type and message. A failure typed by us
     * (NO_CAPACITY...) wins over the Java exception it carries as its cause, whose type is a class name.
     */
    public static String reasonOf(Throwable failure) {
        ApplicationFailure innermost = null;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApplicationFailure af && (innermost == null || !isJavaClassName(af.getType()))) {
                innermost = af;
            }
            root = t;
        }
        if (innermost != null) {
            return innermost.getType() + ": " + innermost.getOriginalMessage();
        }
        if (root instanceof CanceledFailure) {
            return "cancelled";
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** Whether an application failure of one of {@code types} is anywhere in the chain. */
    public static boolean hasAnyType(Throwable failure, Collection<String> types) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApplicationFailure af && types.contains(af.getType())) {
                return true;
            }
        }
        return false;
    }

    public static boolean hasType(Throwable failure, String type) {
        return hasAnyType(failure, Set.of(type));
    }

    /** Whether an exception whose simple class name contains {@code classNamePart} is in the chain. */
    public static boolean causedBy(Throwable failure, String classNamePart) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains(classNamePart)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isJavaClassName(String type) {
        return type != null && type.contains(".");
    }
}
