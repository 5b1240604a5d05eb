package xcm.trust;

import java.util.Locale;

/**
 * What a cluster member is, as its certificate states it (the {@code urn:xcm:role:…} name in the
 * certificate; see {@link Subject}). The coordinator decides the role when it issues a certificate;
 * a host cannot claim one in its request.
 *
 * <pre>{@code
 * if (peer.role() != Role.COORDINATOR) { … }
 * }</pre>
 */
public enum Role {
  /** A hypervisor host's agent; its certificate also names the host's libvirt UUID. */
  AGENT,
  /** A coordinator. */
  COORDINATOR,
  /** A person or the CLI acting on the cluster. */
  CLIENT;

  /** {@code agent}, {@code coordinator}, {@code client}: how the role is spelled in names. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
