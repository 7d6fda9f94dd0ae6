/**
 * Embedded Tomcat 11 connectors that serve an mtls-core server context.
 */
@NullMarked
package dev.mtls.tomcat;

import org.jspecify.annotations.NullMarked;
