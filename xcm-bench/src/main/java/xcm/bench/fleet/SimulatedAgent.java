package xcm.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.AttributeNotFoundException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.StandardMBean;
import org.jolokia.json.JSONObject;
import xcm.mbeans.DomainMXBean;
import xcm.mbeans.HostMXBean;
import xcm.mbeans.ObjectNames;

/**
 * The Jolokia endpoint of one simulated host: answers what the coordinator asks an agent — the bulk
 * read of {@code xcm:type=Host} and every {@code xcm:type=Domain}, {@code
 * HostOperations.domainDefinition}, {@code HostOperations.announceEpoch} — as the real agent's
 * Jolokia does. Values come from the agent's own MXBean interfaces through the JDK's MXBean mapping
 * ({@link StandardMBean}: open types, a {@code Map} as {@code TabularData}) and go through
 * Jolokia's own serialiser ({@link JolokiaReplies}). Anything else is answered with an error that
 * says it is not simulated.
 *
 * <p>Between two samples of its host it answers a request it answered before with the same bytes:
 * the values are the same (as a real agent's are between its samples), and the fleet, which stands
 * in for thousands of agents on the coordinator's machine, must not take the CPU the coordinator's
 * figures are about. Requests that act ({@code exec}) are answered afresh every time.
 *
 * <pre>{@code
 * SimulatedAgent agent = new SimulatedAgent(host, replies);
 * byte[] answer = agent.answer(requestBody, System.currentTimeMillis());
 * }</pre>
 *
 * <p>Not thread-safe: one fleet thread serves a host.
 */
final class SimulatedAgent {
  private static final ObjectName HOST = ObjectNames.host();
  private static final ObjectName OPERATIONS = ObjectNames.hostOperations();

  private final SimulatedHost host;
  private final JolokiaReplies replies;
  private final StandardMBean hostBean;

  /** By canonical name, as a pattern read names them. */
  private final Map<ObjectName, StandardMBean> domainBeans = new LinkedHashMap<>();

  /** Answers given since the last sample, by request body. */
  private final Map<ByteBuffer, byte[]> answered = new HashMap<>();

  private boolean acted;

  SimulatedAgent(SimulatedHost host, JolokiaReplies replies) {
    this.host = host;
    this.replies = replies;
    this.hostBean = new StandardMBean(host, HostMXBean.class, true);
    for (SimulatedDomain d : host.domains()) {
      domainBeans.put(
          ObjectNames.domain(d.getName()), new StandardMBean(d, DomainMXBean.class, true));
    }
  }

  SimulatedHost host() {
    return host;
  }

  /** The answer to a Jolokia POST body: one reply, or an array of them for a bulk request. */
  byte[] answer(byte[] body, long nowMillis) {
    if (host.sampleIfDue(nowMillis)) {
      answered.clear();
    }
    ByteBuffer key = ByteBuffer.wrap(body);
    byte[] answer = answered.get(key);
    if (answer == null) {
      acted = false;
      answer = replies.answer(body, nowMillis, this::reply);
      if (!acted && answered.size() < 4) {
        answered.put(key, answer);
      }
    }
    return answer;
  }

  private JSONObject reply(JsonNode request, long nowMillis) {
    String type = request.path("type").asText("");
    ObjectName mbean;
    try {
      mbean = new ObjectName(request.path("mbean").asText(""));
    } catch (MalformedObjectNameException e) {
      return replies.error(request, 400, e.getClass(), "Invalid object name: " + e.getMessage());
    }
    try {
      return switch (type) {
        case "read" -> read(request, mbean, nowMillis);
        case "exec" -> exec(request, mbean, nowMillis);
        default -> notSimulated(request, "request type " + type);
      };
    } catch (AttributeNotFoundException e) {
      return replies.error(request, 404, e.getClass(), e.getMessage());
    }
  }

  private JSONObject read(JsonNode request, ObjectName mbean, long nowMillis)
      throws AttributeNotFoundException {
    JsonNode attribute = request.path("attribute");
    if (mbean.isPattern()) {
      JSONObject matched = new JSONObject();
      for (Map.Entry<ObjectName, StandardMBean> e : domainBeans.entrySet()) {
        if (mbean.apply(e.getKey())) {
          // A pattern read leaves out what an MBean lacks, as Jolokia's does.
          matched.put(
              e.getKey().getCanonicalName(),
              attributes(e.getValue(), names(e.getValue(), attribute), true));
        }
      }
      if (matched.isEmpty()) {
        return replies.error(
            request,
            404,
            InstanceNotFoundException.class,
            "No matching MBean found for pattern " + mbean);
      }
      return replies.value(request, matched, nowMillis);
    }
    StandardMBean bean = mbean.equals(HOST) ? hostBean : domainBeans.get(mbean);
    if (bean == null) {
      return replies.error(request, 404, InstanceNotFoundException.class, mbean.toString());
    }
    if (attribute.isTextual()) {
      // One attribute named alone: its value itself, as Jolokia answers it.
      return replies.value(request, attribute(bean, attribute.asText()), nowMillis);
    }
    return replies.value(request, attributes(bean, names(bean, attribute), false), nowMillis);
  }

  private JSONObject exec(JsonNode request, ObjectName mbean, long nowMillis) {
    acted = true;
    String operation = request.path("operation").asText("");
    JsonNode arguments = request.path("arguments");
    if (!mbean.equals(OPERATIONS)) {
      return notSimulated(request, "operations of " + mbean);
    }
    if (operation.equals("domainDefinition") && arguments.size() == 1) {
      String name = arguments.get(0).asText();
      SimulatedDomain domain = host.domain(name);
      if (domain == null) {
        // The agent's own wording when libvirt does not know the domain.
        return replies.error(
            request,
            400,
            IllegalArgumentException.class,
            host.getName()
                + ": "
                + host.getLibvirtUri()
                + ": cannot read the definition of domain '"
                + name
                + "': Domain not found");
      }
      return replies.value(request, domain.definitionXml(), nowMillis);
    }
    if (operation.equals("announceEpoch") && arguments.size() == 1) {
      return replies.value(request, host.announceEpoch(arguments.get(0).asLong()), nowMillis);
    }
    return notSimulated(request, "HostOperations." + operation);
  }

  private JSONObject notSimulated(JsonNode request, String what) {
    return replies.error(
        request,
        500,
        UnsupportedOperationException.class,
        host.getName() + ": " + what + " is not simulated by the bench's fleet");
  }

  /**
   * The attributes of one MBean as open values, serialised; {@code skipMissing} for a pattern read.
   */
  private JSONObject attributes(StandardMBean bean, List<String> names, boolean skipMissing)
      throws AttributeNotFoundException {
    JSONObject values = new JSONObject();
    for (String name : names) {
      try {
        values.put(name, attribute(bean, name));
      } catch (AttributeNotFoundException e) {
        if (!skipMissing) {
          throw e;
        }
      }
    }
    return values;
  }

  /** One attribute as an open value, serialised. */
  private Object attribute(StandardMBean bean, String name) throws AttributeNotFoundException {
    try {
      return replies.serialise(bean.getAttribute(name));
    } catch (AttributeNotFoundException e) {
      throw new AttributeNotFoundException(
          "No such attribute: " + name + " (of " + bean.getMBeanInfo().getClassName() + ")");
    } catch (MBeanException | ReflectionException e) {
      throw new IllegalStateException("a simulated MXBean failed: " + e.getMessage(), e);
    }
  }

  /** The attributes a read names: a list, or every attribute when it names none. */
  private static List<String> names(StandardMBean bean, JsonNode attribute) {
    List<String> names = new ArrayList<>();
    if (attribute.isArray()) {
      attribute.forEach(a -> names.add(a.asText()));
    } else {
      for (var info : bean.getMBeanInfo().getAttributes()) {
        names.add(info.getName());
      }
    }
    return names;
  }
}
