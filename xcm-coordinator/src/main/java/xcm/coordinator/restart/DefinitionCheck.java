package xcm.coordinator.restart;

import java.io.StringReader;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import xcm.mbeans.DefinitionDigest;

/**
 * Whether a definition an agent sent is the one it reported, for the domain it was asked about: its
 * digest is the one the agent's sample carried, and its top-level {@code <name>} and {@code <uuid>}
 * are the domain's. A definition that is not is never kept: restarted on another host, it would
 * bring whatever devices the sender put in it.
 */
final class DefinitionCheck {
  private static final XMLInputFactory XML = secureFactory();

  private DefinitionCheck() {}

  /** Why {@code xml} must not be kept as the definition of {@code name}/{@code uuid}; or empty. */
  static Optional<String> problem(String xml, String name, String uuid, String digest) {
    if (!digest.isEmpty() && !DefinitionDigest.of(xml).equals(digest)) {
      return Optional.of("its digest is not the one the agent reported (" + digest + ")");
    }
    String foundName = null;
    String foundUuid = null;
    try {
      XMLStreamReader r = XML.createXMLStreamReader(new StringReader(xml));
      try {
        int depth = 0;
        while (r.hasNext()) {
          int event = r.next();
          if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
            if (depth == 1 && !r.getLocalName().equals("domain")) {
              return Optional.of("it is no libvirt domain (<" + r.getLocalName() + ">)");
            }
            if (depth == 2 && r.getLocalName().equals("name")) {
              foundName = r.getElementText().strip();
              depth--;
            } else if (depth == 2 && r.getLocalName().equals("uuid")) {
              foundUuid = r.getElementText().strip();
              depth--;
            }
          } else if (event == XMLStreamConstants.END_ELEMENT) {
            depth--;
          }
        }
      } finally {
        r.close();
      }
    } catch (XMLStreamException e) {
      return Optional.of("it is not well-formed XML: " + e.getMessage());
    }
    if (!name.equals(foundName)) {
      return Optional.of("it names domain '" + foundName + "'");
    }
    if (foundUuid == null || !uuid.equalsIgnoreCase(foundUuid)) {
      return Optional.of("it has UUID " + foundUuid + ", not " + uuid);
    }
    return Optional.empty();
  }

  private static XMLInputFactory secureFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return factory;
  }
}
