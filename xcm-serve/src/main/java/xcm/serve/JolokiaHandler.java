package xcm.serve;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.jolokia.json.JSONObject;
import org.jolokia.json.JSONStructure;
import org.jolokia.json.parser.JSONParser;
import org.jolokia.json.parser.ParseException;
import org.jolokia.jvmagent.ParsedUri;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.request.BadRequestException;
import org.jolokia.server.core.request.EmptyResponseException;
import org.jolokia.server.core.service.api.JolokiaContext;
import org.jolokia.server.core.util.MimeTypeUtil;
import xcm.serve.http.RequestBody;

/**
 * Jolokia on XCM's door, in the order a request is checked: the path (404 outside {@code
 * /jolokia}); the {@code Origin} of a browser page (403 unless it is one of the {@link
 * CorsOrigins}; a preflight of an allowed origin answered here); the caller ({@link
 * JolokiaAccess#authenticate(ClientCredentials)}, 401); the method (405 unless GET or POST); no
 * JSONP {@code callback} (400); a POST body within {@code jolokia.max-body} (413), the {@link
 * JsonLimits} (400) and JSON at all (400); then Jolokia itself, as the caller, its answer's
 * statuses mapped by {@link ErrorStatus}.
 *
 * <p>Runs on the door's request threads and blocks there: a slow client costs one only once its
 * credentials were accepted. Thread-safe.
 */
final class JolokiaHandler extends Handler.Abstract {
  static final String CONTEXT = "/jolokia";
  private static final Pattern CHARSET = Pattern.compile(".*;\\s*charset=([^;,]+)\\s*.*");

  private final HttpRequestHandler jolokia;
  private final JolokiaAccess access;
  private final JolokiaConfig config;
  private final String mimeType;
  private final Optional<Console> console;

  JolokiaHandler(
      JolokiaContext context,
      JolokiaAccess access,
      JolokiaConfig config,
      Optional<Console> console) {
    this.jolokia = new HttpRequestHandler(context);
    this.access = access;
    this.config = config;
    this.console = console;
    this.mimeType = context.getConfig(ConfigKey.MIME_TYPE);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.equals(CONTEXT) && !path.startsWith(CONTEXT + "/")) {
      return false;
    }
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    boolean fromConsole =
        origin != null && console.isPresent() && Console.sameOrigin(request, origin);
    // What Jolokia's own CORS check sees: not the console's page, which this door served.
    String crossOrigin = fromConsole ? null : origin;
    if (crossOrigin != null) {
      if (!config.cors().allows(origin)) {
        refuse(
            response,
            callback,
            403,
            "origin "
                + origin.replaceAll("[\\p{Cntrl}]", "?")
                + " may not call this process from a browser (CORS is on only for the origins of"
                + " jolokia.cors.origin)");
        return true;
      }
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin.strip());
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
      response.getHeaders().add(HttpHeader.VARY, "Origin");
    }
    String method = request.getMethod();
    if (method.equals("OPTIONS") && origin != null) {
      // A browser's preflight carries no credentials: what it learns is only what CORS allows.
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST");
      response
          .getHeaders()
          .put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type");
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "3600");
      response.setStatus(204);
      callback.succeeded();
      return true;
    }
    ClientCredentials presented = presented(request);
    Optional<JolokiaAccess.Caller> caller = access.authenticate(presented);
    if (caller.isEmpty() && presented.basic().isEmpty() && console.isPresent()) {
      Console.Presented session = console.get().caller(request);
      if (session instanceof Console.Presented.WithoutToken without) {
        refuse(
            response,
            callback,
            403,
            "the console session of "
                + without.user()
                + " may act only with its CSRF token ("
                + Console.CSRF_HEADER
                + ")");
        return true;
      }
      if (session instanceof Console.Presented.Signed signed) {
        caller = Optional.of(signed.session().caller());
      }
    }
    if (caller.isEmpty()) {
      if (request.getHeaders().get(Console.CSRF_HEADER) == null) {
        // Not to the console's page, whose session ended: a browser would pop up its login box.
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"xcm\"");
      }
      refuse(
          response, callback, 401, "authentication required: a user and password of this process");
      return true;
    }
    if (!method.equals("GET") && !method.equals("POST")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
      refuse(
          response, callback, 405, "method " + method + " not allowed; Jolokia takes GET or POST");
      return true;
    }
    ParsedUri uri;
    try {
      uri = new ParsedUri(new URI(request.getHttpURI().getPathQuery()), CONTEXT);
    } catch (URISyntaxException | IllegalArgumentException e) {
      refuse(response, callback, 400, "not a Jolokia URL: " + e.getMessage());
      return true;
    }
    if (uri.getParameterMap().containsKey(ConfigKey.CALLBACK.getKeyValue())) {
      refuse(
          response,
          callback,
          400,
          "JSONP (callback=) is not served: read the JSON answer, from a browser with CORS"
              + " (jolokia.cors.origin)");
      return true;
    }
    byte[] body;
    try {
      body = RequestBody.readAtMost(request, config.maxBodyBytes()).orElse(null);
    } catch (IOException e) {
      callback.failed(e);
      return true;
    }
    if (body == null) {
      refuse(
          response, callback, 413, "request body larger than " + config.maxBodyBytes() + " bytes");
      return true;
    }
    if (method.equals("POST")) {
      String why = malformed(body);
      if (why != null) {
        refuse(response, callback, 400, "the request is not JSON: " + why);
        return true;
      }
    }
    String userAgent = request.getHeaders().get(HttpHeader.USER_AGENT);
    Answer answer =
        access.runAs(
            caller.get(),
            userAgent == null ? "" : userAgent,
            () -> execute(request, method, uri, body, crossOrigin));
    answer.send(response, callback);
    return true;
  }

  /** What Jolokia answers {@code request}: JSON, or the plain text of a request it cannot read. */
  private Answer execute(
      Request request, String method, ParsedUri uri, byte[] body, String origin) {
    JSONStructure json;
    try {
      jolokia.checkAccess(
          request.getConnectionMetaData().isSecure() ? "https" : "http",
          null,
          Request.getRemoteAddr(request),
          origin);
      json =
          method.equals("GET")
              ? jolokia.handleGetRequest(
                  uri.getUri().toString(), uri.getPathInfo(), uri.getParameterMap())
              : jolokia.handlePostRequest(
                  uri.toString(),
                  new ByteArrayInputStream(body),
                  encoding(request.getHeaders().get(HttpHeader.CONTENT_TYPE)),
                  uri.getParameterMap());
    } catch (BadRequestException e) {
      return new Answer.Text(400, "400 (Bad Request)\n\n" + e.getMessage() + "\n");
    } catch (RuntimeException | IOException | EmptyResponseException e) {
      json = jolokia.handleThrowable(e);
    }
    ErrorStatus.map(json);
    return new Answer.Json(
        json,
        MimeTypeUtil.getResponseMimeType(
            uri.getParameter(ConfigKey.MIME_TYPE.getKeyValue()), mimeType, null));
  }

  /** What a client presented: its Basic credentials and, over TLS, its verified certificates. */
  static ClientCredentials presented(Request request) {
    EndPoint.SslSessionData ssl =
        request.getConnectionMetaData().getConnection().getEndPoint().getSslSessionData();
    X509Certificate[] chain = ssl == null ? null : ssl.peerCertificates();
    InetAddress address =
        request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress inet
            ? inet.getAddress()
            : null;
    return ClientCredentials.of(request.getHeaders().get(HttpHeader.AUTHORIZATION), chain, address);
  }

  private static String encoding(String contentType) {
    if (contentType == null) {
      return null;
    }
    Matcher matcher = CHARSET.matcher(contentType);
    return matcher.matches() ? matcher.group(1) : null;
  }

  /**
   * Why a POST body is not JSON within the limits, or null when it is. Jolokia's parser answers a
   * truncated body with an IllegalStateException, which Jolokia reports as its own fault (500); the
   * same parser here turns it into the caller's (400), after {@link JsonLimits} made sure it has
   * little to build.
   */
  private String malformed(byte[] body) {
    try {
      config.json().check(body);
      new JSONParser().parse(new String(body, StandardCharsets.UTF_8));
      return null;
    } catch (JsonLimitException e) {
      return e.getMessage();
    } catch (ParseException | IOException | RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
  }

  /** Answers {@code status} with the reason, as {@code {"status":..., "error":...}}. */
  private static void refuse(Response response, Callback callback, int status, String reason) {
    JSONObject answer = new JSONObject();
    answer.put("status", status);
    answer.put("error", reason);
    new Answer.Json(answer, "application/json").send(response, status, callback);
  }

  /** Jolokia's answer to a request it ran. */
  private sealed interface Answer {
    void send(Response response, Callback callback);

    /** JSON, with HTTP status 200: each reply carries its own status, as Jolokia's clients read. */
    record Json(JSONStructure json, String mimeType) implements Answer {
      @Override
      public void send(Response response, Callback callback) {
        send(response, 200, callback);
      }

      void send(Response response, int status, Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, mimeType + "; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        try (Writer out =
            new BufferedWriter(
                new OutputStreamWriter(
                    Content.Sink.asOutputStream(response), StandardCharsets.UTF_8))) {
          json.writeJSONString(out);
        } catch (IOException | RuntimeException e) {
          callback.failed(e);
          return;
        }
        callback.succeeded();
      }
    }

    /** A plain-text refusal of Jolokia's own, as its JDK handler answered it. */
    record Text(int status, String text) implements Answer {
      @Override
      public void send(Response response, Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, BufferUtil.toBuffer(text.getBytes(StandardCharsets.UTF_8)), callback);
      }
    }
  }
}
