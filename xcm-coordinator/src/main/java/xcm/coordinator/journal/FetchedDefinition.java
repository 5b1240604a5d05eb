package xcm.coordinator.journal;

import java.util.Objects;

/**
 * A domain's definition as just fetched from its agent: what the journal writes, XML and all, for a
 * restart to read back ({@link Journal#definitionXml}) when the domain's host fails.
 *
 * @param xml the persistent definition, including XCM's placement metadata
 */
public record FetchedDefinition(DomainDefinition definition, String xml) {

  /** The largest definition the journal keeps; a larger one is reported, not kept. */
  public static final int MAX_XML_CHARS = 262_144;

  /**
   * @throws IllegalArgumentException naming the domain when the XML is longer than {@link
   *     #MAX_XML_CHARS}
   */
  public FetchedDefinition {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(xml, "xml");
    if (xml.length() > MAX_XML_CHARS) {
      throw new IllegalArgumentException(
          "the definition of domain "
              + definition.name()
              + " has "
              + xml.length()
              + " characters, more than the "
              + MAX_XML_CHARS
              + " the journal keeps");
    }
  }
}
