package xcm.coordinator.operation;

import java.util.Locale;
import xcm.coordinator.journal.JournaledOperation;
import xcm.mbeans.OperationType;

/**
 * What an operation does, with its own parameters: the coordinator decides on these, never on the
 * operation's summary text. New kinds (restarting a failed host's domains, evacuations) join the
 * list here and the compiler finds every switch that must learn them.
 */
public sealed interface OperationKind {

  /** As stored in the journal and shown by {@code xcm:type=Operation}. */
  OperationType type();

  /** True when the operation only plans: nothing moves and no host changes. */
  boolean dryRun();

  /** As the journal keeps it: the type and this kind's parameters. */
  JournaledOperation.Kind journaled();

  /** The kind the journal kept. */
  static OperationKind of(JournaledOperation.Kind kept) {
    return switch (kept.type()) {
      // Force only counts when an operation is admitted; the journal's operations were.
      case MIGRATE -> new Migrate(kept.domain(), kept.host(), false);
      case BALANCE -> new Balance(kept.policy(), kept.dryRun());
      case DRAIN -> new Drain(kept.host(), kept.dryRun(), false);
      case RESTART -> new Restart(kept.host());
    };
  }

  /** What it acts on, in words: {@code web01 to dmz02}, {@code weighted}, {@code dmz01}. */
  String subject();

  /** What was asked, e.g. {@code drain dmz01}, {@code drain (forced) dmz01}: its summary. */
  default String summary() {
    return verb() + (forced() ? " (forced) " : " ") + subject();
  }

  /** True when the operator asked to act against placement rules (the --force options). */
  default boolean forced() {
    return false;
  }

  /**
   * What was asked, marking a dry run and force, e.g. {@code drain (dry run) dmz01}, {@code migrate
   * (forced) db2 to dmz01}: for the audit log.
   */
  default String action() {
    return verb()
        + (dryRun() ? " (dry run)" : "")
        + (forced() ? " (forced)" : "")
        + " "
        + subject();
  }

  private String verb() {
    return type().name().toLowerCase(Locale.ROOT);
  }

  /** One running domain, live, to a host the operator chose; {@code forced} past its rules. */
  record Migrate(String domain, String toHost, boolean forced) implements OperationKind {
    @Override
    public OperationType type() {
      return OperationType.MIGRATE;
    }

    @Override
    public boolean dryRun() {
      return false;
    }

    @Override
    public String subject() {
      return domain + " to " + toHost;
    }

    @Override
    public JournaledOperation.Kind journaled() {
      return new JournaledOperation.Kind(type(), domain, toHost, null, false);
    }
  }

  /**
   * The moves a balance policy plans.
   *
   * @param policy the policy as asked, e.g. {@code weighted} or {@code domain-count,target=strict}
   */
  record Balance(String policy, boolean dryRun) implements OperationKind {
    @Override
    public OperationType type() {
      return OperationType.BALANCE;
    }

    @Override
    public String subject() {
      return policy;
    }

    @Override
    public JournaledOperation.Kind journaled() {
      return new JournaledOperation.Kind(type(), null, null, policy, dryRun);
    }
  }

  /**
   * Every domain off one host, which then goes to maintenance; {@code forced}: the domains pinned
   * by their rules too.
   */
  record Drain(String host, boolean dryRun, boolean forced) implements OperationKind {
    @Override
    public OperationType type() {
      return OperationType.DRAIN;
    }

    @Override
    public String subject() {
      return host;
    }

    @Override
    public JournaledOperation.Kind journaled() {
      return new JournaledOperation.Kind(type(), null, host, null, dryRun);
    }
  }

  /** The domains of a fenced host, started again on other hosts from their kept definitions. */
  record Restart(String host) implements OperationKind {
    @Override
    public OperationType type() {
      return OperationType.RESTART;
    }

    @Override
    public boolean dryRun() {
      return false;
    }

    @Override
    public String subject() {
      return "the domains of " + host;
    }

    @Override
    public JournaledOperation.Kind journaled() {
      return new JournaledOperation.Kind(type(), null, host, null, false);
    }
  }
}
