package dev.mtls.core.internal.crl;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * CRLs fetched with an HTTP GET. The body may be PEM or DER. Redirects are not followed (a
 * CRL URL that redirects, possibly to another scheme, is a failure naming the status), and
 * the whole exchange, body included, is bounded by the fetch timeout.
 */
public final class UrlCrlSource implements CrlSource {
  private final URI url;
  private final Duration timeout;
  private final HttpClient client;

  /**
   * Creates the source.
   *
   * @param url an http or https URL
   * @param timeout the limit for connecting and for the whole exchange
   */
  public UrlCrlSource(URI url, Duration timeout) {
    this.url = Objects.requireNonNull(url, "url");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout)
        .build();
  }

  @Override
  public byte[] read() throws IOException {
    HttpRequest request = HttpRequest.newBuilder(url)
        .GET()
        .timeout(timeout)
        .header("Accept", "application/pkix-crl, application/x-pem-file, */*")
        .build();
    CompletableFuture<HttpResponse<byte[]>> pending =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> response;
    try {
      // get(..) bounds the body too, which HttpRequest.timeout alone does not
      response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new IOException("no complete answer within " + timeout, e);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException("GET failed: " + cause, cause);
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET answered HTTP status " + response.statusCode()
          + response.headers().firstValue("Location").map(l -> " (redirect to " + l
              + ", not followed)").orElse(""));
    }
    byte[] body = response.body();
    if (body.length > CrlParser.MAX_BYTES) {
      throw new IOException("body is " + body.length + " bytes, more than the limit of "
          + CrlParser.MAX_BYTES + " for a CRL");
    }
    return body;
  }

  @Override
  public @Nullable Path file() {
    return null;
  }

  @Override
  public String describe() {
    return url.toString();
  }

  @Override
  public String toString() {
    return "UrlCrlSource[" + url + "]";
  }
}
