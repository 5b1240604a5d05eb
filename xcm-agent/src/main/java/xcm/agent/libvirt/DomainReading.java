package xcm.agent.libvirt;

/** What reading one domain gave: its statistics, or why they could not be read. */
public sealed interface DomainReading permits DomainStats, DomainReadFailure {
  String name();

  String uuid();
}
