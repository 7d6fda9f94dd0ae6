/** {@code mtls pki}. */
@NullMarked
package dev.mtls.cli.pki;

import org.jspecify.annotations.NullMarked;
