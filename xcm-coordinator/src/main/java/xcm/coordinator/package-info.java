/**
 * The XCM coordinator: the monitoring station that collects from every agent, keeps the cluster
 * model, plans balance and drain, and runs migrations.
 */
package xcm.coordinator;
