package xcm.agent.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.xml.stream.XMLStreamException;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainBlockStats;
import org.libvirt.DomainInfo;
import org.libvirt.DomainInterfaceStats;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import xcm.mbeans.DefinitionDigest;
import xcm.mbeans.DomainState;
import xcm.mbeans.placement.PlacementXml;

/**
 * Reads a host through its libvirt connection: its name, UUID and capacity, and every domain with
 * its statistics, which the sampler calls for at every sample; also one domain's state or XML by
 * name.
 *
 * <p>Thread-safe: it keeps no state besides the connection.
 */
final class HostReader {
  private static final long KIB = 1024;

  /**
   * The persistent definition (a transient domain's live one), as another host would define it;
   * with {@code VIR_DOMAIN_XML_SECURE}: a VM restarted elsewhere from a definition without its
   * console password would have an open console. Only operators may read it.
   */
  private static final int DEFINITION_FLAGS =
      Domain.XMLFlags.INACTIVE | Domain.XMLFlags.MIGRATABLE | Domain.XMLFlags.SECURE;

  private final LibvirtConnection connection;

  HostReader(LibvirtConnection connection) {
    this.connection = connection;
  }

  String hostName() throws HypervisorException {
    try {
      return connection.current().getHostName();
    } catch (LibvirtException e) {
      throw connection.translate(e, "cannot read the host name");
    }
  }

  /** See {@link Hypervisor#hostUuid()}. */
  UUID hostUuid() throws HypervisorException {
    String xml;
    try {
      xml = connection.current().getCapabilities();
    } catch (LibvirtException e) {
      throw connection.translate(e, "cannot read the host capabilities");
    }
    return HostCapabilities.hostUuid(connection.uri(), xml);
  }

  NodeCapacity capacity() throws HypervisorException {
    Connect conn = connection.current();
    try {
      NodeInfo node = conn.nodeInfo();
      return new NodeCapacity(node.cpus, node.memory * KIB, freeMemory(conn));
    } catch (LibvirtException e) {
      throw connection.translate(e, "cannot read node capacity");
    }
  }

  /** virNodeGetFreeMemory; -1 where the driver has no answer (the test driver has no cells). */
  private static long freeMemory(Connect conn) {
    try {
      long free = conn.getFreeMemory();
      return free > 0 ? free : -1;
    } catch (LibvirtException e) {
      return -1;
    }
  }

  /** See {@link Hypervisor#readDomains()}. */
  List<DomainReading> readDomains() throws HypervisorException {
    Connect conn = connection.current();
    Domain[] domains;
    try {
      domains = conn.listAllDomains(0);
    } catch (LibvirtException e) {
      throw connection.translate(e, "cannot list domains");
    }
    List<DomainReading> readings = new ArrayList<>(domains.length);
    try {
      for (Domain domain : domains) {
        DomainReading reading = read(domain);
        if (reading != null) {
          readings.add(reading);
        }
      }
    } finally {
      for (Domain domain : domains) {
        LibvirtConnection.free(domain);
      }
    }
    return readings;
  }

  /** Returns null when the domain vanished while it was being read. */
  private DomainReading read(Domain domain) throws HypervisorException {
    String name = "?";
    String uuid = "?";
    try {
      name = domain.getName();
      uuid = domain.getUUIDString();
      DomainInfo info = domain.getInfo();
      int id = domain.getID();
      boolean persistent = domain.isPersistent() == 1;
      long[] io = new long[8];
      String placementXml;
      if (id >= 0) {
        LiveDefinition devices = LiveDefinition.parse(domain.getXMLDesc(0));
        placementXml = devices.placementXml();
        for (String disk : devices.disks()) {
          DomainBlockStats block = domain.blockStats(disk);
          io[0] += block.rd_bytes;
          io[1] += block.wr_bytes;
          io[2] += block.rd_req;
          io[3] += block.wr_req;
        }
        for (String nic : devices.interfaces()) {
          DomainInterfaceStats net = domain.interfaceStats(nic);
          io[4] += net.rx_bytes;
          io[5] += net.tx_bytes;
          io[6] += net.rx_packets;
          io[7] += net.tx_packets;
        }
      } else {
        placementXml = placementMetadata(domain);
      }
      String digest = definitionDigest(domain);
      boolean autostart = domain.getAutostart();
      return new DomainStats(
          name,
          uuid,
          state(info),
          id,
          persistent,
          info.memory * KIB,
          info.maxMem * KIB,
          info.nrVirtCpu,
          info.cpuTime,
          io[0],
          io[1],
          io[2],
          io[3],
          io[4],
          io[5],
          io[6],
          io[7],
          placementXml,
          digest,
          autostart);
    } catch (LibvirtException e) {
      if (e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
        return null;
      }
      if (connection.isConnectionError(e)) {
        throw connection.translate(e, "cannot read domain '" + name + "'");
      }
      return new DomainReadFailure(name, uuid, e.getError().getMessage());
    } catch (XMLStreamException e) {
      return new DomainReadFailure(name, uuid, "unreadable domain XML: " + e.getMessage());
    }
  }

  /**
   * The placement metadata of a domain that is not active, whose XML the sample does not read:
   * libvirt's virDomainGetMetadata, one call. None is empty; more than {@link
   * PlacementXml#MAX_CHARS} or an error of libvirt's about the metadata alone is kept as {@link
   * PlacementXml#unread}, so that the domain is read all the same.
   *
   * @throws LibvirtException when the domain vanished or the connection failed, as for the domain's
   *     other reads
   */
  private String placementMetadata(Domain domain) throws LibvirtException {
    String xml;
    try {
      xml = domain.getMetadata(Domain.MetadataType.ELEMENT, PlacementXml.NAMESPACE, 0);
    } catch (LibvirtException e) {
      ErrorNumber code = e.getError().getCode();
      if (code == ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA) {
        return "";
      }
      if (code == ErrorNumber.VIR_ERR_NO_DOMAIN || connection.isConnectionError(e)) {
        throw e;
      }
      return PlacementXml.unread(
          "cannot read the placement metadata: " + e.getError().getMessage());
    }
    if (xml == null) {
      return "";
    }
    return xml.length() > PlacementXml.MAX_CHARS
        ? PlacementXml.unread(PlacementXml.tooLong(xml.length()))
        : xml;
  }

  /**
   * {@link DefinitionDigest} of the domain's {@link #domainDefinition}; empty when libvirt fails to
   * return it for this domain alone, so that the domain is read all the same.
   *
   * @throws LibvirtException when the domain vanished or the connection failed, as for the domain's
   *     other reads
   */
  private String definitionDigest(Domain domain) throws LibvirtException {
    try {
      return DefinitionDigest.of(domain.getXMLDesc(DEFINITION_FLAGS));
    } catch (LibvirtException e) {
      if (e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN
          || connection.isConnectionError(e)) {
        throw e;
      }
      return DefinitionDigest.NONE;
    }
  }

  /** See {@link Hypervisor#domainDefinition}. */
  String domainDefinition(String name) throws HypervisorException {
    return connection.onDomain(
        name, "read the definition of", domain -> domain.getXMLDesc(DEFINITION_FLAGS));
  }

  DomainState domainState(String name) throws HypervisorException {
    return connection.onDomain(name, "read the state of", domain -> state(domain.getInfo()));
  }

  String domainXml(String name) throws HypervisorException {
    return connection.onDomain(name, "read the XML of", domain -> domain.getXMLDesc(0));
  }

  /** libvirt-java declares its states in virDomainState order, so the ordinal is libvirt's code. */
  private static DomainState state(DomainInfo info) {
    return DomainState.ofCode(info.state.ordinal());
  }
}
