package xcm.coordinator.inventory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.mbeans.config.FileMode;

/**
 * Keeps the cluster's members (host name → agent URL) in {@code <state-dir>/members.properties}, so
 * that agents that registered themselves are collected again after the coordinator restarts.
 * Written atomically (temporary file, then rename) whenever the set of members changes, mode 600.
 */
public final class MembershipFile implements Consumer<ClusterSnapshot> {
  private static final Logger log = LoggerFactory.getLogger(MembershipFile.class);

  private final Path file;
  private Map<String, String> written = Map.of();

  public MembershipFile(Path stateDir) {
    this.file = stateDir.resolve("members.properties");
  }

  /** The agent URLs recorded by an earlier run; none when there was none. */
  public synchronized List<String> load() {
    if (!Files.exists(file)) {
      return List.of();
    }
    Properties members = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      members.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cluster members from " + file, e);
    }
    Map<String, String> byName = new TreeMap<>();
    members.stringPropertyNames().forEach(name -> byName.put(name, members.getProperty(name)));
    written = byName;
    return List.copyOf(byName.values());
  }

  @Override
  public synchronized void accept(ClusterSnapshot snapshot) {
    Map<String, String> members = new TreeMap<>();
    snapshot.hosts().values().stream()
        .filter(h -> h.removedAt() == null)
        .forEach(h -> members.put(h.name(), h.url()));
    if (members.equals(written)) {
      return;
    }
    Properties properties = new Properties();
    properties.putAll(members);
    try {
      Files.createDirectories(file.getParent());
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      // Created its owner's only before anything is written to it: the rename keeps the mode.
      Files.deleteIfExists(temporary);
      if (Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null) {
        Files.createFile(
            temporary, PosixFilePermissions.asFileAttribute(FileMode.OWNER_FILE.permissions()));
      }
      try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
        properties.store(out, "XCM cluster members: host name = agent Jolokia URL");
      }
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      written = members;
    } catch (IOException e) {
      log.error("cannot save cluster members to {}: {}", file, e.getMessage());
    }
  }
}
