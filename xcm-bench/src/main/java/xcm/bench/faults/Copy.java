package xcm.bench.faults;

import xcm.mbeans.DomainState;

/** One copy of a domain that an agent defines, in its run state; shown as {@code host=STATE}. */
record Copy(String host, DomainState state) {
  @Override
  public String toString() {
    return host + "=" + state;
  }
}
