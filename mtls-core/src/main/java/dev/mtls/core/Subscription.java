package dev.mtls.core;

/**
 * A subscription to a context's changes, from {@link MtlsContext#onChange(java.util.function.Consumer)}.
 *
 * <pre>{@code
 * try (Subscription changes = context.onChange(change -> rotateTicketKeys())) {
 *   ...
 * }
 * }</pre>
 */
public interface Subscription extends AutoCloseable {
  /**
   * Stops the subscription: once this returns, the subscriber is not called again (a call
   * already running may finish). Idempotent.
   */
  @Override
  void close();
}
