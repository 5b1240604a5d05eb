package xcm.agent.libvirt;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The disks and network interfaces named in a domain's live XML, i.e. the arguments libvirt's
 * per-device block and interface statistics calls take.
 */
record DomainDevices(List<String> disks, List<String> interfaces) {

  private static final XMLInputFactory XML = secureFactory();

  /**
   * Disks are the {@code <target dev>} of {@code <disk device="disk|lun">} (CD-ROMs and floppies
   * are often empty and have no statistics); interfaces are their {@code <target dev>}, or the MAC
   * address when libvirt gave the interface no target (user-mode networking).
   */
  static DomainDevices parse(String domainXml) throws XMLStreamException {
    List<String> disks = new ArrayList<>();
    List<String> interfaces = new ArrayList<>();
    XMLStreamReader reader = XML.createXMLStreamReader(new StringReader(domainXml));
    try {
      String device = null;
      boolean countDisk = false;
      String target = null;
      String mac = null;
      int depth = 0;
      int deviceDepth = -1;
      while (reader.hasNext()) {
        int event = reader.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
          String element = reader.getLocalName();
          if (device == null
              && depth == 3
              && (element.equals("disk") || element.equals("interface"))) {
            device = element;
            deviceDepth = depth;
            String kind = reader.getAttributeValue(null, "device");
            countDisk = kind == null || kind.equals("disk") || kind.equals("lun");
            target = null;
            mac = null;
          } else if (device != null && depth == deviceDepth + 1) {
            if (element.equals("target") && target == null) {
              target = reader.getAttributeValue(null, "dev");
            } else if (element.equals("mac")) {
              mac = reader.getAttributeValue(null, "address");
            }
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          if (device != null && depth == deviceDepth) {
            if (device.equals("disk") && countDisk && target != null) {
              disks.add(target);
            } else if (device.equals("interface") && (target != null || mac != null)) {
              interfaces.add(target != null ? target : mac);
            }
            device = null;
          }
          depth--;
        }
      }
    } finally {
      reader.close();
    }
    return new DomainDevices(List.copyOf(disks), List.copyOf(interfaces));
  }

  private static XMLInputFactory secureFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return factory;
  }
}
