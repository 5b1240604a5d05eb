package xcm.trust.enrol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import xcm.trust.OwnerOnlyDirectory;
import xcm.trust.TrustFileException;

/**
 * Records in a file, {@value #FILE} in a directory of mode 0700, written whole with mode 0600: one
 * line a token, fields separated by a space.
 *
 * <pre>
 * # host, SHA-256 of the token, issued, expires, redeemed (or -)
 * hv07 5e884898da28…42d8 2025-03-01T10:00:00Z 2025-03-02T10:00:00Z -
 * </pre>
 *
 * <pre>{@code
 * TokenStore store = new FileTokenStore(Path.of("/var/lib/xcm/ca"));
 * }</pre>
 *
 * Thread-safe as {@link EnrolmentTokens} uses it (one writer at a time).
 */
public final class FileTokenStore implements TokenStore {
  static final String FILE = "enrolment-tokens";
  private static final String HEADER =
      "# host, SHA-256 of the token, issued, expires, redeemed (or -)\n";

  private final OwnerOnlyDirectory directory;

  /**
   * @throws TrustFileException when the directory is open to group or others
   */
  public FileTokenStore(Path directory) throws IOException {
    this.directory = OwnerOnlyDirectory.open(directory);
  }

  public Path file() {
    return directory.resolve(FILE);
  }

  /**
   * @throws TrustFileException {@code TOO_OPEN} when group or others may write the file, {@code
   *     MALFORMED} naming the line that is not a record
   */
  @Override
  public List<TokenRecord> load() throws IOException {
    if (!directory.exists(FILE)) {
      return List.of();
    }
    String[] lines = new String(directory.read(FILE), StandardCharsets.UTF_8).split("\n", -1);
    List<TokenRecord> records = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        records.add(parse(line));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new TrustFileException(
            file(),
            TrustFileException.Problem.MALFORMED,
            "line " + (i + 1) + " is not a token record: " + e.getMessage(),
            e);
      }
    }
    return List.copyOf(records);
  }

  private static TokenRecord parse(String line) {
    String[] f = line.split(" ", -1);
    if (f.length != 5) {
      throw new IllegalArgumentException("5 fields expected, found " + f.length);
    }
    return new TokenRecord(
        f[0],
        f[1],
        Instant.parse(f[2]),
        Instant.parse(f[3]),
        f[4].equals("-") ? Optional.empty() : Optional.of(Instant.parse(f[4])));
  }

  @Override
  public void save(List<TokenRecord> records) throws IOException {
    StringBuilder text = new StringBuilder(HEADER);
    for (TokenRecord r : records) {
      text.append(r.name())
          .append(' ')
          .append(r.sha256())
          .append(' ')
          .append(r.issuedAt())
          .append(' ')
          .append(r.expiresAt())
          .append(' ')
          .append(r.redeemedAt().map(Instant::toString).orElse("-"))
          .append('\n');
    }
    directory.write(FILE, text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
