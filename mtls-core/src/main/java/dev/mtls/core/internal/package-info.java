/**
 * Implementation details of mtls-core shared by its internal packages: the one private
 * Bouncy Castle provider, a rate limiter, a bounded cache for memos on hot paths, the escaping
 * of outside text ({@code SafeText}), and the background threads every context of the JVM
 * shares, which a context uses through its {@link dev.mtls.core.internal.Lane}. Not an API: not exported by the module, may
 * change in any release. The other concerns live in sub-packages: {@code crl}, {@code
 * material}, {@code reload}, {@code tls} and {@code validation}.
 */
@NullMarked
package dev.mtls.core.internal;

import org.jspecify.annotations.NullMarked;
