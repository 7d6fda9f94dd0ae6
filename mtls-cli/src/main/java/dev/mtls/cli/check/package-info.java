/** {@code mtls check}. */
@NullMarked
package dev.mtls.cli.check;

import org.jspecify.annotations.NullMarked;
