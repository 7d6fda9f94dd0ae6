/** {@code mtls demo}. */
@NullMarked
package dev.mtls.cli.demo;

import org.jspecify.annotations.NullMarked;
