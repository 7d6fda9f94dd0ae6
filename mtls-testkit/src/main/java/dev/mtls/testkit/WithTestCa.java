package dev.mtls.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registers {@link TestCaExtension} on a JUnit 5 test class or method: shorthand for {@code
 * @ExtendWith(TestCaExtension.class)}.
 *
 * <pre>{@code
 * @WithTestCa
 * class HandshakeTest {
 *   TestCa ca;   // a fresh CA for every test
 *   ...
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(TestCaExtension.class)
public @interface WithTestCa {}
