package xcm.coordinator.inventory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@code <state-dir>/members.properties} (host name = agent URL): where a coordinator kept the
 * cluster's members before its journal did. Only read now, once, when the journal takes them in.
 */
public final class MembershipFile {
  private final Path file;

  public MembershipFile(Path stateDir) {
    this.file = stateDir.resolve("members.properties");
  }

  public Path file() {
    return file;
  }

  /** The agent URLs recorded; none when there is no file. */
  public List<String> load() {
    if (!Files.exists(file)) {
      return List.of();
    }
    Properties members = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      members.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cluster members from " + file, e);
    }
    TreeMap<String, String> byName = new TreeMap<>();
    members.stringPropertyNames().forEach(name -> byName.put(name, members.getProperty(name)));
    return List.copyOf(byName.values());
  }
}
