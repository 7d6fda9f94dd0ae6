/**
 * Secure mutual-TLS contexts, identity and trust loading, and the one peer-verification model.
 */
@NullMarked
package dev.mtls.core;

import org.jspecify.annotations.NullMarked;
