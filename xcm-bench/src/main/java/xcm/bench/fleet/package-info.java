/**
 * A simulated fleet for measuring the coordinator at scale ({@code ./xcm bench collect --hosts N}):
 * thousands of agents' Jolokia endpoints served by one process, each host at its own loopback
 * address over TLS with the certificate the cluster's authority issued it, answering what the
 * coordinator asks with the agent's own MXBean types through Jolokia's own serialiser. What is
 * measured is then the coordinator's real collection path; FleetContractIT keeps the simulation's
 * answers in the real agent's shape.
 */
package xcm.bench.fleet;
