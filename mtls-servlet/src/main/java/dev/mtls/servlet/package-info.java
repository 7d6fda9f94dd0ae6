/**
 * Jakarta Servlet integration: a filter that turns the peer certificate into a verdict and an identity on the request.
 */
@NullMarked
package dev.mtls.servlet;

import org.jspecify.annotations.NullMarked;
