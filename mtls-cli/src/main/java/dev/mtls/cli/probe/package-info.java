/** {@code mtls probe}. */
@NullMarked
package dev.mtls.cli.probe;

import org.jspecify.annotations.NullMarked;
