package xcm.agent.migration;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Reply;
import xcm.client.Request;
import xcm.mbeans.Attributes;
import xcm.mbeans.HostMXBean;
import xcm.mbeans.MigrationJob;
import xcm.mbeans.ObjectNames;

/**
 * The destination's agent reached through its Jolokia: one POST per phase, to {@code
 * xcm:type=HostOperations}. Every failure comes with its outcome ({@link JolokiaException}), which
 * tells what the call may have done on the destination.
 *
 * <p>Thread-safe; the client is shared by every migration of the agent.
 */
final class JolokiaPeer implements Peer {
  private static final String NAME = Attributes.name(HostMXBean.class, HostMXBean::getName);
  private static final String LIBVIRT_URI =
      Attributes.name(HostMXBean.class, HostMXBean::getLibvirtUri);
  private static final String LIBVIRT_CONNECTED =
      Attributes.name(HostMXBean.class, HostMXBean::isLibvirtConnected);
  private static final String MIGRATION_URI =
      Attributes.name(HostMXBean.class, HostMXBean::getMigrationUri);
  private static final String MIGRATION_ADDRESS =
      Attributes.name(HostMXBean.class, HostMXBean::getMigrationAddress);
  private static final String MEMORY_FREE =
      Attributes.name(HostMXBean.class, HostMXBean::getMemoryFreeBytes);

  private final Endpoint destination;

  JolokiaPeer(Endpoint destination) {
    this.destination = destination;
  }

  @Override
  public String url() {
    return destination.url();
  }

  @Override
  public String prepareIncoming(String xml, String ticket) throws JolokiaException {
    // One round trip: the host name (for the status) and the phase itself, in this order.
    List<Reply> replies;
    try {
      replies =
          destination.send(
              List.of(
                  Request.read(ObjectNames.host(), NAME), exec("prepareIncoming", xml, ticket)));
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
    replies.get(1).value();
    return replies.get(0).failure().isEmpty() && replies.get(0).value().isTextual()
        ? replies.get(0).value().asText()
        : null;
  }

  @Override
  public void finishIncoming(String domain, String ticket) throws JolokiaException {
    send(exec("finishIncoming", domain, ticket));
  }

  @Override
  public void abortIncoming(String domain, String ticket) throws JolokiaException {
    send(exec("abortIncoming", domain, ticket));
  }

  @Override
  public Destination describe() throws JolokiaException {
    JsonNode host =
        send(
            Request.read(
                ObjectNames.host(),
                List.of(
                    NAME,
                    LIBVIRT_URI,
                    LIBVIRT_CONNECTED,
                    MIGRATION_URI,
                    MIGRATION_ADDRESS,
                    MEMORY_FREE)));
    return new Destination(
        host.path(NAME).asText(url()),
        host.path(LIBVIRT_URI).asText(""),
        host.path(LIBVIRT_CONNECTED).asBoolean(true),
        host.path(MIGRATION_URI).asText(""),
        host.path(MIGRATION_ADDRESS).asText(""),
        host.path(MEMORY_FREE).asLong(-1));
  }

  @Override
  public MigrationJob completedMigration(String domain) throws JolokiaException {
    JsonNode job = send(exec("completedMigration", domain));
    if (!job.isObject()) {
      return null;
    }
    return new MigrationJob(
        job.path("domain").asText(domain),
        job.path("operation").asText(""),
        job.path("timeElapsedMillis").asLong(-1),
        job.path("downtimeMillis").asLong(-1),
        job.path("dataTransferredBytes").asLong(-1),
        job.path("memoryBytes").asLong(-1));
  }

  /** Sends one request and waits; an agent stopping meanwhile leaves its outcome unknown. */
  private JsonNode send(Request request) throws JolokiaException {
    try {
      return destination.send(request);
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  private JolokiaException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return JolokiaException.interrupted(url(), e);
  }

  /** Jolokia's arguments are positional: in the order of the operation's parameters. */
  private static Request exec(String operation, String... arguments) {
    return Request.exec(ObjectNames.hostOperations(), operation, (Object[]) arguments);
  }
}
