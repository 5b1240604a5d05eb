package xcm.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key stores made for a test with the JDK's {@code keytool}: a self-signed key pair per name (valid
 * for 127.0.0.1 and localhost) in {@code <name>.p12}, its certificate in {@code <name>-trust.p12}.
 */
final class Certificates {
  static final String PASSWORD = "changeit-test";

  private final Path dir;

  Certificates(Path dir) {
    this.dir = dir;
  }

  /** Makes {@code <name>.p12} (key and certificate) and {@code <name>-trust.p12} (certificate). */
  Path keyPair(String name) throws IOException, InterruptedException {
    return keyPair(name, "ip:127.0.0.1,dns:localhost");
  }

  /** As {@link #keyPair(String)}, the certificate naming {@code san} (keytool's SAN syntax). */
  Path keyPair(String name, String san) throws IOException, InterruptedException {
    Path keystore = dir.resolve(name + ".p12");
    Path cert = dir.resolve(name + ".cer");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-ext",
        "SAN=" + san,
        "-validity",
        "2",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        name,
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        name,
        "-file",
        cert.toString(),
        "-keystore",
        trust(name).toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    return keystore;
  }

  Path trust(String name) {
    return dir.resolve(name + "-trust.p12");
  }

  /** A client context trusting {@code server}'s certificate, presenting {@code client}'s if any. */
  SSLContext client(String server, String client) throws IOException, GeneralSecurityException {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(load(trust(server)));
    KeyManagerFactory keys = null;
    if (client != null) {
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(dir.resolve(client + ".p12")), PASSWORD.toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
