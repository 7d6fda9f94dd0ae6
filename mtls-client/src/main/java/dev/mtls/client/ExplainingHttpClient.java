package dev.mtls.client;

import dev.mtls.core.MtlsContext;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * A JDK client whose failed connections come back explained ({@link MtlsConnectException});
 * everything else is the wrapped client's. The lifecycle methods of JDK 21 ({@code shutdown},
 * {@code close}, ...) are not in the Java 17 API this is compiled against: they are declared
 * here with the same signatures, so they override the JDK's, and forward by method handle.
 */
final class ExplainingHttpClient extends HttpClient {
  private static final @Nullable MethodHandle SHUTDOWN = lifecycle("shutdown", MethodType.methodType(void.class));
  private static final @Nullable MethodHandle SHUTDOWN_NOW = lifecycle("shutdownNow", MethodType.methodType(void.class));
  private static final @Nullable MethodHandle IS_TERMINATED =
      lifecycle("isTerminated", MethodType.methodType(boolean.class));
  private static final @Nullable MethodHandle AWAIT_TERMINATION =
      lifecycle("awaitTermination", MethodType.methodType(boolean.class, Duration.class));
  private static final @Nullable MethodHandle CLOSE = lifecycle("close", MethodType.methodType(void.class));

  private final MtlsContext context;
  private final HttpClient http;
  private final FailureExplainer explainer;

  ExplainingHttpClient(MtlsContext context, HttpClient http) {
    this.context = context;
    this.http = http;
    this.explainer = new FailureExplainer(context);
  }

  MtlsContext context() {
    return context;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> responseBodyHandler)
      throws IOException, InterruptedException {
    try {
      return http.send(request, responseBodyHandler);
    } catch (IOException e) {
      throw explained(request, e);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> responseBodyHandler) {
    return explained(request, http.sendAsync(request, responseBodyHandler));
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> responseBodyHandler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return explained(request, http.sendAsync(request, responseBodyHandler, pushPromiseHandler));
  }

  private <T> CompletableFuture<HttpResponse<T>> explained(HttpRequest request,
      CompletableFuture<HttpResponse<T>> sent) {
    CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    sent.whenComplete((response, failure) -> {
      if (failure == null) {
        result.complete(response);
      } else {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        result.completeExceptionally(cause instanceof IOException io ? explained(request, io) : failure);
      }
    });
    // Cancelling what the caller holds cancels the exchange, as on the JDK's own future.
    result.whenComplete((response, failure) -> {
      if (result.isCancelled()) {
        sent.cancel(true);
      }
    });
    return result;
  }

  private IOException explained(HttpRequest request, IOException failure) {
    URI uri = request.uri();
    String host = uri.getHost();
    if (host == null) {
      return failure;
    }
    String scheme = uri.getScheme() == null ? "https" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : "http".equals(scheme) ? 80 : 443;
    MtlsConnectException explained = explainer.explain(scheme, host, port, http.connectTimeout().orElse(null), failure);
    return explained == null ? failure : explained;
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return http.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return http.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return http.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return http.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return http.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return http.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return http.authenticator();
  }

  @Override
  public Version version() {
    return http.version();
  }

  @Override
  public Optional<Executor> executor() {
    return http.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return http.newWebSocketBuilder();
  }

  /** JDK 21's {@code HttpClient.shutdown()}, forwarded; nothing on older JDKs. */
  public void shutdown() {
    invoke(SHUTDOWN);
  }

  /** JDK 21's {@code HttpClient.shutdownNow()}, forwarded; nothing on older JDKs. */
  public void shutdownNow() {
    invoke(SHUTDOWN_NOW);
  }

  /**
   * JDK 21's {@code HttpClient.isTerminated()}, forwarded.
   *
   * @return whether the wrapped client has terminated; {@code false} on older JDKs
   */
  public boolean isTerminated() {
    return IS_TERMINATED != null && (boolean) invoke(IS_TERMINATED);
  }

  /**
   * JDK 21's {@code HttpClient.awaitTermination(Duration)}, forwarded.
   *
   * @param duration how long to wait
   * @return whether the wrapped client terminated; {@code false} on older JDKs
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitTermination(Duration duration) throws InterruptedException {
    if (AWAIT_TERMINATION == null) {
      return false;
    }
    try {
      return (boolean) AWAIT_TERMINATION.invoke(http, duration);
    } catch (InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** JDK 21's {@code HttpClient.close()}, forwarded; nothing on older JDKs. */
  public void close() {
    invoke(CLOSE);
  }

  private @Nullable Object invoke(@Nullable MethodHandle method) {
    if (method == null) {
      return null;
    }
    try {
      return method.invoke(http);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static @Nullable MethodHandle lifecycle(String name, MethodType type) {
    try {
      return MethodHandles.publicLookup().findVirtual(HttpClient.class, name, type);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null; // before JDK 21
    }
  }

  @Override
  public String toString() {
    return http + " (mutual TLS, " + context + ")";
  }
}
