package xcm.agent.libvirt;

import java.io.StringReader;
import java.util.Locale;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The name and UUID a libvirt domain XML declares ({@code <domain><name>} and {@code
 * <domain><uuid>}), read before the XML reaches libvirt: defining XML whose name is already taken
 * would not fail but replace that domain's definition.
 *
 * @param uuid null when the XML has none (libvirt then makes one up)
 */
public record DomainIdentity(String name, String uuid) {
  private static final XMLInputFactory XML = secureFactory();

  /**
   * Reads the name and UUID.
   *
   * @throws InvalidDomainException when the XML is not well-formed or has no {@code <name>}
   */
  public static DomainIdentity parse(String domainXml) throws InvalidDomainException {
    if (domainXml == null || domainXml.isBlank()) {
      throw new InvalidDomainException("domain XML is empty", null);
    }
    String name = null;
    String uuid = null;
    try {
      XMLStreamReader reader = XML.createXMLStreamReader(new StringReader(domainXml));
      try {
        int depth = 0;
        while (reader.hasNext()) {
          int event = reader.next();
          if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
            String element = reader.getLocalName();
            if (depth == 1 && !element.equals("domain")) {
              throw new InvalidDomainException(
                  "not a domain XML: its root element is <" + element + ">", null);
            }
            if (depth == 2 && element.equals("name") && name == null) {
              name = reader.getElementText().trim();
              depth--;
            } else if (depth == 2 && element.equals("uuid") && uuid == null) {
              uuid = reader.getElementText().trim().toLowerCase(Locale.ROOT);
              depth--;
            }
          } else if (event == XMLStreamConstants.END_ELEMENT) {
            depth--;
          }
        }
      } finally {
        reader.close();
      }
    } catch (XMLStreamException e) {
      throw new InvalidDomainException("unreadable domain XML: " + e.getMessage(), e);
    }
    if (name == null || name.isEmpty()) {
      throw new InvalidDomainException("domain XML has no <name>", null);
    }
    return new DomainIdentity(name, uuid == null || uuid.isEmpty() ? null : uuid);
  }

  private static XMLInputFactory secureFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return factory;
  }
}
