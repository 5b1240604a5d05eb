package xcm.mbeans.placement;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Placement rules as libvirt domain metadata: one element in XCM's namespace {@value #NAMESPACE}
 * under the domain's {@code <metadata>}, so {@code virsh metadata} reads and writes it and the
 * rules travel with the VM through every migration.
 *
 * <pre>{@code
 * <xcm:placement xmlns:xcm="urn:xcm:placement" version="1">
 *   <xcm:apart group="db" strength="hard"/>
 *   <xcm:together group="app" strength="soft"/>
 *   <xcm:host rule="on" labels="rack=r1,ssd=true"/>     <!-- on | not-on | prefer | avoid -->
 *   <xcm:pinned/>
 *   <xcm:restart priority="high"/>                       <!-- high | medium | low | never -->
 * </xcm:placement>
 * }</pre>
 *
 * Elements are matched by local name, with or without the prefix ({@code virsh metadata} returns
 * them without). Anything else — another element or attribute, a missing {@code group}, a version
 * other than {@value #VERSION} — is an error, so that a misspelt rule is never silently dropped.
 * DTDs and entities are refused. Stateless and thread-safe.
 */
public final class PlacementXml {
  /** The namespace URI of XCM's metadata element: pass it as {@code virsh metadata --uri}. */
  public static final String NAMESPACE = "urn:xcm:placement";

  /** The namespace prefix libvirt writes the element with: {@code virsh metadata --key}. */
  public static final String PREFIX = "xcm";

  /** The format version this XCM writes and reads. */
  public static final String VERSION = "1";

  /** Metadata longer than this is refused unread: 16 rules of each kind fit many times over. */
  public static final int MAX_CHARS = 16 * 1024;

  /**
   * Starts what {@link #unread} returns: never metadata, which is an element and starts with '<'.
   */
  private static final String UNREAD = "!unread: ";

  private static final XMLInputFactory XML = secureFactory();

  private PlacementXml() {}

  /**
   * The element for {@code virDomainSetMetadata} (libvirt adds the namespace and prefix), or an
   * empty string for {@link PlacementRules#NONE}, which removes the element.
   */
  public static String write(PlacementRules rules) {
    if (rules.isEmpty()) {
      return "";
    }
    StringBuilder xml = new StringBuilder("<placement version=\"" + VERSION + "\">");
    for (GroupRule rule : rules.apart()) {
      group(xml, "apart", rule);
    }
    for (GroupRule rule : rules.together()) {
      group(xml, "together", rule);
    }
    for (HostRule rule : rules.hosts()) {
      xml.append("<host rule=\"")
          .append(rule.kind().word())
          .append("\" labels=\"")
          .append(rule.labels())
          .append("\"/>");
    }
    if (rules.pinned()) {
      xml.append("<pinned/>");
    }
    if (rules.restart() != RestartPriority.MEDIUM) {
      xml.append("<restart priority=\"").append(rules.restart().word()).append("\"/>");
    }
    return xml.append("</placement>").toString();
  }

  private static void group(StringBuilder xml, String element, GroupRule rule) {
    // Names and labels are limited to characters that need no escaping in XML.
    xml.append('<')
        .append(element)
        .append(" group=\"")
        .append(rule.group())
        .append("\" strength=\"")
        .append(rule.strength().word())
        .append("\"/>");
  }

  /**
   * What a reader of a domain keeps in place of its metadata when it did not keep the metadata
   * itself: more than {@link #MAX_CHARS} of it ({@link #tooLong}), or libvirt failing to return it.
   * {@link #parse} refuses it with {@code reason}, so the domain is shown with that error, as with
   * metadata that is wrong, and never with a blob of what someone wrote.
   */
  public static String unread(String reason) {
    return UNREAD + reason;
  }

  /** The reason {@link #parse} gives for metadata of {@code chars} characters, above the cap. */
  public static String tooLong(long chars) {
    return "placement metadata is " + chars + " characters, above " + MAX_CHARS;
  }

  /**
   * Reads the element libvirt returns; blank text (no metadata) is {@link PlacementRules#NONE}.
   *
   * @throws RulesFormatException saying what is wrong and where
   */
  public static PlacementRules parse(String xml) {
    if (xml == null || xml.isBlank()) {
      return PlacementRules.NONE;
    }
    if (xml.startsWith(UNREAD)) {
      throw new RulesFormatException(xml.substring(UNREAD.length()));
    }
    if (xml.length() > MAX_CHARS) {
      throw new RulesFormatException(tooLong(xml.length()));
    }
    try {
      XMLStreamReader reader = XML.createXMLStreamReader(new StringReader(xml));
      try {
        return read(reader);
      } finally {
        reader.close();
      }
    } catch (XMLStreamException e) {
      throw new RulesFormatException("placement metadata is not XML: " + firstLine(e));
    }
  }

  private static PlacementRules read(XMLStreamReader reader) throws XMLStreamException {
    List<GroupRule> apart = new ArrayList<>();
    List<GroupRule> together = new ArrayList<>();
    List<HostRule> hosts = new ArrayList<>();
    boolean pinned = false;
    RestartPriority restart = null;
    int depth = 0;
    boolean root = false;
    while (reader.hasNext()) {
      int event = reader.next();
      if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
        throw new RulesFormatException("placement metadata may not declare a DTD or entities");
      }
      if (event == XMLStreamConstants.CHARACTERS && !reader.isWhiteSpace()) {
        throw new RulesFormatException(
            "placement metadata has text '" + clip(reader.getText().strip()) + "' outside rules");
      }
      if (event == XMLStreamConstants.END_ELEMENT) {
        depth--;
      }
      if (event != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      depth++;
      String element = reader.getLocalName();
      if (depth == 1) {
        if (!element.equals("placement")) {
          throw new RulesFormatException(
              "placement metadata starts with <" + clip(element) + ">, not <placement>");
        }
        attributes(reader, element, "version");
        String version = reader.getAttributeValue(null, "version");
        if (!VERSION.equals(version)) {
          throw new RulesFormatException(
              "placement metadata version '"
                  + clip(String.valueOf(version))
                  + "': this XCM reads version "
                  + VERSION);
        }
        root = true;
        continue;
      }
      if (depth > 2) {
        throw new RulesFormatException("<" + clip(element) + "> may not be nested in a rule");
      }
      switch (element) {
        case "apart" -> apart.add(groupRule(reader, element));
        case "together" -> together.add(groupRule(reader, element));
        case "host" -> {
          attributes(reader, element, "rule", "labels");
          String word = required(reader, element, "rule");
          HostRuleKind kind = HostRuleKind.ofWord(word);
          if (kind == null) {
            throw new RulesFormatException(
                "<host rule='" + clip(word) + "'>: rule must be on, not-on, prefer or avoid");
          }
          String labels = required(reader, element, "labels");
          hosts.add(
              new HostRule(kind, PlacementRules.labels("<host rule='" + word + "'>", labels)));
        }
        case "pinned" -> {
          attributes(reader, element);
          pinned = true;
        }
        case "restart" -> {
          attributes(reader, element, "priority");
          String word = required(reader, element, "priority");
          if (restart != null) {
            throw new RulesFormatException("<restart> is given twice");
          }
          restart = RestartPriority.ofWord(word);
          if (restart == null) {
            throw new RulesFormatException(
                "<restart priority='"
                    + clip(word)
                    + "'>: priority must be high, medium, low or never");
          }
        }
        default ->
            throw new RulesFormatException(
                "<"
                    + clip(element)
                    + "> is not a placement rule (apart, together, host, pinned, restart)");
      }
    }
    if (!root) {
      throw new RulesFormatException("placement metadata has no <placement> element");
    }
    return new PlacementRules(
        apart, together, hosts, pinned, restart == null ? RestartPriority.MEDIUM : restart);
  }

  private static GroupRule groupRule(XMLStreamReader reader, String element) {
    attributes(reader, element, "group", "strength");
    String group = required(reader, element, "group");
    String strength = reader.getAttributeValue(null, "strength");
    Strength value;
    if (strength == null || strength.equals("hard")) {
      value = Strength.HARD;
    } else if (strength.equals("soft")) {
      value = Strength.SOFT;
    } else {
      throw new RulesFormatException(
          "<" + element + " strength='" + clip(strength) + "'>: strength must be hard or soft");
    }
    return new GroupRule(group, value);
  }

  /** Refuses any attribute not in {@code allowed}: a misspelt one would change nothing silently. */
  private static void attributes(XMLStreamReader reader, String element, String... allowed) {
    for (int i = 0; i < reader.getAttributeCount(); i++) {
      String name = reader.getAttributeLocalName(i);
      if (!List.of(allowed).contains(name)) {
        throw new RulesFormatException(
            "<" + element + ">: attribute '" + clip(name) + "' is not known");
      }
    }
  }

  private static String required(XMLStreamReader reader, String element, String attribute) {
    String value = reader.getAttributeValue(null, attribute);
    if (value == null) {
      throw new RulesFormatException("<" + element + "> has no " + attribute + " attribute");
    }
    return value;
  }

  /** Metadata can be written by anyone with virsh: what is quoted back is kept short. */
  private static String clip(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }

  private static String firstLine(XMLStreamException e) {
    String message = String.valueOf(e.getMessage());
    int cut = message.indexOf('\n');
    String line = cut < 0 ? message : message.substring(cut + 1);
    return clip(line.replace('\n', ' ').strip());
  }

  private static XMLInputFactory secureFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return factory;
  }
}
