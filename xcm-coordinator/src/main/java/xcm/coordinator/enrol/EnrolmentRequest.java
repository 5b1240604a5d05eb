package xcm.coordinator.enrol;

import java.util.Optional;

/**
 * What an agent sends to join: the host name it claims, its agent's Jolokia URL, its libvirt host
 * UUID, a PEM certificate request for its key, and perhaps a one-time token; {@code from} is the
 * address the request came from, as the door saw it, and {@code presentedBy} the host whose cluster
 * certificate the caller presented, if any.
 */
public record EnrolmentRequest(
    String host,
    String url,
    String libvirtUuid,
    String certificateRequest,
    Optional<String> token,
    String from,
    Optional<String> presentedBy) {}
