package xcm.bench.attack;

import java.time.Duration;

/**
 * How long and how much the attack tries.
 *
 * @param listen how long a registered listener waits for what the coordinator sends it
 * @param slow how long slow connections are held open on dmz01's Jolokia while the coordinator
 *     collects
 * @param webhookFlood unauthenticated webhook requests sent
 * @param reads authenticated reads timed while the coordinator's doors are held by slow connections
 */
record Settings(Duration listen, Duration slow, int webhookFlood, int reads) {
  /** What the attack on main did: 10 s of listening, 15 s, 1,300 requests, 20 reads. */
  static Settings full() {
    return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(15), 1300, 20);
  }
}
