/**
 * Ephemeral in-memory certificate authorities for tests: {@code TestCa} issues server, client, expired and revoked certificates and CRLs in milliseconds, and writes them as PEM or PKCS#12.
 */
@NullMarked
package dev.mtls.testkit;

import org.jspecify.annotations.NullMarked;
