package xcm.bench.attack;

/**
 * One thing the attack on main did (issue 13), tried again against a cluster in certificate mode.
 *
 * @param finding the finding it replays, e.g. {@code 3b}, or {@code door} for the agents'
 *     certificate door that replaced the shared passwords
 * @param what what the attacker tried, one line
 * @param main what it did on main, one line from the issue
 * @param now what it did now, measured: counts, statuses, sizes, latencies
 * @param held true when the attempt got nowhere
 */
record Attempt(String finding, String what, String main, String now, boolean held) {}
