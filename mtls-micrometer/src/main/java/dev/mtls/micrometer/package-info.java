/**
 * Micrometer metrics for mtls contexts: {@link dev.mtls.micrometer.MtlsMetrics}, a {@code
 * MeterBinder} for one or more {@link dev.mtls.core.MtlsContext}s.
 */
@NullMarked
package dev.mtls.micrometer;

import org.jspecify.annotations.NullMarked;
