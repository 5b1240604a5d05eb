package xcm.agent.migration;

import xcm.mbeans.MigrationStatus;

/**
 * One migration this agent runs as the source: {@link Handover} where the hypervisor cannot migrate
 * (libvirt's test driver), {@link LiveMigration} where it can (QEMU). {@link #run()} runs once, on
 * one thread; {@link #status()} may be read from any.
 */
interface OutgoingMigration extends Runnable {

  String id();

  MigrationStatus status();
}
