package xcm.agent.enrol;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.SecretFile;
import xcm.mbeans.config.Settings;
import xcm.trust.Pem;

/**
 * How an agent asks its coordinators for a cluster certificate: keys {@code enrol.*} under the
 * agent's prefix.
 *
 * <pre>
 * xcm.agent.enrol.url         (none) the coordinators' enrolment URLs, https only, comma-separated
 *                             (at most 16, each once), e.g. https://coord:8790/enrol or
 *                             https://c1:8790/enrol, https://c2:8790/enrol: the one that last
 *                             answered first, then in this order; a standby (503 STANDBY) or a
 *                             door that does not answer is passed for the next (Doors)
 * xcm.agent.enrol.ca-file     required with enrol.url: the cluster authority's certificate (PEM),
 *                             the coordinator's &lt;state-dir&gt;/ca/ca.crt, copied to this host
 * xcm.agent.enrol.token-file  (none) a one-time enrolment token (./xcm hosts token HOST), in a file
 *                             only its owner may read; without one the host waits for an operator
 * xcm.agent.enrol.key-dir     required with enrol.url: where the host's key and certificate are
 *                             kept (host.key, host.crt; made with mode 0700)
 * xcm.agent.enrol.poll        5s: how often to ask again while an operator has not approved
 * </pre>
 *
 * The key directory has no default: the agent has no state directory of its own yet.
 *
 * @param urls the coordinators' enrolment URLs, in the order given: at least one, each once
 * @param caFile where the authority's certificate was read from, for messages
 * @param authority the cluster authority's certificate: the only issuer the coordinator's
 *     certificate and this host's may have
 * @param token the one-time token; never shown by {@link #toString()}
 * @param keyDir the host's key directory ({@code xcm.trust.key.HostKey})
 * @param poll how often to ask again while waiting for an operator
 * @param retry the first wait after a failure; it doubles up to a minute. Not a key: tests shorten
 *     it
 */
public record EnrolmentConfig(
    List<URI> urls,
    Path caFile,
    X509Certificate authority,
    Optional<String> token,
    Path keyDir,
    Duration poll,
    Duration retry) {

  public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_RETRY = Duration.ofSeconds(1);

  /** Asking more often only loads the coordinator: an operator approves in minutes, not ms. */
  static final Duration MIN_POLL = Duration.ofSeconds(1);

  /**
   * The most enrolment URLs: the coordinators of one journal are a handful, and each door that does
   * not answer can cost a connect timeout in a pass.
   */
  static final int MAX_URLS = 16;

  public EnrolmentConfig {
    urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
    if (urls.isEmpty()
        || urls.size() > MAX_URLS
        || urls.stream().distinct().count() < urls.size()) {
      throw new IllegalArgumentException(
          "enrolment: 1 to " + MAX_URLS + " distinct URLs, found " + urls);
    }
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(keyDir, "keyDir");
    if (poll.isNegative() || poll.isZero() || retry.isNegative() || retry.isZero()) {
      throw new IllegalArgumentException(
          "enrolment: poll and retry must be positive, found " + poll + " and " + retry);
    }
  }

  /**
   * Reads the keys; empty when {@code enrol.url} is not set.
   *
   * @throws ConfigException naming the key, the value and why: a URL that is not https, a CA file
   *     that is not one authority's certificate, a token file others may read, a missing key
   */
  public static Optional<EnrolmentConfig> load(Settings s) {
    Optional<String> url = s.string("enrol.url");
    s.string("enrol.ca-file");
    Optional<String> tokenFile = s.string("enrol.token-file");
    Optional<String> keyDir = s.string("enrol.key-dir");
    Duration poll = s.duration("enrol.poll", DEFAULT_POLL);
    if (url.isEmpty()) {
      // The other keys were read, so they count as known; without a URL they do nothing.
      return Optional.empty();
    }
    String prefix = s.prefix();
    List<URI> urls = httpsUrls(prefix + "enrol.url", url.get());
    Path ca =
        s.readableFile("enrol.ca-file")
            .orElseThrow(
                () ->
                    new ConfigException(
                        prefix + "enrol.ca-file",
                        null,
                        "required with "
                            + prefix
                            + "enrol.url: the cluster authority's certificate (the coordinator's"
                            + " <state-dir>/ca/ca.crt)"));
    X509Certificate authority = authority(prefix + "enrol.ca-file", ca);
    Optional<String> token =
        s.secretFile("enrol.token-file")
            .map(path -> new SecretFile(prefix + "enrol.token-file", path).read());
    Path keys =
        Path.of(
            keyDir.orElseThrow(
                () ->
                    new ConfigException(
                        prefix + "enrol.key-dir",
                        null,
                        "required with "
                            + prefix
                            + "enrol.url: the directory that keeps this host's key and"
                            + " certificate, e.g. /var/lib/xcm/agent/tls")));
    if (Files.exists(keys) && !Files.isDirectory(keys)) {
      throw new ConfigException(prefix + "enrol.key-dir", keyDir.get(), "is not a directory");
    }
    if (poll.compareTo(MIN_POLL) < 0) {
      throw new ConfigException(
          prefix + "enrol.poll",
          poll.toMillis() + "ms",
          "must be at least " + MIN_POLL.toSeconds() + "s");
    }
    return Optional.of(new EnrolmentConfig(urls, ca, authority, token, keys, poll, DEFAULT_RETRY));
  }

  /** This configuration asking every {@code poll} and retrying from {@code retry}. */
  public EnrolmentConfig withTiming(Duration poll, Duration retry) {
    return new EnrolmentConfig(urls, caFile, authority, token, keyDir, poll, retry);
  }

  /**
   * {@code value} split at commas (whitespace around them allowed), each entry an https URL. A
   * single URL's errors read as they did before lists: the entry is the value.
   */
  private static List<URI> httpsUrls(String key, String value) {
    String[] entries = value.split(",", -1);
    if (entries.length > MAX_URLS) {
      throw new ConfigException(
          key,
          value,
          "names "
              + entries.length
              + " URLs; give at most "
              + MAX_URLS
              + " (the coordinators sharing one journal)");
    }
    List<URI> urls = new ArrayList<>(entries.length);
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].trim();
      if (entry.isEmpty()) {
        throw new ConfigException(
            key,
            value,
            "entry "
                + (i + 1)
                + " of "
                + entries.length
                + " is empty: give https URLs separated by single commas");
      }
      // With several entries the error says which; a single URL's reads as it always did.
      URI uri =
          httpsUrl(
              key,
              entry,
              entries.length == 1 ? "" : "entry " + (i + 1) + " of " + entries.length + ": ");
      if (urls.contains(uri)) {
        throw new ConfigException(
            key,
            entry,
            "is given twice (entries "
                + (urls.indexOf(uri) + 1)
                + " and "
                + (i + 1)
                + "): give each coordinator's door once");
      }
      urls.add(uri);
    }
    return List.copyOf(urls);
  }

  /**
   * @param which which entry it is, for the error: empty, or {@code "entry 2 of 3: "}
   */
  private static URI httpsUrl(String key, String value, String which) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, value, which + "not a URL: " + e.getReason());
    }
    if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("https")) {
      throw new ConfigException(
          key,
          value,
          which
              + "must be an https URL like https://coord:8790/enrol: the certificate request and"
              + " the token travel over TLS only");
    }
    if (uri.getHost() == null) {
      throw new ConfigException(key, value, which + "names no host");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(
          key,
          value,
          which + "must be https://host:port/path without user information, query or fragment");
    }
    return uri;
  }

  private static X509Certificate authority(String key, Path file) {
    List<X509Certificate> certificates;
    try {
      certificates = Pem.readCertificates(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new ConfigException(key, file.toString(), "cannot be read: " + e);
    } catch (CertificateException e) {
      throw new ConfigException(
          key, file.toString(), "is not a PEM certificate: " + e.getMessage());
    }
    if (certificates.size() != 1) {
      throw new ConfigException(
          key,
          file.toString(),
          "holds " + certificates.size() + " certificates; give the cluster authority's alone");
    }
    X509Certificate authority = certificates.get(0);
    if (authority.getBasicConstraints() < 0) {
      throw new ConfigException(
          key,
          file.toString(),
          "holds "
              + authority.getSubjectX500Principal().getName()
              + ", which is not a certificate authority's certificate (give the coordinator's"
              + " ca/ca.crt, not its host.crt)");
    }
    return authority;
  }

  @Override
  public String toString() {
    return "EnrolmentConfig[urls="
        + urls
        + ", caFile="
        + caFile
        + ", token="
        + (token.isPresent() ? "***" : "none")
        + ", keyDir="
        + keyDir
        + ", poll="
        + poll
        + ", retry="
        + retry
        + "]";
  }
}
