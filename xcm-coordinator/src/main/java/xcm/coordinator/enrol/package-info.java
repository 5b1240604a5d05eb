/**
 * Hosts joining the cluster: an agent asks with a certificate request and waits until an operator
 * approves it, or presents a one-time token issued for exactly its name. What the agent claims
 * (name, libvirt host UUID, agent URL) is then bound to the certificate the cluster's authority
 * issues; a second claimant of a name or a UUID is refused.
 */
package xcm.coordinator.enrol;
