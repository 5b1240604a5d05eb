package xcm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Host XML for libvirt's test driver ({@code test://FILE}): a host of 128 CPUs with running domains
 * of 1 GiB and 2 vCPUs each, one disk and one NIC.
 *
 * <pre>{@code
 * Path node = TestNodes.write(dir.resolve("source.xml"), 20, "source", 0, 64);
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class TestNodes {
  private TestNodes() {}

  /** A host with {@code count} domains {@code vm0001...} and memory to spare for 16 more. */
  public static Path write(Path file, int count) throws IOException {
    return write(file, count, "vm", 0, count + 16);
  }

  /**
   * A host with {@code count} running domains named {@code <prefix>0001...}; {@code host} keeps
   * UUIDs and MACs apart between hosts.
   */
  public static Path write(Path file, int count, String prefix, int host, long memoryGiB)
      throws IOException {
    StringBuilder xml = new StringBuilder();
    int cpus = 128;
    xml.append("<node><cpu><mhz>2400</mhz><model>x86_64</model><active>")
        .append(cpus)
        .append("</active><total>")
        .append(cpus)
        .append("</total><nodes>1</nodes><sockets>2</sockets><cores>32</cores>")
        .append("<threads>2</threads></cpu><memory>")
        .append(memoryGiB * 1024 * 1024)
        .append("</memory>\n");
    for (int i = 1; i <= count; i++) {
      xml.append(
          String.format(
              "<domain type='test'><name>%s%04d</name><uuid>be7c%04x-0000-4000-8000-%012d</uuid>"
                  + "<memory unit='MiB'>1024</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os>"
                  + "<devices><disk type='file' device='disk'><source file='/images/%s%04d.qcow2'/>"
                  + "<target dev='vda' bus='virtio'/></disk><interface type='network'>"
                  + "<source network='default'/><mac address='52:54:%02x:be:%02x:%02x'/></interface>"
                  + "</devices></domain>%n",
              prefix, i, host, i, prefix, i, host, i / 256, i % 256));
    }
    xml.append("</node>\n");
    return Files.writeString(file, xml.toString());
  }
}
