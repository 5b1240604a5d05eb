package xcm.serve;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One scrape as the Prometheus library's handler sees it, over Jetty's request and response. The
 * handler writes the body and closes it; {@link #close()} then completes the response, or answers
 * 500 when the handler failed before it sent anything.
 */
final class MetricsExchange implements PrometheusHttpExchange {
  private final Request request;
  private final Response response;
  private final Callback callback;
  private OutputStream body;
  private boolean completed;

  MetricsExchange(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
  }

  @Override
  public PrometheusHttpRequest getRequest() {
    return new PrometheusHttpRequest() {
      @Override
      public String getQueryString() {
        return request.getHttpURI().getQuery();
      }

      @Override
      public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration(request.getHeaders().getValuesList(name));
      }

      @Override
      public String getMethod() {
        return request.getMethod();
      }

      @Override
      public String getRequestPath() {
        return Request.getPathInContext(request);
      }
    };
  }

  @Override
  public PrometheusHttpResponse getResponse() {
    return new PrometheusHttpResponse() {
      @Override
      public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
      }

      @Override
      public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
        response.setStatus(statusCode);
        if (contentLength > 0) {
          response.getHeaders().put("Content-Length", String.valueOf(contentLength));
        }
        body = Content.Sink.asOutputStream(response);
        return body;
      }
    };
  }

  @Override
  public void handleException(IOException e) throws IOException {
    throw e;
  }

  @Override
  public void handleException(RuntimeException e) {
    throw e;
  }

  @Override
  public void close() {
    if (completed) {
      return;
    }
    completed = true;
    if (body == null) {
      Response.writeError(request, response, callback, 500, "the scrape failed");
      return;
    }
    try {
      body.close();
      callback.succeeded();
    } catch (IOException | RuntimeException e) {
      callback.failed(e);
    }
  }
}
