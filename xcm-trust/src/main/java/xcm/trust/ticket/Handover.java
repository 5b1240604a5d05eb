package xcm.trust.ticket;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import xcm.trust.Printable;
import xcm.trust.Subject;

/**
 * One domain going from one host to another: what a {@link HandoverTicket} allows, and what a
 * destination expects when it checks one (the domain it is asked to take, the source it sees in
 * TLS, itself).
 *
 * <pre>{@code
 * Handover handover = new Handover(domainUuid, "web-1", "hv01", "hv02");
 * }</pre>
 *
 * @param domainName libvirt's name of the domain: 1 to {@value #MAX_DOMAIN_NAME_BYTES} bytes of
 *     UTF-8, any characters
 * @param source the host name it leaves, as its certificate states it
 * @param destination the host name it goes to
 */
public record Handover(UUID domainUuid, String domainName, String source, String destination) {
  /** The longest domain name a ticket carries, in UTF-8 bytes. */
  public static final int MAX_DOMAIN_NAME_BYTES = 1024;

  /**
   * @throws IllegalArgumentException naming the value that is not valid
   */
  public Handover {
    Objects.requireNonNull(domainUuid, "domainUuid");
    Objects.requireNonNull(domainName, "domainName");
    int bytes = domainName.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > MAX_DOMAIN_NAME_BYTES) {
      throw new IllegalArgumentException(
          "domain name "
              + Printable.quote(domainName)
              + " must be 1 to "
              + MAX_DOMAIN_NAME_BYTES
              + " bytes of UTF-8, found "
              + bytes);
    }
    Subject.requireValidName(source, "source host name");
    Subject.requireValidName(destination, "destination host name");
    if (source.equals(destination)) {
      throw new IllegalArgumentException(
          "domain "
              + Printable.quote(domainName)
              + " cannot be handed from "
              + source
              + " to itself");
    }
  }

  @Override
  public String toString() {
    return "domain "
        + Printable.quote(domainName)
        + " ("
        + domainUuid
        + ") from "
        + source
        + " to "
        + destination;
  }
}
