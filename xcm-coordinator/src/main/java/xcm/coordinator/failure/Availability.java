package xcm.coordinator.failure;

import java.util.function.IntSupplier;

/**
 * What the views show of host failures and acts through: the handler (confirm-down), the failover
 * capacity, and how many domains' definitions are kept for restarts.
 */
public record Availability(
    FailureHandler failures, FailoverWatch failover, IntSupplier definitionsKept) {}
