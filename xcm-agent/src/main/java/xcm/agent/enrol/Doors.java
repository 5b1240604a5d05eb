package xcm.agent.enrol;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.agent.enrol.CoordinatorAnswer.Standby;
import xcm.serve.LogText;

/**
 * The coordinators' enrolment doors ({@code enrol.url}), walked for one answer a pass. Of the
 * coordinators sharing a journal only the active one enrols; a standby answers 503 {@code STANDBY}.
 * A door that is a standby or gives no answer of the desk's (unreachable, timed out, not this
 * cluster's coordinator, an answer that is not one) is passed at once for the next; the first
 * {@code Enrolled}, {@code Waiting} or {@code Refused} ends the pass.
 *
 * <p>Order: the door that gave the last such answer first, then the others in the configured order.
 * Remembering it means a door that times out (a blackholed address) costs its timeout only until
 * another door has answered, not in every pass; and a host waiting for approval asks where it
 * waits.
 *
 * <p>Each door passed is logged naming its URL, at info when its reason is new and at debug when it
 * is the same as the last time (a pass that fails whole is the caller's one warning). With a single
 * door nothing is logged here: the caller's warning says it all, as before there were lists.
 *
 * <p>Not thread-safe: the enrolment thread alone uses it.
 */
final class Doors {
  private static final Logger log = LoggerFactory.getLogger(Doors.class);

  /**
   * A door passed in a pass: a standby, or no answer of the desk's.
   *
   * @param why in the agent's words, naming the door's URL; a standby's message in it is the
   *     coordinator's, capped but not escaped
   */
  record Passed(URI door, String why) {}

  /** How a pass ended. */
  sealed interface Pass {}

  /** A door answered: {@code Enrolled}, {@code Waiting} or {@code Refused}. */
  record Answered(URI door, CoordinatorAnswer answer) implements Pass {}

  /** Every door was passed, in the order asked. */
  record NoneAnswered(List<Passed> passed) implements Pass {

    /**
     * Why no door answered: with one door its reason alone (as before lists); with several, each
     * door's reason (each names its URL).
     */
    String summary() {
      if (passed.size() == 1) {
        return passed.get(0).why();
      }
      return "none of the "
          + passed.size()
          + " coordinators' enrolment doors answered: "
          + passed.stream().map(Passed::why).collect(Collectors.joining("; "));
    }
  }

  private final String host;
  private final List<URI> urls;
  private URI first;
  private final Map<URI, String> lastWhy = new HashMap<>();

  /**
   * @param host this host's name, for the log
   * @param urls the doors in the configured order: at least one
   */
  Doors(String host, List<URI> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no enrolment door to ask");
    }
    this.host = host;
    this.urls = List.copyOf(urls);
    this.first = this.urls.get(0);
  }

  /** The doors in the order the next pass asks them. */
  List<URI> order() {
    List<URI> order = new ArrayList<>(urls.size());
    order.add(first);
    for (URI url : urls) {
      if (!url.equals(first)) {
        order.add(url);
      }
    }
    return order;
  }

  /**
   * One pass: asks each door in {@link #order()} until one answers with {@code claim}.
   *
   * @throws InterruptedException when the thread is interrupted (the enrolment was closed)
   */
  Pass ask(EnrolmentClient client, String claim) throws InterruptedException {
    List<URI> order = order();
    List<Passed> passed = new ArrayList<>(order.size());
    for (int i = 0; i < order.size(); i++) {
      URI door = order.get(i);
      Passed miss;
      try {
        CoordinatorAnswer answer = client.ask(door, claim);
        if (!(answer instanceof Standby standby)) {
          answered(door);
          return new Answered(door, answer);
        }
        miss =
            new Passed(door, "the coordinator at " + door + " is a standby: " + standby.message());
      } catch (IOException e) {
        // Its message names the door and why (EnrolmentClient); the next door may still answer.
        miss = new Passed(door, e.getMessage());
      }
      passed.add(miss);
      logPassed(miss, i + 1 < order.size() ? order.get(i + 1) : null);
    }
    return new NoneAnswered(List.copyOf(passed));
  }

  private void answered(URI door) {
    lastWhy.remove(door);
    if (!door.equals(first)) {
      log.info("{}: the coordinator at {} answered: asking it first from now on", host, door);
      first = door;
    }
  }

  /**
   * @param next the door asked next in this pass; null when it was the last
   */
  private void logPassed(Passed miss, URI next) {
    if (urls.size() == 1) {
      return;
    }
    String line =
        LogText.escape(miss.why())
            + (next != null ? "; asking " + next : "; no other door to ask in this pass");
    if (miss.why().equals(lastWhy.put(miss.door(), miss.why()))) {
      log.debug("{}: {}", host, line);
    } else {
      log.info("{}: {}", host, line);
    }
  }
}
