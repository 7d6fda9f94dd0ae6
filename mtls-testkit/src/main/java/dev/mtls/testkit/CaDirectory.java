package dev.mtls.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code java.nio.file.Path} test field or parameter that {@link TestCaExtension} fills
 * with a fresh, empty temporary directory, deleted with everything in it after the test.
 *
 * <pre>{@code
 * @Test
 * void server_readsPemFiles(TestCa ca, @CaDirectory Path directory) {
 *   PemFiles files = ca.server("localhost").writePem(directory);
 *   ...
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
public @interface CaDirectory {}
