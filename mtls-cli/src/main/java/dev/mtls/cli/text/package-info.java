/** Text the commands write: JSON. */
@NullMarked
package dev.mtls.cli.text;

import org.jspecify.annotations.NullMarked;
