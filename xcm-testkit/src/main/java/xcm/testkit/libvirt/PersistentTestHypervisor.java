package xcm.testkit.libvirt;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import xcm.agent.libvirt.DomainReading;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.HypervisorUnavailableException;
import xcm.agent.libvirt.LibvirtHypervisor;
import xcm.agent.libvirt.LiveMigrationTarget;
import xcm.agent.libvirt.NodeCapacity;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationJob;
import xcm.mbeans.config.FileMode;
import xcm.mbeans.placement.PlacementRules;

/**
 * libvirt's test driver with a memory: after every change made through the agent, the host's
 * domains and their run states are written to a state file, and an agent that starts again opens
 * that file instead of the original node XML. A real hypervisor's domains outlive the agent that
 * watches them; with this, a test-driver host's do too, which is what restarting an agent in the
 * middle of a migration needs to mean.
 *
 * <p>The file is written after the change it records, atomically: an agent killed in between comes
 * back one change behind, as a host whose management stopped at the wrong moment does, and the
 * coordinator's reconciliation must cope with that.
 *
 * <p>A test sets its domains' CPU load through a file beside the state file ({@link DriverLoad}):
 * the test driver itself reports every running domain one CPU busy.
 *
 * <p>Thread-safe: changes and writes are serialised.
 */
public final class PersistentTestHypervisor implements Hypervisor {
  private static final String TEST_NS = "http://libvirt.org/schemas/domain/test/1.0";

  private final Hypervisor hypervisor;
  private final Path node;
  private final Path state;

  private final DriverLoad load; // null: no load file when the host was opened

  private PersistentTestHypervisor(Hypervisor hypervisor, Path node, Path state) {
    this.hypervisor = hypervisor;
    this.node = node;
    this.state = state;
    // Only for hosts whose test asks for load from the start: every other agent reads the driver
    // exactly as before (the fault-injection trials are sensitive to the agents' timing).
    this.load =
        Files.exists(DriverLoad.beside(state))
            ? new DriverLoad(DriverLoad.beside(state), System::nanoTime)
            : null;
  }

  /**
   * Opens the host from {@code state} when it exists, else from the node XML of {@code uri} ({@code
   * test:///abs/path/node.xml}).
   */
  public static PersistentTestHypervisor open(String uri, Path state) throws HypervisorException {
    if (!uri.startsWith("test:///")) {
      throw new HypervisorUnavailableException(
          "a state file is for libvirt's test driver only, not for " + uri, null);
    }
    Path node = Path.of(uri.substring("test://".length()));
    Hypervisor hypervisor =
        LibvirtHypervisor.open(Files.exists(state) ? "test://" + state.toAbsolutePath() : uri);
    PersistentTestHypervisor persistent = new PersistentTestHypervisor(hypervisor, node, state);
    persistent.save();
    return persistent;
  }

  @Override
  public String uri() {
    return hypervisor.uri();
  }

  @Override
  public String hostName() throws HypervisorException {
    return hypervisor.hostName();
  }

  @Override
  public UUID hostUuid() throws HypervisorException {
    return hypervisor.hostUuid();
  }

  @Override
  public NodeCapacity capacity() throws HypervisorException {
    return hypervisor.capacity();
  }

  @Override
  public List<DomainReading> readDomains() throws HypervisorException {
    return load == null ? hypervisor.readDomains() : load.apply(hypervisor.readDomains());
  }

  @Override
  public boolean isAlive() {
    return hypervisor.isAlive();
  }

  @Override
  public void reconnect() throws HypervisorUnavailableException {
    hypervisor.reconnect();
  }

  @Override
  public synchronized String defineDomain(String xml) throws HypervisorException {
    String name = hypervisor.defineDomain(xml);
    save();
    return name;
  }

  @Override
  public synchronized void startDomain(String name) throws HypervisorException {
    hypervisor.startDomain(name);
    save();
  }

  @Override
  public synchronized void destroyDomain(String name) throws HypervisorException {
    hypervisor.destroyDomain(name);
    save();
  }

  @Override
  public synchronized void undefineDomain(String name) throws HypervisorException {
    hypervisor.undefineDomain(name);
    save();
  }

  @Override
  public synchronized boolean startDomainPaused(String name) throws HypervisorException {
    boolean paused = hypervisor.startDomainPaused(name);
    save();
    return paused;
  }

  @Override
  public synchronized void suspendDomain(String name) throws HypervisorException {
    hypervisor.suspendDomain(name);
    save();
  }

  @Override
  public synchronized void resumeDomain(String name) throws HypervisorException {
    hypervisor.resumeDomain(name);
    save();
  }

  @Override
  public DomainState domainState(String name) throws HypervisorException {
    return hypervisor.domainState(name);
  }

  @Override
  public String domainDefinition(String name) throws HypervisorException {
    return hypervisor.domainDefinition(name);
  }

  @Override
  public String domainXml(String name) throws HypervisorException {
    return hypervisor.domainXml(name);
  }

  @Override
  public synchronized void setPlacement(String name, PlacementRules rules)
      throws HypervisorException {
    hypervisor.setPlacement(name, rules);
    save();
  }

  @Override
  public boolean canMigrateLive() {
    return hypervisor.canMigrateLive();
  }

  @Override
  public void migrateLive(String domain, LiveMigrationTarget target) throws HypervisorException {
    hypervisor.migrateLive(domain, target);
    save();
  }

  @Override
  public Optional<MigrationJob> runningJob(String domain) throws HypervisorException {
    return hypervisor.runningJob(domain);
  }

  @Override
  public Optional<MigrationJob> completedJob(String domain) throws HypervisorException {
    return hypervisor.completedJob(domain);
  }

  @Override
  public void abortJob(String domain) throws HypervisorException {
    hypervisor.abortJob(domain);
  }

  @Override
  public void close() {
    hypervisor.close();
  }

  /**
   * Writes the node XML's host part with the domains as they are now, each with its run state
   * (libvirt's test namespace, {@code <test:runstate>}).
   */
  private synchronized void save() throws HypervisorException {
    try {
      DocumentBuilder builder = builder();
      Document document = builder.parse(node.toFile());
      Element root = document.getDocumentElement();
      NodeList old = root.getElementsByTagName("domain");
      for (int i = old.getLength() - 1; i >= 0; i--) {
        Node domain = old.item(i);
        if (domain.getParentNode() == root) {
          root.removeChild(domain);
        }
      }
      for (DomainReading reading : hypervisor.readDomains()) {
        Element domain =
            builder
                .parse(new InputSource(new StringReader(hypervisor.domainXml(reading.name()))))
                .getDocumentElement();
        NodeList runstates = domain.getElementsByTagNameNS(TEST_NS, "runstate");
        for (int i = runstates.getLength() - 1; i >= 0; i--) {
          runstates.item(i).getParentNode().removeChild(runstates.item(i));
        }
        domain.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:test", TEST_NS);
        Element runstate = domain.getOwnerDocument().createElementNS(TEST_NS, "test:runstate");
        runstate.setTextContent(Integer.toString(hypervisor.domainState(reading.name()).code()));
        domain.appendChild(runstate);
        root.appendChild(document.importNode(domain, true));
      }
      Path temporary = state.resolveSibling(state.getFileName() + ".tmp");
      // Its owner's only, as every state file of XCM's: created so before it is written.
      Files.deleteIfExists(temporary);
      if (Files.getFileAttributeView(
              temporary.toAbsolutePath().getParent(), PosixFileAttributeView.class)
          != null) {
        Files.createFile(
            temporary, PosixFilePermissions.asFileAttribute(FileMode.OWNER_FILE.permissions()));
      }
      Transformer transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.INDENT, "no");
      transformer.transform(new DOMSource(document), new StreamResult(temporary.toFile()));
      Files.move(
          temporary, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | SAXException | ParserConfigurationException | TransformerException e) {
      throw new HypervisorException(
          uri() + ": cannot save the host's domains to " + state + ": " + e.getMessage(), e);
    }
  }

  private static DocumentBuilder builder() throws ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setExpandEntityReferences(false);
    return factory.newDocumentBuilder();
  }
}
