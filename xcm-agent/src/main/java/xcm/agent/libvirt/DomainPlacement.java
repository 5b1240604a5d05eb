package xcm.agent.libvirt;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.PlacementXml;

/**
 * Writes a domain's placement rules into its libvirt metadata ({@code virDomainSetMetadata}, one
 * element in {@value PlacementXml#NAMESPACE} with prefix {@value PlacementXml#PREFIX}), where
 * {@code virsh metadata} reads them and every migration carries them along.
 *
 * <p>Thread-safe: it keeps no state besides the connection.
 */
final class DomainPlacement {
  private final LibvirtConnection connection;

  DomainPlacement(LibvirtConnection connection) {
    this.connection = connection;
  }

  /** See {@link Hypervisor#setPlacement}. */
  void setPlacement(String name, PlacementRules rules) throws HypervisorException {
    String xml = PlacementXml.write(rules);
    connection.onDomain(
        name,
        "set the placement rules of",
        domain -> {
          domain.setMetadata(
              Domain.MetadataType.ELEMENT,
              xml.isEmpty() ? null : xml,
              xml.isEmpty() ? null : PlacementXml.PREFIX,
              PlacementXml.NAMESPACE,
              impact(domain));
          return null;
        });
  }

  /**
   * Which definitions to change: a running domain's live one, and its persistent one if it has one
   * (else the rules would be gone after its next shutdown); a shut-off domain's persistent one, the
   * only one it has.
   */
  private static int impact(Domain domain) throws LibvirtException {
    if (domain.isActive() != 1) {
      return Domain.ModificationImpact.CONFIG;
    }
    return domain.isPersistent() == 1
        ? Domain.ModificationImpact.LIVE | Domain.ModificationImpact.CONFIG
        : Domain.ModificationImpact.LIVE;
  }
}
