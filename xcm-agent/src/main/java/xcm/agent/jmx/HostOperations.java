package xcm.agent.jmx;

import java.util.List;
import xcm.agent.libvirt.DomainNotFoundException;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.InvalidDomainException;
import xcm.agent.sample.Sampler;
import xcm.mbeans.HostOperationsMXBean;
import xcm.mbeans.MigrationStatus;

/**
 * {@code xcm:type=HostOperations}. Changes go through the agent's one libvirt connection; a sample
 * is requested after each so the MBeans follow at once. Errors reach JMX and Jolokia clients as JDK
 * exceptions: {@link IllegalArgumentException} for what the caller got wrong, {@link
 * IllegalStateException} for what the host could not do.
 */
final class HostOperations implements HostOperationsMXBean {
  private final Hypervisor hypervisor;
  private final Sampler sampler;
  private final String host;

  HostOperations(Hypervisor hypervisor, Sampler sampler, String host) {
    this.hypervisor = hypervisor;
    this.sampler = sampler;
    this.host = host;
  }

  @Override
  public long sampleNow() {
    return sampler.sampleNow().epochMillis();
  }

  @Override
  public String defineDomain(String xml) {
    String name = call(() -> hypervisor.defineDomain(xml));
    sampler.requestSample();
    return name;
  }

  @Override
  public void startDomain(String domain) {
    change(() -> hypervisor.startDomain(domain));
  }

  @Override
  public void destroyDomain(String domain) {
    change(() -> hypervisor.destroyDomain(domain));
  }

  @Override
  public void undefineDomain(String domain) {
    change(() -> hypervisor.undefineDomain(domain));
  }

  @Override
  public String migrate(String domain, String destination) {
    throw new UnsupportedOperationException(host + ": migration is not built yet");
  }

  @Override
  public MigrationStatus migration(String id) {
    throw new UnsupportedOperationException(host + ": migration is not built yet");
  }

  @Override
  public List<MigrationStatus> getMigrations() {
    return List.of();
  }

  @Override
  public void prepareIncoming(String xml) {
    throw new UnsupportedOperationException(host + ": migration is not built yet");
  }

  @Override
  public void finishIncoming(String domain) {
    throw new UnsupportedOperationException(host + ": migration is not built yet");
  }

  @Override
  public void abortIncoming(String domain) {
    throw new UnsupportedOperationException(host + ": migration is not built yet");
  }

  private interface Call<T> {
    T run() throws HypervisorException;
  }

  private interface Change {
    void run() throws HypervisorException;
  }

  private void change(Change change) {
    call(
        () -> {
          change.run();
          return null;
        });
    sampler.requestSample();
  }

  private <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (DomainNotFoundException | InvalidDomainException e) {
      throw new IllegalArgumentException(host + ": " + e.getMessage());
    } catch (HypervisorException e) {
      throw new IllegalStateException(host + ": " + e.getMessage());
    }
  }
}
