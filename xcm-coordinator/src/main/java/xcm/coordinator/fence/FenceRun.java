package xcm.coordinator.fence;

import java.time.Duration;

/**
 * One run of a fence agent that ended by itself (whatever its exit code).
 *
 * @param program the agent's absolute path
 * @param duration from start to exit, by the runner's clock
 * @param output the end of what the agent printed (standard output and error together), at most
 *     {@link FenceAgentRunner#OUTPUT_LIMIT} bytes, secrets replaced by {@code ***}
 */
public record FenceRun(
    String host,
    String program,
    FenceAction action,
    int exitCode,
    Duration duration,
    String output) {}
