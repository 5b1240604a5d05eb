package xcm.coordinator.journal;

import java.time.Instant;

/** A host the journal keeps as fenced: its name, its agent's URL, why, and since when. */
public record FencedHost(String host, String url, String reason, Instant at) {}
