package xcm.mbeans;

import java.util.List;

/**
 * The coordinator's recent history of domains per host (the seed paper's Fig. 2): every host's
 * count at the window's start, then each change in order. A host's count holds until its next
 * change; a host that left the cluster has a last change with state {@code REMOVED} and no domains.
 *
 * @param sinceEpochMillis start of the window (milliseconds since the epoch)
 * @param untilEpochMillis end of the last collection round recorded
 * @param start every host's count at {@code sinceEpochMillis}
 * @param changes counts that changed after it, oldest first
 */
public record TimelineHistory(
    long sinceEpochMillis, long untilEpochMillis, List<HostCount> start, List<HostCount> changes) {}
