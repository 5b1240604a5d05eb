/**
 * Fencing: powering a dead host off through its BMC before its VMs start elsewhere, so that no VM
 * ever runs twice. {@link xcm.coordinator.fence.FenceDevices} says which fence agent and options
 * each host has; {@link xcm.coordinator.fence.FenceAgentRunner} runs the agent (a ClusterLabs fence
 * agent such as {@code fence_ipmilan}, or the lab's {@code fence_xcm_demo}) with the options on its
 * standard input, the protocol every fence agent speaks.
 */
package xcm.coordinator.fence;
