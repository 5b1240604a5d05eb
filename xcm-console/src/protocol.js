// What the console asks the coordinator's Jolokia: MBean names (as mbeans/ObjectNames.java builds
// them), the attributes each view reads, and how replies are read. DOM-free.

/** The session ended (a 401): sign in again. */
export class SessionEnded extends Error {}

/** A request refused or failed; message is the reason to show. */
export class Refused extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

export const CLUSTER = 'xcm:type=Cluster';
export const OPERATIONS = 'xcm:type=Operations';
export const ALL_OPERATIONS = 'xcm:type=Operation,*';
export const TIMELINE = 'xcm:type=Timeline';

/** javax.management.ObjectName.quote: host and domain names may hold , = : " * ? \ */
export function quote(value) {
  let out = '"';
  for (const c of String(value)) {
    if (c === '\n') out += '\\n';
    else if (c === '\\' || c === '"' || c === '*' || c === '?') out += `\\${c}`;
    else out += c;
  }
  return `${out}"`;
}

/** xcm:type=Cluster,host="<host>": the detailed view of one host (ClusterHostMXBean). */
export function clusterHost(host) {
  return `xcm:type=Cluster,host=${quote(host)}`;
}

/** xcm:type=Operation,id="<id>": one running or recent operation (OperationMXBean). */
export function operation(id) {
  return `xcm:type=Operation,id=${quote(id)}`;
}

/** ClusterMXBean attributes of the summary view. */
export const CLUSTER_ATTRIBUTES = [
  'Hosts',
  'HostCount',
  'DomainCount',
  'ActiveDomainCount',
  'MemoryBytes',
  'MemoryUsedBytes',
  'CpuUtilisation',
  'LastCollectEpochMillis',
  'LastCollectDurationSeconds',
  'PendingAgents',
  'FailoverHostsTolerated',
  'FailoverLevel',
];

/** OperationMXBean attributes of the operations list (no plan, no moves: it stays small). */
export const OPERATION_ROW_ATTRIBUTES = [
  'Id',
  'Kind',
  'Summary',
  'RequestedBy',
  'DryRun',
  'State',
  'MovesTotal',
  'MovesDone',
  'MovesFailed',
  'StartedEpochMillis',
  'FinishedEpochMillis',
];

/** OperationMXBean attributes of the followed operation (progress bar and moves). */
export const OPERATION_ATTRIBUTES = [
  ...OPERATION_ROW_ATTRIBUTES,
  'MovesIncomplete',
  'MovesUnsettled',
  'MovesInFlight',
  'DurationSeconds',
  'Errors',
  'Moves',
];

export const read = (mbean, attribute, config) =>
  ({ type: 'read', mbean, ...(attribute ? { attribute } : {}), ...(config ? { config } : {}) });

export const exec = (mbean, op, ...args) => ({ type: 'exec', mbean, operation: op, arguments: args });

/**
 * The reason in a Jolokia error reply, without the exception's class name:
 * "java.lang.IllegalArgumentException : drain dmz01 refused: ..." -> "drain dmz01 refused: ...".
 */
export function errorText(reply) {
  if (reply == null) return 'no answer';
  const error = typeof reply.error === 'string' && reply.error.length > 0
    ? reply.error
    : `status ${reply.status}`;
  return error.replace(/^(?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*(?:Exception|Error)\s*:\s*/, '');
}

/** The rows of a pattern read ({"<name>": {attributes}}), an absent pattern (404) being none. */
export function patternRows(reply) {
  if (reply == null || reply.status === 404) return [];
  if (reply.status !== 200 || reply.value == null || typeof reply.value !== 'object') return null;
  return Object.values(reply.value).filter((row) => row != null && typeof row === 'object');
}

const ENDED = new Set(['SUCCEEDED', 'FAILED', 'INCOMPLETE', 'CANCELLED', 'UNSETTLED']);

/** True once a move (MoveStatus.state) has an end, as MoveState.ended() says. */
export function moveEnded(state) {
  return ENDED.has(state);
}

/**
 * How far an operation is: {ended, total} for a <progress>. Moves with an end count (done,
 * failed, incomplete, unsettled, cancelled); an operation that ended without moves is complete.
 */
export function progress(op) {
  const moves = Array.isArray(op.Moves) ? op.Moves : null;
  const total = moves ? moves.length : op.MovesTotal ?? 0;
  const ended = moves
    ? moves.filter((m) => moveEnded(m.state)).length
    : (op.MovesDone ?? 0) + (op.MovesFailed ?? 0);
  if (total === 0) return { ended: op.State === 'RUNNING' ? 0 : 1, total: 1 };
  return { ended, total };
}

/**
 * Bytes per second of the counters of one domain between two samples of its host
 * ({t: ms, counters}), null when unknown (first sample, counter reset by a restart or a move).
 */
export function rates(previous, current) {
  if (previous == null || !(current.t > previous.t)) return null;
  const seconds = (current.t - previous.t) / 1000;
  const out = {};
  for (const [key, value] of Object.entries(current.counters)) {
    const before = previous.counters[key];
    out[key] = Number.isFinite(before) && value >= before ? (value - before) / seconds : null;
  }
  return out;
}
