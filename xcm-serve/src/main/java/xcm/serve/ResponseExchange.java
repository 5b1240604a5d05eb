package xcm.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSession;

/**
 * The exchange Jolokia's handler sees: the original one, with its own attributes, and its response
 * body going through {@link ErrorStatus} and always sent chunked. Jolokia declares the length of
 * its plain-text error answers in characters and writes them in UTF-8 bytes, so an error naming a
 * non-ASCII argument overran the declared length and the JDK server dropped the connection without
 * an answer.
 */
class ResponseExchange extends HttpExchange {
  private final HttpExchange exchange;
  private final OutputStream body;
  private final Map<String, Object> attributes = Collections.synchronizedMap(new HashMap<>());

  ResponseExchange(HttpExchange exchange) {
    this.exchange = exchange;
    this.body = ErrorStatus.mapping(exchange.getResponseBody());
  }

  /** The wrapper for {@code exchange}: an HTTPS one for HTTPS, so that Jolokia sees the scheme. */
  static HttpExchange of(HttpExchange exchange) {
    ResponseExchange plain = new ResponseExchange(exchange);
    return exchange instanceof HttpsExchange https ? new Secure(plain, https) : plain;
  }

  @Override
  public void sendResponseHeaders(int code, long length) throws IOException {
    // 0 is chunked, -1 no body: whatever Jolokia writes, the framing holds.
    exchange.sendResponseHeaders(code, length > 0 ? 0 : length);
  }

  @Override
  public OutputStream getResponseBody() {
    return body;
  }

  @Override
  public Headers getRequestHeaders() {
    return exchange.getRequestHeaders();
  }

  @Override
  public Headers getResponseHeaders() {
    return exchange.getResponseHeaders();
  }

  @Override
  public URI getRequestURI() {
    return exchange.getRequestURI();
  }

  @Override
  public String getRequestMethod() {
    return exchange.getRequestMethod();
  }

  @Override
  public HttpContext getHttpContext() {
    return exchange.getHttpContext();
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // The client is gone; closing the exchange below releases the connection.
    }
    exchange.close();
  }

  @Override
  public InputStream getRequestBody() {
    return exchange.getRequestBody();
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return exchange.getRemoteAddress();
  }

  @Override
  public int getResponseCode() {
    return exchange.getResponseCode();
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return exchange.getLocalAddress();
  }

  @Override
  public String getProtocol() {
    return exchange.getProtocol();
  }

  /**
   * This exchange's own attributes. The JDK's (17) are its context's, shared by every exchange at
   * once: a request's subject set there could be another request's by the time Jolokia reads it.
   */
  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  @Override
  public void setStreams(InputStream in, OutputStream out) {
    exchange.setStreams(in, out);
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return exchange.getPrincipal();
  }

  /** The same over HTTPS. */
  private static final class Secure extends HttpsExchange {
    private final ResponseExchange plain;
    private final HttpsExchange https;

    Secure(ResponseExchange plain, HttpsExchange https) {
      this.plain = plain;
      this.https = https;
    }

    @Override
    public SSLSession getSSLSession() {
      return https.getSSLSession();
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
      plain.sendResponseHeaders(code, length);
    }

    @Override
    public OutputStream getResponseBody() {
      return plain.getResponseBody();
    }

    @Override
    public Headers getRequestHeaders() {
      return plain.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
      return plain.getResponseHeaders();
    }

    @Override
    public URI getRequestURI() {
      return plain.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
      return plain.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
      return plain.getHttpContext();
    }

    @Override
    public void close() {
      plain.close();
    }

    @Override
    public InputStream getRequestBody() {
      return plain.getRequestBody();
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return plain.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
      return plain.getResponseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return plain.getLocalAddress();
    }

    @Override
    public String getProtocol() {
      return plain.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
      return plain.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      plain.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
      plain.setStreams(in, out);
    }

    @Override
    public HttpPrincipal getPrincipal() {
      return plain.getPrincipal();
    }
  }
}
