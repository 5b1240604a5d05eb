package xcm.mbeans;

/**
 * One request in the coordinator's audit log: when, through which door ({@code jmx}, {@code
 * jolokia}, {@code cli}, {@code schedule}, {@code webhook}), who, what, and the result (or why it
 * was refused).
 */
public record AuditEntry(
    long epochMillis, String door, String user, String action, String result) {}
