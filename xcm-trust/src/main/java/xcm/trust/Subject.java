package xcm.trust;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who a certificate is for: a role, a name, and for an agent the libvirt UUID of its host. This is
 * the identity the cluster binds to a key; TLS peers are checked against it, never against DNS.
 *
 * <p>How it is written into a certificate, the one place that decides it:
 *
 * <pre>
 * subject CN                   the name                       hv01
 * subjectAltName URI (exactly one of each, in this order)
 *   urn:xcm:role:ROLE          agent | coordinator | client   urn:xcm:role:agent
 *   urn:xcm:name:NAME          the name again                 urn:xcm:name:hv01
 *   urn:xcm:libvirt-uuid:UUID  agents only, lower-case        urn:xcm:libvirt-uuid:4dea22b3-…
 * </pre>
 *
 * URNs rather than DNS names, so that no TLS stack that checks host names mistakes them for one;
 * one name URN for every role (a person's name is not a host), and any other {@code urn:xcm:} URI
 * makes a certificate unreadable, so that an extension of the scheme is always deliberate.
 *
 * <p>Names are DNS-like: letters, digits and {@code -} in dot-separated labels of 1 to 63
 * characters, no label starting or ending with {@code -}, 253 characters in all. They compare
 * exactly, case included.
 *
 * <pre>{@code
 * Subject hv01 = Subject.agent("hv01", UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0"));
 * Subject coordinator = Subject.coordinator("coord1");
 * }</pre>
 *
 * Immutable.
 *
 * @param libvirtUuid present exactly when the role is {@link Role#AGENT}
 */
public record Subject(Role role, String name, Optional<UUID> libvirtUuid) {
  /** The longest name, as DNS allows. */
  public static final int MAX_NAME_LENGTH = 253;

  static final String URN = "urn:xcm:";
  static final String ROLE_URN = URN + "role:";
  static final String NAME_URN = URN + "name:";
  static final String LIBVIRT_UUID_URN = URN + "libvirt-uuid:";

  private static final Pattern LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  public Subject {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(libvirtUuid, "libvirtUuid");
    requireValidName(name, role.label() + " name");
    if (role == Role.AGENT && libvirtUuid.isEmpty()) {
      throw new IllegalArgumentException(
          "agent " + name + ": an agent's certificate names its host's libvirt UUID, none given");
    }
    if (role != Role.AGENT && libvirtUuid.isPresent()) {
      throw new IllegalArgumentException(
          role.label() + " " + name + ": only an agent's certificate names a libvirt UUID");
    }
  }

  /** An agent on the host with that libvirt UUID. */
  public static Subject agent(String name, UUID libvirtUuid) {
    return new Subject(Role.AGENT, name, Optional.of(libvirtUuid));
  }

  /** A coordinator. */
  public static Subject coordinator(String name) {
    return new Subject(Role.COORDINATOR, name, Optional.empty());
  }

  /** A person or the CLI. */
  public static Subject client(String name) {
    return new Subject(Role.CLIENT, name, Optional.empty());
  }

  /**
   * Checks a name from outside (a request, a ticket, an operator's command) by the rule above.
   *
   * @param what what the name is, for the message: {@code "host name"}
   * @return the name
   * @throws IllegalArgumentException naming the value, quoted and escaped, and the rule
   */
  public static String requireValidName(String name, String what) {
    if (name == null || !isValidName(name)) {
      throw new IllegalArgumentException(
          what
              + " "
              + Printable.quote(name)
              + " is not valid: use letters, digits and '-' in dot-separated labels of 1 to 63"
              + " characters, not starting or ending with '-', "
              + MAX_NAME_LENGTH
              + " characters in all");
    }
    return name;
  }

  /** Whether a name follows the rule above. */
  public static boolean isValidName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** The subjectAltName URIs that state this subject, in the order above. */
  public List<String> uris() {
    List<String> uris = new ArrayList<>(3);
    uris.add(ROLE_URN + role.label());
    uris.add(NAME_URN + name);
    libvirtUuid.ifPresent(uuid -> uris.add(LIBVIRT_UUID_URN + uuid));
    return uris;
  }

  /**
   * Reads a subject back from a certificate's CN and subjectAltName URIs.
   *
   * @throws IllegalArgumentException what is missing, doubled, unknown or contradicting
   */
  static Subject read(String commonName, List<String> uris) {
    Claims claims = Claims.read(commonName, uris);
    if (claims.role == null) {
      throw new IllegalArgumentException("no " + ROLE_URN + "… role");
    }
    return new Subject(claims.role, claims.name, claims.libvirtUuid);
  }

  /** What the XCM URIs of a certificate or a request state; a request states no role. */
  static final class Claims {
    final String name;
    final Role role;
    final Optional<UUID> libvirtUuid;

    private Claims(String name, Role role, Optional<UUID> libvirtUuid) {
      this.name = name;
      this.role = role;
      this.libvirtUuid = libvirtUuid;
    }

    static Claims read(String commonName, List<String> uris) {
      String named = null;
      String roleLabel = null;
      String uuid = null;
      for (String uri : uris) {
        if (uri.startsWith(ROLE_URN)) {
          roleLabel = single(roleLabel, uri.substring(ROLE_URN.length()), "role");
        } else if (uri.startsWith(NAME_URN)) {
          named = single(named, uri.substring(NAME_URN.length()), "name");
        } else if (uri.startsWith(LIBVIRT_UUID_URN)) {
          uuid = single(uuid, uri.substring(LIBVIRT_UUID_URN.length()), "libvirt UUID");
        } else if (uri.regionMatches(true, 0, URN, 0, URN.length())) {
          throw new IllegalArgumentException("unknown XCM name " + Printable.quote(uri));
        }
      }
      if (named == null) {
        throw new IllegalArgumentException("no " + NAME_URN + "… name");
      }
      requireValidName(named, "name");
      if (!named.equals(commonName)) {
        throw new IllegalArgumentException(
            "the name "
                + Printable.quote(named)
                + " differs from the common name "
                + Printable.quote(commonName));
      }
      Role role = null;
      if (roleLabel != null) {
        for (Role r : Role.values()) {
          if (r.label().equals(roleLabel)) {
            role = r;
          }
        }
        if (role == null) {
          throw new IllegalArgumentException("unknown role " + Printable.quote(roleLabel));
        }
      }
      return new Claims(
          named, role, uuid == null ? Optional.empty() : Optional.of(parseUuid(uuid)));
    }
  }

  private static String single(String seen, String value, String what) {
    if (seen != null) {
      throw new IllegalArgumentException("more than one " + what);
    }
    return value;
  }

  /** A UUID in its canonical lower-case form only: one UUID, one spelling. */
  static UUID parseUuid(String text) {
    try {
      UUID uuid = UUID.fromString(text);
      if (uuid.toString().equals(text)) {
        return uuid;
      }
    } catch (IllegalArgumentException e) {
      // named below
    }
    throw new IllegalArgumentException(
        "libvirt UUID " + Printable.quote(text) + " is not a lower-case UUID");
  }

  @Override
  public String toString() {
    return role.label() + " " + name + libvirtUuid.map(u -> " (libvirt " + u + ")").orElse("");
  }
}
