package xcm.bench.fuzz;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Every category of hostile input and how input {@code i} of a seed is made: its own {@link Random}
 * from the seed and {@code i} picks a category, whose generator draws the request from it. Input
 * {@code i} of seed {@code s} is thus always the same request, whatever the thread count.
 *
 * <p>Thread-safe: the generators share no state.
 */
final class Inputs {
  /** Makes the requests of one category. */
  @FunctionalInterface
  interface Generator {
    Input make(int index, Random r) throws IOException;
  }

  // Sorted by name: a seed picks the same category whatever order they were added in.
  private final Map<String, Generator> generators = new TreeMap<>();

  Inputs(Fuzzer.Target target) {
    Hostile hostile = new Hostile(target);
    HostileBodies bodies = new HostileBodies(hostile);
    new WebhookInputs(target, hostile, bodies).addTo(generators);
    new JolokiaInputs(target, hostile).addTo(generators);
    new EnrolInputs(target, hostile).addTo(generators);
    new RulesInputs(target, hostile).addTo(generators);
  }

  /** Input {@code index} of {@code seed}: the same request on every run. */
  Input input(int index, long seed) {
    Random r = new Random(seed * 1_000_003L + index * 0x9E3779B97F4A7C15L);
    List<String> names = new ArrayList<>(generators.keySet());
    String category = names.get(r.nextInt(names.size()));
    try {
      return generators.get(category).make(index, r);
    } catch (IOException e) {
      throw new IllegalStateException("cannot make input " + index, e);
    }
  }
}
