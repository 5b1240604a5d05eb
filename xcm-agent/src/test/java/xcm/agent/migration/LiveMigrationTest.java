package xcm.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.agent.Fixtures;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.LibvirtHypervisor;
import xcm.agent.libvirt.LiveMigrationTarget;
import xcm.client.JolokiaException;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationJob;
import xcm.mbeans.MigrationStatus;

/**
 * The source's side of a libvirt live migration, on a test-driver host made to migrate live (its
 * migrateLive scripted) and a destination agent stub: what BEGIN refuses, the timeout that aborts
 * libvirt's job, libvirt's figures in the status. Real migrations are in xcm-it's QemuLabIT.
 */
class LiveMigrationTest {
  private static final String DESTINATION = "http://127.0.0.1:8782/jolokia/";
  private static final String LAB02_URI = "qemu+unix:///system?socket=/lab/host2/run/libvirt-sock";
  private static final long MIB = 1024 * 1024;

  private FaultyHypervisor source;
  private StubPeer peer;
  private OutgoingMigrations migrations;
  private final List<LiveMigrationTarget> targets = new CopyOnWriteArrayList<>();

  @BeforeEach
  void host() throws HypervisorException {
    source = new FaultyHypervisor(LibvirtHypervisor.open(Fixtures.LAB01));
    peer =
        new StubPeer(
            new Peer.Destination("lab02", LAB02_URI, true, LAB02_URI, "tcp://127.0.0.1", 8L << 30));
    migrations =
        OutgoingMigrations.builder()
            .host("lab01")
            .hypervisor(source)
            .peers(url -> peer)
            .liveMigrationTimeout(Duration.ofMillis(300))
            .bandwidthMiBps(5)
            .liveMigrationPoll(Duration.ofMillis(50))
            .build();
  }

  @AfterEach
  void close() {
    migrations.close();
    source.close();
  }

  private MigrationStatus ended(String id) {
    await().atMost(Duration.ofSeconds(10)).until(() -> migrations.status(id).finished());
    return migrations.status(id);
  }

  @Test
  void succeededMigrationGoesToTheAdvertisedUriAndCarriesLibvirtsFigures() throws Exception {
    source.migratesLive(
        (domain, target) -> {
          targets.add(target);
          source.destroyDomain(domain);
          source.undefineDomain(domain);
        });
    peer.completed = new MigrationJob("web01", "incoming migration", 250, 17, 600_000, 64 * MIB);

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.SUCCEEDED);
    assertThat(status.error()).isNull();
    assertThat(status.phase()).isEqualTo(MigrationStatus.Phase.DONE);
    assertThat(status.method()).isEqualTo(MigrationStatus.Method.LIBVIRT);
    assertThat(status.destinationHost()).isEqualTo("lab02");
    assertThat(status.migrationMillis()).isEqualTo(250);
    assertThat(status.downtimeMillis()).isEqualTo(17);
    assertThat(status.dataTransferredBytes()).isEqualTo(600_000);
    assertThat(targets).containsExactly(new LiveMigrationTarget(LAB02_URI, "tcp://127.0.0.1", 5));
    assertThat(peer.calls).containsExactly("describe", "completedMigration web01");
  }

  @Test
  void destinationLackingMemoryIsRefusedAtBeginAndNothingChanges() throws Exception {
    peer.destination = new Peer.Destination("lab02", LAB02_URI, true, LAB02_URI, "", 100 * MIB);
    source.migratesLive((domain, target) -> targets.add(target));

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.error())
        .isEqualTo(
            "BEGIN: lab02 lacks memory for it: it needs 2048.0 MiB, lab02 has 100.0 MiB free;"
                + " nothing changed, it runs on lab01");
    assertThat(targets).isEmpty();
    assertThat(source.domainState("web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void destinationThatCannotTakeLiveMigrationsIsRefusedNamingItsHypervisor() throws Exception {
    peer.destination = new Peer.Destination("lab02", "test:///lab02.xml", true, "", "", 8L << 30);
    source.migratesLive((domain, target) -> targets.add(target));

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.error())
        .isEqualTo(
            "BEGIN: lab02 cannot take a libvirt live migration (its agent samples"
                + " test:///lab02.xml and advertises no migration URI); nothing changed, it runs"
                + " on lab01");
    assertThat(targets).isEmpty();
  }

  @Test
  void unreachableDestinationAgentChangesNothing() throws Exception {
    peer.unreachable = true;
    source.migratesLive((domain, target) -> targets.add(target));

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.error())
        .isEqualTo(
            "BEGIN: agent at "
                + DESTINATION
                + " does not answer: connection refused; nothing changed, it runs on lab01");
    assertThat(targets).isEmpty();
    assertThat(source.domainState("web01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void migrationStillRunningAtTheTimeoutIsAbortedAndTheDomainRunsOn() throws Exception {
    // libvirt's job runs until aborted (a guest dirtying memory faster than the link carries it).
    source.migratesLive(
        (domain, target) -> {
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            throw new HypervisorException(
                "cannot live-migrate domain '"
                    + domain
                    + "': operation aborted: job 'migration out' canceled by client",
                null);
          }
        });

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.phase()).isEqualTo(MigrationStatus.Phase.PERFORM);
    assertThat(status.error())
        .isEqualTo(
            "PERFORM: the migration did not end within 300 ms, so libvirt's job was aborted"
                + " (cannot live-migrate domain 'web01': operation aborted: job 'migration out'"
                + " canceled by client); libvirt rolled back, it runs on lab01 as before");
    assertThat(source.domainState("web01")).isEqualTo(DomainState.RUNNING);
    assertThat(peer.calls).containsExactly("describe");
  }

  @Test
  void failureThatTookTheDomainAwaySaysToCheckTheDestination() throws Exception {
    source.migratesLive(
        (domain, target) -> {
          source.destroyDomain(domain);
          source.undefineDomain(domain);
          throw new HypervisorException("cannot live-migrate domain 'web01': lost the peer", null);
        });

    MigrationStatus status = ended(migrations.migrate("web01", DESTINATION, ""));

    assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
    assertThat(status.error())
        .isEqualTo(
            "PERFORM: cannot live-migrate domain 'web01': lost the peer; it is no longer on"
                + " lab01, so libvirt may have finished the migration: check lab02");
  }

  /** The destination's agent as far as a live migration asks it. */
  private static final class StubPeer implements Peer {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile Destination destination;
    volatile MigrationJob completed;
    volatile boolean unreachable;

    StubPeer(Destination destination) {
      this.destination = destination;
    }

    @Override
    public String url() {
      return DESTINATION;
    }

    @Override
    public Destination describe() throws JolokiaException {
      calls.add("describe");
      if (unreachable) {
        throw new JolokiaException(
            JolokiaException.Outcome.FAILED,
            null,
            "agent at " + DESTINATION + " does not answer: connection refused",
            null);
      }
      return destination;
    }

    @Override
    public MigrationJob completedMigration(String domain) {
      calls.add("completedMigration " + domain);
      return completed;
    }

    @Override
    public String prepareIncoming(String xml, String ticket) {
      throw new AssertionError("a live migration has no PREPARE");
    }

    @Override
    public void finishIncoming(String domain, String ticket) {
      throw new AssertionError("a live migration has no FINISH");
    }

    @Override
    public void abortIncoming(String domain, String ticket) {
      throw new AssertionError("a live migration aborts nothing on the destination");
    }
  }
}
