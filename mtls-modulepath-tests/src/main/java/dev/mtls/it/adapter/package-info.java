/**
 * A plain SunJSSE adapter over mtls-core's accessors, for the module-path tests.
 */
@NullMarked
package dev.mtls.it.adapter;

import org.jspecify.annotations.NullMarked;
