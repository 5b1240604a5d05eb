package xcm.agent.libvirt;

import java.io.StringReader;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What the agent reads of libvirt's capabilities XML ({@code virConnectGetCapabilities}): the host
 * UUID, {@code <capabilities><host><uuid>}, which libvirt takes from the machine's SMBIOS or from
 * {@code host_uuid} in libvirtd.conf. It is what binds an agent's certificate to its machine.
 *
 * <p>Parsed with StAX without DTDs or external entities, as {@link DomainIdentity} is: the XML
 * comes from libvirtd, which the agent trusts no more than it must. Stateless.
 */
final class HostCapabilities {
  /** The canonical form only: libvirt writes it so, and one UUID should have one spelling. */
  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static final XMLInputFactory XML = secureFactory();

  private HostCapabilities() {}

  /**
   * The host UUID of a capabilities XML, lower case.
   *
   * @param uri the hypervisor's URI, for the message
   * @throws HypervisorException naming the URI when the XML is unreadable, names no host UUID, or
   *     one that is not a UUID
   */
  static UUID hostUuid(String uri, String capabilitiesXml) throws HypervisorException {
    String text = read(uri, capabilitiesXml);
    if (text == null || text.isEmpty()) {
      throw new HypervisorException(
          uri
              + ": libvirt reports no host UUID (<capabilities><host><uuid>); set host_uuid in"
              + " libvirtd.conf where the machine has no SMBIOS UUID");
    }
    if (!UUID_TEXT.matcher(text).matches()) {
      throw new HypervisorException(
          uri + ": libvirt's host UUID '" + text + "' is not a UUID (8-4-4-4-12 hex digits)");
    }
    return UUID.fromString(text.toLowerCase(Locale.ROOT));
  }

  /** The text of the first {@code <uuid>} right under {@code <capabilities><host>}, or null. */
  private static String read(String uri, String xml) throws HypervisorException {
    if (xml == null || xml.isBlank()) {
      throw new HypervisorException(uri + ": libvirt returned empty host capabilities");
    }
    try {
      XMLStreamReader reader = XML.createXMLStreamReader(new StringReader(xml));
      try {
        // The element names on the path from the root to where the reader is.
        String[] path = new String[3];
        int depth = 0;
        while (reader.hasNext()) {
          int event = reader.next();
          if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
            String element = reader.getLocalName();
            if (depth == 1 && !element.equals("capabilities")) {
              throw new HypervisorException(
                  uri + ": not libvirt capabilities XML: its root element is <" + element + ">");
            }
            if (depth <= path.length) {
              path[depth - 1] = element;
            }
            if (depth == 3 && path[1].equals("host") && element.equals("uuid")) {
              return reader.getElementText().strip();
            }
          } else if (event == XMLStreamConstants.END_ELEMENT) {
            depth--;
          }
        }
        return null;
      } finally {
        reader.close();
      }
    } catch (XMLStreamException e) {
      throw new HypervisorException(
          uri + ": unreadable host capabilities XML: " + e.getMessage(), e);
    }
  }

  private static XMLInputFactory secureFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return factory;
  }
}
