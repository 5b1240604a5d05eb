package xcm.trust.ticket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The payload of a ticket as {@link HandoverTicket} describes it: written in one way, read only in
 * that way. Reading refuses anything that the writer would not have written, so that one statement
 * has exactly one spelling.
 */
final class TicketPayload {
  static final String VERSION = "xcm-handover-ticket/1";
  private static final List<String> KEYS =
      List.of(
          "domain-uuid",
          "domain-name",
          "source",
          "destination",
          "issued-at",
          "expires-at",
          "nonce",
          "epoch");
  static final int NONCE_BYTES = 16;
  private static final String UNRESERVED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** What a payload states, before a signature makes it a ticket. */
  record Fields(
      Handover handover, Instant issuedAt, Instant expiresAt, String nonce, OptionalLong epoch) {}

  private TicketPayload() {}

  static byte[] write(Fields f) {
    String[] values = {
      f.handover().domainUuid().toString(),
      percentEncode(f.handover().domainName()),
      f.handover().source(),
      f.handover().destination(),
      f.issuedAt().toString(),
      f.expiresAt().toString(),
      f.nonce(),
      f.epoch().isPresent() ? Long.toString(f.epoch().getAsLong()) : "none"
    };
    StringBuilder text = new StringBuilder(VERSION);
    for (int i = 0; i < KEYS.size(); i++) {
      text.append('\n').append(KEYS.get(i)).append(": ").append(values[i]);
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @throws IllegalArgumentException saying what is not in the ticket's form
   */
  static Fields read(byte[] payload) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(payload))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the payload is not UTF-8");
    }
    String[] lines = text.split("\n", -1);
    if (lines.length != KEYS.size() + 1 || !lines[0].equals(VERSION)) {
      throw new IllegalArgumentException(
          "the payload is not " + VERSION + " with " + KEYS.size() + " fields");
    }
    String[] values = new String[KEYS.size()];
    for (int i = 0; i < KEYS.size(); i++) {
      String prefix = KEYS.get(i) + ": ";
      if (!lines[i + 1].startsWith(prefix)) {
        throw new IllegalArgumentException("line " + (i + 2) + " is not " + KEYS.get(i));
      }
      values[i] = lines[i + 1].substring(prefix.length());
    }
    UUID uuid = UUID.fromString(values[0]);
    if (!uuid.toString().equals(values[0])) {
      throw new IllegalArgumentException("domain-uuid is not a lower-case UUID");
    }
    Handover handover = new Handover(uuid, percentDecode(values[1]), values[2], values[3]);
    Instant issuedAt = instant(values[4], "issued-at");
    Instant expiresAt = instant(values[5], "expires-at");
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("expires-at is not after issued-at");
    }
    byte[] nonce = Base64.getUrlDecoder().decode(values[6]);
    if (nonce.length != NONCE_BYTES || !encode(nonce).equals(values[6])) {
      throw new IllegalArgumentException("nonce is not " + NONCE_BYTES + " bytes in base64url");
    }
    OptionalLong epoch = OptionalLong.empty();
    if (!values[7].equals("none")) {
      long e = Long.parseLong(values[7]);
      if (!Long.toString(e).equals(values[7])) {
        throw new IllegalArgumentException("epoch is not a decimal number");
      }
      epoch = OptionalLong.of(e);
    }
    Fields fields = new Fields(handover, issuedAt, expiresAt, values[6], epoch);
    if (!Arrays.equals(write(fields), payload)) {
      throw new IllegalArgumentException("the payload is not written as a ticket is written");
    }
    return fields;
  }

  private static Instant instant(String text, String key) {
    try {
      Instant instant = Instant.parse(text);
      if (!instant.truncatedTo(ChronoUnit.SECONDS).toString().equals(text)) {
        throw new IllegalArgumentException(key + " is not in whole seconds, UTC");
      }
      return instant;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(key + " is not an instant");
    }
  }

  static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String percentEncode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x80 && UNRESERVED.indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  static String percentDecode(String value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < value.length()) {
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("domain-name has a bad escape");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80 && UNRESERVED.indexOf(c) >= 0) {
        bytes.write(c);
      } else {
        throw new IllegalArgumentException("domain-name is not percent-encoded");
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("domain-name is not UTF-8");
    }
  }
}
