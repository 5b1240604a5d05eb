/**
 * The cluster's recent past: domains per host over time, from the collection rounds, for the web
 * console's timeline (the seed paper's Fig. 2).
 */
package xcm.coordinator.timeline;
