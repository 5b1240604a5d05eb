package xcm.agent.libvirt;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import xcm.mbeans.placement.PlacementXml;

/**
 * What a sample takes from an active domain's live XML, which it reads anyway, in one pass: the
 * disks and network interfaces named in it, i.e. the arguments libvirt's per-device block and
 * interface statistics calls take, and the domain's placement metadata.
 *
 * @param placementXml the first element in {@value PlacementXml#NAMESPACE} under {@code <metadata>}
 *     (the one {@code virDomainGetMetadata} returns), as XML text; empty when there is none; {@link
 *     PlacementXml#unread} when it is longer than {@link PlacementXml#MAX_CHARS}
 */
record LiveDefinition(List<String> disks, List<String> interfaces, String placementXml) {

  private static final XMLInputFactory XML = secureFactory();

  /**
   * Disks are the {@code <target dev>} of {@code <devices><disk device="disk|lun">} (CD-ROMs and
   * floppies are often empty and have no statistics); interfaces are their {@code <target dev>}, or
   * the MAC address when libvirt gave the interface no target (user-mode networking). Elements of
   * those names elsewhere (in another tool's metadata, say) are no devices.
   */
  static LiveDefinition parse(String domainXml) throws XMLStreamException {
    List<String> disks = new ArrayList<>();
    List<String> interfaces = new ArrayList<>();
    XMLStreamReader reader = XML.createXMLStreamReader(new StringReader(domainXml));
    String placement = "";
    try {
      String device = null;
      boolean countDisk = false;
      String target = null;
      String mac = null;
      int depth = 0;
      int deviceDepth = -1;
      boolean inMetadata = false;
      boolean inDevices = false;
      ElementCopy copy = null;
      while (reader.hasNext()) {
        int event = reader.next();
        if (copy != null) {
          // Inside the placement element: copied to its end, whatever it holds.
          if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
          } else if (event == XMLStreamConstants.END_ELEMENT) {
            depth--;
          }
          copy.add(reader, event);
          if (depth < 3) {
            placement = copy.text();
            copy = null;
          }
          continue;
        }
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
          String element = reader.getLocalName();
          if (depth == 2) {
            inMetadata = element.equals("metadata");
            inDevices = element.equals("devices");
          } else if (inMetadata
              && depth == 3
              && placement.isEmpty()
              && PlacementXml.NAMESPACE.equals(reader.getNamespaceURI())) {
            copy = new ElementCopy();
            copy.add(reader, event);
          } else if (device == null
              && inDevices
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
          if (depth == 2) {
            inMetadata = false;
            inDevices = false;
          }
          depth--;
        }
      }
    } finally {
      reader.close();
    }
    return new LiveDefinition(List.copyOf(disks), List.copyOf(interfaces), placement);
  }

  /**
   * One element written back as XML text as the reader passes it: names with their prefixes,
   * namespace declarations, attributes and text, escaped; comments and processing instructions left
   * out. Past {@link PlacementXml#MAX_CHARS} only the length is counted, so that metadata anyone
   * with virsh wrote is never held whole.
   */
  private static final class ElementCopy {
    private final StringBuilder text = new StringBuilder();
    private long length;
    private boolean first = true;

    void add(XMLStreamReader reader, int event) {
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          append("<");
          append(qualified(reader.getPrefix(), reader.getLocalName()));
          boolean declared = false;
          for (int i = 0; i < reader.getNamespaceCount(); i++) {
            String prefix = nonNull(reader.getNamespacePrefix(i));
            declared |= prefix.equals(nonNull(reader.getPrefix()));
            namespace(prefix, String.valueOf(reader.getNamespaceURI(i)));
          }
          if (first && !declared) {
            // Declared on an ancestor (<metadata>, by a hand that edited the XML): the copy is
            // read on its own, so it declares its namespace itself.
            namespace(nonNull(reader.getPrefix()), reader.getNamespaceURI());
          }
          first = false;
          for (int i = 0; i < reader.getAttributeCount(); i++) {
            append(" ");
            append(qualified(reader.getAttributePrefix(i), reader.getAttributeLocalName(i)));
            append("=\"");
            append(escape(reader.getAttributeValue(i), true));
            append("\"");
          }
          append(">");
        }
        case XMLStreamConstants.END_ELEMENT -> {
          append("</");
          append(qualified(reader.getPrefix(), reader.getLocalName()));
          append(">");
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
            append(escape(reader.getText(), false));
        default -> {
          // Comments and processing instructions say nothing about placement.
        }
      }
    }

    String text() {
      return length > PlacementXml.MAX_CHARS
          ? PlacementXml.unread(PlacementXml.tooLong(length))
          : text.toString();
    }

    private void append(String piece) {
      length += piece.length();
      if (length <= PlacementXml.MAX_CHARS) {
        text.append(piece);
      } else if (!text.isEmpty()) {
        text.setLength(0);
        text.trimToSize();
      }
    }

    private void namespace(String prefix, String uri) {
      append(prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix);
      append("=\"");
      append(escape(uri, true));
      append("\"");
    }

    private static String nonNull(String prefix) {
      return prefix == null ? "" : prefix;
    }

    private static String qualified(String prefix, String local) {
      return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
    }

    private static String escape(String text, boolean attribute) {
      StringBuilder out = null;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        String entity =
            switch (c) {
              case '&' -> "&amp;";
              case '<' -> "&lt;";
              case '>' -> "&gt;";
              case '"' -> attribute ? "&quot;" : null;
              default -> null;
            };
        if (entity != null && out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        if (out != null) {
          if (entity != null) {
            out.append(entity);
          } else {
            out.append(c);
          }
        }
      }
      return out == null ? text : out.toString();
    }
  }

  private static XMLInputFactory secureFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return factory;
  }
}
