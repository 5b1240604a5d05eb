package xcm.coordinator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import javax.management.JMException;
import javax.management.MBeanServer;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.client.JolokiaClient;
import xcm.coordinator.balancing.ContinuousBalancing;
import xcm.coordinator.collect.Agents;
import xcm.coordinator.collect.ClusterCollector;
import xcm.coordinator.enrol.Enrolled;
import xcm.coordinator.enrol.EnrolledAgents;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.enrol.EnrolmentServer;
import xcm.coordinator.enrol.OwnCertificate;
import xcm.coordinator.enrol.Refusal;
import xcm.coordinator.failure.AgentPeerProbe;
import xcm.coordinator.failure.Availability;
import xcm.coordinator.failure.FailoverWatch;
import xcm.coordinator.failure.FailureHandler;
import xcm.coordinator.fence.FenceAgentRunner;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.HostLifecycle;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.jmx.BalancingView;
import xcm.coordinator.jmx.TimelineView;
import xcm.coordinator.jmx.ViewPublisher;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.leader.Leadership;
import xcm.coordinator.leader.LeadershipView;
import xcm.coordinator.leader.MandatedFencer;
import xcm.coordinator.metrics.BalancingMetrics;
import xcm.coordinator.metrics.ClusterMetrics;
import xcm.coordinator.metrics.EnrolmentMetrics;
import xcm.coordinator.metrics.FailureMetrics;
import xcm.coordinator.metrics.LeadershipMetrics;
import xcm.coordinator.metrics.OperationMetrics;
import xcm.coordinator.metrics.RuleMetrics;
import xcm.coordinator.metrics.WebhookMetrics;
import xcm.coordinator.migration.AgentMoveRunner;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.migration.MoveResolver;
import xcm.coordinator.migration.MoveRunner;
import xcm.coordinator.migration.RestartMoveRunner;
import xcm.coordinator.operation.AuditLog;
import xcm.coordinator.operation.OperationRecovery;
import xcm.coordinator.operation.OperationRegistry;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.UnsettledMoves;
import xcm.coordinator.plan.BalancePolicies;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.Planner;
import xcm.coordinator.restart.DefinitionFetch;
import xcm.coordinator.restart.Definitions;
import xcm.coordinator.restart.HostRestarts;
import xcm.coordinator.restart.RestartChecks;
import xcm.coordinator.rules.RulesService;
import xcm.coordinator.schedule.ClusterScheduler;
import xcm.coordinator.schedule.CoordinatorScheduler;
import xcm.coordinator.timeline.DomainTimeline;
import xcm.coordinator.webhook.AlertActions;
import xcm.coordinator.webhook.AlertmanagerWebhook;
import xcm.coordinator.webhook.RejectedRequestException;
import xcm.coordinator.webhook.WebhookConfig;
import xcm.serve.CertificateUsers;
import xcm.serve.Console;
import xcm.serve.Endpoints;
import xcm.serve.Parts;
import xcm.serve.RejectedRequests;
import xcm.serve.StartException;
import xcm.trust.HostCredentials;

/**
 * One running coordinator: the inventory, the collector and its Quartz schedule, the views as
 * MBeans, Jolokia, {@code /metrics} and (optionally) a JMX remote connector and the Alertmanager
 * webhook.
 *
 * <pre>{@code
 * try (Coordinator coordinator = Coordinator.start(CoordinatorConfig.load(properties),
 *     ManagementFactory.getPlatformMBeanServer(), new PrometheusRegistry(), Clock.systemUTC())) {
 *   System.out.println(coordinator.jolokiaUrl());
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops everything it started, in reverse order.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

  /** How often a running migration's state is read from its source agent. */
  private static final Duration MOVE_POLL = Duration.ofMillis(50);

  /** Hosts whose changed domain definitions are fetched in one round (a bulk request each). */
  private static final int DEFINITION_HOSTS = 200;

  /** Read the xcm MBeans and java.lang, execute only {@code xcm:type=Operations}. */
  static final String JOLOKIA_POLICY = "classpath:/xcm/coordinator/jolokia-access.xml";

  private final Inventory inventory;
  private final ClusterCollector collector;
  private final OperationService operations;
  private final Endpoints endpoints;
  private final AlertmanagerWebhook webhook;
  private final EnrolmentServer enrolmentDoor;
  private final EnrolmentDesk enrolment;
  private final Leadership leadership;
  private final Parts parts;

  private Coordinator(
      Inventory inventory,
      ClusterCollector collector,
      OperationService operations,
      Endpoints endpoints,
      AlertmanagerWebhook webhook,
      EnrolmentServer enrolmentDoor,
      EnrolmentDesk enrolment,
      Leadership leadership,
      Parts parts) {
    this.inventory = inventory;
    this.collector = collector;
    this.operations = operations;
    this.endpoints = endpoints;
    this.webhook = webhook;
    this.enrolmentDoor = enrolmentDoor;
    this.enrolment = enrolment;
    this.leadership = leadership;
    this.parts = parts;
  }

  /**
   * Starts the coordinator; the first collection round runs at once.
   *
   * @throws StartException naming the part that could not start and why
   */
  public static Coordinator start(
      CoordinatorConfig config, MBeanServer server, PrometheusRegistry registry, Clock clock)
      throws StartException {
    Parts parts = new Parts("coordinator");
    try {
      Inventory inventory =
          new Inventory(
              new HostLifecycle(config.unreachableAfterRounds(), config.deadHostAfter()), clock);
      StateDirectory.prepare(config.stateDir());
      Journal journal;
      try {
        // A paused active's write holds up a takeover for half its lease at most.
        journal =
            parts.add(
                Journal.open(
                    config.journalUrl(),
                    config.journalUser(),
                    config.journalPassword(),
                    clock,
                    config.leaderLease().dividedBy(2)));
      } catch (JournalException e) {
        throw new StartException(e.getMessage(), e);
      }
      StateDirectory.tightenFiles(config.stateDir());
      inventory.restoreModes(journal.hostModes());
      Leadership leadership =
          parts.add(new Leadership(journal, config.enrol().name(), config.leaderLease()));
      ExecutorService http = Executors.newFixedThreadPool(2, daemonThreads("xcm-agent-http"));
      parts.add(http::shutdownNow);
      EnrolmentDesk enrolment =
          RegistryImport.desk(config.stateDir(), journal.registry(), leadership::epoch, clock);
      HostCredentials own;
      try {
        own =
            OwnCertificate.load(
                config.stateDir(), enrolment.authority(), config.enrol().name(), clock);
      } catch (IOException e) {
        throw new StartException("cannot open the cluster's authority: " + e.getMessage(), e);
      }
      List<String> agents = enrolment.enrolled().stream().map(Enrolled::url).toList();
      JolokiaClient client =
          parts.add(
              Agents.client(
                  EnrolledAgents.credentials(enrolment),
                  config.agentTimeout(),
                  http,
                  EnrolledAgents.clientTls(enrolment, own)));
      ClusterMetrics clusterMetrics = ClusterMetrics.register(registry, inventory::snapshot);
      ClusterCollector collector =
          new ClusterCollector(
              inventory,
              client,
              agents,
              clusterMetrics::observeRound,
              EnrolledAgents.enrolments(enrolment));
      enrolment.onEnrolled(e -> collector.expect(e.url()));
      SharedRegistry shared =
          SharedRegistry.following(
              journal.registry(), collector, inventory, enrolment, leadership::epoch);
      MoveResolver resolver =
          new MoveResolver(client, leadership, config.migrationTimeout(), MOVE_POLL);
      ExecutorService ha = Executors.newFixedThreadPool(4, daemonThreads("xcm-ha"));
      parts.add(ha::shutdownNow);
      // Fencing waits on BMCs for up to a minute a host: it must not hold up restarts.
      ExecutorService fencing = Executors.newFixedThreadPool(8, daemonThreads("xcm-fence"));
      parts.add(fencing::shutdownNow);
      Definitions definitions =
          new Definitions(
              journal, DefinitionFetch.overJolokia(client), clock, ha, DEFINITION_HOSTS);
      MigrationQueue queue =
          parts.add(
              new MigrationQueue(
                  MoveRunner.byMethod(
                      new AgentMoveRunner(
                          client,
                          leadership,
                          resolver,
                          journal,
                          config.migrationTimeout(),
                          config.migrationRetries(),
                          MOVE_POLL,
                          // Enrolled destinations take a domain only with the authority's ticket.
                          AgentMoveRunner.tickets(
                              enrolment.authority().ticketIssuer(), config.migrationTimeout())),
                      new RestartMoveRunner(
                          client,
                          leadership,
                          definitions::xml,
                          journal,
                          move -> RestartChecks.refusal(inventory.snapshot(), move))),
                  config.migrationsPerHost(),
                  config.migrationsInCluster()));
      OperationRegistry operationRegistry =
          parts.add(new OperationRegistry(server, clock, config.operationRetention()));
      Planner planner = new Planner(BalancePolicies.installed(Coordinator.class.getClassLoader()));
      OperationService operations =
          new OperationService(
              inventory,
              collector::collect,
              planner,
              queue,
              operationRegistry,
              journal,
              new AuditLog(clock, journal),
              clock,
              config.reservedMemoryBytes(),
              new PlanOptions(config.cooldown().toSeconds()),
              config.failure().failover(),
              leadership);
      operations.addMoveListener(OperationMetrics.register(registry, operationRegistry)::moved);
      // One fencer for failures and power saving: its per-host lock keeps a power-saving switch
      // and a fence of the same host from running at once.
      MandatedFencer fencer =
          new MandatedFencer(FenceAgentRunner.builder(config.fenceDevices()).build(), leadership);
      ContinuousBalancing balancing =
          new ContinuousBalancing(
              operations,
              journal,
              planner,
              config.balancing().balancer(),
              config.balancing().power(),
              config.balancing().fenceHook() ? Optional.of(fencer) : Optional.empty(),
              clock);
      // Standbys smooth demand too, so that a takeover balances on it at once.
      collector.afterRound(balancing::observe);
      BalancingMetrics.register(registry, balancing);
      parts.add(BalancingView.register(server, balancing));
      DomainTimeline timeline =
          new DomainTimeline(DomainTimeline.DEFAULT_RETENTION, DomainTimeline.DEFAULT_MAX_CHANGES);
      collector.afterRound(timeline);
      parts.add(TimelineView.register(server, timeline, config.collectInterval()));
      FailoverWatch failover =
          new FailoverWatch(config.failure().failover(), config.reservedMemoryBytes(), clock, ha);
      operations.addMoveListener(FailureMetrics.register(registry, failover)::moved);
      FailureHandler failures =
          new FailureHandler(
              inventory,
              fencer,
              new AgentPeerProbe(
                  parts.add(
                      Agents.client(
                          EnrolledAgents.credentials(enrolment),
                          AgentPeerProbe.clientTimeout(config.agentTimeout()),
                          http,
                          EnrolledAgents.clientTls(enrolment, own))),
                  AgentPeerProbe.clientTimeout(config.agentTimeout()).plusSeconds(1)),
              new HostRestarts(
                  inventory,
                  definitions,
                  operations,
                  client,
                  leadership,
                  config.failure(),
                  config.reservedMemoryBytes(),
                  clock),
              operations.audit(),
              config.failure(),
              clock,
              journal,
              ha,
              fencing);
      // Only the active keeps definitions, fences and restarts; a standby follows the host modes
      // the active sets, for its views.
      collector.afterRound(whenActive(leadership, definitions::afterRound));
      collector.afterRound(whenActive(leadership, failures::afterRound));
      collector.afterRound(whenActive(leadership, failover::afterRound));
      collector.afterRound(
          round -> {
            if (!leadership.active()) {
              inventory.restoreModes(journal.hostModes());
            }
          });
      RulesService rules =
          new RulesService(
              inventory,
              client,
              leadership,
              operations.audit(),
              collector::collect,
              config.reservedMemoryBytes());
      RuleMetrics.register(registry, rules::report);
      parts.add(
          ViewPublisher.publish(
              server,
              inventory,
              shared,
              operations,
              enrolment,
              rules,
              new Availability(failures, failover, definitions::size)));
      parts.add(LeadershipView.register(server, leadership));
      LeadershipMetrics.register(registry, leadership);
      Endpoints endpoints =
          Endpoints.open(
              parts,
              server,
              registry,
              "xcm-coordinator",
              JOLOKIA_POLICY,
              config.jolokia(),
              Optional.empty(),
              CertificateUsers.NONE,
              config.console().map(c -> Console.fromClassPath(c, clock)),
              config.metrics(),
              config.jmx());
      RejectedRequests rejectedRequests = RejectedRequests.register(registry, clock);
      EnrolmentDesk desk = enrolment;
      EnrolmentServer enrolmentDoor =
          parts.open(
              "the enrolment door",
              config.enrol().address(),
              config.enrol().port(),
              () ->
                  EnrolmentServer.start(
                      config.enrol(),
                      desk,
                      own,
                      EnrolmentMetrics.register(registry, () -> desk.waiting().size()),
                      rejectedRequests.door("enrol", Refusal.class)));
      AlertmanagerWebhook webhook = null;
      if (config.webhook().isPresent()) {
        WebhookConfig hook = config.webhook().get();
        AlertActions actions =
            new AlertActions(
                operations,
                journal,
                clock,
                hook.remember(),
                hook.balancePolicy(),
                leadership::active,
                config.enrol().name(),
                ha);
        collector.afterRound(actions::afterRound);
        leadership.onTakingOver(epoch -> actions.reload());
        WebhookMetrics webhookMetrics =
            WebhookMetrics.register(
                registry,
                AlertmanagerWebhook.statusCodes(),
                Arrays.stream(AlertActions.Outcome.values())
                    .map(AlertActions.Outcome::label)
                    .toList());
        RejectedRequests.Door<RejectedRequestException.Reason> rejected =
            rejectedRequests.door("webhook", RejectedRequestException.Reason.class);
        webhook =
            parts.open(
                "the Alertmanager webhook",
                hook.address(),
                hook.port(),
                () -> AlertmanagerWebhook.start(hook, actions, rejected, webhookMetrics));
      }
      ClusterScheduler acting =
          parts.add(
              ClusterScheduler.create(
                  new ClusterScheduler.Jobs(
                      operations,
                      // Asked again and again, a migration still running is not waited for.
                      new UnsettledMoves(
                          journal,
                          new MoveResolver(client, leadership, Duration.ZERO, MOVE_POLL),
                          inventory,
                          operations),
                      config.deadHostCheckInterval(),
                      config.nightlyBalanceCron(),
                      config.nightlyBalancePolicy(),
                      config.auditRetention(),
                      balancing,
                      config.balancing().balancer().interval()),
                  leadership::active,
                  journal.shared()
                      ? Optional.of(
                          new ClusterScheduler.JdbcStore(
                              config.journalUrl(),
                              config.journalUser(),
                              config.journalPassword(),
                              config.enrol().name(),
                              config.leaderLease().dividedBy(2)))
                      : Optional.empty()));
      Takeover takeover =
          parts.add(
              new Takeover(
                  inventory,
                  journal,
                  definitions,
                  enrolment,
                  shared,
                  operations,
                  new OperationRecovery(journal, resolver, operations, config.migrationTimeout()),
                  collector::collect,
                  client));
      leadership.onTakingOver(takeover::prepare);
      // The level an operator set on the former active holds on this one.
      leadership.onTakingOver(epoch -> balancing.reload());
      leadership.onActive(takeover::start);
      leadership.onActive(
          epoch -> {
            try {
              acting.start();
            } catch (SchedulerException e) {
              log.error("cannot start the jobs that act (nightly balance, pruning, settling)", e);
            }
          });
      leadership.start(config.advertiseUrl().orElse(endpoints.jolokiaUrl()));
      // Rounds start once a lone coordinator has taken over: hosts the journal holds as fenced are
      // FAILED before any of them answers.
      parts.add(
          CoordinatorScheduler.start(
              collector,
              inventory,
              operations.registry(),
              config.collectInterval(),
              leadership::active,
              config.standbyCollectInterval(),
              config.deadHostCheckInterval()));

      Coordinator coordinator =
          new Coordinator(
              inventory,
              collector,
              operations,
              endpoints,
              webhook,
              enrolmentDoor,
              enrolment,
              leadership,
              parts);
      log.info(
          "coordinator started (console {}, Jolokia {}, metrics {}, webhook {}, enrolment {}),"
              + " collecting every {} ms",
          endpoints.consoleUrl().orElse("off"),
          endpoints.jolokiaUrl(),
          endpoints.metricsUrl(),
          webhook == null ? "off" : webhook.url(),
          enrolmentDoor.url(),
          config.collectInterval().toMillis());
      return coordinator;
    } catch (JMException e) {
      parts.close();
      throw new StartException(
          "cannot register the coordinator's MBeans (is another coordinator running in this"
              + " JVM?): "
              + e.getMessage(),
          e);
    } catch (SchedulerException e) {
      parts.close();
      throw new StartException("cannot start the Quartz scheduler: " + e.getMessage(), e);
    } catch (StartException | RuntimeException e) {
      parts.close();
      throw e;
    }
  }

  public Inventory inventory() {
    return inventory;
  }

  public ClusterCollector collector() {
    return collector;
  }

  public OperationService operations() {
    return operations;
  }

  /** Who joins: hosts waiting for approval, hosts enrolled, tokens. */
  public EnrolmentDesk enrolment() {
    return enrolment;
  }

  /** Where Jolokia, /metrics and the JMX connector are reached. */
  public Endpoints endpoints() {
    return endpoints;
  }

  /** The Alertmanager webhook's URL, when it runs. */
  /** The enrolment door's {@code https://…/enrol}. */
  public String enrolmentUrl() {
    return enrolmentDoor.url();
  }

  public Optional<String> webhookUrl() {
    return Optional.ofNullable(webhook).map(AlertmanagerWebhook::url);
  }

  /** This coordinator's part in the lease: whether it acts, and who does. */
  public Leadership leadership() {
    return leadership;
  }

  @Override
  public void close() {
    parts.close();
    log.info("coordinator stopped");
  }

  /** {@code listener}, run only while this coordinator is the active one. */
  private static Consumer<ClusterSnapshot> whenActive(
      Leadership leadership, Consumer<ClusterSnapshot> listener) {
    return round -> {
      if (leadership.active()) {
        listener.accept(round);
      }
    };
  }

  private static ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
