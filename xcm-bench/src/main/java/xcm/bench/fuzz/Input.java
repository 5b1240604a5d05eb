package xcm.bench.fuzz;

import java.net.http.HttpRequest;

/**
 * One hostile request and what it is.
 *
 * @param index its number in the run: with the seed, it makes the same request on every run
 * @param category what it tries, e.g. {@code jolokia/mbean-names}
 * @param webhook true when it goes to the Alertmanager webhook, false when to Jolokia
 */
record Input(int index, String category, HttpRequest request, boolean webhook) {}
