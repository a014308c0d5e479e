package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an annotation that Bulwark's aspect applies: every Bulwark annotation carries it, and so must the
 * annotation of a {@link dev.bulwark.spring.PolicyBinding} of your own. The aspect matches methods (and
 * types) carrying any annotation marked so, and fails startup for one that no binding handles.
 *
 * <pre>{@code
 * @PolicyAnnotation
 * @Retention(RetentionPolicy.RUNTIME)
 * @Target({ElementType.METHOD, ElementType.TYPE})
 * public @interface Audited { String name(); String fallbackMethod() default ""; }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.ANNOTATION_TYPE)
public @interface PolicyAnnotation {}
