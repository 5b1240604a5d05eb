package xcm.agent.libvirt;

/** A domain whose statistics could not be read this time, with libvirt's reason. */
public record DomainReadFailure(String name, String uuid, String reason) implements DomainReading {}
