package xcm.bench.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import xcm.client.Credentials;
import xcm.mbeans.ObjectNames;

/**
 * Hostile requests to the coordinator's Jolokia: every operation of {@code xcm:type=Operations}
 * with hostile arguments, wrong arities and types, other and pattern MBean names, writes, malformed
 * and oversized bodies, bulk requests, GET paths and wrong credentials.
 *
 * <p>Thread-safe.
 */
final class JolokiaInputs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATIONS = ObjectNames.operations().getCanonicalName();

  private final Fuzzer.Target target;
  private final Hostile hostile;
  private final String authorization;

  JolokiaInputs(Fuzzer.Target target, Hostile hostile) {
    this.target = target;
    this.hostile = hostile;
    this.authorization = Credentials.basicAuthorization(target.user(), target.password());
  }

  /** Adds Jolokia's categories, {@code jolokia/...}. */
  void addTo(Map<String, Inputs.Generator> g) {
    g.put("jolokia/migrate", this::migrate);
    g.put("jolokia/drain", (i, r) -> exec(i, "jolokia/drain", "drain", hostile.name(r), flag(r)));
    g.put(
        "jolokia/balance",
        (i, r) -> exec(i, "jolokia/balance", "balance", hostile.policy(r), r.nextBoolean()));
    g.put(
        "jolokia/planBalance",
        (i, r) -> exec(i, "jolokia/planBalance", "planBalance", hostile.policy(r)));
    g.put("jolokia/activate", (i, r) -> exec(i, "jolokia/activate", "activate", hostile.name(r)));
    g.put("jolokia/cancel", (i, r) -> exec(i, "jolokia/cancel", "cancel", hostile.name(r)));
    g.put("jolokia/addHost", (i, r) -> exec(i, "jolokia/addHost", "addHost", hostile.url(r)));
    g.put(
        "jolokia/removeHost",
        (i, r) -> exec(i, "jolokia/removeHost", "removeHost", hostile.name(r)));
    g.put("jolokia/arity-types", this::arityAndTypes);
    g.put("jolokia/mbean-names", this::mbeanNames);
    g.put(
        "jolokia/malformed-json",
        (i, r) -> post(i, "jolokia/malformed-json", HostileBodies.malformedJson(r)));
    g.put("jolokia/oversized", (i, r) -> post(i, "jolokia/oversized", oversizedExec(r)));
    g.put("jolokia/bulk", this::bulk);
    g.put("jolokia/get-path", this::getPath);
    g.put("jolokia/auth", this::auth);
  }

  private Input post(int index, String category, String body) {
    return new Input(
        index,
        category,
        HttpRequest.newBuilder(URI.create(target.jolokiaUrl()))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        Input.Door.JOLOKIA);
  }

  private Input exec(int index, String category, String operation, Object... arguments)
      throws JsonProcessingException {
    return post(
        index, category, JSON.writeValueAsString(execNode(OPERATIONS, operation, arguments)));
  }

  private static ObjectNode execNode(String mbean, String operation, Object... arguments) {
    ObjectNode request = JSON.createObjectNode();
    request.put("type", "exec").put("mbean", mbean).put("operation", operation);
    ArrayNode args = request.putArray("arguments");
    for (Object argument : arguments) {
      args.add(argument instanceof JsonNode node ? node : JSON.valueToTree(argument));
    }
    return request;
  }

  /** A migration that must be refused: unknown domain or host, or a domain to its own host. */
  private Input migrate(int index, Random r) throws JsonProcessingException {
    List<String> hosts = new ArrayList<>(target.hosts().keySet());
    String domain = target.domains().get(r.nextInt(target.domains().size()));
    String host = hosts.get(r.nextInt(hosts.size()));
    return switch (r.nextInt(4)) {
      case 0 -> exec(index, "jolokia/migrate", "migrate", domain, hostile.name(r));
      case 1 -> exec(index, "jolokia/migrate", "migrate", hostile.name(r), host);
      case 2 -> exec(index, "jolokia/migrate", "migrate", hostile.name(r), hostile.name(r));
      // The cluster is full: a real domain to a real host is refused for lack of memory, or
      // because it runs there already.
      default -> exec(index, "jolokia/migrate", "migrate", domain, host);
    };
  }

  /** A drain's dry-run flag: never true for a real host (a dry run makes an operation). */
  private static Object flag(Random r) {
    return r.nextBoolean() ? Boolean.FALSE : Hostile.pick(r, "false", "0", "no", "FALSE");
  }

  private Input arityAndTypes(int index, Random r) throws JsonProcessingException {
    String[] operations = {
      "migrate", "drain", "balance", "planBalance", "activate", "cancel", "addHost", "removeHost"
    };
    String operation = operations[r.nextInt(operations.length)];
    int arity = r.nextInt(5);
    Object[] arguments = new Object[arity];
    for (int a = 0; a < arity; a++) {
      arguments[a] = hostile.value(r);
    }
    return exec(index, "jolokia/arity-types", operation, arguments);
  }

  private Input mbeanNames(int index, Random r) throws JsonProcessingException {
    String[] mbeans = {
      "xcm:type=Operations,*",
      "xcm:*",
      "xcm:type=Operation*",
      "*:*",
      "xcm:type=Operations,name=x",
      "xcm:type=operations",
      "XCM:type=Operations",
      "xcm:type=Cluster",
      "xcm:type=Cluster,host=\"" + firstHost() + "\"",
      "xcm:type=Operation,id=\"nope\"",
      "xcm:type=Operations,host=\"a,b=c:d\"",
      "xcm:",
      ":",
      "",
      hostile.name(r)
    };
    String operation =
        Hostile.pick(
            r,
            "drain",
            "migrate",
            "removeHost",
            "activate",
            "shutdown",
            "toString",
            "getAuditLog",
            "setAuditLog",
            "drainAll",
            "");
    ObjectNode request =
        execNode(mbeans[r.nextInt(mbeans.length)], operation, hostile.name(r), false);
    if (r.nextInt(3) == 0) {
      request =
          JSON.createObjectNode()
              .put("type", "write")
              .put("mbean", mbeans[r.nextInt(mbeans.length)])
              .put("attribute", Hostile.pick(r, "AuditLog", "Hosts", "State", hostile.name(r)));
      request.set("value", hostile.value(r));
    }
    return post(index, "jolokia/mbean-names", JSON.writeValueAsString(request));
  }

  private Input bulk(int index, Random r) throws JsonProcessingException {
    ArrayNode requests = JSON.createArrayNode();
    int n = 1 + r.nextInt(30);
    for (int k = 0; k < n; k++) {
      requests.add(
          execNode(
              OPERATIONS,
              Hostile.pick(r, "drain", "activate", "cancel", "removeHost", "migrate"),
              hostile.name(r),
              r.nextInt(3) == 0 ? hostile.name(r) : Boolean.FALSE));
    }
    return post(index, "jolokia/bulk", JSON.writeValueAsString(requests));
  }

  private String oversizedExec(Random r) throws JsonProcessingException {
    int size = (64 << 10) + 1 + r.nextInt(200 << 10);
    return JSON.writeValueAsString(execNode(OPERATIONS, "drain", "h".repeat(size), false));
  }

  private Input getPath(int index, Random r) {
    String operation =
        Hostile.pick(r, "drain", "activate", "cancel", "removeHost", "migrate", "balance");
    StringBuilder path =
        new StringBuilder(target.jolokiaUrl())
            .append(Hostile.pick(r, "exec/", "EXEC/", "exec//", "write/", "read/"));
    path.append(
        Hostile.pick(
            r, "xcm:type=Operations", "xcm:type=Operations,*", "xcm:*", encode(hostile.name(r))));
    path.append('/').append(operation);
    int args = r.nextInt(4);
    for (int k = 0; k < args; k++) {
      path.append('/').append(encode(hostile.name(r).replace("/", "!/")));
    }
    URI uri;
    try {
      uri = URI.create(path.toString());
    } catch (IllegalArgumentException e) {
      uri = URI.create(target.jolokiaUrl() + "exec/xcm:type=Operations/drain/%00nope/false");
    }
    return new Input(
        index,
        "jolokia/get-path",
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", authorization)
            .GET()
            .build(),
        Input.Door.JOLOKIA);
  }

  private Input auth(int index, Random r) throws JsonProcessingException {
    String body = JSON.writeValueAsString(execNode(OPERATIONS, "drain", firstHost(), false));
    String user = target.user();
    String password = target.password();
    String[] auth = {
      null,
      Credentials.basicAuthorization(user, password + "x"),
      Credentials.basicAuthorization(user, ""),
      Credentials.basicAuthorization("", password),
      Credentials.basicAuthorization(user.toUpperCase(Locale.ROOT), password),
      "Basic " + Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)),
      "Basic !!!not-base64",
      "Bearer " + password,
    };
    String chosen = auth[r.nextInt(auth.length)];
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    target.jolokiaUrl()
                        + Hostile.pick(
                            r,
                            "",
                            "config",
                            "config/",
                            "version",
                            "exec/xcm:type=Operations/drain/" + firstHost() + "/false")))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (chosen != null) {
      request.header("Authorization", chosen);
    }
    return new Input(index, "jolokia/auth", request.build(), Input.Door.JOLOKIA);
  }

  private String firstHost() {
    return target.hosts().keySet().iterator().next();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
