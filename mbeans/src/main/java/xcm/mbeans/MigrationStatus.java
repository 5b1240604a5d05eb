package xcm.mbeans;

/**
 * One live migration as the source host's agent runs it ({@code xcm:type=HostOperations}, operation
 * {@code migration(id)}, attribute {@code Migrations}).
 *
 * <p>Where the hypervisor can migrate (QEMU), the agent asks libvirt for a live migration ({@code
 * method} LIBVIRT): {@code BEGIN} (source: the domain runs; the destination's agent tells its
 * libvirt migration URI and free memory), {@code PERFORM} (libvirt migrates peer to peer; the job
 * is aborted if it does not end within the agent's migration timeout), {@code DONE}. libvirt keeps
 * the domain running on exactly one host: on failure it runs on the source, as before.
 *
 * <p>On libvirt's test driver, which cannot migrate, the agents hand the domain over in the phases
 * of libvirt's own migration protocol: {@code BEGIN} (source: read the definition), {@code PREPARE}
 * (destination: define it; start it paused where the driver can), {@code PERFORM} (source: pause
 * it), {@code FINISH} (destination: run it), {@code CONFIRM} (source: destroy and undefine its
 * copy). The domain never runs on two hosts; until {@code CONFIRM} the source keeps a copy to fall
 * back to.
 *
 * @param id unique on the source agent
 * @param destination Jolokia URL of the destination host's agent
 * @param destinationHost the destination's host name, once its agent answered
 * @param phase the last phase reached: BEGIN, PREPARE, PERFORM, FINISH, CONFIRM or DONE
 * @param state RUNNING; SUCCEEDED (runs on the destination only); FAILED (runs on the source, as
 *     before; {@code error} says why); INCOMPLETE (runs on the destination but the source could not
 *     remove its paused copy; {@code error} says why)
 * @param downtimeMillis time the domain ran nowhere (hand-over: from PERFORM to FINISH; LIBVIRT:
 *     libvirt's measured downtime); -1 until known
 * @param method how the domain moves: LIBVIRT (libvirt's live migration) or HANDOVER (the agents'
 *     hand-over, for drivers that cannot migrate)
 * @param migrationMillis libvirt's time of the migration job; -1 for hand-overs and until known
 * @param dataTransferredBytes data libvirt sent (memory and device state); -1 if unknown
 */
public record MigrationStatus(
    String id,
    String domain,
    String source,
    String destination,
    String destinationHost,
    Phase phase,
    State state,
    String error,
    long startedEpochMillis,
    long finishedEpochMillis,
    long downtimeMillis,
    Method method,
    long migrationMillis,
    long dataTransferredBytes) {

  /** The migration's phases, in order; a live migration skips PREPARE, FINISH and CONFIRM. */
  public enum Phase {
    BEGIN,
    PREPARE,
    PERFORM,
    FINISH,
    CONFIRM,
    DONE
  }

  /** How it stands; every state but RUNNING is an end. */
  public enum State {
    RUNNING,
    SUCCEEDED,
    FAILED,
    INCOMPLETE
  }

  /** How the domain moves. */
  public enum Method {
    /** Libvirt's own live migration. */
    LIBVIRT,
    /** The agents' hand-over, for drivers that cannot migrate. */
    HANDOVER
  }

  /** True once the migration ended, whatever its outcome. */
  public boolean finished() {
    return state != State.RUNNING;
  }
}
