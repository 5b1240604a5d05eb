package xcm.bench.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import xcm.coordinator.enrol.Enrolled;
import xcm.coordinator.enrol.EnrolledHosts;
import xcm.trust.CertificateRequest;
import xcm.trust.Keys;
import xcm.trust.Pem;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.ca.IssuedCertificate;

/**
 * A coordinator's state directory in which a simulated fleet is already enrolled: the cluster's
 * authority made as the coordinator makes it at its first start ({@code ca/}), a certificate issued
 * by it to each host as {@code EnrolmentDesk} issues one, and the hosts written to {@code
 * enrolled.json} by the coordinator's own {@link EnrolledHosts}. A coordinator started on it
 * collects the fleet from its first round, as one restarted in a cluster of that size does.
 *
 * <p>Why not enrol through the door: the desk rewrites all of {@code enrolled.json} at every
 * enrolment, so enrolling 10,000 hosts one by one writes some 75 GB; enrolment is not what this
 * bench measures.
 *
 * <p>Host {@code i} (from 1) is {@code h00001}... and listens on {@link #address}; every host has
 * the same key (written to {@code keyFile}), which costs the coordinator's TLS what distinct keys
 * would, since it checks each host's certificate, not its key against the others'.
 *
 * <p>Thread-safe: stateless.
 */
final class FleetSeed {
  private FleetSeed() {}

  /** Host {@code index}'s name. */
  static String name(int index) {
    return String.format("h%05d", index);
  }

  /**
   * Where host {@code index} (from 1) listens: 127.1.0.1, 127.1.0.2, ... 127.1.0.250, 127.1.1.1,
   * ... all on {@code port} — Linux routes all of 127.0.0.0/8 to loopback, so each host has an
   * address of its own, as on a real network, and ports are not scarce.
   */
  static InetSocketAddress address(int index, int port) {
    int i = index - 1;
    String host = "127." + (1 + i / 62_500) + "." + (i / 250 % 250) + "." + (1 + i % 250);
    return new InetSocketAddress(host, port);
  }

  /**
   * Writes {@code stateDir} (mode 700, made if missing) with {@code hosts} hosts enrolled at {@code
   * https://<address>:<port>/jolokia/}, and their key to {@code keyFile} (mode 600).
   */
  static void seed(Path stateDir, Path keyFile, int hosts, int port) throws IOException {
    Files.createDirectories(
        stateDir,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    SecureRandom random = new SecureRandom();
    ClusterAuthority authority =
        ClusterAuthority.builder().directory(stateDir.resolve("ca")).random(random).open();
    KeyPair keys = Keys.generate(random);
    Files.deleteIfExists(keyFile);
    Files.createFile(
        keyFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(keyFile, Pem.privateKey(keys.getPrivate()), StandardCharsets.US_ASCII);
    Instant now = Instant.now();
    List<Enrolled> enrolled = new ArrayList<>(hosts);
    for (int i = 1; i <= hosts; i++) {
      String name = name(i);
      UUID uuid = hostUuid(name);
      CertificateRequest request = CertificateRequest.create(keys, name, Optional.of(uuid));
      IssuedCertificate issued = authority.issue(request, Subject.agent(name, uuid));
      InetSocketAddress address = address(i, port);
      enrolled.add(
          new Enrolled(
              name,
              uuid.toString(),
              "https://" + address.getHostString() + ":" + port + "/jolokia/",
              request.keyFingerprint().toString(),
              issued.certificate().getSerialNumber().toString(16),
              issued.pem(),
              now,
              issued.certificate().getNotAfter().toInstant()));
    }
    new EnrolledHosts(stateDir).save(enrolled);
  }

  /** The libvirt host UUID a simulated host reports and is enrolled with. */
  static UUID hostUuid(String name) {
    return UUID.nameUUIDFromBytes(("xcm-fleet-host:" + name).getBytes(StandardCharsets.UTF_8));
  }
}
