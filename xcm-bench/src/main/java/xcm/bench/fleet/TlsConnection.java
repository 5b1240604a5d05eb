package xcm.bench.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One connection to a simulated agent: TLS through an {@link SSLEngine} on a non-blocking channel,
 * and HTTP/1.1 requests on it one after the other (the coordinator's client keeps its connections
 * and never pipelines). Only {@code POST} with a {@code Content-Length} is read, which is what the
 * JDK's HTTP client sends; a caller without a client certificate gets 401, as an enrolled agent
 * answers a caller it cannot tell.
 *
 * <p>Not thread-safe: driven by the one selector thread that owns it.
 */
final class TlsConnection {
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
  private static final int MAX_REQUEST = 1 << 20;

  /** Answers the body of a POST; null when the path is not the agent's Jolokia path. */
  interface Answerer {
    byte[] answer(String path, byte[] body);
  }

  private final SocketChannel channel;
  private final SelectionKey key;
  private final SSLEngine engine;
  private final Answerer answerer;

  /** Ciphertext received, in write mode. */
  private ByteBuffer netIn;

  /** Plaintext received, in write mode. */
  private ByteBuffer appIn;

  /** Ciphertext to send, in read mode. */
  private ByteBuffer netOut = NOTHING;

  /** Plaintext of the answer being sent, in read mode; null when none. */
  private ByteBuffer appOut;

  private Boolean caller;
  private boolean closeAfterAnswer;

  TlsConnection(SocketChannel channel, SelectionKey key, SSLEngine engine, Answerer answerer) {
    this.channel = channel;
    this.key = key;
    this.engine = engine;
    this.answerer = answerer;
    this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
  }

  /** The channel can be read. */
  void readable() throws IOException {
    if (!netIn.hasRemaining()) {
      netIn = grown(netIn, netIn.capacity() * 2);
    }
    // A second read tells a client that sent and then gave up (its bytes, then end of stream):
    // its handshake is not worth the CPU the coordinator's figures are about.
    if (channel.read(netIn) < 0 || (netIn.hasRemaining() && channel.read(netIn) < 0)) {
      close();
      return;
    }
    progress();
  }

  /** The channel can be written again. */
  void writable() throws IOException {
    progress();
  }

  /** Handshakes, unwraps, answers, wraps and sends as far as the channel lets it. */
  private void progress() throws IOException {
    while (channel.isOpen()) {
      if (netOut.hasRemaining()) {
        channel.write(netOut);
        if (netOut.hasRemaining()) {
          key.interestOps(SelectionKey.OP_WRITE);
          return;
        }
      }
      if (closeAfterAnswer && appOut == null) {
        close();
        return;
      }
      HandshakeStatus handshake = engine.getHandshakeStatus();
      if (handshake == HandshakeStatus.NEED_TASK) {
        // The handshake's certificate work; run here: the fleet's threads do nothing else.
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
      } else if (handshake == HandshakeStatus.NEED_WRAP
          || (handshake == HandshakeStatus.NOT_HANDSHAKING && appOut != null)) {
        if (!wrap()) {
          return;
        }
      } else if (!unwrap()) {
        key.interestOps(SelectionKey.OP_READ);
        return;
      }
    }
  }

  /** Wraps the answer (or a handshake message) into {@link #netOut}; false once closed. */
  private boolean wrap() throws IOException {
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    SSLEngineResult result = engine.wrap(appOut != null ? appOut : NOTHING, out);
    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
      close();
      return false;
    }
    out.flip();
    netOut = out;
    if (appOut != null && !appOut.hasRemaining()) {
      appOut = null;
    }
    return true;
  }

  /** Unwraps what was received and answers a complete request; false when it needs more bytes. */
  private boolean unwrap() throws IOException {
    netIn.flip();
    SSLEngineResult result;
    try {
      result = engine.unwrap(netIn, appIn);
    } finally {
      netIn.compact();
    }
    switch (result.getStatus()) {
      case BUFFER_OVERFLOW -> {
        appIn = grown(appIn, appIn.capacity() + engine.getSession().getApplicationBufferSize());
        return true;
      }
      case BUFFER_UNDERFLOW -> {
        return false;
      }
      case CLOSED -> {
        close();
        return false;
      }
      default -> {
        if (appOut == null && appIn.position() > 0) {
          answerComplete();
        }
        return result.bytesConsumed() > 0
            || result.bytesProduced() > 0
            || engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
            || appOut != null;
      }
    }
  }

  /** Answers the request in {@link #appIn} if all of it is there. */
  private void answerComplete() throws IOException {
    byte[] received = appIn.array();
    int length = appIn.position();
    int end = headerEnd(received, length);
    if (end < 0) {
      if (length > MAX_REQUEST) {
        throw new IOException("request head larger than " + MAX_REQUEST + " bytes");
      }
      return;
    }
    String head = new String(received, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    String[] start = lines[0].split(" ");
    int bodyLength = 0;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].toLowerCase(Locale.ROOT);
      if (line.startsWith("content-length:")) {
        bodyLength = Integer.parseInt(line.substring(15).strip());
      } else if (line.startsWith("connection:") && line.contains("close")) {
        closeAfterAnswer = true;
      }
    }
    if (bodyLength > MAX_REQUEST) {
      throw new IOException("request body of " + bodyLength + " bytes");
    }
    int total = end + 4 + bodyLength;
    if (length < total) {
      return;
    }
    byte[] body = new byte[bodyLength];
    System.arraycopy(received, end + 4, body, 0, bodyLength);
    appIn.flip();
    appIn.position(total);
    appIn.compact();
    appOut = ByteBuffer.wrap(respond(start, body));
  }

  private byte[] respond(String[] start, byte[] body) {
    if (start.length < 3 || !start[0].equals("POST")) {
      return response(405, "Method Not Allowed", "{\"error\":\"only POST is simulated\"}");
    }
    if (!hasCaller()) {
      return response(401, "Unauthorized", "{\"error\":\"no client certificate\"}");
    }
    byte[] answer = answerer.answer(start[1], body);
    if (answer == null) {
      return response(404, "Not Found", "{\"error\":\"not the agent's Jolokia path\"}");
    }
    return response(200, "OK", answer);
  }

  /** Whether the caller presented a certificate the handshake accepted. */
  private boolean hasCaller() {
    if (caller == null) {
      try {
        caller = engine.getSession().getPeerCertificates().length > 0;
      } catch (SSLPeerUnverifiedException e) {
        caller = false;
      }
    }
    return caller;
  }

  private static byte[] response(int status, String reason, String body) {
    return response(status, reason, body.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] response(int status, String reason, byte[] body) {
    byte[] head =
        ("HTTP/1.1 "
                + status
                + " "
                + reason
                + "\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-cache"
                + "\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Where the blank line ending the head starts, or -1. */
  private static int headerEnd(byte[] b, int length) {
    for (int i = 0; i + 3 < length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static ByteBuffer grown(ByteBuffer buffer, int capacity) {
    ByteBuffer bigger = ByteBuffer.allocate(capacity);
    buffer.flip();
    bigger.put(buffer);
    return bigger;
  }

  /** Closes the channel; the engine's state goes with it. */
  void close() {
    key.cancel();
    try {
      engine.closeOutbound();
      channel.close();
    } catch (IOException e) {
      // Closing a connection the other side dropped: nothing left to do.
    }
  }
}
