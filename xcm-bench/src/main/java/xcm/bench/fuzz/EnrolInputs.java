package xcm.bench.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import xcm.trust.CertificateRequest;
import xcm.trust.Keys;

/**
 * Hostile requests to the coordinator's enrolment door ({@code POST /enrol}, HTTPS): malformed
 * JSON, fields of wrong types or over their limits, certificate requests for another name than the
 * host or not certificate requests at all, bad tokens, agent URLs that are not plain https, bodies
 * over 16 KiB, other methods and paths; and well-formed requests without a token, which wait for an
 * operator until the waiting room is full. Every input but those carries a token, never a valid one
 * for its own host name, so none may enrol a host or wait: a field the desk wrongly took would
 * still meet a refused token.
 *
 * <p>Thread-safe.
 */
final class EnrolInputs {
  /** The one category whose requests may be answered 202 WAITING. */
  static final String NO_TOKEN = "enrol/no-token";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FIELDS =
      List.of("host", "url", "libvirtUuid", "certificateRequest", "token");

  private final Fuzzer.Target target;
  private final Hostile hostile;

  EnrolInputs(Fuzzer.Target target, Hostile hostile) {
    this.target = target;
    this.hostile = hostile;
  }

  /** Adds the enrolment door's categories, {@code enrol/...}. */
  void addTo(Map<String, Inputs.Generator> g) {
    g.put(
        "enrol/malformed-json",
        (i, r) -> post(i, "enrol/malformed-json", HostileBodies.malformedJson(r)));
    g.put("enrol/wrong-types", this::wrongTypes);
    g.put("enrol/oversized-field", this::oversizedField);
    g.put("enrol/other-name", this::otherName);
    g.put("enrol/garbage-pem", this::garbagePem);
    g.put("enrol/bad-token", this::badToken);
    g.put("enrol/url", this::url);
    g.put("enrol/libvirt-uuid", this::libvirtUuid);
    g.put("enrol/method-path", this::methodPath);
    g.put("enrol/over-16k", this::over16k);
    g.put(NO_TOKEN, (i, r) -> post(i, NO_TOKEN, json(wellFormed(r, name(r)))));
  }

  /** A request the desk would take: a fresh host name, an https URL, a UUID, its own request. */
  private ObjectNode wellFormed(Random r, String host) {
    return JSON.createObjectNode()
        .put("host", host)
        .put("url", "https://127.0.0.1:" + (1024 + r.nextInt(60_000)) + "/jolokia/")
        .put("libvirtUuid", new UUID(r.nextLong(), r.nextLong()).toString())
        .put("certificateRequest", request(r, host));
  }

  /** A host name no token was issued for: {@code fz-} and letters and digits. */
  private static String name(Random r) {
    StringBuilder name = new StringBuilder("fz-");
    for (int k = 0; k < 12; k++) {
      name.append(Character.forDigit(r.nextInt(36), 36));
    }
    return name.toString();
  }

  /** A real certificate request for {@code host}, signed by a key drawn from {@code r}. */
  private static String request(Random r, String host) {
    return CertificateRequest.create(keys(r), host, Optional.empty()).pem();
  }

  private static KeyPair keys(Random r) {
    try {
      // Seeded before first use, SHA1PRNG draws the same key for the same seed.
      SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
      seeded.setSeed(r.nextLong());
      return Keys.generate(seeded);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA1PRNG in this JVM: " + e.getMessage(), e);
    }
  }

  /** A token that is not valid for the request's host: made up, empty, or another name's. */
  private String badToken(Random r) {
    byte[] random = new byte[24];
    r.nextBytes(random);
    String madeUp = "xcm-enrol-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    return Hostile.pick(
        r,
        madeUp,
        target.token(),
        target.token() + "x",
        target.token().substring(0, target.token().length() - 1),
        "xcm-enrol-",
        "",
        " " + target.token(),
        Hostile.chars(r, 1 + r.nextInt(60)));
  }

  private Input wrongTypes(int index, Random r) throws JsonProcessingException {
    ObjectNode body = wellFormed(r, name(r)).put("token", badToken(r));
    String field = FIELDS.get(r.nextInt(FIELDS.size()));
    if (r.nextInt(5) == 0) {
      // A missing field, but never a missing token: that is a well-formed request, which waits.
      body.remove(field);
      body.put("token", badToken(r));
    } else {
      body.set(field, hostile.value(r));
    }
    return post(index, "enrol/wrong-types", json(body));
  }

  private Input oversizedField(int index, Random r) throws JsonProcessingException {
    String host = name(r);
    ObjectNode body = wellFormed(r, host).put("token", badToken(r));
    switch (r.nextInt(4)) {
      case 0 -> body.put("host", "a".repeat(254 + r.nextInt(3000)));
      case 1 -> body.put("url", "https://127.0.0.1:8443/" + "j".repeat(500 + r.nextInt(5000)));
      case 2 ->
          body.put(
              "certificateRequest",
              body.path("certificateRequest").asText() + "A".repeat(7700 + r.nextInt(6000)));
      default -> body.put("token", "xcm-enrol-" + "A".repeat(120 + r.nextInt(5000)));
    }
    return post(index, "enrol/oversized-field", json(body));
  }

  /** A certificate request for one name under another host name, with a token or without. */
  private Input otherName(int index, Random r) throws JsonProcessingException {
    String other = Hostile.pick(r, name(r), target.tokenHolder());
    ObjectNode body =
        wellFormed(r, name(r))
            .put("certificateRequest", request(r, other))
            .put("token", r.nextBoolean() ? target.token() : badToken(r));
    return post(index, "enrol/other-name", json(body));
  }

  private Input garbagePem(int index, Random r) throws JsonProcessingException {
    String host = name(r);
    String good = request(r, host);
    byte[] random = new byte[1 + r.nextInt(600)];
    r.nextBytes(random);
    String base64 = Base64.getMimeEncoder().encodeToString(random);
    String pem =
        switch (r.nextInt(7)) {
          case 0 -> armour("CERTIFICATE REQUEST", base64);
          case 1 -> certificate();
          case 2 -> good.substring(0, r.nextInt(good.length()));
          case 3 -> flipOne(r, good);
          case 4 -> armour("PRIVATE KEY", base64);
          case 5 -> good.replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST") + good;
          default -> new String(random, StandardCharsets.ISO_8859_1);
        };
    ObjectNode body = wellFormed(r, host).put("certificateRequest", pem).put("token", badToken(r));
    return post(index, "enrol/garbage-pem", json(body));
  }

  private Input badToken(int index, Random r) throws JsonProcessingException {
    return post(index, "enrol/bad-token", json(wellFormed(r, name(r)).put("token", badToken(r))));
  }

  /** An agent URL the desk must refuse: not https, with user information, a query, a fragment. */
  private Input url(int index, Random r) throws JsonProcessingException {
    String port = "127.0.0.1:" + (1024 + r.nextInt(60_000));
    String url =
        Hostile.pick(
            r,
            "http://" + port + "/jolokia/",
            "https://user:pass@" + port + "/jolokia/",
            "https://" + port + "/jolokia/?a=b",
            "https://" + port + "/jolokia/#x",
            "HTTP://" + port + "/",
            "ftp://" + port + "/",
            "https://",
            "https:///jolokia/",
            "//" + port + "/jolokia/",
            hostile.url(r));
    ObjectNode body = wellFormed(r, name(r)).put("url", url).put("token", badToken(r));
    return post(index, "enrol/url", json(body));
  }

  private Input libvirtUuid(int index, Random r) throws JsonProcessingException {
    String uuid = new UUID(r.nextLong(), r.nextLong()).toString();
    String bad =
        Hostile.pick(
            r,
            "",
            "not-a-uuid",
            uuid + "0",
            uuid.substring(1),
            uuid.replace("-", ""),
            "{" + uuid + "}",
            uuid.replace('a', 'g'),
            hostile.name(r));
    ObjectNode body = wellFormed(r, name(r)).put("libvirtUuid", bad).put("token", badToken(r));
    return post(index, "enrol/libvirt-uuid", json(body));
  }

  private Input methodPath(int index, Random r) throws JsonProcessingException {
    String body = json(wellFormed(r, name(r)).put("token", badToken(r)));
    String door = target.enrolUrl();
    String base = door.substring(0, door.lastIndexOf("/enrol"));
    boolean otherMethod = r.nextBoolean();
    URI uri =
        otherMethod
            ? URI.create(door)
            : URI.create(
                base
                    + Hostile.pick(
                        r,
                        "/",
                        "/enrol/",
                        "/ENROL",
                        "/enrol/x",
                        "/jolokia/",
                        "/enrol;x",
                        "/enrol.json"));
    String method =
        otherMethod ? Hostile.pick(r, "GET", "PUT", "DELETE", "PATCH", "OPTIONS") : "POST";
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    return new Input(index, "enrol/method-path", request, Input.Door.ENROLMENT);
  }

  /** A well-formed request padded past the door's 16 KiB. */
  private Input over16k(int index, Random r) throws JsonProcessingException {
    ObjectNode body = wellFormed(r, name(r)).put("token", badToken(r));
    body.put("padding", "p".repeat((16 << 10) + r.nextInt(48 << 10)));
    return post(index, "enrol/over-16k", json(body));
  }

  private Input post(int index, String category, String body) {
    return new Input(
        index,
        category,
        HttpRequest.newBuilder(URI.create(target.enrolUrl()))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        Input.Door.ENROLMENT);
  }

  private static String json(ObjectNode body) throws JsonProcessingException {
    return JSON.writeValueAsString(body);
  }

  private static String armour(String type, String base64) {
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }

  /** The cluster authority's certificate: PEM, but a certificate, not a request. */
  private String certificate() {
    try {
      return armour(
          "CERTIFICATE", Base64.getMimeEncoder().encodeToString(target.authority().getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode the authority's certificate", e);
    }
  }

  /** The request with one character of its base64 changed: it no longer verifies, or parses. */
  private static String flipOne(Random r, String pem) {
    int start = pem.indexOf('\n') + 1;
    int end = pem.lastIndexOf("-----END");
    int at = start + r.nextInt(Math.max(1, end - start - 1));
    while (pem.charAt(at) == '\n') {
      at++;
    }
    char other = pem.charAt(at) == 'A' ? 'B' : 'A';
    return pem.substring(0, at) + other + pem.substring(at + 1);
  }
}
