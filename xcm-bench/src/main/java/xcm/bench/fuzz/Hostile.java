package xcm.bench.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Hostile values for the fuzzer's requests: names no host or domain has (specials, characters that
 * mean something to JMX, JSON, URLs or shells, unicode, long strings, near misses of real names),
 * policies, URLs, actions and JSON values of wrong types. Each draws from the {@link Random} it is
 * given, in a fixed order, so that a seed makes the same values.
 *
 * <p>Thread-safe: the target is immutable.
 */
final class Hostile {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] SPECIALS = {
    "",
    " ",
    "null",
    "*",
    "?",
    "..",
    "../../etc/passwd",
    "a,b=c:d\"e\\f/g",
    "web01,type=Host",
    "xcm:type=Host",
    "xcm:type=Operations",
    "\"quoted\"",
    "\\",
    "/",
    "!/",
    ",",
    "=",
    ":",
    "\u0000",
    "\uFFFF",
    "\uD800",
    "\u202Eevil",
    "ドメイン",
    "домен",
    "😀😀😀",
    "${jndi:ldap://127.0.0.1:1/x}",
    "'; DROP TABLE hosts; --",
    "<script>alert(1)</script>",
    "%00",
    "%2F..%2F",
    "-1",
    "-9223372036854775808",
    "1e309",
    "NaN",
    "true",
    "\n\r\t",
  };
  private static final String HOSTILE_CHARS = ",=:\"\\/*?!$%&'()[]{}<>|;#@ \t\n\u0000é中😀";

  private final Fuzzer.Target target;

  Hostile(Fuzzer.Target target) {
    this.target = target;
  }

  /** A name no host or domain has: specials, hostile characters, unicode, long strings. */
  String name(Random r) {
    List<String> real = new ArrayList<>(target.hosts().keySet());
    real.addAll(target.domains());
    String name = real.get(r.nextInt(real.size()));
    return switch (r.nextInt(8)) {
      case 0, 1 -> SPECIALS[r.nextInt(SPECIALS.length)];
      case 2 -> chars(r, 1 + r.nextInt(40));
      case 3 -> name + SPECIALS[r.nextInt(SPECIALS.length)] + "x";
      case 4 -> name.toUpperCase(Locale.ROOT) + "\u0130";
      case 5 -> "x".repeat(1 + r.nextInt(r.nextBoolean() ? 200 : 20_000));
      case 6 -> "\"" + name + "\"";
      default -> name.substring(0, 1 + r.nextInt(name.length() - 1)) + chars(r, 3);
    };
  }

  /** {@code length} characters, most of them ones that mean something somewhere. */
  static String chars(Random r, int length) {
    StringBuilder text = new StringBuilder();
    int[] chars = HOSTILE_CHARS.codePoints().toArray();
    while (text.length() < length) {
      text.appendCodePoint(
          r.nextInt(4) == 0 ? 0x20 + r.nextInt(0x2FFF) : chars[r.nextInt(chars.length)]);
    }
    return text.toString();
  }

  /** A balance policy that must be refused: unknown, malformed, or with values out of range. */
  String policy(Random r) {
    String[] policies = {
      "",
      "weighted,memory=-1",
      "weighted,cpu=NaN",
      "weighted,memory=1e309",
      "weighted,io=-0.5,cpu=2",
      "weighted,nosuch=1",
      "weighted,memory",
      "weighted,=1",
      "domain-count,target=-3",
      "domain-count,target=",
      "domain-count,target=strict,target=loose",
      "domain-count,slack=-1",
      "domain-count,target=NaN",
      "Weighted",
      "WEIGHTED",
      " weighted,memory=x ",
      "hbal",
      "xcm.coordinator.plan.WeightedPolicy",
      "java.lang.Runtime",
      name(r),
    };
    return policies[r.nextInt(policies.length)];
  }

  /** An agent URL that must be refused: other schemes, ports nothing listens on, XCM's own. */
  String url(Random r) {
    String closed = "127.0.0.1:" + target.closedPort();
    String[] urls = {
      "",
      "file:///etc/passwd",
      "jar:file:///x!/",
      "ftp://127.0.0.1/",
      "gopher://" + closed + "/",
      "javascript:alert(1)",
      "http://",
      "http://[::1",
      "http://" + closed + "/jolokia/",
      "http://127.0.0.1:0/jolokia/",
      "http://127.0.0.1:99999/jolokia/",
      "http://127.0.0.1:-1/jolokia/",
      "https://" + closed + "/jolokia/",
      target.jolokiaUrl(),
      target.webhookUrl(),
      "http://user:pass@" + closed + "/",
      "http://" + closed + "/" + "x".repeat(5000),
      "\u0000http://127.0.0.1/",
      "HTTP://" + closed + "/",
      "http://" + closed + "/jolokia/?a=\"b\\c",
      name(r),
    };
    return urls[r.nextInt(urls.length)];
  }

  /** An {@code xcm_action} XCM does not have, some of them near misses of real ones. */
  static String action(Random r) {
    return pick(
        r,
        "reboot",
        "DRAIN",
        "drain ",
        " balance",
        "Balance",
        "migrate",
        "activate",
        "rm -rf /",
        "drain,balance",
        "\u0000",
        "😀");
  }

  /** A JSON value of a wrong type: numbers, nulls, objects, huge arrays. */
  JsonNode value(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> NODES.numberNode(-1 - r.nextInt(1000));
      case 1 -> NODES.numberNode(Long.MIN_VALUE);
      case 2 -> NODES.numberNode(r.nextDouble() * 1e308);
      case 3 -> NODES.nullNode();
      case 4 -> NODES.objectNode().put("host", name(r)).put("dryRun", true);
      case 5 -> {
        ArrayNode array = NODES.arrayNode();
        int n = r.nextInt(20_000);
        for (int k = 0; k < n; k++) {
          array.add(k - n / 2);
        }
        yield array;
      }
      case 6 -> NODES.booleanNode(r.nextBoolean());
      case 7 -> NODES.arrayNode().add(NODES.arrayNode().add(NODES.arrayNode()));
      default -> NODES.textNode(name(r));
    };
  }

  @SafeVarargs
  static <T> T pick(Random r, T... choices) {
    return choices[r.nextInt(choices.length)];
  }
}
