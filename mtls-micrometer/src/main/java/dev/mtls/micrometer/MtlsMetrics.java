package dev.mtls.micrometer;

import dev.mtls.core.MtlsContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Binds the metrics of one or more {@link MtlsContext}s to a Micrometer registry: seconds until
 * each certificate of the context's chain and each trust anchor expires, seconds until each
 * CRL's nextUpdate, verdicts on peers (in the handshake and by the verifier, accepted and
 * refused by reason), reloads by material, CRL refreshes, sessions renewed and the context's
 * {@linkplain MtlsContext#health() health}. Every meter carries a {@code context} tag with the
 * name given here; the README lists the meters.
 *
 * <pre>{@code
 * MtlsMetrics metrics = MtlsMetrics.builder()
 *     .context("api-server", server)
 *     .context("billing-client", client)
 *     .build();
 * metrics.bindTo(registry);  // or hand it to a framework that binds MeterBinders
 * }</pre>
 *
 * <p>Cardinality is bounded: peers never become tags (the refusal reason is one of the fixed
 * {@link dev.mtls.core.RejectionReason} codes), and only the context's own and anchor
 * certificates (subject and serial) and its CRLs' issuers are named, each cut to {@value
 * MeterNames#MAX_TAG_LENGTH} characters. Counting a verdict is a counter increment on the
 * handshake's or the caller's thread.
 *
 * <p>Binding adds a listener and a change subscription to each context; {@link #close()}
 * removes them (the meters stay in the registry). Thread-safe; may be bound to several
 * registries.
 */
public final class MtlsMetrics implements MeterBinder, AutoCloseable {
  private static final Pattern CONTEXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private final Map<String, MtlsContext> contexts;
  private final List<ContextMeters> bound = new ArrayList<>();
  private boolean closed;

  private MtlsMetrics(Map<String, MtlsContext> contexts) {
    this.contexts = Map.copyOf(contexts);
  }

  /**
   * Metrics of one context.
   *
   * @param name the value of the {@code context} tag: 1 to 64 letters, digits, {@code _ . -},
   *     starting with a letter or digit
   * @param context the context
   * @return the binder
   */
  public static MtlsMetrics of(String name, MtlsContext context) {
    return builder().context(name, context).build();
  }

  /**
   * Starts naming the contexts to bind.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers the meters of every context with {@code registry} and starts counting.
   *
   * @param registry the registry
   * @throws IllegalStateException once closed
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (closed) {
      throw new IllegalStateException("MtlsMetrics was closed");
    }
    for (Map.Entry<String, MtlsContext> entry : new TreeMap<>(contexts).entrySet()) {
      ContextMeters meters = new ContextMeters(entry.getKey(), entry.getValue(), registry);
      bound.add(meters);
      meters.start();
    }
  }

  /**
   * Stops counting: removes the listeners and change subscriptions from the contexts. The
   * meters stay registered (counters keep their values; gauges still read the contexts).
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    closed = true;
    for (ContextMeters meters : bound) {
      meters.close();
    }
    bound.clear();
  }

  @Override
  public String toString() {
    return "MtlsMetrics" + new TreeMap<>(contexts).keySet();
  }

  /** Names the contexts a {@link MtlsMetrics} binds. */
  public static final class Builder {
    private final Map<String, MtlsContext> contexts = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a context.
     *
     * @param name the value of its {@code context} tag: 1 to 64 letters, digits, {@code _ . -},
     *     starting with a letter or digit; unique
     * @param context the context
     * @return this builder
     * @throws IllegalArgumentException when the name is not such a name, or already given
     */
    public Builder context(String name, MtlsContext context) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(context, "context");
      if (!CONTEXT_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("context name must be 1 to 64 letters, digits, '_', '.' or '-',"
            + " starting with a letter or digit: \"" + MeterNames.bounded(name) + "\"");
      }
      if (contexts.containsKey(name)) {
        throw new IllegalArgumentException("context name \"" + name + "\" was already given to "
            + contexts.get(name));
      }
      contexts.put(name, context);
      return this;
    }

    /**
     * The binder.
     *
     * @return the binder, not bound yet
     * @throws IllegalStateException when no context was given
     */
    public MtlsMetrics build() {
      if (contexts.isEmpty()) {
        throw new IllegalStateException("no context: add one with context(name, context)");
      }
      return new MtlsMetrics(contexts);
    }
  }

}
