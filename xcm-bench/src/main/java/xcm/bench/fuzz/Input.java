package xcm.bench.fuzz;

import java.net.http.HttpRequest;

/**
 * One hostile request and what it is.
 *
 * @param index its number in the run: with the seed, it makes the same request on every run
 * @param category what it tries, e.g. {@code jolokia/mbean-names}
 * @param door where it goes, which says which client sends it and how its answer is judged
 */
record Input(int index, String category, HttpRequest request, Door door) {
  /** The coordinator's doors the fuzzer sends to. */
  enum Door {
    /** Jolokia, plain HTTP with the operator's password (or a wrong one). */
    JOLOKIA,
    /**
     * An agent's Jolokia: HTTPS with its cluster certificate, sent by a client that trusts the
     * cluster's authority and expects an agent's certificate, as the agent's local user.
     */
    AGENT,
    /** The Alertmanager webhook, plain HTTP with the bearer token (or a wrong one). */
    WEBHOOK,
    /**
     * The enrolment door: HTTPS, sent by a client that trusts the cluster's authority and expects
     * the coordinator's certificate, presenting none, as a host that has not enrolled yet.
     */
    ENROLMENT
  }
}
