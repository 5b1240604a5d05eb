package xcm.bench.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import xcm.bench.BenchProcesses;
import xcm.client.Credentials;
import xcm.mbeans.ObjectNames;

/**
 * Hostile placement rules, every one of which must be refused: to the coordinator's {@code
 * xcm:type=Rules} ({@code setRules}, {@code domainRules}, {@code clearRules}) and its forced
 * operations ({@code forceMigrate}, {@code forceDrain}), and to each agent's {@code
 * xcm:type=HostOperations setPlacement}. The inputs are rule text that cannot be read (unknown
 * words, group names and labels with characters outside the grammar — {@code , = : " \ /}, XML's
 * own, unicode, control characters —, names too long, too many rules, a rule given twice), huge
 * text, text that looks like XCM's metadata XML or tries to break out of it, rules that contradict
 * the ones the fuzz cluster's VMs hold ({@link FuzzBench#RULES}), VMs that are not there (hostile
 * names, near misses of real ones, a real name with a NUL in it, a VM of another host), nulls,
 * wrong types and arities; forced moves on a cluster too full to take them. Valid rules are only
 * ever sent for a VM that is not there, so an input that is carried out changes a VM's rules, which
 * the fuzzer's state checks see.
 *
 * <p>Each text is invalid by construction, from the grammar the rules documentation states (not by
 * asking the product's parser), so a parser that let something through would show as a failure.
 *
 * <p>Thread-safe: the target is immutable.
 */
final class RulesInputs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RULES = ObjectNames.rules().getCanonicalName();
  private static final String OPERATIONS = ObjectNames.operations().getCanonicalName();
  private static final String HOST_OPERATIONS = ObjectNames.hostOperations().getCanonicalName();

  /**
   * The epoch of the target's one coordinator, which a change of an agent carries: the inputs are
   * refused for what else they hold, never for a superseded epoch.
   */
  private static final long EPOCH = 1;

  /**
   * Characters that no group name, label key or label value may hold; none separates clauses
   * ({@code ;}, a line break) or words (white space), so a name holding one stays one bad name.
   */
  private static final int[] FORBIDDEN =
      (",=:\"\\/<>&'*?!$%()[]{}|#@+~`^é中😀ドß\u0000\u0001\u007F\u00A0\u200B\u202E\uFEFF\uFFFF")
          .codePoints()
          .toArray();

  /** Clauses that hold on their own; added beside a bad one, they make nothing valid. */
  private static final String[] VALID = {
    "apart db2", "together app2 soft", "prefer rack=fuzzb", "restart low", "avoid rack=fuzzb"
  };

  /** Texts that look like XCM's metadata element, or try to close it and write their own. */
  private static final String[] XML = {
    "<xcm:placement xmlns:xcm=\"urn:xcm:placement\" version=\"1\"><xcm:pinned/></xcm:placement>",
    "<placement version=\"1\"><apart group=\"db\" strength=\"hard\"/></placement>",
    "apart db\"/><xcm:pinned/><xcm:apart group=\"x",
    "apart db' strength='hard'/><pinned/><apart group='x",
    "on rack=fuzza\"/><xcm:pinned/><xcm:host rule=\"on\" labels=\"rack=fuzza",
    "apart <![CDATA[db]]>",
    "apart ]]>",
    "<!DOCTYPE placement [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><placement"
        + " version=\"1\">&e;</placement>",
    "apart &e;",
    "apart &lt;db&gt;",
    "apart db&amp;x",
    "apart db<!-- x -->",
    "<?xml version=\"1.0\"?><placement version=\"1\"/>",
    "</metadata><description>owned</description><metadata>",
    "apart db\u0000<pinned/>",
    "<xcm:pinned/>",
    "pinned/>",
    "restart high\"/><xcm:restart priority=\"never",
  };

  private final Fuzzer.Target target;
  private final Hostile hostile;
  private final String authorization;
  private final String agentAuthorization;

  RulesInputs(Fuzzer.Target target, Hostile hostile) {
    this.target = target;
    this.hostile = hostile;
    this.authorization = Credentials.basicAuthorization(target.user(), target.password());
    // The agents' local operator, as BenchProcesses starts them.
    this.agentAuthorization = Credentials.basicAuthorization("xcm", BenchProcesses.PASSWORD);
  }

  /** Adds the rules categories, {@code rules/...} to the coordinator and {@code agent/...}. */
  void addTo(Map<String, Inputs.Generator> g) {
    g.put("rules/set-malformed", (i, r) -> set(i, "rules/set-malformed", realDomain(r), bad(r)));
    g.put("rules/set-huge", (i, r) -> set(i, "rules/set-huge", realDomain(r), huge(r)));
    g.put("rules/set-xml", (i, r) -> set(i, "rules/set-xml", realDomain(r), xml(r)));
    g.put("rules/set-contradictory", this::contradictory);
    g.put(
        "rules/set-unknown-vm",
        (i, r) -> set(i, "rules/set-unknown-vm", missingDomain(r), valid(r)));
    g.put(
        "rules/domainRules",
        (i, r) -> coordinator(i, "rules/domainRules", RULES, "domainRules", missing(r)));
    g.put(
        "rules/clearRules",
        (i, r) -> coordinator(i, "rules/clearRules", RULES, "clearRules", missing(r)));
    g.put("rules/forceMigrate", this::forceMigrate);
    g.put("rules/forceDrain", this::forceDrain);
    g.put("rules/arity-types", this::arityAndTypes);
    g.put("agent/setPlacement-text", this::agentText);
    g.put("agent/setPlacement-names", this::agentNames);
    g.put("agent/setPlacement-types", this::agentTypes);
  }

  // ---- the coordinator

  private Input set(int index, String category, Object domain, Object text)
      throws JsonProcessingException {
    return coordinator(index, category, RULES, "setRules", domain, text);
  }

  private Input coordinator(
      int index, String category, String mbean, String operation, Object... arguments)
      throws JsonProcessingException {
    return post(
        index,
        category,
        URI.create(target.jolokiaUrl()),
        authorization,
        JSON.writeValueAsString(exec(mbean, operation, arguments)),
        Input.Door.JOLOKIA);
  }

  /**
   * Rules that can be read but not hold beside the fuzz cluster's own ({@link FuzzBench#RULES}).
   */
  private Input contradictory(int index, Random r) throws JsonProcessingException {
    String extra = r.nextBoolean() ? "" : "; " + Hostile.pick(r, VALID);
    String domain;
    String text;
    switch (r.nextInt(9)) {
      case 0 -> {
        // fza0002 is 'together app; apart x': fza0003, with it in app, cannot be apart from it.
        domain = "fza0003";
        text = "together app; apart x";
      }
      case 1 -> {
        // fza0001 and fzb0001 are 'apart db' on the two hosts: a third needs a third host.
        domain = pickOther(r, "fza0001", "fzb0001");
        text = "apart db";
      }
      case 2 -> {
        // db is hard for its members, web soft for fzb0002's, app hard: strength must agree.
        domain = Hostile.pick(r, "fza0001", "fzb0001", realDomain(r));
        text = "apart db soft";
      }
      case 3 -> {
        domain = pickOther(r, "fzb0002");
        text = "apart web";
      }
      case 4 -> {
        domain = realDomain(r);
        text = "together app soft";
      }
      case 5 -> {
        // No host carries these labels.
        domain = realDomain(r);
        text =
            Hostile.pick(
                r,
                "on rack=nowhere",
                "on rack=FUZZA",
                "on disk=ssd",
                "on rack=fuzza,disk=ssd",
                "together app; on rack=nowhere");
      }
      case 6 -> {
        // On and not on the same labels, or one label with two values.
        domain = realDomain(r);
        text =
            Hostile.pick(
                r,
                "on rack=fuzza; not-on rack=fuzza",
                "on rack=fuzza; on rack=fuzzb",
                "on rack=fuzza,rack=fuzzb",
                "not-on rack=fuzza; not-on rack=fuzzb");
      }
      case 7 -> {
        domain = realDomain(r);
        text = "together app; not-on rack=fuzza; not-on rack=fuzzb";
      }
      default -> {
        // A rule given twice.
        domain = realDomain(r);
        text = Hostile.pick(r, "apart db; apart db soft", "restart high; restart low");
      }
    }
    return set(index, "rules/set-contradictory", domain, text + extra);
  }

  private Input forceMigrate(int index, Random r) throws JsonProcessingException {
    List<String> hosts = new ArrayList<>(target.hosts().keySet());
    String domain = realDomain(r);
    String host = hosts.get(r.nextInt(hosts.size()));
    Object[] arguments =
        switch (r.nextInt(4)) {
          case 0 -> new Object[] {domain, hostile.name(r)};
          case 1 -> new Object[] {missingDomain(r), host};
          case 2 -> new Object[] {hostile.name(r), hostile.name(r)};
          // The cluster is full: forced or not, a real domain to a real host is refused for lack
          // of memory (the pinned fzb0002, fza0004 on rack=fuzza, the apart db pair too), or
          // because it runs there already.
          default -> new Object[] {domain, host};
        };
    return coordinator(index, "rules/forceMigrate", OPERATIONS, "forceMigrate", arguments);
  }

  private Input forceDrain(int index, Random r) throws JsonProcessingException {
    List<String> hosts = new ArrayList<>(target.hosts().keySet());
    // Never a dry run of a real host, which would make an operation: the others cannot take its
    // VMs, pinned or not, so a real drain is refused.
    Object host = r.nextBoolean() ? hosts.get(r.nextInt(hosts.size())) : hostile.name(r);
    Object dryRun = Hostile.pick(r, Boolean.FALSE, "false", "FALSE", "0", "no");
    return coordinator(index, "rules/forceDrain", OPERATIONS, "forceDrain", host, dryRun);
  }

  private Input arityAndTypes(int index, Random r) throws JsonProcessingException {
    String[][] operations = {
      {RULES, "setRules"},
      {RULES, "domainRules"},
      {RULES, "clearRules"},
      {OPERATIONS, "forceMigrate"},
      {OPERATIONS, "forceDrain"}
    };
    String[] operation = operations[r.nextInt(operations.length)];
    Object[] arguments;
    if (r.nextInt(3) == 0) {
      // Nulls where a VM, its rules or a host go, beside real names.
      arguments =
          switch (operation[1]) {
            case "setRules" ->
                Hostile.pick(
                    r,
                    new Object[] {realDomain(r), null},
                    new Object[] {null, "pinned"},
                    new Object[] {null, null});
            case "forceMigrate" ->
                Hostile.pick(
                    r, new Object[] {realDomain(r), null}, new Object[] {null, hostName(r)});
            case "forceDrain" -> new Object[] {null, Boolean.FALSE};
            default -> new Object[] {null};
          };
    } else if (operation[1].equals("setRules") && r.nextBoolean()) {
      // A real VM with rules of a wrong type: numbers, booleans, objects, arrays.
      arguments = new Object[] {realDomain(r), wrongType(r)};
    } else {
      int arity = r.nextInt(5);
      arguments = new Object[arity];
      for (int a = 0; a < arity; a++) {
        arguments[a] = hostile.value(r);
      }
    }
    return coordinator(index, "rules/arity-types", operation[0], operation[1], arguments);
  }

  // ---- the agents

  /** A real VM of the agent with rule text that cannot be read. */
  private Input agentText(int index, Random r) throws JsonProcessingException {
    String host = hostName(r);
    String text =
        switch (r.nextInt(4)) {
          case 0 -> xml(r);
          case 1 -> huge(r);
          default -> bad(r);
        };
    return agent(index, "agent/setPlacement-text", host, localDomain(r, host), text, EPOCH);
  }

  /** Readable rules for a VM the agent does not have. */
  private Input agentNames(int index, Random r) throws JsonProcessingException {
    String host = hostName(r);
    String domain =
        switch (r.nextInt(3)) {
          // A VM of the other host.
          case 0 -> otherDomain(r, host);
          // A VM of this host with a NUL in its name: libvirt would read the name up to it.
          case 1 -> localDomain(r, host) + "\u0000" + Hostile.pick(r, "", "x", "\u0000", "/..");
          default -> missingDomain(r);
        };
    return agent(index, "agent/setPlacement-names", host, domain, valid(r), EPOCH);
  }

  /** Nulls, wrong types and arities. */
  private Input agentTypes(int index, Random r) throws JsonProcessingException {
    String host = hostName(r);
    Object[] arguments =
        switch (r.nextInt(4)) {
          // Null rules are no rules to write, not a way to clear them ("" is).
          case 0 -> new Object[] {localDomain(r, host), null, EPOCH};
          case 1 -> new Object[] {null, Hostile.pick(r, "pinned", "", null), EPOCH};
          case 2 -> new Object[] {localDomain(r, host), wrongType(r), EPOCH};
          default -> {
            int arity = Hostile.pick(r, 0, 1, 2, 4);
            Object[] some = new Object[arity];
            for (int a = 0; a < arity; a++) {
              some[a] = a == 0 ? localDomain(r, host) : hostile.value(r);
            }
            yield some;
          }
        };
    return agent(index, "agent/setPlacement-types", host, arguments);
  }

  private Input agent(int index, String category, String host, Object... arguments)
      throws JsonProcessingException {
    return post(
        index,
        category,
        URI.create(target.hosts().get(host)),
        agentAuthorization,
        JSON.writeValueAsString(exec(HOST_OPERATIONS, "setPlacement", arguments)),
        Input.Door.AGENT);
  }

  // ---- rule text

  /** Rules that hold when read, for VMs that are not there: {@code ""} too, which clears. */
  private static String valid(Random r) {
    return Hostile.pick(
        r,
        "",
        "pinned",
        "apart db",
        "together app soft",
        "on rack=fuzza",
        "restart never",
        "apart db; prefer rack=fuzzb; restart low");
  }

  /**
   * Text with one clause that cannot be read, among up to three that can, joined as operators and
   * scripts might join them.
   */
  static String bad(Random r) {
    List<String> clauses = new ArrayList<>();
    int valid = r.nextInt(4);
    for (int k = 0; k < valid; k++) {
      clauses.add(VALID[r.nextInt(VALID.length)]);
    }
    clauses.add(r.nextInt(clauses.size() + 1), badClause(r));
    return String.join(Hostile.pick(r, "; ", ";", "\n", " ;  ", ";\n"), clauses);
  }

  /** One clause that cannot be read, whatever stands beside it. */
  static String badClause(Random r) {
    String group = letters(r, 1 + r.nextInt(8));
    return switch (r.nextInt(12)) {
      case 0 -> "apart " + badName(r);
      case 1 -> "together " + badName(r) + (r.nextBoolean() ? " soft" : "");
      case 2 ->
          Hostile.pick(r, "apart ", "together ")
              + group
              + " "
              + Hostile.pick(r, "firm", "SOFT", "Hard", "soft soft", "hard soft", "soft,");
      case 3 ->
          Hostile.pick(
                  r,
                  "Apart",
                  "APART",
                  "apartt",
                  "anti-affinity",
                  "affinity",
                  "near",
                  "togehter",
                  "Together",
                  "on-host",
                  "noton",
                  "not_on",
                  "Pinned",
                  "pin",
                  "Restart",
                  "priority",
                  "<apart",
                  "apart=",
                  "apart:")
              + " "
              + group;
      case 4 -> Hostile.pick(r, "apart", "together", "on", "not-on", "prefer", "avoid");
      case 5 -> "pinned " + Hostile.pick(r, "yes", "true", "1", "db", "soft", badName(r));
      case 6 ->
          "restart "
              + Hostile.pick(
                  r, "urgent", "HIGH", "High", "0", "-1", "high low", "medium,", badName(r));
      case 7 -> hostWord(r) + " " + badLabels(r);
      case 8 -> {
        String kind = Hostile.pick(r, "apart ", "together ");
        yield kind + group + "; " + kind + group + Hostile.pick(r, "", " soft", " hard");
      }
      case 9 -> tooMany(r, 17 + r.nextInt(30));
      case 10 -> String.valueOf(Character.toChars(FORBIDDEN[r.nextInt(FORBIDDEN.length)]));
      default -> "apart " + group + Hostile.pick(r, "\u0000", "\u202E", "\uFEFF") + group;
    };
  }

  /** Labels a host rule cannot have. */
  private static String badLabels(Random r) {
    String key = Hostile.pick(r, "rack", "ssd", "zone", "licence");
    String value = letters(r, 1 + r.nextInt(8));
    return switch (r.nextInt(12)) {
      case 10 -> "host=" + value;
      case 11 -> tooManyLabels(r);
      case 0 -> badName(r) + "=" + value;
      case 1 -> key + "=" + badName(r);
      case 2 -> Hostile.pick(r, "Rack", "1rack", "_rack", "rack-1", "räck", "rack.x") + "=" + value;
      case 3 -> "k" + letters(r, 63 + r.nextInt(300)) + "=" + value;
      case 4 -> key;
      case 5 -> key + "=";
      case 6 -> "=" + value;
      case 7 -> key + "=" + value + "," + key + "=" + value;
      case 8 -> key + "==" + value;
      default -> key + "=" + value + "=" + value;
    };
  }

  /** More labels than a host may carry (32). */
  private static String tooManyLabels(Random r) {
    List<String> labels = new ArrayList<>();
    int count = 33 + r.nextInt(40);
    for (int k = 0; k < count; k++) {
      labels.add("k" + k + "=v");
    }
    return String.join(",", labels);
  }

  private static String hostWord(Random r) {
    return Hostile.pick(r, "on", "not-on", "prefer", "avoid");
  }

  /** More rules of one kind than a VM may have (16), each group or label its own. */
  private static String tooMany(Random r, int count) {
    String kind = Hostile.pick(r, "apart", "together", "prefer");
    List<String> clauses = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      clauses.add(kind.equals("prefer") ? "prefer k" + k + "=v" : kind + " g" + k);
    }
    return String.join("; ", clauses);
  }

  /** A name no group or label may have: a forbidden character in it, or more than 63 characters. */
  private static String badName(Random r) {
    if (r.nextInt(4) == 0) {
      return letters(r, 64 + r.nextInt(r.nextBoolean() ? 200 : 5000));
    }
    StringBuilder name = new StringBuilder(letters(r, r.nextInt(6)));
    int forbidden = 1 + r.nextInt(3);
    for (int k = 0; k < forbidden; k++) {
      name.appendCodePoint(FORBIDDEN[r.nextInt(FORBIDDEN.length)]);
    }
    return name.append(letters(r, r.nextInt(6))).toString();
  }

  /**
   * Huge rule text that cannot be read: within the coordinator's 64 KiB body mostly, beyond it at
   * times.
   */
  static String huge(Random r) {
    int size = r.nextInt(5) == 0 ? 70_000 + r.nextInt(200_000) : 1_000 + r.nextInt(55_000);
    return switch (r.nextInt(5)) {
      case 0 -> "apart " + "g".repeat(size);
      case 1 -> tooMany(r, size / 12);
      case 2 -> "on rack=" + "r".repeat(size);
      case 3 -> " ".repeat(size) + badClause(r);
      default -> "pinned;".repeat(size / 7) + " " + badClause(r);
    };
  }

  private static String xml(Random r) {
    return XML[r.nextInt(XML.length)];
  }

  private static String letters(Random r, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int k = 0; k < length; k++) {
      text.append((char) ('a' + r.nextInt(26)));
    }
    return text.toString();
  }

  // ---- names

  private String realDomain(Random r) {
    return target.domains().get(r.nextInt(target.domains().size()));
  }

  private String pickOther(Random r, String... not) {
    List<String> others = new ArrayList<>(target.domains());
    others.removeAll(List.of(not));
    return others.get(r.nextInt(others.size()));
  }

  private String hostName(Random r) {
    List<String> hosts = new ArrayList<>(target.hosts().keySet());
    return hosts.get(r.nextInt(hosts.size()));
  }

  /** A VM of {@code host}: FuzzBench names host {@code fuzzX}'s VMs {@code fzX0001...}. */
  private String localDomain(Random r, String host) {
    String prefix = "fz" + host.charAt(host.length() - 1);
    List<String> local = target.domains().stream().filter(d -> d.startsWith(prefix)).toList();
    return local.get(r.nextInt(local.size()));
  }

  private String otherDomain(Random r, String host) {
    String prefix = "fz" + host.charAt(host.length() - 1);
    List<String> other = target.domains().stream().filter(d -> !d.startsWith(prefix)).toList();
    return other.get(r.nextInt(other.size()));
  }

  /** A name no VM has: hostile, or a near miss of a real one. */
  private String missingDomain(Random r) {
    String real = realDomain(r);
    return switch (r.nextInt(8)) {
      case 0 -> real + "\u0000";
      case 1 -> real + "\u0000" + real;
      case 2 -> " " + real;
      case 3 -> real.toUpperCase(Locale.ROOT);
      case 4 -> real.replace('0', '\uFF10');
      case 5 -> real + Hostile.pick(r, ",", "=", ":", "\"", "\\", "/", "*");
      default -> hostile.name(r);
    };
  }

  /** A missing VM, or a JSON value that is not a name at all. */
  private Object missing(Random r) {
    return r.nextInt(4) == 0 ? hostile.value(r) : missingDomain(r);
  }

  /** Rules of a type that is not text. */
  private JsonNode wrongType(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> JSON.getNodeFactory().numberNode(r.nextInt(100) - 50);
      case 1 -> JSON.getNodeFactory().booleanNode(r.nextBoolean());
      case 2 -> JSON.createObjectNode().put("apart", "db").put("pinned", true);
      case 3 -> JSON.createArrayNode().add("apart db").add("pinned");
      case 4 -> JSON.createArrayNode();
      // Not hostile.value: its text may be blank, which is a valid text (no rules).
      default -> JSON.getNodeFactory().numberNode(r.nextDouble() * 1e308);
    };
  }

  // ---- requests

  private static ObjectNode exec(String mbean, String operation, Object... arguments) {
    ObjectNode request = JSON.createObjectNode();
    request.put("type", "exec").put("mbean", mbean).put("operation", operation);
    ArrayNode args = request.putArray("arguments");
    for (Object argument : arguments) {
      args.add(
          argument == null
              ? JSON.nullNode()
              : argument instanceof JsonNode node ? node : JSON.valueToTree(argument));
    }
    return request;
  }

  private static Input post(
      int index, String category, URI url, String authorization, String body, Input.Door door) {
    return new Input(
        index,
        category,
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        door);
  }
}
