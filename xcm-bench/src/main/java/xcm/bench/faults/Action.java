package xcm.bench.faults;

/**
 * What a trial asked of the coordinator and what became of it.
 *
 * @param refused true when the coordinator refused it (or there was nothing to ask)
 * @param operationId the operation it started; null when refused or unanswered
 */
record Action(String asked, boolean refused, String operationId) {

  static Action started(String asked, String operationId) {
    return new Action(asked, false, operationId);
  }

  static Action refused(String asked) {
    return new Action(asked, true, null);
  }

  /** No answer came: the request may or may not have started an operation. */
  static Action unanswered(String asked) {
    return new Action(asked, false, null);
  }

  @Override
  public String toString() {
    if (refused) {
      return "refused " + asked;
    }
    return asked + " (" + (operationId != null ? operationId : "no answer") + ")";
  }
}
