/**
 * Which coordinator acts: a lease on one row of the journal's database, renewed by the active with
 * the database's clock, and the epoch every takeover raises, carried by every request that changes
 * an agent.
 */
package xcm.coordinator.leader;
