package xcm.agent;

import java.nio.file.Path;

/** Paths and URIs of the test node XMLs. */
public final class Fixtures {
  private Fixtures() {}

  /**
   * lab01: web01 (2 disks + cdrom, 2 NICs), db01, web,01="x":y, paused01, off01; 8 CPUs, 16 GiB.
   */
  public static final String LAB01 = testUri("lab01.xml");

  /** A domain definition for the test driver that no fixture holds. */
  public static String domainXml(String name, String uuid, int memoryMiB, int vcpus) {
    return "<domain type='test'><name>"
        + name.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;")
        + "</name><uuid>"
        + uuid
        + "</uuid><memory unit='MiB'>"
        + memoryMiB
        + "</memory><vcpu>"
        + vcpus
        + "</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file'"
        + " device='disk'><source file='/images/x.img'/><target dev='vda'/></disk></devices>"
        + "</domain>";
  }

  /**
   * The fixture's {@code test:///} URI; the path is the agent module's, so that the test kit's
   * tests (run from their own module, beside it) read the same files.
   */
  public static String testUri(String fixture) {
    return "test://"
        + Path.of("..", "xcm-agent", "src/test/resources/fixtures", fixture)
            .toAbsolutePath()
            .normalize();
  }
}
