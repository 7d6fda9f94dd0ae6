/** The {@code mtls} command line. */
@NullMarked
package dev.mtls.cli;

import org.jspecify.annotations.NullMarked;
